-- Retention, before visits are derived.
-- Hits older than $retention_months before the newest log line are purged (CNIL advice:
-- 25 months for audience measurement); counted from the data, not the clock, so a load of
-- an old archive keeps it whole while daily operation gives the rolling window.
create or replace temp table retention_cutoff as
select max(ts_utc) - to_months($retention_months::integer) as cutoff from hits;

delete from hits where ts_utc < (select cutoff from retention_cutoff);

delete from pageviews where ts_utc < (select cutoff from retention_cutoff);

delete from visits where visit_id not in (select visit_id from pageviews);

delete from touched_days where not exists (
    select 1 from hits h where h.platform = touched_days.platform and h.ts::date = touched_days.day);
