-- Visits per arrival channel over the period, with their share of all visits.
SELECT
    channel,
    count(*)                           AS visits,
    count(*) / sum(count(*)) OVER ()   AS share
FROM visits
WHERE platform = $platform
  AND started_at >= $start
  AND started_at < $end + INTERVAL 1 DAY
GROUP BY channel
ORDER BY visits DESC, channel
