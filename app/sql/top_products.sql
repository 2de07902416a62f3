-- Most viewed product pages over the period: page views and visits of each listing's page,
-- with its title, supplier and category from the catalogue. The department, kind and
-- category filters apply to the listing (its supplier's department and kind, its category).
-- The $limit first.
WITH views AS (
    SELECT v.entity_id AS listing_id, sum(v.pageviews) AS pageviews, sum(v.visits) AS visits
    FROM entity_views_daily AS v
    WHERE v.platform = $platform
      AND v.page_type = 'produit'
      AND v.day BETWEEN $start AND $end
    GROUP BY 1
)
SELECT
    l.listing_id,
    l.title,
    s.name            AS supplier_name,
    l.category,
    l.department_code,
    l.is_active,
    v.pageviews,
    v.visits
FROM views AS v
JOIN scoped_listings($platform, $departments, $kinds, $categories) AS l USING (listing_id)
JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
ORDER BY v.pageviews DESC, l.title ASC, l.listing_id ASC
LIMIT $limit
