-- Protective equipment: weekly production capacity (units per week) declared by the offers
-- active on $end, per department of the company and category. Only the cells with at least
-- one active offer; offers without a declared capacity count in `offers` but add nothing.
SELECT
    s.department_code,
    s.department_name,
    l.category,
    count(*)                               AS offers,
    count(l.weekly_capacity)               AS offers_with_capacity,
    coalesce(sum(l.weekly_capacity), 0)    AS weekly_capacity
FROM listings AS l
JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
WHERE
-- include: listing_in_scope
-- include: listing_active_on_end
GROUP BY ALL
ORDER BY s.department_code, l.category
