-- Visits per arrival channel over the period (catalogue filters applied through
-- include/visit_scope.sql), with their share of all visits and their bounce rate.
WITH
-- include: visit_scope
SELECT
    channel,
    count(*)                                        AS visits,
    count(*) / sum(count(*)) OVER ()                AS share,
    avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END)  AS bounce_rate
FROM scoped_visits
GROUP BY channel
ORDER BY visits DESC, channel
