-- Conversion per department or per category ($dimension: 'department' or 'category') of the
-- catalogue pages a visit viewed: for each, the visits of the period under the catalogue
-- filters that viewed a product or producer/company page of it (a category page too, for
-- the category), those that reached at least one goal, and the conversion rate. A visit that
-- viewed pages of two departments counts in both.
WITH
-- include: visit_scope
,
viewed AS (
    SELECT
        p.visit_id,
        p.page_type,
        p.entity_id
    FROM pageviews AS p
    SEMI JOIN scoped_visits AS v ON p.visit_id = v.visit_id
    WHERE p.platform = $platform
      AND p.ts >= $start
      AND p.ts < $end + INTERVAL 2 DAY  -- a visit lies within its start day, or the next with no midnight split
      AND p.page_type IN ('produit', 'fournisseur', 'categorie')
),
visit_keys AS (
    SELECT DISTINCT
        w.visit_id,
        CASE $dimension
            WHEN 'department' THEN coalesce(s_product.department_code, s_page.department_code)
            ELSE coalesce(l.category_code, c.category_code)
        END                                                  AS code
    FROM viewed AS w
    LEFT JOIN listings AS l
           ON w.page_type = 'produit' AND l.platform = $platform AND l.listing_id = w.entity_id
    LEFT JOIN suppliers AS s_product
           ON s_product.platform = $platform AND s_product.supplier_id = l.supplier_id
    LEFT JOIN suppliers AS s_page
           ON w.page_type = 'fournisseur' AND s_page.platform = $platform
          AND s_page.supplier_id = w.entity_id
    LEFT JOIN categories AS c
           ON w.page_type = 'categorie' AND c.platform = $platform AND c.slug = w.entity_id
),
converted AS (
    SELECT DISTINCT g.visit_id
    FROM visit_goals AS g
    WHERE g.platform = $platform
      AND g.day BETWEEN $start AND $end
)
SELECT
    k.code,
    count(*)                                                 AS visits,
    count(c.visit_id)                                        AS converted_visits,
    count(c.visit_id) / count(*)                             AS conversion_rate
FROM visit_keys AS k
LEFT JOIN converted AS c ON k.visit_id = c.visit_id
WHERE k.code IS NOT NULL
GROUP BY ALL
ORDER BY visits DESC, k.code ASC
