-- Catalogue figures of the continuation scorecard besides the active suppliers and listings
-- (those are catalogue_summary's), on the last day of the period ($end), under the filters:
--   fresh_suppliers: active suppliers with an active listing created or updated within the
--     $fresh_days days up to $end. Only the last update date is known (the catalogue export
--     holds no history of edits), so for a past period a later update hides an earlier one;
--   viewed_listings: active listings whose product page had at least one human page view
--     within [$start, $end];
--   new_suppliers: suppliers in scope who joined within [$start, $end].
WITH active_suppliers AS (
    SELECT supplier_id FROM active_suppliers_on($platform, $departments, $kinds, $categories, $end)
),
active_listings AS (
    SELECT l.listing_id, l.supplier_id,
           l.created_on > $end - $fresh_days
           OR (l.updated_on > $end - $fresh_days AND l.updated_on <= $end) AS is_fresh
    FROM active_listings_on($platform, $departments, $kinds, $categories, $end) AS l
),
viewed AS (
    SELECT DISTINCT v.entity_id AS listing_id
    FROM entity_views_daily AS v
    WHERE v.platform = $platform
      AND v.page_type = 'produit'
      AND v.day BETWEEN $start AND $end
)
SELECT
    (SELECT count(DISTINCT supplier_id) FROM active_listings
      WHERE is_fresh AND supplier_id IN (SELECT supplier_id FROM active_suppliers))
                                                                                AS fresh_suppliers,
    (SELECT count(*) FROM active_listings JOIN viewed USING (listing_id))       AS viewed_listings,
    (SELECT count(*) FROM scoped_suppliers($platform, $departments, $kinds, $categories)
      WHERE joined_on BETWEEN $start AND $end)                                  AS new_suppliers
