-- Suppliers and listings active on each day of the period (same rules as catalogue_summary).
WITH days AS (
    SELECT CAST(unnest(generate_series($start::TIMESTAMP, $end::TIMESTAMP, INTERVAL 1 DAY)) AS DATE) AS day
),
supplier_scope AS (
    SELECT s.joined_on, s.left_on
    FROM suppliers AS s
    WHERE s.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($categories) = 0 OR EXISTS (
            SELECT 1 FROM listings AS l
            WHERE l.platform = s.platform AND l.supplier_id = s.supplier_id
              AND list_contains($categories, l.category)))
),
listing_scope AS (
    SELECT l.created_on, l.withdrawn_on, l.is_active
    FROM listings AS l
    JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
    WHERE l.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($categories) = 0 OR list_contains($categories, l.category))
)
SELECT
    d.day,
    (SELECT count(*) FROM supplier_scope AS s
      WHERE s.joined_on <= d.day AND (s.left_on IS NULL OR s.left_on > d.day)) AS active_suppliers,
    (SELECT count(*) FROM listing_scope AS l
      WHERE l.created_on <= d.day
        AND (l.withdrawn_on > d.day OR (l.withdrawn_on IS NULL AND l.is_active))) AS active_listings
FROM days AS d
ORDER BY d.day
