-- Distribution of active suppliers by their number of active listings on $end.
WITH
-- include: active_listings_per_supplier
,
per_supplier AS (
    SELECT coalesce(a.n, 0) AS active_listings
    FROM active_suppliers_on($platform, $departments, $kinds, $categories, $end)
    LEFT JOIN active_listings AS a USING (supplier_id)
)
SELECT active_listings, count(*) AS suppliers
FROM per_supplier
GROUP BY active_listings
ORDER BY active_listings
