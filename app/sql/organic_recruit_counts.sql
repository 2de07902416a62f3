-- Organic producers to recruit (include/organic_recruits.sql), counted per department and
-- *ma cantine* family: a producer of several families counts once in each; one whose organic
-- productions map to no family counts under a NULL family_code, so that each department's
-- producers are all somewhere. The row with is_total holds the whole area: recruits (each
-- producer once) and operators_loaded, the rows of `organic_operators` whatever the filters
-- (0: no Agence BIO file was loaded). Departments in code order, families in ma cantine's.
WITH
-- include: organic_recruits
,
recruit_families AS (
    SELECT
        r.siret,
        r.department_code,
        unnest(CASE WHEN len(r.families) = 0 THEN [NULL::VARCHAR] ELSE r.families END) AS family_code
    FROM organic_recruits AS r
),
counts AS (
    SELECT
        f.department_code,
        f.family_code,
        count(DISTINCT f.siret) AS recruits
    FROM recruit_families AS f
    GROUP BY f.department_code, f.family_code
)
SELECT
    FALSE               AS is_total,
    c.department_code,
    d.department_name,
    c.family_code,
    k.label             AS family,
    k.position          AS family_position,
    c.recruits,
    CAST(NULL AS BIGINT) AS operators_loaded
FROM counts AS c
LEFT JOIN departments AS d ON c.department_code = d.department_code
LEFT JOIN canteen_families AS k ON c.family_code = k.family_code
UNION ALL
SELECT
    TRUE,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    (SELECT count(*) FROM organic_recruits),
    (SELECT count(*) FROM organic_operators)
ORDER BY is_total DESC, department_code ASC, family_position ASC NULLS LAST
