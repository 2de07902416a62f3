-- The (visit, Paris day) pairs of the page views of $platform that show a page of the
-- catalogue under the filters (the rules are in include/visit_scope.sql, which reads this
-- result as `scope_visit_days`). It depends on the catalogue filters only, not on the period:
-- `app/queries/engine.py` computes it once per filter choice and every visit figure of that
-- choice, whatever its period, reads it instead of joining every page view again.
-- `catalogue_visit_days` holds those pages by the filters' codes, derived at load time
-- (etl/sql/46_catalogue_visit_days.sql). Empty without a catalogue filter.
SELECT DISTINCT
    c.visit_key,
    c.day
FROM catalogue_visit_days AS c
WHERE c.platform = $platform
  AND has_catalogue_scope($departments, $categories, $kinds)
  AND is_chosen($departments, c.department_code)
  AND is_chosen($kinds, c.kind_code)
  AND is_chosen($categories, c.category_code)
