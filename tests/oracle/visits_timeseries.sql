-- Test oracle (tests/test_queries.py): app/sql/visits_timeseries.sql computed from every visit instead of
-- the visits per day, to check the daily path gives the same rows.
-- Visits per day, week (ISO, starting Monday) or month ($grain), zero-filled over the period,
-- under the catalogue filters (include/visit_scope.sql).
-- visitors: sum over the bucket's days of the daily unique visitors (daily-rotating key).
WITH
-- include: visit_scope
,
-- include: time_buckets
,
counts AS (
    SELECT
        date_trunc($grain, started_at)                          AS bucket,
        count(*)                                                AS visits,
        -- CP03: `DISTINCT (a, b)` takes a row pair; sqlfluff reads it as a function call
        count(DISTINCT (CAST(started_at AS DATE), visitor_id))  AS visitors,  -- noqa: CP03
        sum(pageviews)                                          AS pageviews
    FROM scoped_visits
    GROUP BY 1
)
-- include: bucket_series
