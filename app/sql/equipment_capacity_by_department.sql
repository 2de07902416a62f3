-- Protective equipment: weekly production capacity (units per week) declared by the offers
-- active on $end, per department of the company and category. Only the cells with at least
-- one active offer; offers without a declared capacity count in `offers` but add nothing.
SELECT
    l.department_code,
    l.department_name,
    l.category_code,
    l.category,
    count(*)                               AS offers,
    count(l.weekly_capacity)               AS offers_with_capacity,
    coalesce(sum(l.weekly_capacity), 0)    AS weekly_capacity
FROM active_listings_on($platform, $departments, $kinds, $categories, $end) AS l
GROUP BY ALL
ORDER BY l.department_code, l.category_code
