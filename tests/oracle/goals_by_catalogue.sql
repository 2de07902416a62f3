-- The figure of app/sql/goals_by_catalogue.sql counted from `catalogue_visit_days` whatever
-- the filters (the dashboard reads the load's daily counts when there is no catalogue filter):
-- tests/test_queries.py checks that both give the same rows.
WITH
-- include: scope_visit_keys
,
visit_codes AS (
    SELECT DISTINCT
        c.visit_key,
        CASE $dimension
            WHEN 'department' THEN c.department_code
            ELSE c.category_code
        END                                                  AS code
    FROM catalogue_visit_days AS c
    WHERE c.platform = $platform
      AND c.day BETWEEN $start AND $end
      AND (NOT has_catalogue_scope($departments, $categories, $kinds)
           OR c.visit_key IN (SELECT k.visit_key FROM scope_visit_keys AS k))
),
converted_keys AS (
    SELECT DISTINCT visit_key(g.visit_id) AS visit_key
    FROM visit_goals AS g
    WHERE g.platform = $platform
      AND g.day BETWEEN $start AND $end
)
SELECT
    k.code,
    count(*)                                                 AS visits,
    count(v.visit_key)                                       AS converted_visits,
    count(v.visit_key) / count(*)                            AS conversion_rate
FROM visit_codes AS k
LEFT JOIN converted_keys AS v ON k.visit_key = v.visit_key
WHERE k.code IS NOT NULL
GROUP BY ALL
ORDER BY visits DESC, k.code ASC
