-- The per-page-view version of app/sql/page_types_report.sql (every page view of the visits in scope, with or
-- without a catalogue filter), which the dashboard replaced by the daily counts when there is
-- no filter: tests/test_queries.py checks that both give the same figures.
-- Every page type (home, category, product, producer or company, search, map, contact,
-- information, other) in the visits of the period under the catalogue filters: page views,
-- visits that viewed one, visits that entered and left on one, and the exit rate (visits that
-- left on one over visits that viewed one). All types, none cut: the "all pages" view.
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
    GROUP BY ALL
),
entries AS (
    SELECT entry_page_type AS page_type, count(*) AS entries
    FROM scoped_visits
    GROUP BY ALL
),
exits AS (
    SELECT exit_page_type AS page_type, count(*) AS exits
    FROM scoped_visits
    GROUP BY ALL
)
SELECT
    w.page_type,
    w.pageviews,
    w.visits,
    coalesce(n.entries, 0)                                   AS entries,
    coalesce(x.exits, 0)                                     AS exits,
    coalesce(x.exits, 0) / w.visits                          AS exit_rate,
    w.pageviews / sum(w.pageviews) OVER ()                   AS share
FROM viewed AS w
LEFT JOIN entries AS n ON w.page_type IS NOT DISTINCT FROM n.page_type
LEFT JOIN exits AS x ON w.page_type IS NOT DISTINCT FROM x.page_type
ORDER BY w.pageviews DESC, w.page_type ASC
