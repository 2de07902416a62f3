-- CTE `buckets(bucket)`: every day, week (ISO, from Monday) or month ($grain) overlapping
-- [$start, $end], so that the series is zero-filled.
buckets AS (
    SELECT unnest(generate_series(
        date_trunc($grain, $start::TIMESTAMP),
        $end::TIMESTAMP,
        CAST('1 ' || $grain AS INTERVAL)
    )) AS bucket
)
