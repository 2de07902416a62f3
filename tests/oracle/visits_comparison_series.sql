-- Test oracle (tests/test_queries.py): app/sql/visits_comparison_series.sql computed from every visit instead of
-- the visits per day, to check the daily path gives the same rows.
-- Visits of a comparison period laid over the current period's axis, under the catalogue
-- filters (include/visit_scope.sql). $start..$end: the comparison period; $shift_days: days
-- from its first day to the current period's first day; $current_end: the current period's
-- last day; $grain: the current axis' buckets (day, ISO week from Monday, month).
-- Day d of the comparison is counted at day d + $shift_days (day i on day i); days falling
-- after $current_end (a longer comparison) are left out. One row per bucket holding at least
-- one comparison day, with the real first and last comparison days it holds.
WITH
-- include: visit_scope
,
per_day AS (
    SELECT
        CAST(started_at AS DATE) AS day,
        count(*)                 AS visits
    FROM scoped_visits
    GROUP BY 1
),
-- include: comparison_buckets
