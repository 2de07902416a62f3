-- The category vocabulary of both platforms, in label order.
SELECT platform, category_code, category
FROM categories
ORDER BY platform, lower(strip_accents(replace(replace(category, 'Œ', 'Oe'), 'œ', 'oe')))  -- French order: Œufs with O, Épicerie with E
