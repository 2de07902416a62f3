-- Requests received over the period: how many became page views, how many were excluded
-- (from the daily aggregate hits_daily; exclusion_reason NULL = a page view).
SELECT
    CAST(coalesce(sum(hits), 0) AS BIGINT)                                         AS hits,
    CAST(coalesce(sum(hits) FILTER (WHERE exclusion_reason IS NULL), 0) AS BIGINT)     AS pageview_hits,
    CAST(coalesce(sum(hits) FILTER (WHERE exclusion_reason IS NOT NULL), 0) AS BIGINT) AS excluded_hits
FROM hits_daily
WHERE platform = $platform
  AND day BETWEEN $start AND $end
