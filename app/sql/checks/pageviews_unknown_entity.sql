-- Check: every product, producer and category page viewed points to a listing, supplier or
-- category of the catalogue (otherwise its views cannot be named). One row per unknown id.
-- Must return no rows.
SELECT p.page_type, p.entity_id, count(*) AS pageviews, min(p.ts) AS first_seen,
       max(p.ts) AS last_seen
FROM pageviews AS p
WHERE p.platform = $platform
  AND p.page_type IN ('produit', 'fournisseur', 'categorie')
  AND NOT (
        (p.page_type = 'produit' AND EXISTS (
            SELECT 1 FROM listings AS l WHERE l.platform = p.platform AND l.listing_id = p.entity_id))
     OR (p.page_type = 'fournisseur' AND EXISTS (
            SELECT 1 FROM suppliers AS s WHERE s.platform = p.platform AND s.supplier_id = p.entity_id))
     OR (p.page_type = 'categorie' AND EXISTS (
            SELECT 1 FROM categories AS c WHERE c.platform = p.platform AND c.slug = p.entity_id)))
GROUP BY p.page_type, p.entity_id
ORDER BY pageviews DESC, p.page_type, p.entity_id
