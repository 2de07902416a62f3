-- Exit pages (last page of the visit) of the visits of the period under the catalogue filters,
-- grouped as the entry pages are, with the entity's name, the visits that left there, their
-- share of all visits, and the exit rate: visits that left there over visits that viewed the
-- page (Matomo's rule). The $limit most frequent. tests/test_queries.py compares the
-- figures with and without the daily counts.
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
    -- With a catalogue filter: the page views of the visits in scope.
    SELECT
        p.page_type,
        CASE WHEN p.page_type IN ('produit', 'fournisseur', 'categorie')
             THEN p.entity_id END                            AS entity_id,
        count(DISTINCT p.visit_id)                           AS visits
    FROM scoped_pageviews AS p
    WHERE has_catalogue_scope($departments, $categories, $kinds)
    GROUP BY ALL
    -- Without: the load's daily counts (a visit lies within one day, so they add up over
    -- days), per catalogue page, and per type for the pages that name no catalogue entity.
    UNION ALL
    SELECT
        e.page_type,
        e.entity_id,
        sum(e.visits)                                        AS visits
    FROM entity_views_daily AS e
    WHERE NOT has_catalogue_scope($departments, $categories, $kinds)
      AND e.platform = $platform
      AND e.day BETWEEN $start AND $end
      AND e.page_type IN ('produit', 'fournisseur', 'categorie')
    GROUP BY ALL
    UNION ALL
    SELECT
        t.page_type,
        NULL                                                 AS entity_id,
        sum(
            CASE WHEN t.page_type IN ('produit', 'fournisseur', 'categorie')
                 THEN t.entityless_visits ELSE t.visits END
        )                                                    AS visits
    FROM page_type_views_daily AS t
    WHERE NOT has_catalogue_scope($departments, $categories, $kinds)
      AND t.platform = $platform
      AND t.day BETWEEN $start AND $end
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
