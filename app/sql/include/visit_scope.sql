-- Fragment (included by `-- include: visit_scope`): the CTE `scoped_visits`, the visits of
-- $platform started within [$start, $end] (Paris days) that fall under the catalogue filters.
-- A visit has neither department, category nor supplier kind, so with one of those filters it
-- counts when it viewed, within the period, a page of the filtered catalogue:
--   * a product page: the listing's category, its supplier's department and kind;
--   * a producer/company page: the supplier's department and kind, the categories of its
--     listings;
--   * a category page: its category (no department and no supplier, so never with a
--     department or kind filter).
-- The load lists those pages by code (etl/sql/46_catalogue_visit_days.sql, which applies
-- these rules); scope_visit_days.sql picks the filter's, once per filter choice: `app/queries/engine.py`
-- hands its result to the query as the table `scope_visit_days` (visit key, Paris day of the
-- page view), so the dozen visit figures of a page do not each join every page view of the
-- period, and the same visits by row number as `scope_visit_rows` (scope_visit_rows.sql).
-- Without those filters every visit of the period counts (and `scope_visit_days` is empty).
-- include: scope_visit_keys
,
scoped_visits AS (
    -- The visits in scope by row number (scope_visit_rows.sql): a visit's pages lie on its
    -- start day, since the visitor key changes with the Paris day, so its start in the period
    -- is its catalogue page in the period.
    SELECT v.*
    FROM visits AS v
    WHERE v.platform = $platform
      AND v.started_at >= $start
      AND v.started_at < $end + INTERVAL 1 DAY
      AND (NOT has_catalogue_scope($departments, $categories, $kinds)
           OR v.rowid IN (SELECT r.visit_row FROM scope_visit_rows AS r))
)
