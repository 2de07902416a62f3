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
),
-- include: page_names
SELECT
    g.page_type,
    g.entity_id,
    n.name,
    g.visits,
    g.visits / sum(g.visits) OVER ()                         AS share,
    bounce_rate(g.bounces, g.visits)                         AS bounce_rate
FROM grouped AS g
LEFT JOIN page_names AS n ON n.page_type = g.page_type AND n.entity_id = g.entity_id
ORDER BY g.visits DESC, g.page_type ASC, n.name ASC
LIMIT $limit
