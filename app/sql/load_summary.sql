-- Load bookkeeping per platform and source (files, lines read, loaded, quarantined, out of
-- the region); the files of every platform ('toutes': the analysts' annotations, the shared
-- canteen files) with each one.
SELECT *
FROM load_summary
WHERE platform = $platform OR platform = 'toutes'
ORDER BY ALL
