-- Suppliers and listings active on the last day of the period ($end), with the filters
-- (department and kind of the supplier, category of the listings).
-- A supplier is active from joined_on until left_on (excluded). A listing is active from
-- created_on until withdrawn_on (excluded); an inactive listing without a withdrawal date
-- cannot be dated, so it is never counted as active.
WITH supplier_scope AS (
    SELECT s.supplier_id
    FROM suppliers AS s
    WHERE s.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
      AND (len($categories) = 0 OR EXISTS (
            SELECT 1 FROM listings AS l
            WHERE l.platform = s.platform AND l.supplier_id = s.supplier_id
              AND list_contains($categories, l.category)))
      AND s.joined_on <= $end
      AND (s.left_on IS NULL OR s.left_on > $end)
),
listing_scope AS (
    SELECT l.listing_id
    FROM listings AS l
    JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
    WHERE l.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
      AND (len($categories) = 0 OR list_contains($categories, l.category))
      AND l.created_on <= $end
      AND (l.withdrawn_on > $end OR (l.withdrawn_on IS NULL AND l.is_active))
)
SELECT
    (SELECT count(*) FROM supplier_scope) AS active_suppliers,
    (SELECT count(*) FROM listing_scope)  AS active_listings
