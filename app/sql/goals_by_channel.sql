-- Conversion per arrival channel: the visits of the period under the catalogue filters per
-- channel, those that reached at least one goal, and the conversion rate.
WITH
-- include: visit_scope
,
-- include: converted_visits
SELECT
    v.channel,
    count(*)                                                 AS visits,
    count(c.visit_id)                                        AS converted_visits,
    count(c.visit_id) / count(*)                             AS conversion_rate
FROM scoped_visits AS v
LEFT JOIN converted_visits AS c ON v.visit_id = c.visit_id
GROUP BY ALL
ORDER BY visits DESC, v.channel ASC
