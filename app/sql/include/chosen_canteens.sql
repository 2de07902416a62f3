-- Fragment (included by `-- include: chosen_canteens`, after `canteen_scope`): the CTE
-- `chosen`, the canteens of one group: those of the territory $territory of $level, or every
-- canteen of the chosen departments when $territory is NULL (canteen_territory's NULL row).
chosen AS (
    SELECT s.*
    FROM canteen_scope AS s
    WHERE s.siret IN (
        SELECT t.siret FROM canteen_territory AS t
        WHERE t.territory_code IS NOT DISTINCT FROM $territory)
)
