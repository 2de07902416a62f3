-- Visits per arrival channel, device type, browser or OS ($dimension: 'channel',
-- 'device_type', 'browser' or 'os') over the period (catalogue filters applied through include/visit_scope.sql), with their
-- share of all visits and their bounce rate. `code` is the stored code (labels in app/labels.py), or the browser's or
-- OS's name as Device Detector gives it.
WITH
-- include: visit_scope
SELECT
    CASE $dimension
        WHEN 'channel' THEN channel WHEN 'device_type' THEN device_type
        WHEN 'browser' THEN browser WHEN 'os' THEN os
    END                                             AS code,
    count(*)                                        AS visits,
    count(*) / sum(count(*)) OVER ()                AS share,
    bounce_rate(count(*) FILTER (WHERE is_bounce), count(*))  AS bounce_rate
FROM scoped_visits
GROUP BY code
ORDER BY visits DESC, code ASC
