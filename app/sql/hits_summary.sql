-- Requests received over the period: how many became page views, how many were excluded.
SELECT
    count(*)                               AS hits,
    count(*) FILTER (WHERE is_pageview)    AS pageview_hits,
    count(*) FILTER (WHERE NOT is_pageview) AS excluded_hits
FROM hits
WHERE platform = $platform
  AND ts >= $start
  AND ts < $end + INTERVAL 1 DAY
