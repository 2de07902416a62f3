-- visits_comparison_series without a catalogue filter, from the daily aggregate (same figures).
WITH
per_day AS (
    SELECT
        day,
        CAST(sum(visits) AS BIGINT) AS visits
    FROM visits_daily
    WHERE platform = $platform
      AND day BETWEEN $start AND $end
    GROUP BY 1
),
-- include: comparison_buckets
