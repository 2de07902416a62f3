-- Check: every listing's page was viewed at least once over the whole data span (page
-- views kept in the warehouse). A listing nobody ever opened is either badly titled or not
-- linked from anywhere. One row per such listing. Must return no rows.
SELECT l.listing_id, l.title, l.category, l.supplier_id, s.name AS supplier_name,
       l.created_on, l.withdrawn_on, l.is_active
FROM listings AS l
LEFT JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
WHERE l.platform = $platform
  AND NOT EXISTS (  -- the daily aggregate of entity views: a row per listing and day, not per view
        SELECT 1 FROM entity_views_daily AS e
        WHERE e.platform = l.platform AND e.page_type = 'produit' AND e.entity_id = l.listing_id)
ORDER BY l.created_on, l.listing_id
