-- The canteens of each territory of $level in the chosen departments, and their declared
-- purchases of the campaign `canteen_year` against the EGalim targets (docs/metrics.md,
-- "Local sourcing"); the row with a NULL territory_code is the whole area, each canteen once.
--   * canteens, meals_per_year (sum of the known yearly meal counts), canteens_without_meals;
--   * declared_canteens: canteens with a declaration that year;
--   * organic_share, quality_share: the declared shares of organic and of EGalim-quality
--     purchases (organic included: `egalim_share`), averaged over the declaring canteens with
--     a known meal count, each weighted by its meals per year (a stand-in for its purchases,
--     which the files do not give); NULL when no such canteen;
--   * canteens_organic_target, canteens_quality_target: declaring canteens at or above
--     $organic_target and $quality_target.
-- canteens_loaded: every canteen loaded, whatever the filters (0: no register delivered).
-- Territories in the order of their name.
WITH
-- include: canteen_scope
,
territory_names AS (
    SELECT
        d.department_code AS territory_code,
        d.department_name AS territory_name
    FROM departments AS d
    WHERE $level = 'department'
    UNION ALL
    -- An EPCI's name as the register gives it (the first one, should two rows differ).
    SELECT
        c.epci_code            AS territory_code,
        min(c.epci_name)       AS territory_name
    FROM canteens AS c
    WHERE $level = 'epci' AND c.epci_code IS NOT NULL
    GROUP BY c.epci_code
    UNION ALL
    SELECT
        p.food_project_id AS territory_code,
        p.name            AS territory_name
    FROM food_projects AS p
    WHERE $level = 'food_project'
),
shares AS (
    SELECT
        t.territory_code,
        s.yearly_meal_count,
        s.has_declared,
        s.ratio_bio                                        AS organic,
        egalim_share(s.ratio_bio, s.ratio_egalim_hors_bio) AS quality
    FROM canteen_territory AS t
    INNER JOIN canteen_scope AS s ON t.siret = s.siret
),
per_territory AS (
    SELECT
        s.territory_code,
        coalesce(n.territory_name, s.territory_code)                      AS territory_name,
        count(*)                                                          AS canteens,
        CAST(sum(s.yearly_meal_count) AS BIGINT)                          AS meals_per_year,
        count(*) FILTER (WHERE s.yearly_meal_count IS NULL)               AS canteens_without_meals,
        count(*) FILTER (WHERE s.has_declared)                            AS declared_canteens,
        sum(s.organic * s.yearly_meal_count)
        / nullif(sum(s.yearly_meal_count) FILTER (WHERE s.organic IS NOT NULL), 0) AS organic_share,
        sum(s.quality * s.yearly_meal_count)
        / nullif(sum(s.yearly_meal_count) FILTER (WHERE s.quality IS NOT NULL), 0) AS quality_share,
        count(*) FILTER (WHERE s.organic >= $organic_target)              AS canteens_organic_target,
        count(*) FILTER (WHERE s.quality >= $quality_target)              AS canteens_quality_target
    FROM shares AS s
    LEFT JOIN territory_names AS n ON s.territory_code = n.territory_code
    GROUP BY s.territory_code, n.territory_name
    UNION ALL
    -- The whole area even without a canteen in it: its figures are then 0 or unknown.
    SELECT NULL, NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0
    WHERE NOT EXISTS (SELECT 1 FROM canteen_scope)
)
SELECT
    p.*,
    (SELECT y.year FROM canteen_year AS y)     AS campaign_year,
    (SELECT count(*) FROM canteens)            AS canteens_loaded
FROM per_territory AS p
ORDER BY p.territory_code IS NOT NULL, fr_sort_key(p.territory_name)
