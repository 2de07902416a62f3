-- The shared SQL vocabulary: one definition of each text rule and of each catalogue scope,
-- called by the ETL's SQL and by every dashboard query (app/sql). Scalar macros, created in
-- the load's database before any model (etl/load.py) and again in each published dashboard
-- file (etl/publish.py), which the app opens read-only. The catalogue scopes built on them
-- are in 92_scopes.sql. `create or replace`: every rerun is safe. docs/metrics.md lists them.

-- Text ---------------------------------------------------------------------------------------
-- The ligatures spelled out (œ → oe, æ → ae, either case): "Œufs" compares and sorts as "Oeufs".
create or replace macro fold_text(x) as
    replace(replace(replace(replace(x, 'œ', 'oe'), 'Œ', 'Oe'), 'æ', 'ae'), 'Æ', 'Ae');
-- French alphabetical order: case, accents and ligatures ignored (Épicerie with E, Œufs with O).
create or replace macro fr_sort_key(x) as lower(strip_accents(fold_text(x)));
-- Words of a text as matched: folded, lower case, no accents, anything but a letter or a digit
-- as one space, trimmed ("Œufs  bio !" → "oeufs bio"). The vocabulary aliases and the site
-- searches are normalised by it.
create or replace macro match_text(x) as
    trim(regexp_replace(fr_sort_key(x), '[^a-z0-9]+', ' ', 'g'));

-- Keys ---------------------------------------------------------------------------------------
-- A visit id as a number: the key by which `catalogue_visit_days` and `visit_searches` name
-- visits (`visits.visit_key`). The load's ids are 16 hex digits (40_visits.sql), the number
-- they spell (no more collisions than the ids); any other text (a hand-made warehouse's) its hash.
create or replace macro visit_key(visit_id) as
    coalesce(try_cast('0x' || visit_id as ubigint), hash(visit_id));

-- Geography ----------------------------------------------------------------------------------
-- Great-circle distance in km between two points in degrees (haversine, mean Earth radius
-- 6371.0088 km): the "within N km" of the local sourcing figures, between commune centroids.
create or replace macro distance_km(lat1, lon1, lat2, lon2) as
    2 * 6371.0088 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));

-- Local sourcing -------------------------------------------------------------------------------
-- A canteen's share of EGalim-quality purchases: organic counts towards the 50 % target too
-- (docs/metrics.md, "Local sourcing"); NULL when either share is missing.
create or replace macro egalim_share(ratio_bio, ratio_egalim_hors_bio) as ratio_bio + ratio_egalim_hors_bio;

-- Filters ------------------------------------------------------------------------------------
-- A value under a list filter: an empty list chooses everything.
create or replace macro is_chosen(chosen, value) as len(chosen) = 0 or list_contains(chosen, value);
-- A filter on the catalogue (departments, categories, supplier kinds) narrows the visits to
-- those that viewed its pages (include/visit_scope.sql); a filter on the suppliers themselves
-- (departments, kinds) leaves out what belongs to no supplier: category pages, site searches.
-- The SQL side of `Filters.has_catalogue_scope` and `Filters.has_supplier_scope`.
create or replace macro has_catalogue_scope(departments, categories, kinds) as
    len(departments) > 0 or len(categories) > 0 or len(kinds) > 0;
create or replace macro has_supplier_scope(departments, kinds) as
    len(departments) > 0 or len(kinds) > 0;

-- Figures ------------------------------------------------------------------------------------
-- Bounce rate: the share of visits with a single page view (docs/metrics.md). From `visits`:
-- bounce_rate(count(*) FILTER (WHERE is_bounce), count(*)); from `visits_daily`: the sums.
create or replace macro bounce_rate(bounces, visits) as bounces / nullif(visits, 0);
-- A count per 100 000 inhabitants (INSEE municipal population of the area).
create or replace macro per_100k(n, population) as n * 100000.0 / nullif(population, 0);

-- Activity on a day ----------------------------------------------------------------------------
-- A supplier is active from joined_on until left_on (excluded).
create or replace macro supplier_active_on(joined_on, left_on, day) as
    joined_on <= day and (left_on is null or left_on > day);
-- A listing is active from created_on until withdrawn_on (excluded); an inactive listing without
-- a withdrawal date cannot be dated, so it never counts as active.
create or replace macro listing_active_on(created_on, withdrawn_on, is_active, day) as
    created_on <= day and (withdrawn_on > day or (withdrawn_on is null and is_active));
