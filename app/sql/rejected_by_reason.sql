-- Quarantined inputs per source and reason code (etl/reasons.py: the value a reason quotes
-- is its `detail`, so one invalid SIRET and another count together): the rows kept one by
-- one, and those only counted beyond the rows kept per file (rejected_overflow). Inputs of
-- no platform are shown with each platform's: the analysts' annotations of every platform
-- (or of an unknown platform code) and the shared canteen files (etl/canteens.py).
SELECT source, reason_code, sum(n) AS n_rows
FROM (
    SELECT source, reason_code, 1 AS n FROM rejected_rows
    WHERE platform = $platform OR platform IS NULL
    UNION ALL
    SELECT source, reason_code, n_rows FROM rejected_overflow
    WHERE platform = $platform OR platform IS NULL
)
GROUP BY source, reason_code
ORDER BY n_rows DESC, source ASC, reason_code ASC
