-- The daily aggregates (visits_daily, entity_views_daily, page_type_views_daily, hits_daily; docs/warehouse.md), the
-- one place they are written: recomputed from visits, page views and hits for the days of
-- `days_to_aggregate(platform, day)`, which the script run before fills (40_visits.sql: the
-- days just derived; 35_retention.sql: the day the retention cut through).
-- Their first and last day as variables, compared with ranges of the raw columns: DuckDB then
-- skips the row groups outside them (a `ts::date = (subquery)` test read all 54 million hits
-- at scale 10).
set variable aggregate_first = (select min(day) from days_to_aggregate);
set variable aggregate_last = (select max(day) from days_to_aggregate);

delete from visits_daily using days_to_aggregate d
where visits_daily.platform = d.platform and visits_daily.day = d.day;

insert into visits_daily
select v.platform, v.started_at::date as day, count(*), count(distinct v.visitor_id),
       sum(v.pageviews), count(*) filter (where v.is_bounce), sum(v.duration_s)
from visits as v semi join days_to_aggregate as d
    on v.platform = d.platform and v.started_at::date = d.day
where v.started_at >= getvariable('aggregate_first')
  and v.started_at < getvariable('aggregate_last') + interval 1 day
group by all;

delete from entity_views_daily using days_to_aggregate d
where entity_views_daily.platform = d.platform and entity_views_daily.day = d.day;

insert into entity_views_daily
select p.platform, p.ts::date as day, p.page_type, p.entity_id, count(*), count(distinct p.visit_id)
from pageviews as p semi join days_to_aggregate as d on p.platform = d.platform and p.ts::date = d.day
where p.ts >= getvariable('aggregate_first')
  and p.ts < getvariable('aggregate_last') + interval 1 day
  and p.entity_id is not null
group by all;

delete from page_type_views_daily using days_to_aggregate d
where page_type_views_daily.platform = d.platform and page_type_views_daily.day = d.day;

-- Entries and exits from the visits, views from the page views: a page type can hold views
-- of visits that neither entered nor left there, and a visit without page views (none: each
-- has its entry page) would still count its entry.
insert into page_type_views_daily
with
viewed as (
    select p.platform, p.ts::date as day, p.page_type, count(*) as pageviews,
           count(distinct p.visit_id) as visits,
           count(distinct p.visit_id) filter (where p.entity_id is null) as entityless_visits
    from pageviews as p semi join days_to_aggregate as d on p.platform = d.platform and p.ts::date = d.day
    where p.ts >= getvariable('aggregate_first')
      and p.ts < getvariable('aggregate_last') + interval 1 day
    group by all
),
ends as (
    select v.platform, v.started_at::date as day, e.page_type, count(*) filter (where e.is_entry) as entries,
           count(*) filter (where not e.is_entry) as exits
    from visits as v semi join days_to_aggregate as d
        on v.platform = d.platform and v.started_at::date = d.day
    cross join lateral (values (v.entry_page_type, true), (v.exit_page_type, false)) as e (page_type, is_entry)
    where v.started_at >= getvariable('aggregate_first')
      and v.started_at < getvariable('aggregate_last') + interval 1 day
    group by all
)
select coalesce(w.platform, e.platform), coalesce(w.day, e.day), coalesce(w.page_type, e.page_type),
       coalesce(w.pageviews, 0), coalesce(w.visits, 0), coalesce(w.entityless_visits, 0),
       coalesce(e.entries, 0), coalesce(e.exits, 0)
from viewed as w
full join ends as e
    on w.platform = e.platform and w.day = e.day and w.page_type is not distinct from e.page_type;

delete from hits_daily using days_to_aggregate d
where hits_daily.platform = d.platform and hits_daily.day = d.day;

insert into hits_daily
select h.platform, h.ts::date as day, h.exclusion_reason, count(*)
from hits as h semi join days_to_aggregate as d on h.platform = d.platform and h.ts::date = d.day
where h.ts >= getvariable('aggregate_first')
  and h.ts < getvariable('aggregate_last') + interval 1 day
group by all;

-- `days_to_aggregate` is read next by 46_catalogue_visit_days.sql and 47_visit_searches.sql
-- (etl/derive.py drops it).
