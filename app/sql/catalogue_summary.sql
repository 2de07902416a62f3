-- Suppliers and listings active on the last day of the period ($end), with the filters
-- (department and kind of the supplier, category of the listings): the one definition of
-- these headline figures (active_suppliers_on, active_listings_on: etl/sql/92_scopes.sql).
SELECT
    (SELECT count(*) FROM active_suppliers_on($platform, $departments, $kinds, $categories, $end))
        AS active_suppliers,
    (SELECT count(*) FROM active_listings_on($platform, $departments, $kinds, $categories, $end))
        AS active_listings
