-- Headline visit figures of one platform: visits started within [$start, $end] (Paris days),
-- under the catalogue filters, from the visits per day (include/visits_days.sql; every
-- column adds up over days, see docs/warehouse.md). Page views are those of these visits, so
-- pages per visit = pageviews / visits exactly. `visitors` is the sum of the daily unique
-- visitors: visitor_id rotates daily (Paris days), so a person returning on several days
-- counts once per day, the only honest figure with a daily key.
WITH
-- include: visits_days
SELECT
    CAST(coalesce(sum(visits), 0) AS BIGINT)          AS visits,  -- BIGINT like count(*)
    CAST(coalesce(sum(visitors), 0) AS BIGINT)        AS visitors,
    coalesce(sum(pageviews), 0)                       AS pageviews,
    sum(pageviews) / nullif(sum(visits), 0)           AS pages_per_visit,
    bounce_rate(sum(bounces), sum(visits))            AS bounce_rate,
    sum(duration_s) / nullif(sum(visits), 0)          AS avg_duration_s
FROM visits_days
WHERE platform = $platform
  AND day BETWEEN $start AND $end
