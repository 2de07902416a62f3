-- CTE `cats(category, slug, is_unclassified)`: the platform's categories under the category
-- filter, the vocabulary first, then any unclassified label ("Non classé : …", no slug) found
-- in the listings. The two parts never overlap: unclassified labels carry their prefix.
cats AS (
    SELECT category, slug, FALSE AS is_unclassified FROM categories
    WHERE platform = $platform
      AND (len($categories) = 0 OR list_contains($categories, category))
    UNION ALL
    SELECT DISTINCT category, NULL, TRUE FROM listings
    WHERE platform = $platform AND NOT is_known_category
      AND (len($categories) = 0 OR list_contains($categories, category))
)
