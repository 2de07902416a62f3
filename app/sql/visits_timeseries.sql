-- Visits per day, week (ISO, starting Monday) or month ($grain), zero-filled over the period,
-- under the catalogue filters (include/visit_scope.sql).
-- is_partial: the bucket extends beyond the period, so its bar covers fewer days.
-- visitors: sum over the bucket's days of the daily unique visitors (daily-rotating key).
WITH
-- include: visit_scope
,
buckets AS (
    SELECT unnest(generate_series(
        date_trunc($grain, $start::TIMESTAMP),
        $end::TIMESTAMP,
        CAST('1 ' || $grain AS INTERVAL)
    )) AS bucket
),
counts AS (
    SELECT
        date_trunc($grain, started_at)                          AS bucket,
        count(*)                                                AS visits,
        count(DISTINCT (CAST(started_at AS DATE), visitor_id))  AS visitors,
        sum(pageviews)                                          AS pageviews
    FROM scoped_visits
    GROUP BY 1
)
SELECT
    CAST(b.bucket AS DATE)                                        AS bucket,
    coalesce(c.visits, 0)                                         AS visits,
    coalesce(c.visitors, 0)                                       AS visitors,
    coalesce(c.pageviews, 0)                                      AS pageviews,
    (CAST(b.bucket AS DATE) < $start
     OR CAST(b.bucket + CAST('1 ' || $grain AS INTERVAL) AS DATE) > $end + 1) AS is_partial
FROM buckets AS b
LEFT JOIN counts AS c USING (bucket)
ORDER BY bucket
