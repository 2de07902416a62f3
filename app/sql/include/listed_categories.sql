-- CTE `cats(category_code, category, slug, is_unclassified)`: the platform's categories under
-- the category filter, the vocabulary first, then any unclassified category ("Non classé : …",
-- code `non_classe_…`, no slug) found in the listings. The two parts never overlap.
cats AS (
    SELECT category_code, category, slug, FALSE AS is_unclassified FROM categories
    WHERE platform = $platform AND is_chosen($categories, category_code)
    UNION ALL
    SELECT DISTINCT category_code, category, NULL, TRUE FROM listings
    WHERE platform = $platform AND NOT is_known_category AND is_chosen($categories, category_code)
)
