-- Visits from each French department over the period (catalogue filters applied through
-- include/visit_scope.sql): `code` is the INSEE department of the entry page's address
-- (visits.geo_department_code, from the city database; names in app/geo.py), `share` its
-- share of all visits, `is_in_region` whether it is one of the region's departments.
WITH
-- include: visit_scope
,
counted AS (
    SELECT
        geo_department_code AS code,
        count(*) AS visits
    FROM scoped_visits
    GROUP BY ALL
)
SELECT
    c.code,
    c.visits,
    c.visits / sum(c.visits) OVER () AS share,
    c.code IN (SELECT d.department_code FROM departments AS d) AS is_in_region
FROM counted AS c
QUALIFY c.code IS NOT NULL
ORDER BY c.visits DESC, c.code ASC
