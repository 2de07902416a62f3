-- The category vocabulary of both platforms, in French label order (fr_sort_key: Œufs with O,
-- Épicerie with E).
SELECT platform, category_code, category
FROM categories
ORDER BY platform, fr_sort_key(category)
