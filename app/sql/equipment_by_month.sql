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
    SELECT l.category_code, l.supplier_id, l.created_on
    FROM scoped_listings($platform, $departments, $kinds, $categories) AS l
)
SELECT
    m.month,
    c.category_code,
    c.category,
    (SELECT count(*) FROM offers AS o
      WHERE o.category_code = c.category_code
        AND o.created_on >= greatest(m.month, $start)
        AND o.created_on < m.month + INTERVAL 1 MONTH
        AND o.created_on <= $end)                                   AS offers_published,
    (SELECT count(DISTINCT o.supplier_id) FROM offers AS o
      WHERE o.category_code = c.category_code
        AND o.created_on < m.month + INTERVAL 1 MONTH
        AND o.created_on <= $end)                                   AS companies_cumulative
FROM months AS m
CROSS JOIN cats AS c
ORDER BY m.month, c.is_unclassified, fr_sort_key(c.category)
