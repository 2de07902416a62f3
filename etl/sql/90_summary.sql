-- Bookkeeping views of the warehouse contract.
create or replace view load_summary as
select platform, source,
       count(*) as files,
       sum(lines_read) as lines_read,
       sum(rows_loaded) as rows_loaded,
       sum(rows_rejected) as rows_rejected,
       -- Hits loaded then purged by retention: lines_read = rows_loaded + rows_rejected + rows_expired.
       sum(coalesce(rows_expired, 0)) as rows_expired,
       -- Canteen files' rows of other regions, read and not loaded (etl/canteens.py): for
       -- them lines_read = rows_loaded + rows_rejected + rows_out_of_scope.
       sum(coalesce(rows_out_of_scope, 0)) as rows_out_of_scope
from load_files group by platform, source;

-- The quarantine counted per platform, source, reason code and detail (etl/reasons.py): the
-- rows kept one by one and those only counted (detail NULL there), without the raw lines or
-- the loading machine's paths, so that it can leave the warehouse (export_parquet.sql).
create or replace view quarantine as
select platform, source, reason_code, detail, sum(n_rows)::bigint as n_rows
from (
    select platform, source, reason_code, detail, 1 as n_rows from rejected_rows
    union all
    select platform, source, reason_code, detail, n_rows from rejected_overflow
)
group by all;

-- The span of the hits, from their daily aggregate (a few hundred rows, not every hit).
create or replace table load_info as
select now() as loaded_at,
       (select min(day) from hits_daily) as data_start,
       (select max(day) from hits_daily) as data_end;
