-- Behavioural robots, over all hits: a visitor (hash of IP + agent, per day) that asks for
-- /robots.txt, or makes more than $max_per_minute requests within one minute, is a robot
-- whatever its user agent claims. Its hits stop counting as page views.
-- Only the days this load touched are examined (a visitor id lives one day); $first_day and
-- $last_day bound them so that the scans skip the rest of the table.
create or replace temp table behaving_bots as
with recent as (
    select h.platform, h.visitor_id, h.path, h.ts_utc from hits as h
    semi join touched_days as d on h.platform = d.platform and h.ts::date = d.day
    where not h.is_bot and h.exclusion_reason is distinct from 'other_host'  -- another site's
      and h.ts >= $first_day and h.ts < $last_day + interval 1 day
)
select distinct platform, visitor_id from recent where path = '/robots.txt'
union
select distinct platform, visitor_id from (
    select platform, visitor_id, date_trunc('minute', ts_utc) as minute, count(*) as requests
    from recent group by all
) where requests > $max_per_minute;

update hits set
    is_bot = true,
    is_pageview = false,
    exclusion_reason = 'bot_behaviour',
    page_type = null, entity_id = null, search_terms = null
from behaving_bots as b
where hits.platform = b.platform and hits.visitor_id = b.visitor_id and not hits.is_bot
  and hits.exclusion_reason is distinct from 'other_host'
  and hits.ts >= $first_day and hits.ts < $last_day + interval 1 day;
