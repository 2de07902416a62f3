-- The visits of $platform that viewed a page of the filtered catalogue (`scope_visit_days`),
-- by their row number in `visits` (DuckDB's `rowid`) and start day (Paris). Computed once per
-- filter choice by `app/queries/engine.py` and kept per read-only connection, whose file never
-- changes under it, so the row numbers hold for as long as it is kept. The visit figures then
-- find their visits by row number: at scale 10, with one department (760,000 visits in
-- scope), a figure's scan of the visits took 2-4 times longer semi-joined on the 16-character
-- visit id, and still 1.3-1.5 times longer on `visit_key` (an extra column to read). This
-- table is found by `visit_key`: 70 ms there instead of 460 ms by id. Empty without a
-- catalogue filter (include/visit_scope.sql).
SELECT
    v.rowid                      AS visit_row,
    CAST(v.started_at AS DATE)   AS day
FROM visits AS v
WHERE v.platform = $platform
  AND v.visit_key IN (SELECT s.visit_key FROM scope_visit_days AS s)
