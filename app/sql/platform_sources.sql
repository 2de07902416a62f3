-- Which sources (logs, suppliers, listings) have at least one loaded row, per platform: the
-- overview says plainly when one is missing.
SELECT platform, source
FROM load_files
GROUP BY platform, source
HAVING sum(rows_loaded) > 0
ORDER BY platform, source
