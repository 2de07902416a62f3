-- Fragment (included by `-- include: visits_days`): the CTE `visits_days`, the visits per Paris
-- day (columns of `visits_daily`) under the filters. Without a catalogue filter, the daily
-- aggregate the load keeps; with one, `scoped_visits_daily` (scoped_visits_daily.sql), which
-- `app/queries/engine.py` hands over for the query's filters (empty without a catalogue
-- filter). Every column adds up over days (docs/warehouse.md).
visits_days AS (
    SELECT
        d.platform,
        d.day,
        d.visits,
        d.visitors,
        d.pageviews,
        d.bounces,
        d.duration_s
    FROM visits_daily AS d
    WHERE NOT has_catalogue_scope($departments, $categories, $kinds)
    UNION ALL
    SELECT
        s.platform,
        s.day,
        s.visits,
        s.visitors,
        s.pageviews,
        s.bounces,
        s.duration_s
    FROM scoped_visits_daily AS s
    WHERE has_catalogue_scope($departments, $categories, $kinds)
)
