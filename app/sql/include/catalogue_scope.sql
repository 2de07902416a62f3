-- CTEs `supplier_scope(joined_on, left_on)` and `listing_scope(created_on, withdrawn_on,
-- is_active, supplier_joined_on, supplier_left_on)`: the platform's suppliers and listings
-- under the department, kind and category filters (scoped_suppliers, scoped_listings:
-- etl/sql/92_scopes.sql), whatever their dates.
supplier_scope AS (
    SELECT s.joined_on, s.left_on
    FROM scoped_suppliers($platform, $departments, $kinds, $categories) AS s
),
listing_scope AS (
    SELECT l.created_on, l.withdrawn_on, l.is_active, l.supplier_joined_on, l.supplier_left_on
    FROM scoped_listings($platform, $departments, $kinds, $categories) AS l
)
