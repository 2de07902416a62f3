-- Arrivals and departures per month of the period, from the dates of the exports:
-- suppliers joined (joined_on) and left (left_on), listings published (created_on) and
-- withdrawn (withdrawn_on). Filters as everywhere: supplier's department; category of the
-- listing (suppliers: having a listing in one of the categories). Months cut by the period
-- count only its days; is_partial marks them.
-- undated_withdrawals: listings withdrawn without a withdrawal date (not placed in a month).
WITH months AS (
    SELECT CAST(unnest(generate_series(
        date_trunc('month', $start::TIMESTAMP), $end::TIMESTAMP, INTERVAL 1 MONTH)) AS DATE) AS month
),
-- include: catalogue_scope
,
events AS (
    SELECT date_trunc('month', joined_on) AS month, 'suppliers_joined' AS event FROM supplier_scope
    WHERE joined_on BETWEEN $start AND $end
    UNION ALL
    SELECT date_trunc('month', left_on), 'suppliers_left' FROM supplier_scope
    WHERE left_on BETWEEN $start AND $end
    UNION ALL
    SELECT date_trunc('month', created_on), 'listings_created' FROM listing_scope
    WHERE created_on BETWEEN $start AND $end
    UNION ALL
    SELECT date_trunc('month', withdrawn_on), 'listings_withdrawn' FROM listing_scope
    WHERE withdrawn_on BETWEEN $start AND $end
)
SELECT
    m.month,
    count(e.event) FILTER (WHERE e.event = 'suppliers_joined')     AS suppliers_joined,
    count(e.event) FILTER (WHERE e.event = 'suppliers_left')       AS suppliers_left,
    count(e.event) FILTER (WHERE e.event = 'listings_created')     AS listings_created,
    count(e.event) FILTER (WHERE e.event = 'listings_withdrawn')   AS listings_withdrawn,
    (m.month < $start OR m.month + INTERVAL 1 MONTH > $end + 1)  AS is_partial,
    (SELECT count(*) FROM listing_scope
      WHERE NOT is_active AND withdrawn_on IS NULL)              AS undated_withdrawals
FROM months AS m
LEFT JOIN events AS e ON e.month = m.month
GROUP BY m.month
ORDER BY m.month
