-- Visits from each country over the period (catalogue filters applied through
-- include/visit_scope.sql): `code` is the ISO 3166-1 alpha-2 country of the entry page's
-- address (visits.country_code; French names in app/geo.py), NULL for visits not located,
-- with the share of all visits.
WITH
-- include: visit_scope
SELECT
    country_code AS code,
    count(*) AS visits,
    count(*) / sum(count(*)) OVER () AS share
FROM scoped_visits
GROUP BY country_code
ORDER BY code IS NULL, visits DESC, code ASC
