-- The supplier kinds of both platforms (`suppliers.kind`, French labels of the vocabulary
-- `supplier_kinds` of etl/config/vocabulary.toml), in label order. The warehouse keeps only
-- the label, so the page address carries a code derived from it here, and only here: lower
-- case, œ → oe, accents removed, anything else than a letter or digit as `_` ("Commerçant" →
-- `commercant`, the vocabulary's own code for every kind of today's vocabulary).
SELECT DISTINCT
    platform,
    trim(regexp_replace(strip_accents(replace(lower(kind), 'œ', 'oe')), '[^a-z0-9]+', '_', 'g'),
         '_')                                                                    AS kind_code,
    kind
FROM suppliers
WHERE kind IS NOT NULL
ORDER BY platform, lower(strip_accents(replace(replace(kind, 'Œ', 'Oe'), 'œ', 'oe'))), kind
