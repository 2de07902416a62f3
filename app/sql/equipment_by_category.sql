-- Protective equipment: per category, offers active on $end, how many state a standard,
-- and the weekly production capacity they declare (units per week); first_offer_on: the
-- first publication date of an offer in the category (all offers, whatever the filters'
-- period), which shows when a category appeared on the platform.
WITH
-- include: listed_categories
,
active_offers AS (
    SELECT l.category_code, l.standard, l.weekly_capacity
    FROM active_listings_on($platform, $departments, $kinds, $categories, $end) AS l
)
SELECT
    c.category_code,
    c.category,
    c.is_unclassified,
    count(o.category_code)                                          AS active_offers,
    count(o.standard)                                          AS offers_with_standard,
    count(o.standard) / nullif(count(o.category_code), 0)           AS standard_share,
    count(o.weekly_capacity)                                   AS offers_with_capacity,
    coalesce(sum(o.weekly_capacity), 0)                        AS weekly_capacity,
    any_value(f.first_offer_on)                                AS first_offer_on
FROM cats AS c
LEFT JOIN active_offers AS o USING (category_code)
LEFT JOIN (SELECT category_code, min(created_on) AS first_offer_on FROM listings
           WHERE platform = $platform GROUP BY category_code) AS f USING (category_code)
GROUP BY c.category_code, c.category, c.is_unclassified
ORDER BY c.is_unclassified, fr_sort_key(c.category)
