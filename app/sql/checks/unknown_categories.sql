-- Check: every listing has a category of the vocabulary (etl/config/vocabulary.toml); an
-- unknown label is loaded as "Non classé : <label>". One row per such listing.
-- Must return no rows.
SELECT l.listing_id, l.title, l.category, l.supplier_id, l.source_file, l.source_line
FROM listings AS l
WHERE l.platform = $platform
  AND (NOT l.is_known_category
       OR l.category_code NOT IN (SELECT category_code FROM categories WHERE platform = $platform))
ORDER BY l.category, l.listing_id
