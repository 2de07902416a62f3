-- `catalogue_visit_days` (00_schema.sql) for the days of `days_to_aggregate(platform, day)`,
-- run after 45_daily_aggregates.sql (etl/derive.py). A load that rebuilt the catalogue runs it
-- over every day: a supplier's department or a listing's category may have changed.
-- The rules are those of the catalogue filters on visits (app/sql/include/visit_scope.sql).
set variable index_first = (select min(day) from days_to_aggregate);
set variable index_last = (select max(day) from days_to_aggregate);

delete from catalogue_visit_days using days_to_aggregate d
where catalogue_visit_days.platform = d.platform and catalogue_visit_days.day = d.day;

insert into catalogue_visit_days
with
day_pageviews as (
    select p.platform, p.ts::date as day, visit_key(p.visit_id) as visit_key, p.page_type, p.entity_id
    from pageviews as p
    semi join days_to_aggregate as d on p.platform = d.platform and p.ts::date = d.day
    where p.ts >= getvariable('index_first')
      and p.ts < getvariable('index_last') + interval 1 day
      and p.page_type in ('produit', 'fournisseur', 'categorie')
),
-- Each category a supplier offers (any listing, active or not, as `scoped_suppliers`), and a
-- NULL one for every supplier, listings or not.
supplier_categories as (
    select distinct platform, supplier_id, category_code from listings
    union all
    select platform, supplier_id, null from suppliers
),
viewed as (
    select p.platform, p.day, p.visit_key, s.department_code, s.kind_code, l.category_code
    from day_pageviews as p
    inner join listings as l on l.platform = p.platform and l.listing_id = p.entity_id
    inner join suppliers as s on s.platform = l.platform and s.supplier_id = l.supplier_id
    where p.page_type = 'produit'
    union all
    select p.platform, p.day, p.visit_key, s.department_code, s.kind_code, c.category_code
    from day_pageviews as p
    inner join suppliers as s on s.platform = p.platform and s.supplier_id = p.entity_id
    inner join supplier_categories as c on c.platform = s.platform and c.supplier_id = s.supplier_id
    where p.page_type = 'fournisseur'
    union all
    select p.platform, p.day, p.visit_key, null, null, c.category_code
    from day_pageviews as p
    inner join categories as c on c.platform = p.platform and c.slug = p.entity_id
    where p.page_type = 'categorie'
)
-- Sorted by the filter columns: a filter reads the row groups of its codes only.
select distinct * from viewed
order by platform, department_code, category_code, kind_code, day;

-- The conversion per department and per category of the journeys page, for days and
-- periods without a catalogue filter (app/sql/goals_by_catalogue.sql): the visits of each
-- code, as the filters would count them, and those that reached a goal.
delete from catalogue_goals_daily using days_to_aggregate d
where catalogue_goals_daily.platform = d.platform and catalogue_goals_daily.day = d.day;

insert into catalogue_goals_daily
with
day_codes as (
    select c.platform, c.day, c.visit_key, 'department' as dimension, c.department_code as code
    from catalogue_visit_days as c
    semi join days_to_aggregate as d on c.platform = d.platform and c.day = d.day
    where c.department_code is not null
    union
    select c.platform, c.day, c.visit_key, 'category', c.category_code
    from catalogue_visit_days as c
    semi join days_to_aggregate as d on c.platform = d.platform and c.day = d.day
    where c.category_code is not null
),
converted as (
    select distinct g.platform, g.day, visit_key(g.visit_id) as visit_key
    from visit_goals as g
    semi join days_to_aggregate as d on g.platform = d.platform and g.day = d.day
)
select k.platform, k.day, k.dimension, k.code, count(*), count(v.visit_key)
from day_codes as k
left join converted as v on k.platform = v.platform and k.day = v.day and k.visit_key = v.visit_key
group by all;
