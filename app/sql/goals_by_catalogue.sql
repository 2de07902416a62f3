-- Conversion per department or per category ($dimension: 'department' or 'category') of the
-- catalogue pages a visit viewed: for each, the visits of the period under the catalogue
-- filters that viewed a page of it, those that reached at least one goal, and the conversion
-- rate. A visit that viewed pages of two departments counts in both.
-- "Viewed a page of it" is the catalogue filters' own rule, read from the load's
-- `catalogue_visit_days` (etl/sql/46_catalogue_visit_days.sql): a product page counts for its
-- category and its supplier's department, a producer/company page for its department and the
-- categories of its listings, a category page for its category. So a row's visits are the
-- visits the page shows with that department or category chosen in the filters.
-- tests/oracle/goals_by_catalogue.sql counts them from `catalogue_visit_days` on every period;
-- a test compares it with the daily counts used here without a catalogue filter.
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
      AND has_catalogue_scope($departments, $categories, $kinds)
      AND c.visit_key IN (SELECT k.visit_key FROM scope_visit_keys AS k)
),
converted_keys AS (
    -- The visits of the period that reached at least one goal (visit_goals names visits by id).
    SELECT DISTINCT visit_key(g.visit_id) AS visit_key
    FROM visit_goals AS g
    WHERE g.platform = $platform
      AND g.day BETWEEN $start AND $end
),
counted AS (
    SELECT
        k.code,
        count(*)                                             AS visits,
        count(v.visit_key)                                   AS converted_visits
    FROM visit_codes AS k
    LEFT JOIN converted_keys AS v ON k.visit_key = v.visit_key
    WHERE has_catalogue_scope($departments, $categories, $kinds)
      AND k.code IS NOT NULL
    GROUP BY ALL
    -- Without a catalogue filter, the same counts the load keeps per day (both add up over
    -- days: a visit lies within one day).
    UNION ALL
    SELECT
        d.code,
        sum(d.visits)                                        AS visits,
        sum(d.converted_visits)                              AS converted_visits
    FROM catalogue_goals_daily AS d
    WHERE NOT has_catalogue_scope($departments, $categories, $kinds)
      AND d.platform = $platform
      AND d.day BETWEEN $start AND $end
      AND d.dimension = $dimension
    GROUP BY ALL
)
SELECT
    c.code,
    CAST(c.visits AS BIGINT)                                 AS visits,
    CAST(c.converted_visits AS BIGINT)                       AS converted_visits,
    c.converted_visits / c.visits                            AS conversion_rate
FROM counted AS c
ORDER BY c.visits DESC, c.code ASC
