-- Headline visit figures of one platform: visits started within [$start, $end] (Paris days).
-- Page views are those of these visits, so pages per visit = pageviews / visits exactly.
-- visitor_id rotates daily: distinct ids over several days count a returning person once a day.
SELECT
    count(*)                                        AS visits,
    count(DISTINCT visitor_id)                      AS visitors,
    coalesce(sum(pageviews), 0)                     AS pageviews,
    sum(pageviews) / nullif(count(*), 0)            AS pages_per_visit,
    avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END)  AS bounce_rate,
    avg(duration_s)                                 AS avg_duration_s
FROM visits
WHERE platform = $platform
  AND started_at >= $start
  AND started_at < $end + INTERVAL 1 DAY
