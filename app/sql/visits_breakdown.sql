-- The visits of the period broken down by each of their dimensions (catalogue filters applied
-- through include/visit_scope.sql), in one pass over the visits: each breakdown is one more
-- grouping set of the same scan, not one more scan (at scale 10 a scan of a department's
-- visits takes 250-450 ms; the page shows eight of these breakdowns). `dimension` is:
--   * 'channel', 'device_type', 'browser', 'os': `code` the stored code (labels in
--     app/labels.py), or the browser's or OS's name as Device Detector gives it, with the
--     code's share of the dimension's visits and its bounce rate;
--   * 'country': `code` the ISO 3166-1 alpha-2 country of the entry page's address
--     (visits.country_code; French names in app/geo.py), NULL for the visits not located,
--     with its share of all visits; the visits not located last;
--   * 'department': `code` the INSEE department of that address (visits.geo_department_code,
--     from the city database), its share of all visits (located or not) and `is_in_region`;
--     the departments only, not the visits without one;
--   * 'origin': `code` the rule `visit_origin` (etl/sql/92_scopes.sql: region, france_other,
--     france_unlocated, abroad, unknown) in `position` order, every origin listed (0 visits
--     when none came from it), with its share of all visits;
--   * 'weekday_hour': `weekday` (ISO: 1 = Monday … 7 = Sunday) and `hour` of arrival (0-23,
--     Paris time: started_at is Europe/Paris local time), every one of the 7 x 24 cells (0 if
--     none), and `days_in_period`: how many of that weekday the period holds, so a page can
--     show a daily average.
-- Rows are in each dimension's order (`dimension`, then `rank`).
WITH
-- include: visit_scope
,
visit_codes AS (
    SELECT
        channel,
        device_type,
        browser,
        os,
        country_code,
        geo_department_code,
        is_bounce,
        visit_origin(country_code, geo_department_code) AS origin,
        isodow(started_at)                              AS weekday,
        hour(started_at)                                AS hour
    FROM scoped_visits
),
counted AS (
    SELECT
        CASE
            WHEN grouping(channel) = 0 THEN 'channel'
            WHEN grouping(device_type) = 0 THEN 'device_type'
            WHEN grouping(browser) = 0 THEN 'browser'
            WHEN grouping(os) = 0 THEN 'os'
            WHEN grouping(country_code) = 0 THEN 'country'
            WHEN grouping(geo_department_code) = 0 THEN 'department'
            WHEN grouping(origin) = 0 THEN 'origin'
            ELSE 'weekday_hour'
        END                                         AS dimension,
        CASE
            WHEN grouping(channel) = 0 THEN channel
            WHEN grouping(device_type) = 0 THEN device_type
            WHEN grouping(browser) = 0 THEN browser
            WHEN grouping(os) = 0 THEN os
            WHEN grouping(country_code) = 0 THEN country_code
            WHEN grouping(geo_department_code) = 0 THEN geo_department_code
            WHEN grouping(origin) = 0 THEN origin
        END                                         AS code,
        weekday,
        hour,
        count(*)                                    AS visits,
        count(*) FILTER (WHERE is_bounce)           AS bounces
    FROM visit_codes
    GROUP BY GROUPING SETS (
        (channel), (device_type), (browser), (os),
        (country_code), (geo_department_code), (origin), (weekday, hour)
    )
),
shared AS (
    SELECT
        *,
        visits / sum(visits) OVER (PARTITION BY dimension) AS share
    FROM counted
),
origins AS (
    SELECT
        o.origin,
        o.position,
        coalesce(s.visits, 0)                              AS visits,
        coalesce(s.share, 0)                               AS share
    FROM (VALUES
        ('region', 1), ('france_other', 2), ('france_unlocated', 3), ('abroad', 4), ('unknown', 5)
    ) AS o (origin, position)
    LEFT JOIN shared AS s ON s.dimension = 'origin' AND s.code = o.origin
),
cells AS (
    SELECT weekday, hour
    -- AL05: the aliases name the columns
    FROM range(1, 8) AS w(weekday), range(0, 24) AS h(hour)  -- noqa: AL05
),
weekdays_in_period AS (
    SELECT isodow(CAST(d AS DATE)) AS weekday, count(*) AS days_in_period
    FROM (SELECT unnest(generate_series($start::TIMESTAMP, $end::TIMESTAMP, INTERVAL 1 DAY)) AS d)
    GROUP BY 1
),
weekday_hours AS (
    SELECT
        cells.weekday,
        cells.hour,
        coalesce(s.visits, 0)              AS visits,
        coalesce(w.days_in_period, 0)      AS days_in_period
    FROM cells
    LEFT JOIN shared AS s
        ON s.dimension = 'weekday_hour' AND s.weekday = cells.weekday AND s.hour = cells.hour
    LEFT JOIN weekdays_in_period AS w ON w.weekday = cells.weekday
)
SELECT
    dimension,
    code,
    NULL::INTEGER                                   AS weekday,
    NULL::INTEGER                                   AS hour,
    visits,
    share,
    bounce_rate(bounces, visits)                    AS bounce_rate,
    CASE WHEN dimension = 'department'
         THEN code IN (SELECT d.department_code FROM departments AS d) END AS is_in_region,
    NULL::INTEGER                                   AS days_in_period,
    row_number() OVER (
        PARTITION BY dimension
        ORDER BY CASE WHEN dimension = 'country' THEN code IS NULL END, visits DESC, code ASC
    )                                               AS rank
FROM shared
WHERE dimension IN ('channel', 'device_type', 'browser', 'os', 'country')
   OR dimension = 'department' AND code IS NOT NULL
UNION ALL
SELECT
    'origin',
    origin,
    NULL,
    NULL,
    visits,
    share,
    NULL,
    NULL,
    NULL,
    position
FROM origins
UNION ALL
SELECT
    'weekday_hour',
    NULL,
    CAST(weekday AS INTEGER),
    CAST(hour AS INTEGER),
    visits,
    NULL,
    NULL,
    NULL,
    CAST(days_in_period AS INTEGER),
    weekday * 24 + hour
FROM weekday_hours
ORDER BY dimension, rank
