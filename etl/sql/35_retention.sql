-- Retention of one platform, before visits are derived: hits older than $cutoff are purged
-- (etl/load.py computes it: $retention_months back from the platform's newest hit, which
-- cannot be later than the load's clock + 1 day since later lines are quarantined; CNIL
-- advice: 25 months for audience measurement). Counted from the data, not the clock alone,
-- so that a load of an old archive keeps it whole while daily operation gives the rolling
-- window. A purge of a large share of the history is refused before this script runs.
-- Parameters: $platform, $cutoff (timestamptz).

-- Purged hits stay counted: lines_read = rows_loaded + rows_rejected + rows_expired.
create or replace temp table expired_by_file as
select file_id, count(*) as n from hits where platform = $platform and ts_utc < $cutoff group by 1;

update load_files set rows_loaded = rows_loaded - e.n, rows_expired = coalesce(rows_expired, 0) + e.n
from expired_by_file as e where load_files.file_id = e.file_id;

delete from hits where platform = $platform and ts_utc < $cutoff;

delete from pageviews where platform = $platform and ts_utc < $cutoff;

-- Visits whose page views were all purged. A visit lies within one Paris day (the visitor id
-- changes daily), so only visits started before the cutoff can have lost their page views,
-- and only the page views up to the cutoff's next day can still belong to them.
delete from visits
where platform = $platform
  and started_at < timezone('Europe/Paris', $cutoff::timestamptz)
  and visit_id not in (
      select visit_id from pageviews
      where platform = $platform
        and ts < timezone('Europe/Paris', $cutoff::timestamptz)::date + interval 1 day);

-- The goals of the visits just purged.
delete from visit_goals
where platform = $platform
  and day <= timezone('Europe/Paris', $cutoff::timestamptz)::date
  and visit_id not in (select visit_id from visits where platform = $platform);

-- The daily aggregates: days before the cutoff's day are gone; that day lost some visits and
-- is recomputed by the daily scripts (etl/derive.py: 45, 46, 47), run next.
set variable retention_day = timezone('Europe/Paris', $cutoff::timestamptz)::date;

delete from visits_daily where platform = $platform and day < getvariable('retention_day');
delete from entity_views_daily where platform = $platform and day < getvariable('retention_day');
delete from hits_daily where platform = $platform and day < getvariable('retention_day');
delete from page_type_views_daily
where platform = $platform and day < getvariable('retention_day');
delete from visit_searches where platform = $platform and day < getvariable('retention_day');
delete from catalogue_visit_days
where platform = $platform and day < getvariable('retention_day');
delete from catalogue_goals_daily
where platform = $platform and day < getvariable('retention_day');

create or replace temp table days_to_aggregate as
select $platform as platform, getvariable('retention_day') as day;

-- Touched days wholly before the cutoff have nothing left to derive.
delete from touched_days where platform = $platform and day < getvariable('retention_day');
