-- `visit_searches` (00_schema.sql) for the days of `days_to_aggregate(platform, day)`, run
-- after 45_daily_aggregates.sql (etl/derive.py): each visit's site searches per normalised
-- terms, as the search figures match them (app/sql/include/search_matches.sql).
set variable searches_first = (select min(day) from days_to_aggregate);
set variable searches_last = (select max(day) from days_to_aggregate);

delete from visit_searches using days_to_aggregate d
where visit_searches.platform = d.platform and visit_searches.day = d.day;

insert into visit_searches
select p.platform, p.ts::date as day, visit_key(p.visit_id) as visit_key, match_text(p.search_terms) as terms, count(*)
from pageviews as p semi join days_to_aggregate as d on p.platform = d.platform and p.ts::date = d.day
where p.ts >= getvariable('searches_first')
  and p.ts < getvariable('searches_last') + interval 1 day
  and p.page_type = 'recherche'
  and p.search_terms is not null
group by all
having terms <> ''
order by platform, day;
