-- Check: for every loaded file, lines read = rows loaded + rows quarantined + rows expired
-- (loaded, then purged by retention) + rows out of the region (the shared canteen files,
-- etl/canteens.py) (load_files). The platform's files and those of every platform.
-- One row per file where the totals disagree. Must return no rows.
SELECT
    source,
    path,
    lines_read,
    rows_loaded,
    rows_rejected,
    rows_expired,
    rows_out_of_scope,
    lines_read - rows_loaded - rows_rejected - coalesce(rows_expired, 0)
    - coalesce(rows_out_of_scope, 0) AS difference
FROM load_files
WHERE (platform = $platform OR platform = 'toutes')
  AND (lines_read IS NULL OR rows_loaded IS NULL OR rows_rejected IS NULL
       OR lines_read <> rows_loaded + rows_rejected + coalesce(rows_expired, 0)
       + coalesce(rows_out_of_scope, 0))
ORDER BY source, path
