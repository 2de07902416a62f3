-- Suppliers active on $end grouped per commune (for the map): coordinates from
-- suppliers.latitude/longitude, count and up to 5 names for the hover. Filters: the
-- supplier's department and kind; suppliers having an active listing in one of the chosen categories.
-- Suppliers without coordinates (outside the region) are left out; `unplaced` counts them.
WITH scope AS (
    SELECT s.*
    FROM suppliers AS s
    WHERE s.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
      AND s.joined_on <= $end
      AND (s.left_on IS NULL OR s.left_on > $end)
      AND (len($categories) = 0 OR EXISTS (
            SELECT 1 FROM listings AS l
            WHERE l.platform = s.platform AND l.supplier_id = s.supplier_id
              AND list_contains($categories, l.category)
              AND l.created_on <= $end
              AND (l.withdrawn_on > $end OR (l.withdrawn_on IS NULL AND l.is_active))))
)
SELECT
    commune,
    department_code,
    avg(latitude)                                      AS latitude,
    avg(longitude)                                     AS longitude,
    count(*)                                           AS suppliers,
    list(name ORDER BY name)[1:5]                      AS names,
    (SELECT count(*) FROM scope WHERE latitude IS NULL OR longitude IS NULL) AS unplaced
FROM scope
WHERE latitude IS NOT NULL AND longitude IS NOT NULL
GROUP BY commune, department_code, coalesce(insee_code, commune)
ORDER BY suppliers DESC, commune
