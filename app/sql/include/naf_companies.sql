-- Fragment (included by `-- include: naf_companies`): the CTE `naf_companies`, each company
-- of $platform in the chosen departments and kinds with its sector and group from its NAF code, by the
-- rules of app/naf_sectors.toml bound as $naf_rules (a list of structs with prefix, sector, group): the
-- longest prefix the code starts with wins. No code, or no matching prefix: sector
-- 'unclassified', group 'unknown'.
naf_rules AS (
    SELECT unnest($naf_rules, recursive := TRUE)
),
naf_companies AS (
    SELECT
        s.supplier_id,
        s.naf_code,
        coalesce(arg_max(r.sector, length(r.prefix)), 'unclassified') AS sector,
        coalesce(arg_max(r."group", length(r.prefix)), 'unknown')      AS sector_group
    FROM suppliers AS s
    LEFT JOIN naf_rules AS r ON starts_with(s.naf_code, r.prefix)
    WHERE s.platform = $platform
      AND is_chosen($departments, s.department_code)
      AND is_chosen($kinds, s.kind_code)
    GROUP BY s.supplier_id, s.naf_code
)
