-- Fragment (included by `-- include: scoped_pageviews`, after `visit_scope`): the CTE
-- `scoped_pageviews`, the page views of the visits in `scoped_visits`. A visit lies within its
-- start day, or runs into the next without the midnight split: the scan stops a day after $end.
scoped_pageviews AS (
    SELECT p.*
    FROM pageviews AS p
    SEMI JOIN scoped_visits AS v ON p.visit_id = v.visit_id
    WHERE p.platform = $platform
      AND p.ts >= $start
      AND p.ts < $end + INTERVAL 2 DAY
)
