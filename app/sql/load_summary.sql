-- Load bookkeeping per platform and source (files, lines read, loaded, quarantined).
SELECT *
FROM load_summary
WHERE platform = $platform
ORDER BY ALL
