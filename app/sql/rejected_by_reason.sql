-- Quarantined inputs per source and reason.
SELECT source, reason, count(*) AS n_rows
FROM rejected_rows
WHERE platform = $platform
GROUP BY source, reason
ORDER BY n_rows DESC, source, reason
