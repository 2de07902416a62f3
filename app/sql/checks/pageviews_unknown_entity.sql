-- Check: every product, producer and category page viewed points to a listing, supplier or
-- category of the catalogue (otherwise its views cannot be named). One row per unknown id.
-- Must return no rows. The views with an id come from the daily aggregate (a row per entity
-- and day, not per view); those whose address gave no id are counted from the page views.
WITH viewed AS (
    SELECT page_type, entity_id, sum(pageviews) AS pageviews, min(day) AS first_seen,
           max(day) AS last_seen
    FROM entity_views_daily
    WHERE platform = $platform
      AND page_type IN ('produit', 'fournisseur', 'categorie')
    GROUP BY page_type, entity_id
    UNION ALL
    SELECT page_type, NULL, count(*), min(ts)::DATE, max(ts)::DATE
    FROM pageviews
    WHERE platform = $platform
      AND page_type IN ('produit', 'fournisseur', 'categorie')
      AND entity_id IS NULL
    GROUP BY page_type
)
SELECT v.page_type, v.entity_id, CAST(v.pageviews AS BIGINT) AS pageviews, v.first_seen, v.last_seen
FROM viewed AS v
WHERE NOT (
        (v.page_type = 'produit' AND EXISTS (
            SELECT 1 FROM listings AS l WHERE l.platform = $platform AND l.listing_id = v.entity_id))
     OR (v.page_type = 'fournisseur' AND EXISTS (
            SELECT 1 FROM suppliers AS s WHERE s.platform = $platform AND s.supplier_id = v.entity_id))
     OR (v.page_type = 'categorie' AND EXISTS (
            SELECT 1 FROM categories AS c WHERE c.platform = $platform AND c.slug = v.entity_id)))
ORDER BY pageviews DESC, v.page_type ASC, v.entity_id ASC
