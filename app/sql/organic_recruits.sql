-- The list of organic producers to recruit (include/organic_recruits.sql), with the distance in
-- km from their commune to the nearest canteen of the group: the canteens of the territory
-- $territory of $level (the whole area when $territory is NULL), between commune centroids
-- (`distance_km`); NULL when the group has no canteen with a centroid. Nearest first, then by
-- name.
WITH
-- include: canteen_scope
,
-- include: organic_recruits
,
-- include: chosen_canteens
,
nearest AS (
    SELECT
        r.siret,
        min(distance_km(c.latitude, c.longitude, r.latitude, r.longitude)) AS nearest_km
    FROM organic_recruits AS r
    CROSS JOIN chosen AS c
    GROUP BY r.siret
)
SELECT
    r.siret,
    r.organic_id,
    r.name,
    r.commune,
    r.insee_code,
    r.department_code,
    r.families AS family_codes,
    n.nearest_km
FROM organic_recruits AS r
LEFT JOIN nearest AS n ON r.siret = n.siret
ORDER BY n.nearest_km ASC NULLS LAST, fr_sort_key(r.name) ASC, r.siret ASC
