-- One row per supplier active on $end: its active listings on $end (filters applied).
WITH active_listings AS (
    SELECT l.supplier_id, count(*) AS n
    FROM listings AS l
    WHERE l.platform = $platform
      AND (len($categories) = 0 OR list_contains($categories, l.category))
      AND l.created_on <= $end
      AND (l.withdrawn_on > $end OR (l.withdrawn_on IS NULL AND l.is_active))
    GROUP BY l.supplier_id
)
SELECT
    s.supplier_id,
    s.name,
    s.department_code,
    s.department_name,
    s.commune,
    s.kind,
    s.joined_on,
    coalesce(a.n, 0) AS active_listings
FROM suppliers AS s
LEFT JOIN active_listings AS a USING (supplier_id)
WHERE s.platform = $platform
  AND (len($departments) = 0 OR list_contains($departments, s.department_code))
  AND (len($categories) = 0 OR EXISTS (
        SELECT 1 FROM listings AS l
        WHERE l.platform = s.platform AND l.supplier_id = s.supplier_id
          AND list_contains($categories, l.category)))
  AND s.joined_on <= $end
  AND (s.left_on IS NULL OR s.left_on > $end)
ORDER BY active_listings DESC, s.name
