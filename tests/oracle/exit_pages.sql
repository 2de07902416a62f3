-- The per-page-view version of app/sql/exit_pages.sql (every page view of the visits in scope, with or
-- without a catalogue filter), which the dashboard replaced by the daily counts when there is
-- no filter: tests/test_queries.py checks that both give the same figures.
-- Exit pages (last page of the visit) of the visits of the period under the catalogue filters,
-- grouped as the entry pages are, with the entity's name, the visits that left there, their
-- share of all visits, and the exit rate: visits that left there over visits that viewed the
-- page (Matomo's rule). The $limit most frequent.
WITH
-- include: visit_scope
,
exits AS (
    SELECT
        exit_page_type                                       AS page_type,
        CASE WHEN exit_page_type IN ('produit', 'fournisseur', 'categorie')
             THEN exit_entity_id END                         AS entity_id,
        count(*)                                             AS exits
    FROM scoped_visits
    GROUP BY ALL
),
-- include: scoped_pageviews
,
viewed AS (
    SELECT
        p.page_type,
        CASE WHEN p.page_type IN ('produit', 'fournisseur', 'categorie')
             THEN p.entity_id END                            AS entity_id,
        count(DISTINCT p.visit_id)                           AS visits
    FROM scoped_pageviews AS p
    GROUP BY ALL
),
-- include: page_names
SELECT
    x.page_type,
    x.entity_id,
    n.name,
    x.exits,
    x.exits / (SELECT count(*) FROM scoped_visits)           AS share,
    x.exits / w.visits                                       AS exit_rate
FROM exits AS x
JOIN viewed AS w
  ON x.page_type IS NOT DISTINCT FROM w.page_type
 AND x.entity_id IS NOT DISTINCT FROM w.entity_id
LEFT JOIN page_names AS n ON n.page_type = x.page_type AND n.entity_id = x.entity_id
ORDER BY x.exits DESC, x.page_type ASC, n.name ASC
LIMIT $limit
