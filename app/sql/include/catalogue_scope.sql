-- CTEs `supplier_scope(joined_on, left_on)` and `listing_scope(created_on, withdrawn_on,
-- is_active)`: the platform's suppliers and listings under the department, kind and category
-- filters.
supplier_scope AS (
    SELECT s.joined_on, s.left_on
    FROM suppliers AS s
    WHERE s.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
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
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
      AND (len($categories) = 0 OR list_contains($categories, l.category))
)
