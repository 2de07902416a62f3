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
spans AS (
    -- The days each supplier and each listing is on offer: a listing's own span cut to its
    -- supplier's (an inactive listing without a withdrawal date has none).
    SELECT 'supplier' AS entity, joined_on AS first_day, left_on AS end_day FROM supplier_scope
    UNION ALL
    SELECT 'listing',
           greatest(created_on, supplier_joined_on),
           least(withdrawn_on, supplier_left_on)
    FROM listing_scope
    WHERE withdrawn_on IS NOT NULL OR is_active
),
events AS (
    SELECT entity, first_day AS day, 1 AS delta FROM spans
    WHERE end_day IS NULL OR end_day > first_day
    UNION ALL
    SELECT entity, end_day, -1 FROM spans WHERE end_day > first_day
),
daily AS (
    SELECT d.day,
           coalesce(sum(e.delta) FILTER (WHERE e.entity = 'supplier'), 0) AS suppliers_delta,
           coalesce(sum(e.delta) FILTER (WHERE e.entity = 'listing'), 0)  AS listings_delta
    FROM days AS d
    LEFT JOIN events AS e ON e.day = d.day
    GROUP BY d.day
),
before_start AS (
    SELECT coalesce(sum(delta) FILTER (WHERE entity = 'supplier'), 0) AS suppliers,
           coalesce(sum(delta) FILTER (WHERE entity = 'listing'), 0)  AS listings
    FROM events WHERE day < $start
)
SELECT
    day,
    CAST((SELECT suppliers FROM before_start)
         + sum(suppliers_delta) OVER (ORDER BY day) AS BIGINT) AS active_suppliers,
    CAST((SELECT listings FROM before_start)
         + sum(listings_delta) OVER (ORDER BY day) AS BIGINT)  AS active_listings
FROM daily
ORDER BY day
