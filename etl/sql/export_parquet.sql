-- Export: warehouse tables → Parquet files under $out_dir, one folder per table, laid out as
-- Hive partitions (`platform=…/month=YYYY-MM/`) so DuckDB, Spark and Trino read them as they
-- are and skip the folders a filter excludes. Not a step of the load (no number): run by
-- `python -m etl export-parquet` (etl/export.py) on a read-only connection.
--
-- Partition columns leave the files and live in the folder names; readers add them back
-- (`hive_partitioning`). `month` is the Europe/Paris month of the row's local time, the month
-- the dashboard reports in. Visits never span midnight (daily visitor key), so a visit
-- lies in one month and each month folder is self-contained.
-- zstd rather than DuckDB's default snappy: `hits` of the scale-1 demo takes 145 MiB instead of
-- 272 MiB, and Spark (≥ 3.2) and Trino read it.
-- Not exported: `rejected_rows` as stored (its `raw_text` keeps the quarantined raw line,
-- which can hold an IP address; the view `quarantine` counts it by code and detail instead), `load_files` (paths on the loading machine), load caches and
-- configuration copies (`url_paths`, `config_state`, `own_hosts`, `channel_patterns`).
-- `load_info` and `visit_settings` go to the manifest `_export.json`.

-- Memory: a partitioned write buffers up to 524,288 rows per open partition by default (20
-- partitions for `hits` in 2020): 4.7 GB peak for `hits` of the scale-1 demo without a
-- memory limit. Flushing every row group (122,880 rows) and not keeping the insertion order,
-- which Parquet readers never rely on, keeps the whole export at ≈ 720 MiB peak within the
-- load's memory budget (`load_memory_limit_mb`, set by etl/export.py).
set partitioned_write_flush_threshold = 122880;
set preserve_insertion_order = false;

-- Visit analytics: grows with time, partitioned by platform and month.
copy (select *, strftime(ts, '%Y-%m') as month from hits)
to ($out_dir || '/hits') (format parquet, compression zstd, partition_by (platform, month));

copy (select *, strftime(ts, '%Y-%m') as month from pageviews)
to ($out_dir || '/pageviews') (format parquet, compression zstd, partition_by (platform, month));

copy (select *, strftime(started_at, '%Y-%m') as month from visits)
to ($out_dir || '/visits') (format parquet, compression zstd, partition_by (platform, month));

-- Catalogue: reloaded whole on every load, so it is rewritten whole too; by platform only.
-- The snapshot tables stay by platform as well: an undated export has no snapshot month.
copy (select * from suppliers)
to ($out_dir || '/suppliers') (format parquet, compression zstd, partition_by (platform));

copy (select * from listings)
to ($out_dir || '/listings') (format parquet, compression zstd, partition_by (platform));

copy (select * from supplier_snapshots)
to ($out_dir || '/supplier_snapshots') (format parquet, compression zstd, partition_by (platform));

copy (select * from listing_snapshots)
to ($out_dir || '/listing_snapshots') (format parquet, compression zstd, partition_by (platform));

-- Dimensions and reference: small, no time, unpartitioned. `file_size_bytes` makes DuckDB
-- write a folder (`<table>/data_0.parquet`), so every table is read the same way
-- (`<table>/**/*.parquet`) and a Trino external table can point at it.
copy (select * from user_agents)
to ($out_dir || '/user_agents') (format parquet, compression zstd, file_size_bytes '256MB');

copy (select * from categories)
to ($out_dir || '/categories') (format parquet, compression zstd, file_size_bytes '256MB');

copy (select * from departments)
to ($out_dir || '/departments') (format parquet, compression zstd, file_size_bytes '256MB');

copy (select * from communes)
to ($out_dir || '/communes') (format parquet, compression zstd, file_size_bytes '256MB');

copy (select * from key_dates)
to ($out_dir || '/key_dates') (format parquet, compression zstd, file_size_bytes '256MB');

-- The quarantine by reason code and detail (a view, etl/sql/90_summary.sql): no raw line.
copy (select * from quarantine)
to ($out_dir || '/quarantine') (format parquet, compression zstd, file_size_bytes '256MB');
