-- Final part of a comparison series (visits_comparison_series*.sql): every day of the
-- comparison period [$start, $end], moved by $shift_days onto the current axis, kept up to
-- $current_end, grouped into the current axis' $grain buckets and joined to the including
-- query's `per_day(day, visits)`, zero-filled (a day inside the data without a visit is 0).
comparison_days AS (
    SELECT CAST(d AS DATE) AS day
    FROM generate_series($start::TIMESTAMP, $end::TIMESTAMP, INTERVAL 1 DAY) AS t (d)
)
SELECT
    CAST(date_trunc($grain, CAST(c.day + $shift_days AS TIMESTAMP)) AS DATE) AS bucket,
    CAST(coalesce(sum(p.visits), 0) AS BIGINT)                               AS visits,
    min(c.day)                                                               AS first_day,
    max(c.day)                                                               AS last_day
FROM comparison_days AS c
LEFT JOIN per_day AS p ON c.day = p.day
WHERE c.day + $shift_days <= $current_end
GROUP BY 1
ORDER BY 1
