-- Visits per campaign (the landing URL's utm_source, utm_medium and utm_campaign, or Matomo's
-- mtm_/pk_ equivalents) for the visits of the period under the catalogue filters: visits,
-- share of all visits, bounce rate, pages per visit. Only visits that came through a campaign
-- link; a missing parameter is NULL.
WITH
-- include: visit_scope
,
total AS (SELECT count(*) AS visits FROM scoped_visits)
SELECT
    utm_campaign,
    utm_source,
    utm_medium,
    count(*)                                                    AS visits,
    count(*) / any_value(total.visits)                          AS share,
    bounce_rate(count(*) FILTER (WHERE is_bounce), count(*))              AS bounce_rate,
    avg(pageviews)                                              AS pages_per_visit
FROM scoped_visits
CROSS JOIN total
WHERE channel = 'campaign'
GROUP BY ALL
ORDER BY visits DESC, utm_campaign ASC NULLS LAST, utm_source ASC NULLS LAST
