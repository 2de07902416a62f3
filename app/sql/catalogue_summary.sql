-- Suppliers and listings active on the last day of the period ($end), with the filters
-- (department and kind of the supplier, category of the listings).
-- A supplier is active from joined_on until left_on (excluded). A listing is active from
-- created_on until withdrawn_on (excluded); an inactive listing without a withdrawal date
-- cannot be dated, so it is never counted as active.
WITH supplier_scope AS (
    SELECT s.supplier_id
    FROM suppliers AS s
    WHERE
-- include: supplier_active_in_scope
),
listing_scope AS (
    SELECT l.listing_id
    FROM listings AS l
    JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
    WHERE
-- include: listing_in_scope
-- include: listing_active_on_end
)
SELECT
    (SELECT count(*) FROM supplier_scope) AS active_suppliers,
    (SELECT count(*) FROM listing_scope)  AS active_listings
