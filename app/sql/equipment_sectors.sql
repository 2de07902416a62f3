-- Protective equipment: per sector (include/naf_companies.sql), the companies active on $end,
-- how many of them hold an active offer (in the chosen categories), those offers, and the NAF
-- codes met. Biggest sectors first. No capacity: it would add up unlike units (masks, walls,
-- cameras); capacity is read per category.
WITH
-- include: naf_companies
,
active_companies AS (
    SELECT c.*
    FROM naf_companies AS c
    JOIN active_suppliers_on($platform, $departments, $kinds, [], $end) USING (supplier_id)
),
offers AS (
    SELECT l.supplier_id, count(*) AS offers
    FROM active_listings_on($platform, $departments, $kinds, $categories, $end) AS l
    GROUP BY l.supplier_id
)
SELECT
    c.sector_group,
    c.sector,
    count(*)                                      AS companies,
    count(o.supplier_id)                          AS companies_with_offers,
    coalesce(sum(o.offers), 0)                    AS offers,
    string_agg(DISTINCT coalesce(c.naf_code, '—'), ', ' ORDER BY coalesce(c.naf_code, '—')) AS naf_codes
FROM active_companies AS c
LEFT JOIN offers AS o USING (supplier_id)
WHERE len($categories) = 0 OR o.supplier_id IS NOT NULL
GROUP BY c.sector_group, c.sector
ORDER BY c.sector_group = 'unknown' ASC, offers DESC, companies DESC, c.sector ASC
