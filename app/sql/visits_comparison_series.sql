-- Visits of a comparison period laid over the current period's axis, under the catalogue
-- filters, from the visits per day (include/visits_days.sql). $start..$end: the comparison
-- period; $shift_days: days from its first day to the current period's first day;
-- $current_end: the current period's last day; $grain: the current axis' buckets (day, ISO
-- week from Monday, month).
-- Day d of the comparison is counted at day d + $shift_days (day i on day i); days falling
-- after $current_end (a longer comparison) are left out. One row per bucket holding at least
-- one comparison day, with the real first and last comparison days it holds.
WITH
-- include: visits_days
,
per_day AS (
    SELECT
        day,
        CAST(sum(visits) AS BIGINT) AS visits
    FROM visits_days
    WHERE platform = $platform
      AND day BETWEEN $start AND $end
    GROUP BY 1
),
-- include: comparison_buckets
