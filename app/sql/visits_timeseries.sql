-- Visits per day, week (ISO, starting Monday) or month ($grain), zero-filled over the period,
-- under the catalogue filters, from the visits per day (include/visits_days.sql).
-- visitors: sum over the bucket's days of the daily unique visitors (daily-rotating key).
WITH
-- include: visits_days
,
-- include: time_buckets
,
counts AS (
    SELECT
        date_trunc($grain, day::TIMESTAMP)  AS bucket,
        CAST(sum(visits) AS BIGINT)         AS visits,  -- BIGINT like count(*)
        CAST(sum(visitors) AS BIGINT)       AS visitors,
        sum(pageviews)                      AS pageviews
    FROM visits_days
    WHERE platform = $platform
      AND day BETWEEN $start AND $end
    GROUP BY 1
)
-- include: bucket_series
