-- CTE `active_listings(supplier_id, n)`: each supplier's listings active on $end, in the
-- chosen categories.
active_listings AS (
    SELECT l.supplier_id, count(*) AS n
    FROM listings AS l
    WHERE l.platform = $platform
      AND (len($categories) = 0 OR list_contains($categories, l.category))
-- include: listing_active_on_end
    GROUP BY l.supplier_id
)
