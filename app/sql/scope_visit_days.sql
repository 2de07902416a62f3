-- The (visit, Paris day) pairs of the page views of $platform that show a page of the
-- catalogue under the filters (the rules are in include/visit_scope.sql, which reads this
-- result as `scope_visit_days`). It depends on the catalogue filters only, not on the period:
-- `app/queries/engine.py` computes it once per filter choice and every visit figure of that
-- choice, whatever its period, reads it instead of joining every page view again.
-- Empty without a catalogue filter.
WITH
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
)
SELECT DISTINCT
    p.visit_id,
    CAST(p.ts AS DATE) AS day
FROM pageviews AS p
JOIN scope_entities AS e ON e.page_type = p.page_type AND e.entity_id = p.entity_id
WHERE p.platform = $platform
