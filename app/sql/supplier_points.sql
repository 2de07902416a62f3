-- Suppliers active on $end grouped per commune (for the map): coordinates from
-- suppliers.latitude/longitude, count and up to 5 names for the hover. Filters: the
-- supplier's department and kind; suppliers having an active listing in one of the chosen categories.
-- Suppliers without coordinates (outside the region) are left out; `unplaced` counts them.
WITH scope AS (
    SELECT s.*
    FROM active_suppliers_on($platform, $departments, $kinds, [], $end) AS s
    WHERE len($categories) = 0 OR s.supplier_id IN (
        SELECT supplier_id FROM active_listings_on($platform, $departments, $kinds, $categories, $end))
)
SELECT
    commune,
    department_code,
    avg(latitude)                                      AS latitude,
    avg(longitude)                                     AS longitude,
    count(*)                                           AS suppliers,
    list(name ORDER BY name)[1:5]                      AS names,
    (SELECT count(*) FROM scope WHERE latitude IS NULL OR longitude IS NULL) AS unplaced
-- AL04: the count of unplaced suppliers reads the same CTE
FROM scope  -- noqa: AL04
WHERE latitude IS NOT NULL AND longitude IS NOT NULL
GROUP BY commune, department_code, coalesce(insee_code, commune)
ORDER BY suppliers DESC, commune ASC
