-- Goals reached by the visits of the period under the catalogue filters: per goal of the
-- platform (etl/config/goals.toml, in its order), the visits that reached it and the
-- conversion rate (those visits over all visits); a goal no visit reached is listed with 0.
-- The row with goal_code NULL is "any goal": visits that reached at least one.
WITH
-- include: visit_scope
,
total AS (SELECT count(*) AS visits FROM scoped_visits),
reached AS (
    SELECT g.goal_code, g.visit_id
    FROM visit_goals AS g
    SEMI JOIN scoped_visits AS v ON g.visit_id = v.visit_id
    WHERE g.platform = $platform
      AND g.day BETWEEN $start AND $end
),
per_goal AS (
    SELECT
        d.goal_code,
        d.label,
        d.position,
        count(r.visit_id)                                    AS converted_visits
    FROM goals AS d
    LEFT JOIN reached AS r ON d.goal_code = r.goal_code
    WHERE d.platform = $platform
    GROUP BY ALL
    UNION ALL
    SELECT
        NULL,
        NULL,
        0,
        count(DISTINCT visit_id)
    FROM reached
)
SELECT
    p.goal_code,
    p.label,
    p.converted_visits,
    t.visits,
    p.converted_visits / nullif(t.visits, 0)                 AS conversion_rate
FROM per_goal AS p
CROSS JOIN total AS t
ORDER BY p.position ASC
