-- Visits per full referrer (host and path of the first page's referrer, without its query
-- string) for the visits of the period under the catalogue filters: the article, the post or
-- the partner page that sent them. The $limit most frequent.
WITH
-- include: visit_scope
,
total AS (SELECT count(*) AS visits FROM scoped_visits)
SELECT
    channel,
    referrer_url,
    count(*)                                                    AS visits,
    count(*) / any_value(total.visits)                          AS share
FROM scoped_visits
CROSS JOIN total
WHERE referrer_url IS NOT NULL
GROUP BY ALL
ORDER BY visits DESC, referrer_url ASC
LIMIT $limit
