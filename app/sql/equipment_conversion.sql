-- Protective equipment: per category, the offers active on $end and their weekly capacity,
-- split by the group of the company's sector (include/naf_companies.sql): converted
-- companies ('reconversion'), usual suppliers ('habituel'), unclassified ('unknown').
-- Shares of converted companies are over the classified offers and capacity only.
WITH
-- include: naf_companies
,
-- include: listed_categories
,
offers AS (
    SELECT l.category_code, l.supplier_id, coalesce(l.weekly_capacity, 0) AS capacity, c.sector_group
    FROM active_listings_on($platform, $departments, $kinds, $categories, $end) AS l
    JOIN naf_companies AS c ON c.supplier_id = l.supplier_id
)
SELECT
    k.category_code,
    k.category,
    count(o.category_code)                                                    AS offers,
    count(o.category_code) FILTER (WHERE o.sector_group = 'reconversion')     AS offers_converted,
    count(o.category_code) FILTER (WHERE o.sector_group = 'habituel')         AS offers_usual,
    count(o.category_code) FILTER (WHERE o.sector_group = 'unknown')          AS offers_unclassified,
    coalesce(sum(o.capacity), 0)                                         AS capacity,
    coalesce(sum(o.capacity) FILTER (WHERE o.sector_group = 'reconversion'), 0) AS capacity_converted,
    coalesce(sum(o.capacity) FILTER (WHERE o.sector_group = 'habituel'), 0)     AS capacity_usual,
    count(DISTINCT o.supplier_id) FILTER (WHERE o.sector_group = 'reconversion') AS companies_converted,
    count(DISTINCT o.supplier_id) FILTER (WHERE o.sector_group = 'habituel')     AS companies_usual,
    count(o.category_code) FILTER (WHERE o.sector_group = 'reconversion')
        / nullif(count(o.category_code) FILTER (WHERE o.sector_group <> 'unknown'), 0) AS converted_offer_share,
    sum(o.capacity) FILTER (WHERE o.sector_group = 'reconversion')
        / nullif(sum(o.capacity) FILTER (WHERE o.sector_group <> 'unknown'), 0)  AS converted_capacity_share
FROM cats AS k
LEFT JOIN offers AS o USING (category_code)
GROUP BY k.category_code, k.category, k.is_unclassified
ORDER BY k.is_unclassified, fr_sort_key(k.category)
