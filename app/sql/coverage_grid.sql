-- Department x category grid on $end: suppliers active (of the chosen kinds) having at least
-- one active listing in the category, and those active listings. Every cell of the chosen
-- departments and categories is present (0 if none); population: the department's (INSEE), for rates per
-- 100 000 inhabitants; is_covered: at least $min_suppliers suppliers.
WITH cells AS (
    SELECT d.department_code, d.department_name, d.population, c.category_code, c.category
    FROM departments AS d
    CROSS JOIN categories AS c
    WHERE c.platform = $platform
      AND is_chosen($departments, d.department_code)
      AND is_chosen($categories, c.category_code)
),
counts AS (
    SELECT l.department_code, l.category_code,
           count(DISTINCT l.supplier_id) AS suppliers,
           count(*)                      AS listings
    FROM active_listings_on($platform, [], $kinds, [], $end) AS l
    GROUP BY l.department_code, l.category_code
)
SELECT
    cells.department_code,
    cells.department_name,
    cells.population,
    cells.category_code,
    cells.category,
    coalesce(counts.suppliers, 0)                    AS suppliers,
    coalesce(counts.listings, 0)                     AS listings,
    per_100k(coalesce(counts.suppliers, 0), cells.population) AS suppliers_per_100k,
    per_100k(coalesce(counts.listings, 0), cells.population)  AS listings_per_100k,
    coalesce(counts.suppliers, 0) >= $min_suppliers  AS is_covered
FROM cells
LEFT JOIN counts USING (department_code, category_code)
ORDER BY cells.department_code, fr_sort_key(cells.category)
