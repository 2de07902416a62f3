-- Fragment (included by `-- include: scope_visit_keys`, and by include/visit_scope.sql): the
-- CTE `scope_visit_keys`, the keys of the visits under the catalogue filters that viewed a
-- page of the filtered catalogue within [$start, $end] (`scope_visit_days`, kept per filter
-- choice by app/queries/engine.py; empty without a catalogue filter).
scope_visit_keys AS (
    SELECT DISTINCT s.visit_key
    FROM scope_visit_days AS s
    WHERE s.day >= $start
      AND s.day <= $end
)
