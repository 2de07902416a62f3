-- CTEs `supplier_scope(joined_on, left_on)` and `listing_scope(created_on, withdrawn_on,
-- is_active)`: the platform's suppliers and listings under the department, kind and category
-- filters.
supplier_scope AS (
    SELECT s.joined_on, s.left_on
    FROM suppliers AS s
    WHERE
-- include: supplier_in_scope
),
listing_scope AS (
    SELECT l.created_on, l.withdrawn_on, l.is_active
    FROM listings AS l
    JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
    WHERE
-- include: listing_in_scope
)
