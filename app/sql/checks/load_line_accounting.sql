-- Check: for every loaded file, lines read = rows loaded + rows quarantined (load_files).
-- One row per file where the totals disagree. Must return no rows.
SELECT
    source,
    path,
    lines_read,
    rows_loaded,
    rows_rejected,
    lines_read - rows_loaded - rows_rejected AS difference
FROM load_files
WHERE platform = $platform
  AND (lines_read IS NULL OR rows_loaded IS NULL OR rows_rejected IS NULL
       OR lines_read <> rows_loaded + rows_rejected)
ORDER BY source, path
