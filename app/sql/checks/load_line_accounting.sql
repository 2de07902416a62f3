-- Check: for every loaded file, lines read = rows loaded + rows quarantined + rows expired
-- (loaded, then purged by retention) (load_files).
-- One row per file where the totals disagree. Must return no rows.
SELECT
    source,
    path,
    lines_read,
    rows_loaded,
    rows_rejected,
    rows_expired,
    lines_read - rows_loaded - rows_rejected - coalesce(rows_expired, 0) AS difference
FROM load_files
WHERE platform = $platform
  AND (lines_read IS NULL OR rows_loaded IS NULL OR rows_rejected IS NULL
       OR lines_read <> rows_loaded + rows_rejected + coalesce(rows_expired, 0))
ORDER BY source, path
