-- Behavioural robots, over all hits: a visitor (hash of IP + agent, per day) that asks for
-- /robots.txt, or makes more than $max_per_minute requests within one minute, is a robot
-- whatever its user agent claims. Its hits stop counting as page views.
create or replace temp table behaving_bots as
select distinct platform, visitor_id from hits
where not is_bot and path = '/robots.txt'
union
select distinct platform, visitor_id from (
    select platform, visitor_id, date_trunc('minute', ts_utc) as minute, count(*) as requests
    from hits where not is_bot
    group by all
) where requests > $max_per_minute;

update hits set
    is_bot = true,
    is_pageview = false,
    exclusion_reason = 'robot (comportement)',
    page_type = null, entity_id = null, search_terms = null
from behaving_bots b
where hits.platform = b.platform and hits.visitor_id = b.visitor_id and not hits.is_bot;
