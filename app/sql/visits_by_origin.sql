-- Visits by origin over the period (catalogue filters applied through include/visit_scope.sql):
-- `origin` is the code of the rule `visit_origin` (etl/sql/92_scopes.sql: region,
-- france_other, france_unlocated, abroad, unknown; labels in app/labels.py), with its share
-- of all visits. Every origin is listed, with 0 visits when none came from it.
WITH
-- include: visit_scope
,
counted AS (
    SELECT
        visit_origin(country_code, geo_department_code) AS origin,
        count(*) AS visits
    FROM scoped_visits
    GROUP BY origin
)
SELECT
    o.origin,
    o.position,
    coalesce(c.visits, 0) AS visits,
    coalesce(c.visits / nullif(sum(c.visits) OVER (), 0), 0) AS share
FROM (VALUES
    ('region', 1), ('france_other', 2), ('france_unlocated', 3), ('abroad', 4), ('unknown', 5)
) AS o (origin, position)
LEFT JOIN counted AS c ON c.origin = o.origin
ORDER BY o.position
