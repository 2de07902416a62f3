-- Test oracle (tests/test_queries.py): app/sql/visits_summary.sql computed from every visit instead of
-- the visits per day, to check the daily path gives the same rows.
-- Headline visit figures of one platform: visits started within [$start, $end] (Paris days),
-- under the catalogue filters (see include/visit_scope.sql). Page views are those of these
-- visits, so pages per visit = pageviews / visits exactly.
-- visitor_id rotates daily (Paris days), and a visit never spans midnight, so counting the
-- distinct (day, visitor) pairs is the sum of the daily unique visitors: a person returning
-- on several days counts once per day. That is the only honest figure with a daily key.
WITH
-- include: visit_scope
SELECT
    count(*)                                                AS visits,
    -- CP03: `DISTINCT (a, b)` takes a row pair; sqlfluff reads it as a function call
    count(DISTINCT (CAST(started_at AS DATE), visitor_id))  AS visitors,  -- noqa: CP03
    coalesce(sum(pageviews), 0)                             AS pageviews,
    sum(pageviews) / nullif(count(*), 0)                    AS pages_per_visit,
    bounce_rate(count(*) FILTER (WHERE is_bounce), count(*))          AS bounce_rate,
    avg(duration_s)                                         AS avg_duration_s
FROM scoped_visits
