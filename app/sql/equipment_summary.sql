-- Protective equipment, all categories together, on $end: the offers active, how many state a
-- standard and declare a weekly capacity (and their shares), how many are in a category
-- outside the vocabulary, how many come from companies of unknown sector, and the share of the
-- offers of classified companies that come from converted ones (sector groups of include/naf_companies.sql, as equipment_conversion.sql).
-- No capacity total: each category counts its own unit.
WITH
-- include: naf_companies
,
offers AS (
    SELECT l.standard, l.weekly_capacity, l.is_known_category, c.sector_group
    FROM active_listings_on($platform, $departments, $kinds, $categories, $end) AS l
    JOIN naf_companies AS c ON l.supplier_id = c.supplier_id
)
SELECT
    count(*)                                                      AS active_offers,
    count(standard)                                               AS offers_with_standard,
    count(standard) / nullif(count(*), 0)                         AS standard_share,
    count(weekly_capacity)                                        AS offers_with_capacity,
    count(weekly_capacity) / nullif(count(*), 0)                  AS capacity_declared_share,
    count(*) FILTER (WHERE NOT is_known_category)                 AS unclassified_offers,
    count(*) FILTER (WHERE sector_group = 'unknown')              AS offers_unknown_sector,
    count(*) FILTER (WHERE sector_group = 'reconversion')
        / nullif(count(*) FILTER (WHERE sector_group <> 'unknown'), 0) AS converted_offer_share
FROM offers
