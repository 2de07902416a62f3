-- Conversion per department or per category ($dimension: 'department' or 'category') of the
-- catalogue pages a visit viewed: for each, the visits of the period under the catalogue
-- filters that viewed a product or producer/company page of it (a category page too, for
-- the category), those that reached at least one goal, and the conversion rate. A visit that
-- viewed pages of two departments counts in both.
WITH
-- include: visit_scope
,
-- include: scoped_pageviews
,
viewed AS (
    SELECT
        p.visit_id,
        p.page_type,
        p.entity_id
    FROM scoped_pageviews AS p
    WHERE p.page_type IN ('produit', 'fournisseur', 'categorie')
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
-- include: converted_visits
SELECT
    k.code,
    count(*)                                                 AS visits,
    count(c.visit_id)                                        AS converted_visits,
    count(c.visit_id) / count(*)                             AS conversion_rate
FROM visit_keys AS k
LEFT JOIN converted_visits AS c ON k.visit_id = c.visit_id
WHERE k.code IS NOT NULL
GROUP BY ALL
ORDER BY visits DESC, k.code ASC
