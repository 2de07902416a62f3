-- Check: no supplier appears twice under two ids — same SIRET, or same name and commune once
-- normalised (lower case, œ → oe, accents and punctuation stripped, single spaces).
-- One row per duplicated key. Must return no rows.
WITH normalised AS (
    SELECT
        platform,
        supplier_id,
        name,
        commune,
        siret,
        trim(regexp_replace(strip_accents(replace(lower(name), 'œ', 'oe')), '[^a-z0-9]+', ' ', 'g'))
            || ' | ' ||
        trim(regexp_replace(strip_accents(replace(lower(coalesce(commune, '')), 'œ', 'oe')), '[^a-z0-9]+', ' ', 'g'))
            AS name_commune
    FROM suppliers
    WHERE platform = $platform
)
SELECT 'siret' AS key_kind, siret AS key,
       count(*) AS suppliers,
       string_agg(supplier_id, ', ' ORDER BY supplier_id) AS supplier_ids,
       string_agg(name, ' ; ' ORDER BY supplier_id) AS names
FROM normalised
WHERE siret IS NOT NULL
GROUP BY siret
HAVING count(DISTINCT supplier_id) > 1
UNION ALL
SELECT 'name_commune', name_commune,
       count(*),
       string_agg(supplier_id, ', ' ORDER BY supplier_id),
       string_agg(name, ' ; ' ORDER BY supplier_id)
FROM normalised
GROUP BY name_commune
HAVING count(DISTINCT supplier_id) > 1
ORDER BY 1, 2
