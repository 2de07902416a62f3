-- Bookkeeping views of the warehouse contract.
create or replace view load_summary as
select platform, source,
       count(*) as files,
       sum(lines_read) as lines_read,
       sum(rows_loaded) as rows_loaded,
       sum(rows_rejected) as rows_rejected,
       -- Hits loaded then purged by retention: lines_read = rows_loaded + rows_rejected + rows_expired.
       sum(coalesce(rows_expired, 0)) as rows_expired
from load_files group by platform, source;

-- The span of the hits, from their daily aggregate (a few hundred rows, not every hit).
create or replace table load_info as
select now() as loaded_at,
       (select min(day) from hits_daily) as data_start,
       (select max(day) from hits_daily) as data_end;
