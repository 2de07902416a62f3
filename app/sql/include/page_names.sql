-- CTE `page_names(page_type, entity_id, name)`: the catalogue name of each page that shows one
-- entity of the platform: a product page (the listing's title), a producer's page (the
-- supplier's name), a category page (the category, by its slug). Entry and exit pages read
-- their names from it.
page_names AS (
    SELECT 'produit' AS page_type, listing_id AS entity_id, title AS name FROM listings
    WHERE platform = $platform
    UNION ALL
    SELECT 'fournisseur', supplier_id, name FROM suppliers WHERE platform = $platform
    UNION ALL
    SELECT 'categorie', slug, category FROM categories WHERE platform = $platform
)
