-- Models: page views and visits, recomputed from `hits` on every load (cheap, and it keeps a
-- visit whole when it spans two log files).
-- Grain: `pageviews` one row per human page view; `visits` one row per visit.
-- Times Europe/Paris. A visit ends after $inactivity_minutes (or more) without a page view (30: the
-- limit Matomo, Plausible and GA use); $split_at_midnight starts a new one at midnight.
create or replace table pageviews as
with ordered as (
    select platform, ts, ts_utc, visitor_id, path, page_type, entity_id, search_terms, referrer_host,
           user_agent,
           lag(ts) over (partition by platform, visitor_id order by ts, file_id, line_no) as previous_ts
    from hits where is_pageview
), flagged as (
    select *,
        case when previous_ts is null
               or ts - previous_ts >= to_minutes($inactivity_minutes::bigint)
               or ($split_at_midnight and ts::date <> previous_ts::date)
             then 1 else 0 end as starts_visit
    from ordered
), numbered as (
    select *, sum(starts_visit) over (partition by platform, visitor_id order by ts
                                      rows between unbounded preceding and current row) as visit_seq
    from flagged
)
select platform, ts, ts_utc, visitor_id,
       left(md5(platform || visitor_id || visit_seq::varchar), 16) as visit_id,
       path, page_type, entity_id, search_terms, referrer_host, user_agent
from numbered;

create or replace table visits as
with per_visit as (
    select platform, visit_id, any_value(visitor_id) as visitor_id,
           min(ts) as started_at, max(ts) as ended_at, count(*)::integer as pageviews,
           arg_min(path, ts) as entry_path, arg_min(page_type, ts) as entry_page_type,
           arg_min(referrer_host, ts) as entry_referrer_host,
           arg_min(user_agent, ts) as user_agent
    from pageviews group by platform, visit_id
), host_channels as (
    -- Classified once per distinct referrer host, not once per visit.
    select host,
        case when exists (select 1 from own_hosts o where regexp_matches(host, o.regex)) then 'Accès direct'
             else coalesce((select c.channel from channel_patterns c
                            where regexp_matches(host, c.regex) order by c.priority limit 1), 'Autres sites')
        end as channel
    from (select distinct entry_referrer_host as host from per_visit where entry_referrer_host is not null)
)
select v.platform, v.visit_id, v.visitor_id, v.started_at, v.ended_at, v.pageviews,
       date_diff('second', v.started_at, v.ended_at)::integer as duration_s,
       v.pageviews = 1 as is_bounce,
       v.entry_path, v.entry_page_type,
       coalesce(h.channel, 'Accès direct') as channel,
       v.entry_referrer_host as referrer_host,
       coalesce(ua.device_type, 'Autre') as device_type,
       coalesce(ua.browser, 'Inconnu') as browser,
       coalesce(ua.os, 'Inconnu') as os
from per_visit v
left join host_channels h on h.host = v.entry_referrer_host
left join user_agents ua on ua.user_agent = v.user_agent;
