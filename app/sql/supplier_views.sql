-- One row per supplier active on $end (filters applied, as in supplier_listings) whose name
-- or commune contains $pattern (an ILIKE pattern built by app.queries with % and _ escaped
-- by a backslash; case, accents and ligatures ignored on both sides: fr_sort_key): its
-- active listings on $end, and the page views over the period of its own page plus the
-- pages of its products (all its listings, whatever their state: a withdrawn product's page
-- may still be seen).
WITH
-- include: active_listings_per_supplier
,
scope AS (
    SELECT s.*
    FROM active_suppliers_on($platform, $departments, $kinds, $categories, $end) AS s
    WHERE (fr_sort_key(s.name) ILIKE fr_sort_key($pattern) ESCAPE '\'
           OR fr_sort_key(coalesce(s.commune, '')) ILIKE fr_sort_key($pattern) ESCAPE '\')
),
page_owner AS (
    -- The supplier each product or producer page belongs to.
    SELECT 'fournisseur' AS page_type, supplier_id AS entity_id, supplier_id FROM scope
    UNION ALL
    SELECT 'produit', l.listing_id, l.supplier_id
    FROM listings AS l
    WHERE l.platform = $platform AND l.supplier_id IN (SELECT supplier_id FROM scope)
),
views AS (
    SELECT
        o.supplier_id,
        coalesce(sum(v.pageviews) FILTER (WHERE v.page_type = 'fournisseur'), 0) AS supplier_pageviews,
        coalesce(sum(v.pageviews) FILTER (WHERE v.page_type = 'produit'), 0)     AS product_pageviews
    FROM entity_views_daily AS v
    JOIN page_owner AS o ON o.page_type = v.page_type AND o.entity_id = v.entity_id
    WHERE v.platform = $platform
      AND v.page_type IN ('fournisseur', 'produit')
      AND v.day BETWEEN $start AND $end
    GROUP BY o.supplier_id
)
SELECT
    s.supplier_id,
    s.name,
    s.department_code,
    s.department_name,
    s.commune,
    s.kind,
    s.kind_code,
    s.joined_on,
    coalesce(a.n, 0)                                              AS active_listings,
    coalesce(v.supplier_pageviews, 0)                             AS supplier_pageviews,
    coalesce(v.product_pageviews, 0)                              AS product_pageviews,
    coalesce(v.supplier_pageviews, 0) + coalesce(v.product_pageviews, 0) AS pageviews
FROM scope AS s
LEFT JOIN active_listings AS a USING (supplier_id)
LEFT JOIN views AS v USING (supplier_id)
ORDER BY pageviews, s.name, s.supplier_id
