-- Department x category grid on $end: suppliers active (of the chosen kinds) having at least
-- one active listing in the category, and those active listings. Every cell of the chosen
-- departments and categories is present (0 if none); population: the department's (INSEE), for rates per
-- 100 000 inhabitants; is_covered: at least $min_suppliers suppliers.
WITH cells AS (
    SELECT d.department_code, d.department_name, d.population, c.category
    FROM departments AS d
    CROSS JOIN categories AS c
    WHERE c.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, d.department_code))
      AND (len($categories) = 0 OR list_contains($categories, c.category))
),
counts AS (
    SELECT s.department_code, l.category,
           count(DISTINCT s.supplier_id) AS suppliers,
           count(*)                      AS listings
    FROM listings AS l
    JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
    WHERE l.platform = $platform
-- include: listing_active_on_end
      AND s.joined_on <= $end
      AND (s.left_on IS NULL OR s.left_on > $end)
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
    GROUP BY s.department_code, l.category
)
SELECT
    cells.department_code,
    cells.department_name,
    cells.population,
    cells.category,
    coalesce(counts.suppliers, 0)                    AS suppliers,
    coalesce(counts.listings, 0)                     AS listings,
    coalesce(counts.suppliers, 0) >= $min_suppliers  AS is_covered
FROM cells
LEFT JOIN counts USING (department_code, category)
ORDER BY cells.department_code, lower(strip_accents(replace(replace(cells.category, 'Œ', 'Oe'), 'œ', 'oe')))
