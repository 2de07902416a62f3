-- Fragment (included by `-- include: canteen_scope`): the canteens of the chosen departments
-- and the territories they belong to, for the local sourcing figures (docs/metrics.md,
-- "Local sourcing"). CTEs:
--   * `canteen_year`: the declaration campaign shown, $year or the latest one loaded;
--   * `canteen_scope`: one row per canteen of the chosen departments, with its commune's
--     centroid (NULL when the commune has none) and its declaration of that year (NULL
--     shares when it made none);
--   * `canteen_territory`: (siret, territory_code) for each territory of $level the canteen
--     belongs to — its department (`department`), its EPCI (`epci`), or each territorial food
--     project (PAT) whose communes hold its commune (`food_project`: a canteen may be in
--     several, or in none) — plus one row per canteen with a NULL territory_code: the whole
--     area, so that totals count each canteen once.
canteen_year AS (
    SELECT coalesce($year, max(d.year)) AS year
    FROM canteen_declarations AS d
),
canteen_scope AS (
    SELECT
        c.siret,
        c.name,
        c.insee_code,
        c.department_code,
        c.epci_code,
        c.yearly_meal_count,
        m.commune,
        m.latitude,
        m.longitude,
        d.siret IS NOT NULL AS has_declared,
        d.ratio_bio,
        d.ratio_egalim_hors_bio
    FROM canteens AS c
    LEFT JOIN communes AS m ON c.insee_code = m.insee_code
    LEFT JOIN canteen_declarations AS d
        ON c.siret = d.siret
        AND d.year = (SELECT y.year FROM canteen_year AS y)
    WHERE is_chosen($departments, c.department_code)
),
canteen_territory AS (
    SELECT
        s.siret,
        CAST(NULL AS VARCHAR) AS territory_code
    FROM canteen_scope AS s
    UNION ALL
    SELECT
        s.siret,
        s.department_code AS territory_code
    FROM canteen_scope AS s
    WHERE $level = 'department'
    UNION ALL
    SELECT
        s.siret,
        s.epci_code AS territory_code
    FROM canteen_scope AS s
    WHERE $level = 'epci' AND s.epci_code IS NOT NULL
    UNION ALL
    SELECT DISTINCT
        s.siret,
        p.food_project_id AS territory_code
    FROM canteen_scope AS s
    INNER JOIN food_project_communes AS p ON s.insee_code = p.insee_code
    WHERE $level = 'food_project'
)
