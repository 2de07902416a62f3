-- Fragment (included by `-- include: organic_recruits`): the recruitment targets of the local
-- sourcing page (docs/metrics.md, "Organic producers to recruit"). CTE `organic_recruits`:
-- one row per operator of Agence BIO's list (`organic_operators`) that is a producer
-- (`Production` among its activities), certified organic (certificate not stopped, a
-- production in state AB), in the chosen departments, and whose SIRET is the SIRET of no
-- supplier of $platform — whether still on the platform or gone: one who left was reached
-- once and is not a new recruit. With its commune's name and centroid (NULL when none) and
-- its families (codes, ma cantine's order; empty when no organic production maps to one).
organic_recruits AS (
    SELECT
        o.siret,
        o.organic_id,
        o.name,
        o.insee_code,
        o.department_code,
        o.families,
        m.commune,
        m.latitude,
        m.longitude
    FROM organic_operators AS o
    LEFT JOIN communes AS m ON o.insee_code = m.insee_code
    WHERE o.is_producer
      AND o.is_certified
      AND is_chosen($departments, o.department_code)
      AND o.siret NOT IN (
          SELECT s.siret FROM suppliers AS s
          WHERE s.platform = $platform AND s.siret IS NOT NULL)
)
