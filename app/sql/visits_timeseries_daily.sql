-- visits_timeseries without a catalogue filter, from the daily aggregate (same figures).
WITH
-- include: time_buckets
,
counts AS (
    SELECT
        date_trunc($grain, day::TIMESTAMP)  AS bucket,
        CAST(sum(visits) AS BIGINT)         AS visits,  -- BIGINT like count(*)
        CAST(sum(visitors) AS BIGINT)       AS visitors,
        sum(pageviews)                      AS pageviews
    FROM visits_daily
    WHERE platform = $platform
      AND day BETWEEN $start AND $end
    GROUP BY 1
)
-- include: bucket_series
