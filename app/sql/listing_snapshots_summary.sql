-- Dated snapshots of the listing exports (files named …_AAAA-MM-JJ.csv): per snapshot date,
-- how many listings it holds and how many are active in it, with the filters. Undated
-- exports (snapshot_date NULL) are the plain files.
SELECT
    ls.snapshot_date,
    count(*)                                AS listings,
    count(*) FILTER (WHERE ls.is_active)    AS active_listings
FROM listing_snapshots AS ls
LEFT JOIN suppliers AS s ON s.platform = ls.platform AND s.supplier_id = ls.supplier_id
WHERE ls.platform = $platform
  AND is_chosen($departments, s.department_code)
  AND is_chosen($kinds, s.kind_code)
  AND is_chosen($categories, ls.category_code)
GROUP BY ls.snapshot_date
ORDER BY ls.snapshot_date NULLS LAST
