-- Quarantined inputs per source and reason: the rows kept one by one, and those only counted
-- beyond the rows kept per file (rejected_overflow).
SELECT source, reason, sum(n) AS n_rows
FROM (
    SELECT source, reason, 1 AS n FROM rejected_rows WHERE platform = $platform
    UNION ALL
    SELECT source, reason, n_rows FROM rejected_overflow WHERE platform = $platform
)
GROUP BY source, reason
ORDER BY n_rows DESC, source ASC, reason ASC
