-- Visits by weekday (ISO: 1 = Monday … 7 = Sunday) and hour of arrival (0-23, Paris time:
-- started_at is Europe/Paris local time), under the catalogue filters. Every one of the
-- 7 x 24 cells is present (0 if none). days_in_period: how many of that weekday the period
-- holds, so a page can show a daily average.
WITH
-- include: visit_scope
,
cells AS (
    SELECT weekday, hour
    -- AL05: the aliases name the columns
    FROM range(1, 8) AS w(weekday), range(0, 24) AS h(hour)  -- noqa: AL05
),
days AS (
    SELECT isodow(CAST(d AS DATE)) AS weekday, count(*) AS days_in_period
    FROM (SELECT unnest(generate_series($start::TIMESTAMP, $end::TIMESTAMP, INTERVAL 1 DAY)) AS d)
    GROUP BY 1
),
counts AS (
    SELECT isodow(started_at) AS weekday, hour(started_at) AS hour, count(*) AS visits
    FROM scoped_visits
    GROUP BY ALL
)
SELECT
    CAST(cells.weekday AS INTEGER)       AS weekday,
    CAST(cells.hour AS INTEGER)          AS hour,
    coalesce(counts.visits, 0)           AS visits,
    coalesce(days.days_in_period, 0)     AS days_in_period
FROM cells
LEFT JOIN counts USING (weekday, hour)
LEFT JOIN days USING (weekday)
ORDER BY weekday, hour
