-- Check: every supplier is located in one of the six departments of the region (a few
-- producers near the borders do sell on the platform: expected, but to be known).
-- One row per supplier outside the region. Must return no rows.
SELECT s.supplier_id, s.name, s.commune, s.postal_code, s.department_code, s.department_name
FROM suppliers AS s
WHERE s.platform = $platform
  AND (NOT coalesce(s.is_in_region, FALSE)
       OR s.department_code NOT IN (SELECT department_code FROM departments)
       OR s.department_code IS NULL)
ORDER BY s.department_code, s.name, s.supplier_id
