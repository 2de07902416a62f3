-- Check: no supplier appears twice under two ids — same SIRET, or same name and commune once
-- normalised (match_text: lower case, ligatures spelled out, accents and punctuation stripped).
-- One row per duplicated key. Must return no rows.
WITH normalised AS (
    SELECT
        platform,
        supplier_id,
        name,
        commune,
        siret,
        match_text(name) || ' | ' || match_text(coalesce(commune, '')) AS name_commune
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
