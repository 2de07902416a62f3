-- Entry pages (first page of the visit) of the visits of the period under the catalogue
-- filters, grouped by page type and entity (a product, a producer, a category; NULL for the
-- home page, the map …), with the entity's name from the catalogue, the share of all visits
-- and the bounce rate of the visits that entered there. The $limit most frequent.
WITH
-- include: visit_scope
,
grouped AS (
    -- The entity (product, producer, category) only for those page types: other pages
    -- (home, map …) are grouped by their type alone.
    SELECT
        entry_page_type                                      AS page_type,
        CASE WHEN entry_page_type IN ('produit', 'fournisseur', 'categorie')
             THEN entry_entity_id END                        AS entity_id,
        count(*)                                             AS visits,
        count(*) FILTER (WHERE is_bounce)                    AS bounces
    FROM scoped_visits
    GROUP BY ALL
)
SELECT
    g.page_type,
    g.entity_id,
    CASE g.page_type
        WHEN 'produit' THEN l.title
        WHEN 'fournisseur' THEN s.name
        WHEN 'categorie' THEN c.category
    END                                                      AS name,
    g.visits,
    g.visits / sum(g.visits) OVER ()                         AS share,
    bounce_rate(g.bounces, g.visits)                         AS bounce_rate
FROM grouped AS g
LEFT JOIN listings AS l
       ON g.page_type = 'produit' AND l.platform = $platform AND l.listing_id = g.entity_id
LEFT JOIN suppliers AS s
       ON g.page_type = 'fournisseur' AND s.platform = $platform AND s.supplier_id = g.entity_id
LEFT JOIN categories AS c
       ON g.page_type = 'categorie' AND c.platform = $platform AND c.slug = g.entity_id
ORDER BY g.visits DESC, g.page_type ASC, name ASC
LIMIT $limit
