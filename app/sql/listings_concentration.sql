-- Concentration of active listings on $end among active suppliers having at least one:
-- the share held by the top 10 % of them (rounded up), and how many hold a single listing.
WITH active_listings AS (
    SELECT l.supplier_id, count(*) AS n
    FROM active_listings_on($platform, $departments, $kinds, $categories, $end) AS l
    GROUP BY l.supplier_id
),
ranked AS (
    SELECT
        n,
        row_number() OVER (ORDER BY n DESC, supplier_id ASC) AS rank,
        count(*) OVER ()                                  AS suppliers
    FROM active_listings
)
SELECT
    count(*)                                                       AS suppliers_with_listing,
    coalesce(sum(n), 0)                                            AS listings,
    CAST(ceil(count(*) * 0.1) AS INTEGER)                          AS top_suppliers,
    coalesce(sum(n) FILTER (WHERE rank <= ceil(suppliers * 0.1)), 0) AS top_listings,
    sum(n) FILTER (WHERE rank <= ceil(suppliers * 0.1)) / nullif(sum(n), 0) AS top_share,
    count(*) FILTER (WHERE n = 1)                                  AS single_listing_suppliers
FROM ranked
