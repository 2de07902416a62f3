-- Protective equipment: per category, offers active on $end, how many state a standard,
-- and the weekly production capacity they declare (units per week); first_offer_on: the
-- first publication date of an offer in the category (all offers, whatever the filters'
-- period), which shows when a category appeared on the platform.
WITH
-- include: listed_categories
,
active_offers AS (
    SELECT l.category, l.standard, l.weekly_capacity
    FROM listings AS l
    JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
    WHERE
-- include: listing_in_scope
-- include: listing_active_on_end
)
SELECT
    c.category,
    count(o.category)                                          AS active_offers,
    count(o.standard)                                          AS offers_with_standard,
    count(o.standard) / nullif(count(o.category), 0)           AS standard_share,
    count(o.weekly_capacity)                                   AS offers_with_capacity,
    coalesce(sum(o.weekly_capacity), 0)                        AS weekly_capacity,
    any_value(f.first_offer_on)                                AS first_offer_on
FROM cats AS c
LEFT JOIN active_offers AS o USING (category)
LEFT JOIN (SELECT category, min(created_on) AS first_offer_on FROM listings
           WHERE platform = $platform GROUP BY category) AS f USING (category)
GROUP BY c.category, c.is_unclassified
ORDER BY c.is_unclassified, lower(strip_accents(replace(replace(c.category, 'Œ', 'Oe'), 'œ', 'oe')))
