-- Key dates inside the period, drawn as vertical lines on the visit time series: the shared
-- ones (etl/config/key_dates.csv) and the platform's changes of address (etl/config/hosts.toml).
-- `host` is set for a change of address (its label may be NULL: app/queries/reference.py
-- names it then).
SELECT
    date,
    label,
    NULL                                                     AS host
FROM key_dates
WHERE date BETWEEN $start AND $end
UNION ALL
SELECT
    day                                                      AS date,
    label,
    host
FROM host_changes
WHERE platform = $platform
  AND day BETWEEN $start AND $end
ORDER BY date
