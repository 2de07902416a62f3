-- Suppliers and listings active on each day of the period (the rules of active_suppliers_on
-- and active_listings_on, etl/sql/92_scopes.sql): a supplier from joined_on until left_on
-- (excluded), a listing from created_on until withdrawn_on (excluded; without one, only if
-- still active), and only while its supplier is active. Counted as running sums of arrivals
-- (+1) and departures (-1) rather than one count per day.
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
listing_spans AS (
    -- The days a listing is on offer: its own span cut to its supplier's (an inactive listing
    -- without a withdrawal date has none).
    SELECT greatest(created_on, supplier_joined_on) AS first_day,
           least(withdrawn_on, supplier_left_on)    AS end_day
    FROM listing_scope
    WHERE withdrawn_on IS NOT NULL OR is_active
),
listing_events AS (
    SELECT first_day AS day, 1 AS delta FROM listing_spans
    WHERE end_day IS NULL OR end_day > first_day
    UNION ALL
    SELECT end_day, -1 FROM listing_spans WHERE end_day > first_day
),
daily AS (
    SELECT d.day,
           (SELECT coalesce(sum(e.delta), 0) FROM supplier_events AS e WHERE e.day = d.day) AS suppliers_delta,
           (SELECT coalesce(sum(e.delta), 0) FROM listing_events AS e WHERE e.day = d.day)  AS listings_delta
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
