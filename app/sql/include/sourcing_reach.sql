-- Fragment (included by `-- include: sourcing_reach`, after `canteen_scope`): the platform's
-- suppliers that could supply the canteens. CTEs:
--   * `producer_families`: (supplier_id, family_code) for each supplier with a listing on
--     offer on $end in a category of that *ma cantine* family (`category_families`,
--     etl/config/canteen_families.toml), under the kind and category filters; categories of
--     no family (not food, or not classified) give none;
--   * `producers`: those suppliers, with their commune's centroid (suppliers.latitude and
--     longitude); the department filter chooses canteens, not suppliers: a producer across a
--     department border may be the nearest;
--   * `reach`: each (canteen, producer) pair at most $radius_km apart, with the distance in
--     km between their communes' centroids (`distance_km`, etl/sql/01_vocabulary.sql). A
--     canteen or producer without coordinates reaches nothing.
producer_families AS (
    SELECT DISTINCT
        l.supplier_id,
        f.family_code
    FROM active_listings_on($platform, [], $kinds, $categories, $end) AS l
    INNER JOIN category_families AS f
        ON l.platform = f.platform AND l.category_code = f.category_code
    INNER JOIN canteen_families AS k ON f.family_code = k.family_code
),
producers AS (
    SELECT
        s.supplier_id,
        s.name,
        s.kind_code,
        s.commune,
        s.department_code,
        s.latitude,
        s.longitude
    FROM suppliers AS s
    WHERE s.platform = $platform
      AND s.supplier_id IN (SELECT pf.supplier_id FROM producer_families AS pf)
),
reach AS (
    SELECT
        c.siret,
        p.supplier_id,
        distance_km(c.latitude, c.longitude, p.latitude, p.longitude) AS km
    FROM canteen_scope AS c
    INNER JOIN producers AS p
        ON distance_km(c.latitude, c.longitude, p.latitude, p.longitude) <= $radius_km
)
