-- The suppliers that could supply one group of canteens: those of the territory $territory
-- of $level (the whole area when $territory is NULL), with every supplier of a *ma cantine*
-- family within $radius_km of at least one of them (include/sourcing_reach.sql):
-- nearest_km (to the nearest canteen of the group, between commune centroids), canteens_within
-- and their meals_within (known yearly meal counts), and the supplier's families (codes, in
-- ma cantine's order). Nearest first; at the same distance, the most meals reached first.
WITH
-- include: canteen_scope
,
-- include: sourcing_reach
,
-- include: chosen_canteens
,
reached AS (
    SELECT
        r.supplier_id,
        min(r.km)                                 AS nearest_km,
        count(*)                                  AS canteens_within,
        CAST(sum(c.yearly_meal_count) AS BIGINT)  AS meals_within
    FROM reach AS r
    INNER JOIN chosen AS c ON r.siret = c.siret
    GROUP BY r.supplier_id
),
families AS (
    SELECT
        pf.supplier_id,
        list(pf.family_code ORDER BY k.position) AS family_codes
    FROM producer_families AS pf
    INNER JOIN canteen_families AS k ON pf.family_code = k.family_code
    GROUP BY pf.supplier_id
)
SELECT
    p.supplier_id,
    p.name,
    p.kind_code,
    p.commune,
    p.department_code,
    r.nearest_km,
    r.canteens_within,
    r.meals_within,
    f.family_codes
FROM reached AS r
INNER JOIN producers AS p ON r.supplier_id = p.supplier_id
INNER JOIN families AS f ON r.supplier_id = f.supplier_id
ORDER BY r.nearest_km ASC, r.meals_within DESC NULLS LAST, fr_sort_key(p.name) ASC, p.supplier_id ASC
