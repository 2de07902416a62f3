-- Requests excluded from page views over the period, per exclusion reason (from hits_daily).
SELECT exclusion_reason, CAST(sum(hits) AS BIGINT) AS hits
FROM hits_daily
WHERE platform = $platform
  AND exclusion_reason IS NOT NULL
  AND day BETWEEN $start AND $end
GROUP BY exclusion_reason
ORDER BY hits DESC, exclusion_reason ASC
