-- Retention, then the bookkeeping views of the warehouse contract.
-- Hits older than $retention_months before the newest log line are purged (CNIL advice:
-- 25 months for audience measurement); counted from the data, not the clock, so a load of
-- an old archive keeps it whole while daily operation gives the rolling window.
delete from hits
where ts_utc < (select max(ts_utc) from hits) - to_months($retention_months::integer);

create or replace view load_summary as
select platform, source,
       count(*) as files,
       sum(lines_read) as lines_read,
       sum(rows_loaded) as rows_loaded,
       sum(rows_rejected) as rows_rejected
from load_files group by platform, source;

create or replace table load_info as
select now() as loaded_at,
       (select min(ts)::date from hits) as data_start,
       (select max(ts)::date from hits) as data_end;
