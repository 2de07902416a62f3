-- Visits per referring site (the host of the first page's referrer) under each arrival
-- channel, for the visits of the period under the catalogue filters: visits, share of all
-- visits, bounce rate. Direct and campaign visits without a referrer have no host and are left
-- out (the channels chart counts them). The $limit most frequent.
WITH
-- include: visit_scope
,
total AS (SELECT count(*) AS visits FROM scoped_visits)
SELECT
    channel,
    referrer_host,
    count(*)                                                    AS visits,
    count(*) / any_value(total.visits)                          AS share,
    bounce_rate(count(*) FILTER (WHERE is_bounce), count(*))              AS bounce_rate
FROM scoped_visits
CROSS JOIN total
WHERE referrer_host IS NOT NULL AND channel <> 'direct'
GROUP BY ALL
ORDER BY visits DESC, referrer_host ASC
LIMIT $limit
