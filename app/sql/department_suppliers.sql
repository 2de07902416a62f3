-- Per department of the region (the chosen ones, or all six): suppliers active on $end, of
-- the chosen kinds (having an active listing in one of the chosen categories when categories are chosen),
-- their active listings, and the population, for rates per 100 000 inhabitants; the same for
-- all the departments shown (`area_…`, on every row).
WITH
-- include: active_listings_per_supplier
,
active AS (
    SELECT s.department_code, s.supplier_id, coalesce(a.n, 0) AS listings
    FROM active_suppliers_on($platform, [], $kinds, [], $end) AS s
    LEFT JOIN active_listings AS a USING (supplier_id)
),
per_department AS (
    SELECT department_code, count(*) AS suppliers, sum(listings) AS listings
    FROM active
    WHERE len($categories) = 0 OR listings > 0
    GROUP BY 1
)
SELECT
    d.department_code,
    d.department_name,
    d.population,
    coalesce(p.suppliers, 0)                                    AS suppliers,
    coalesce(p.listings, 0)                                     AS listings,
    per_100k(coalesce(p.suppliers, 0), d.population)            AS suppliers_per_100k,
    -- The departments shown together (the region, or the chosen departments).
    sum(coalesce(p.suppliers, 0)) OVER ()                       AS area_suppliers,
    per_100k(sum(coalesce(p.suppliers, 0)) OVER (), sum(d.population) OVER ())
                                                                AS area_suppliers_per_100k
FROM departments AS d
LEFT JOIN per_department AS p USING (department_code)
WHERE is_chosen($departments, d.department_code)
ORDER BY d.department_code
