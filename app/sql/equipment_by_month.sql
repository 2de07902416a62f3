-- Protective equipment: per month of the period and category, offers published that month
-- (created_on), and companies having published an offer in the category by the end of
-- the month (cumulative, counting offers published before the period too).
WITH months AS (
    SELECT CAST(unnest(generate_series(
        date_trunc('month', $start::TIMESTAMP), $end::TIMESTAMP, INTERVAL 1 MONTH)) AS DATE) AS month
),
-- include: listed_categories
,
offers AS (
    SELECT l.category, l.supplier_id, l.created_on
    FROM listings AS l
    JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
    WHERE
-- include: listing_in_scope
)
SELECT
    m.month,
    c.category,
    (SELECT count(*) FROM offers AS o
      WHERE o.category = c.category
        AND o.created_on >= greatest(m.month, $start)
        AND o.created_on < m.month + INTERVAL 1 MONTH
        AND o.created_on <= $end)                                   AS offers_published,
    (SELECT count(DISTINCT o.supplier_id) FROM offers AS o
      WHERE o.category = c.category
        AND o.created_on < m.month + INTERVAL 1 MONTH
        AND o.created_on <= $end)                                   AS companies_cumulative
FROM months AS m
CROSS JOIN cats AS c
ORDER BY m.month, c.is_unclassified, lower(strip_accents(replace(replace(c.category, 'Œ', 'Oe'), 'œ', 'oe')))
