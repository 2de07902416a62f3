-- Key dates inside the period, drawn as vertical lines on the visit time series.
SELECT date, label
FROM key_dates
WHERE date BETWEEN $start AND $end
ORDER BY date
