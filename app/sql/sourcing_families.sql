-- Supply against demand per territory of $level and *ma cantine* product family: for each
-- territory with canteens (include/canteen_scope.sql) and each family (those of the chosen
-- categories, all eight without a category filter),
--   * producers_nearby: suppliers of the family within $radius_km of at least one of the
--     territory's canteens (include/sourcing_reach.sql);
--   * producers_in_department: suppliers of the family in the departments of those canteens;
--   * is_gap: canteens there, and no supplier of the family within $radius_km;
--   * has_category: some category of the platform belongs to the family (without one, no
--     listing can ever fill it: a gap of the mapping, not of the producers).
-- The row with a NULL territory_code is the whole area. Families in ma cantine's order.
WITH
-- include: canteen_scope
,
-- include: sourcing_reach
,
territories AS (
    SELECT
        t.territory_code,
        count(*) AS canteens
    FROM canteen_territory AS t
    GROUP BY t.territory_code
),
families AS (
    SELECT
        k.family_code,
        k.label,
        k.position,
        k.family_code IN (
            SELECT f.family_code FROM category_families AS f WHERE f.platform = $platform
        ) AS has_category
    FROM canteen_families AS k
    WHERE len($categories) = 0
       OR k.family_code IN (
           SELECT f.family_code FROM category_families AS f
           WHERE f.platform = $platform AND list_contains($categories, f.category_code))
),
nearby AS (
    SELECT
        t.territory_code,
        pf.family_code,
        count(DISTINCT r.supplier_id) AS producers
    FROM canteen_territory AS t
    INNER JOIN reach AS r ON t.siret = r.siret
    INNER JOIN producer_families AS pf ON r.supplier_id = pf.supplier_id
    GROUP BY t.territory_code, pf.family_code
),
territory_departments AS (
    SELECT DISTINCT
        t.territory_code,
        s.department_code
    FROM canteen_territory AS t
    INNER JOIN canteen_scope AS s ON t.siret = s.siret
),
in_department AS (
    SELECT
        td.territory_code,
        pf.family_code,
        count(DISTINCT p.supplier_id) AS producers
    FROM territory_departments AS td
    INNER JOIN producers AS p ON td.department_code = p.department_code
    INNER JOIN producer_families AS pf ON p.supplier_id = pf.supplier_id
    GROUP BY td.territory_code, pf.family_code
)
SELECT
    t.territory_code,
    f.family_code,
    f.label                       AS family,
    t.canteens,
    coalesce(n.producers, 0)      AS producers_nearby,
    coalesce(d.producers, 0)      AS producers_in_department,
    coalesce(n.producers, 0) = 0  AS is_gap,
    f.has_category
FROM territories AS t
CROSS JOIN families AS f
LEFT JOIN nearby AS n
    ON t.territory_code IS NOT DISTINCT FROM n.territory_code AND f.family_code = n.family_code
LEFT JOIN in_department AS d
    ON t.territory_code IS NOT DISTINCT FROM d.territory_code AND f.family_code = d.family_code
ORDER BY t.territory_code IS NOT NULL, t.territory_code, f.position
