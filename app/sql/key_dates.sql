-- Key dates inside the period, drawn as vertical lines on the visit time series: those of
-- etl/config/key_dates.csv for both platforms or for this one (the food platform's opening is
-- not the equipment platform's) and the platform's changes of address (etl/config/hosts.toml).
-- `host` is set for a change of address (its label may be NULL: app/queries/reference.py
-- names it then).
SELECT
    date,
    label,
    NULL                                                     AS host
FROM key_dates
WHERE date BETWEEN $start AND $end
  AND (platform IS NULL OR platform = $platform)
UNION ALL
SELECT
    day                                                      AS date,
    label,
    host
FROM host_changes
WHERE platform = $platform
  AND day BETWEEN $start AND $end
ORDER BY date
