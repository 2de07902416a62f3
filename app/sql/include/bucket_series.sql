-- Final SELECT of a visit series: the `buckets` joined to the including query's
-- `counts(bucket, visits, visitors, pageviews)`, zero-filled; is_partial: the bucket extends
-- beyond the period, so its bar covers fewer days.
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
