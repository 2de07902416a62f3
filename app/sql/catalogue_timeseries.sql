-- Suppliers and listings active on each day of the period (same rules as catalogue_summary):
-- a supplier from joined_on until left_on (excluded), a listing from created_on until
-- withdrawn_on (excluded; without one, only if still active). Counted as running sums of
-- arrivals (+1) and departures (-1) rather than one count per day.
WITH days AS (
    SELECT CAST(unnest(generate_series($start::TIMESTAMP, $end::TIMESTAMP, INTERVAL 1 DAY)) AS DATE) AS day
),
-- include: catalogue_scope
,
supplier_events AS (
    SELECT joined_on AS day, 1 AS delta FROM supplier_scope
    WHERE left_on IS NULL OR left_on > joined_on
    UNION ALL
    SELECT left_on, -1 FROM supplier_scope WHERE left_on > joined_on
),
listing_events AS (
    SELECT created_on AS day, 1 AS delta FROM listing_scope
    WHERE withdrawn_on > created_on OR (withdrawn_on IS NULL AND is_active)
    UNION ALL
    SELECT withdrawn_on, -1 FROM listing_scope WHERE withdrawn_on > created_on
),
daily AS (
    SELECT d.day,
           (SELECT coalesce(sum(delta), 0) FROM supplier_events AS e WHERE e.day = d.day) AS suppliers_delta,
           (SELECT coalesce(sum(delta), 0) FROM listing_events AS e WHERE e.day = d.day)  AS listings_delta
    FROM days AS d
)
SELECT
    day,
    CAST((SELECT coalesce(sum(delta), 0) FROM supplier_events WHERE day < $start)
         + sum(suppliers_delta) OVER (ORDER BY day) AS BIGINT) AS active_suppliers,
    CAST((SELECT coalesce(sum(delta), 0) FROM listing_events WHERE day < $start)
         + sum(listings_delta) OVER (ORDER BY day) AS BIGINT)  AS active_listings
FROM daily
ORDER BY day
