-- Visits per arrival channel, device type, browser and OS over the period (catalogue filters
-- applied through include/visit_scope.sql), in one pass over the visits: `dimension` is
-- 'channel', 'device_type', 'browser' or 'os'; `code` the stored code (labels in
-- app/labels.py), or the browser's or OS's name as Device Detector gives it; with each code's
-- share of the dimension's visits (all the visits) and its bounce rate.
WITH
-- include: visit_scope
,
counted AS (
    SELECT
        CASE
            WHEN grouping(channel) = 0 THEN 'channel'
            WHEN grouping(device_type) = 0 THEN 'device_type'
            WHEN grouping(browser) = 0 THEN 'browser'
            ELSE 'os'
        END                                         AS dimension,
        CASE
            WHEN grouping(channel) = 0 THEN channel
            WHEN grouping(device_type) = 0 THEN device_type
            WHEN grouping(browser) = 0 THEN browser
            ELSE os
        END                                         AS code,
        count(*)                                    AS visits,
        count(*) FILTER (WHERE is_bounce)           AS bounces
    FROM scoped_visits
    GROUP BY GROUPING SETS ((channel), (device_type), (browser), (os))
)
SELECT
    dimension,
    code,
    visits,
    visits / sum(visits) OVER (PARTITION BY dimension)  AS share,
    bounce_rate(bounces, visits)                        AS bounce_rate
FROM counted
ORDER BY dimension ASC, visits DESC, code ASC
