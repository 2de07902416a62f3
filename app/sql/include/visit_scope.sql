-- Fragment (included by `-- include: visit_scope`): the CTE `scoped_visits`, the visits of
-- $platform started within [$start, $end] (Paris days) that fall under the catalogue filters.
-- A visit has neither department, category nor supplier kind, so with one of those filters it
-- counts when it viewed a page of the filtered catalogue:
--   * a product page: the listing's category, its supplier's department and kind;
--   * a producer/company page: the supplier's department and kind, the categories of its
--     listings;
--   * a category page: its category (no department and no supplier, so never with a
--     department or kind filter).
-- Without those filters every visit of the period counts.
scope_entities AS (
    SELECT 'produit' AS page_type, l.listing_id AS entity_id
    FROM scoped_listings($platform, $departments, $kinds, $categories) AS l
    WHERE has_catalogue_scope($departments, $categories, $kinds)
    UNION ALL
    SELECT 'fournisseur', s.supplier_id
    FROM scoped_suppliers($platform, $departments, $kinds, $categories) AS s
    WHERE has_catalogue_scope($departments, $categories, $kinds)
    UNION ALL
    SELECT 'categorie', c.slug
    FROM categories AS c
    WHERE c.platform = $platform
      AND NOT has_supplier_scope($departments, $kinds)
      AND len($categories) > 0
      AND list_contains($categories, c.category_code)
),
scope_visit_ids AS (
    SELECT DISTINCT p.visit_id
    FROM pageviews AS p
    JOIN scope_entities AS e ON e.page_type = p.page_type AND e.entity_id = p.entity_id
    WHERE p.platform = $platform
      AND p.ts >= $start
      AND p.ts < $end + INTERVAL 1 DAY
),
scoped_visits AS (
    SELECT v.*
    FROM visits AS v
    WHERE v.platform = $platform
      AND v.started_at >= $start
      AND v.started_at < $end + INTERVAL 1 DAY
      AND (NOT has_catalogue_scope($departments, $categories, $kinds)
           OR v.visit_id IN (SELECT visit_id FROM scope_visit_ids))
)
