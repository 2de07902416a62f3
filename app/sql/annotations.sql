-- The analysts' annotations inside the period, for $platform or for every platform (NULL),
-- drawn as markers on the visit time series; `label` is the analyst's text, shown escaped.
SELECT
    "date",
    label,
    platform
FROM annotations
WHERE "date" BETWEEN $start AND $end
  AND (platform IS NULL OR platform = $platform)
ORDER BY "date", line_no
