-- visits_summary without a catalogue filter, from the daily aggregate (same figures: every
-- column of visits_daily adds up over days, see docs/warehouse.md).
SELECT
    CAST(coalesce(sum(visits), 0) AS BIGINT)          AS visits,  -- BIGINT like count(*)
    CAST(coalesce(sum(visitors), 0) AS BIGINT)        AS visitors,
    coalesce(sum(pageviews), 0)                       AS pageviews,
    sum(pageviews) / nullif(sum(visits), 0)           AS pages_per_visit,
    bounce_rate(sum(bounces), sum(visits))            AS bounce_rate,
    sum(duration_s) / nullif(sum(visits), 0)          AS avg_duration_s
FROM visits_daily
WHERE platform = $platform
  AND day BETWEEN $start AND $end
