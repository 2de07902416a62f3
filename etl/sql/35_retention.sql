-- Retention, before visits are derived.
-- Hits older than $retention_months before the newest log line are purged (CNIL advice:
-- 25 months for audience measurement); counted from the data, not the clock, so a load of
-- an old archive keeps it whole while daily operation gives the rolling window.
delete from hits
where ts_utc < (select max(ts_utc) from hits) - to_months($retention_months::integer);

