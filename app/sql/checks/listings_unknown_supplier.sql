-- Check: every listing belongs to a known supplier of the same platform (the loader
-- quarantines the others). One row per orphan listing. Must return no rows.
SELECT l.listing_id, l.title, l.supplier_id, l.source_file, l.source_line
FROM listings AS l
WHERE l.platform = $platform
  AND NOT EXISTS (SELECT 1 FROM suppliers AS s
                  WHERE s.platform = l.platform AND s.supplier_id = l.supplier_id)
ORDER BY l.listing_id
