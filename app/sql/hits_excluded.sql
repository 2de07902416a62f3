-- Requests excluded from page views over the period, per exclusion reason.
SELECT exclusion_reason, count(*) AS hits
FROM hits
WHERE platform = $platform
  AND NOT is_pageview
  AND ts >= $start
  AND ts < $end + INTERVAL 1 DAY
GROUP BY exclusion_reason
ORDER BY hits DESC, exclusion_reason
