-- One row per supplier active on $end: its active listings on $end (filters applied).
WITH
-- include: active_listings_per_supplier
SELECT
    s.supplier_id,
    s.name,
    s.department_code,
    s.department_name,
    s.commune,
    s.kind,
    s.kind_code,
    s.joined_on,
    coalesce(a.n, 0) AS active_listings
FROM active_suppliers_on($platform, $departments, $kinds, $categories, $end) AS s
LEFT JOIN active_listings AS a USING (supplier_id)
ORDER BY active_listings DESC, s.name ASC
