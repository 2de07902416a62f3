-- Every page type (home, category, product, producer or company, search, map, contact,
-- information, other) in the visits of the period under the catalogue filters: page views,
-- visits that viewed one, visits that entered and left on one, and the exit rate (visits that
-- left on one over visits that viewed one). All types, none cut: the "all pages" view.
-- Without a catalogue filter the figures add up the load's `page_type_views_daily` (a visit
-- lies within one day, so its columns add up over days); with one, they are counted on the
-- page views of the visits in scope. tests/test_queries.py compares the two on every period.
WITH
-- include: visit_scope
,
-- include: scoped_pageviews
,
viewed AS (
    SELECT
        p.page_type,
        count(*)                                             AS pageviews,
        count(DISTINCT p.visit_id)                           AS visits
    FROM scoped_pageviews AS p
    WHERE has_catalogue_scope($departments, $categories, $kinds)
    GROUP BY ALL
),
entries AS (
    SELECT entry_page_type AS page_type, count(*) AS entries
    FROM scoped_visits
    WHERE has_catalogue_scope($departments, $categories, $kinds)
    GROUP BY ALL
),
exits AS (
    SELECT exit_page_type AS page_type, count(*) AS exits
    FROM scoped_visits
    WHERE has_catalogue_scope($departments, $categories, $kinds)
    GROUP BY ALL
),
types AS (
    SELECT
        d.page_type,
        sum(d.pageviews)                                     AS pageviews,
        sum(d.visits)                                        AS visits,
        sum(d.entries)                                       AS entries,
        sum(d.exits)                                         AS exits
    FROM page_type_views_daily AS d
    WHERE NOT has_catalogue_scope($departments, $categories, $kinds)
      AND d.platform = $platform
      AND d.day BETWEEN $start AND $end
    GROUP BY ALL
    HAVING sum(d.pageviews) > 0
    UNION ALL
    SELECT
        w.page_type,
        w.pageviews,
        w.visits,
        coalesce(n.entries, 0)                               AS entries,
        coalesce(x.exits, 0)                                 AS exits
    FROM viewed AS w
    LEFT JOIN entries AS n ON w.page_type IS NOT DISTINCT FROM n.page_type
    LEFT JOIN exits AS x ON w.page_type IS NOT DISTINCT FROM x.page_type
)
SELECT
    t.page_type,
    CAST(t.pageviews AS BIGINT)                              AS pageviews,
    CAST(t.visits AS BIGINT)                                 AS visits,
    CAST(t.entries AS BIGINT)                                AS entries,
    CAST(t.exits AS BIGINT)                                  AS exits,
    t.exits / t.visits                                       AS exit_rate,
    t.pageviews / sum(t.pageviews) OVER ()                   AS share
FROM types AS t
ORDER BY t.pageviews DESC, t.page_type ASC
