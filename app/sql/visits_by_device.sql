-- Visits per device type over the period, with their share of all visits.
SELECT
    device_type,
    count(*)                           AS visits,
    count(*) / sum(count(*)) OVER ()   AS share
FROM visits
WHERE platform = $platform
  AND started_at >= $start
  AND started_at < $end + INTERVAL 1 DAY
GROUP BY device_type
ORDER BY visits DESC, device_type
