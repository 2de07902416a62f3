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
    s.joined_on,
    coalesce(a.n, 0) AS active_listings
FROM suppliers AS s
LEFT JOIN active_listings AS a USING (supplier_id)
WHERE
-- include: supplier_active_in_scope
ORDER BY active_listings DESC, s.name
