-- The visits of $platform under the catalogue filters, added up per Paris day over every day,
-- in the columns of `visits_daily` (etl/sql/45_daily_aggregates.sql, whose sums these are:
-- keep the two alike). `app/queries/engine.py` computes it once per filter choice and hands
-- it to include/visits_days.sql as `scoped_visits_daily`, so that the headline figures, the
-- series and the comparisons of every period read a few hundred rows, not every visit.
-- A visit is in scope when it viewed a page of the filtered catalogue (`scope_visit_rows`, by
-- row number, include/visit_scope.sql). It never spans midnight: the visitor key changes with the Paris
-- day, so that page lies on the visit's start day, and a period either holds both or neither.
SELECT
    v.platform,
    CAST(v.started_at AS DATE)                    AS day,
    count(*)                                      AS visits,
    count(DISTINCT v.visitor_id)                  AS visitors,
    CAST(sum(v.pageviews) AS BIGINT)              AS pageviews,
    count(*) FILTER (WHERE v.is_bounce)           AS bounces,
    CAST(sum(v.duration_s) AS BIGINT)             AS duration_s
FROM visits AS v
WHERE v.platform = $platform
  AND v.rowid IN (SELECT r.visit_row FROM scope_visit_rows AS r)
GROUP BY ALL
