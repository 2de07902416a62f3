-- Suppliers and listings active on each day of the period (same rules as catalogue_summary).
WITH days AS (
    SELECT CAST(unnest(generate_series($start::TIMESTAMP, $end::TIMESTAMP, INTERVAL 1 DAY)) AS DATE) AS day
),
-- include: catalogue_scope
SELECT
    d.day,
    (SELECT count(*) FROM supplier_scope AS s
      WHERE s.joined_on <= d.day AND (s.left_on IS NULL OR s.left_on > d.day)) AS active_suppliers,
    (SELECT count(*) FROM listing_scope AS l
      WHERE l.created_on <= d.day
        AND (l.withdrawn_on > d.day OR (l.withdrawn_on IS NULL AND l.is_active))) AS active_listings
FROM days AS d
ORDER BY d.day
