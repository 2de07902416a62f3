-- CTE `active_listings(supplier_id, n)`: each supplier's listings active on $end under the
-- filters (active_listings_on, etl/sql/92_scopes.sql).
active_listings AS (
    SELECT l.supplier_id, count(*) AS n
    FROM active_listings_on($platform, $departments, $kinds, $categories, $end) AS l
    GROUP BY l.supplier_id
)
