-- Load bookkeeping per platform and source (files, lines read, loaded, quarantined); the
-- analysts' annotations file, which belongs to every platform ('toutes'), with each one.
SELECT *
FROM load_summary
WHERE platform = $platform OR (source = 'annotations' AND platform = 'toutes')
ORDER BY ALL
