-- Per department of the region (the chosen ones, or all six): suppliers active on $end, of
-- the chosen kinds (having an active listing in one of the chosen categories when categories are chosen),
-- their active listings, and the population, for rates per 100 000 inhabitants.
WITH active AS (
    SELECT s.department_code, s.supplier_id,
           count(l.listing_id) FILTER (
               WHERE l.created_on <= $end
                 AND (l.withdrawn_on > $end OR (l.withdrawn_on IS NULL AND l.is_active))
                 AND (len($categories) = 0 OR list_contains($categories, l.category))) AS listings
    FROM suppliers AS s
    LEFT JOIN listings AS l ON l.platform = s.platform AND l.supplier_id = s.supplier_id
    WHERE s.platform = $platform
      AND s.joined_on <= $end
      AND (s.left_on IS NULL OR s.left_on > $end)
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
    GROUP BY ALL
),
per_department AS (
    SELECT department_code, count(*) AS suppliers, sum(listings) AS listings
    FROM active
    WHERE len($categories) = 0 OR listings > 0
    GROUP BY 1
)
SELECT
    d.department_code,
    d.department_name,
    d.population,
    coalesce(p.suppliers, 0)                                    AS suppliers,
    coalesce(p.listings, 0)                                     AS listings,
    coalesce(p.suppliers, 0) * 100000.0 / nullif(d.population, 0) AS suppliers_per_100k
FROM departments AS d
LEFT JOIN per_department AS p USING (department_code)
WHERE len($departments) = 0 OR list_contains($departments, d.department_code)
ORDER BY d.department_code
