-- The supplier kinds present in each platform's suppliers (`suppliers.kind_code`, the codes of
-- `supplier_kinds` in etl/config/vocabulary.toml). Their French names are in app/labels.py.
SELECT DISTINCT platform, kind_code
FROM suppliers
WHERE kind_code IS NOT NULL
ORDER BY platform, kind_code
