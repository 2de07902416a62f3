-- The databases the last load located visitors with (etl/geo.py): `country` (iptocc and its
-- version) and, when a city database was given, `department` (its type and build date).
SELECT
    role,
    database_type,
    version,
    built_on
FROM geo_sources
ORDER BY role
