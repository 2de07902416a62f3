-- Fragment (included by `-- include: converted_visits`): the CTE `converted_visits`, the
-- visits started within [$start, $end] that reached at least one goal (visit_goals).
converted_visits AS (
    SELECT DISTINCT g.visit_id
    FROM visit_goals AS g
    WHERE g.platform = $platform
      AND g.day BETWEEN $start AND $end
)
