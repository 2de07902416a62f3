-- Entry pages (first page of the visit) of the visits of the period under the catalogue
-- filters, grouped by page type and entity (a product, a producer, a category; NULL for the
-- home page, the map …), with the entity's name from the catalogue, the share of all visits
-- and the bounce rate of the visits that entered there. The $limit most frequent.
WITH
-- include: visit_scope
,
entries AS (
    SELECT entry_path, entry_page_type, count(*) AS visits,
           count(*) FILTER (WHERE is_bounce) AS bounces
    FROM scoped_visits
    GROUP BY ALL
),
path_entities AS (
    -- The entity id of each entry path, as classified for its page views.
    SELECT DISTINCT p.path, p.entity_id
    FROM pageviews AS p
    WHERE p.platform = $platform
      AND p.page_type IN ('produit', 'fournisseur', 'categorie')
      AND p.path IN (SELECT entry_path FROM entries)
),
grouped AS (
    SELECT
        e.entry_page_type                                    AS page_type,
        pe.entity_id,
        sum(e.visits)                                        AS visits,
        sum(e.bounces)                                       AS bounces
    FROM entries AS e
    LEFT JOIN path_entities AS pe ON pe.path = e.entry_path
                                  AND e.entry_page_type IN ('produit', 'fournisseur', 'categorie')
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
    g.bounces / g.visits                                     AS bounce_rate
FROM grouped AS g
LEFT JOIN listings AS l
       ON g.page_type = 'produit' AND l.platform = $platform AND l.listing_id = g.entity_id
LEFT JOIN suppliers AS s
       ON g.page_type = 'fournisseur' AND s.platform = $platform AND s.supplier_id = g.entity_id
LEFT JOIN categories AS c
       ON g.page_type = 'categorie' AND c.platform = $platform AND c.slug = g.entity_id
ORDER BY g.visits DESC, g.page_type, name
LIMIT $limit
