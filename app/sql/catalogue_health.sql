-- Catalogue figures of the continuation scorecard, on the last day of the period ($end),
-- under the department and category filters (same activity rules as catalogue_summary):
--   active_suppliers / active_listings: active on $end;
--   fresh_suppliers: active suppliers with an active listing created or updated within the
--     $fresh_days days up to $end. Only the last update date is known (the catalogue export
--     holds no history of edits), so for a past period a later update hides an earlier one;
--   viewed_listings: active listings whose product page had at least one human page view
--     within [$start, $end];
--   new_suppliers: suppliers in scope who joined within [$start, $end].
WITH
-- include: catalogue_scope
,
active_suppliers AS (
    SELECT s.supplier_id
    FROM suppliers AS s
    WHERE
-- include: supplier_active_in_scope
),
active_listings AS (
    SELECT l.listing_id, l.supplier_id,
           l.created_on > $end - $fresh_days
           OR (l.updated_on > $end - $fresh_days AND l.updated_on <= $end) AS is_fresh
    FROM listings AS l
    JOIN active_suppliers AS s ON s.supplier_id = l.supplier_id
    WHERE l.platform = $platform
      AND (len($categories) = 0 OR list_contains($categories, l.category))
-- include: listing_active_on_end
),
viewed AS (
    SELECT DISTINCT v.entity_id AS listing_id
    FROM entity_views_daily AS v
    WHERE v.platform = $platform
      AND v.page_type = 'produit'
      AND v.day BETWEEN $start AND $end
)
SELECT
    (SELECT count(*) FROM active_suppliers)                                     AS active_suppliers,
    (SELECT count(DISTINCT supplier_id) FROM active_listings WHERE is_fresh)    AS fresh_suppliers,
    (SELECT count(*) FROM active_listings)                                      AS active_listings,
    (SELECT count(*) FROM active_listings JOIN viewed USING (listing_id))       AS viewed_listings,
    (SELECT count(*) FROM supplier_scope WHERE joined_on BETWEEN $start AND $end) AS new_suppliers
