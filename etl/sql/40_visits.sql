-- Models: page views and visits, re-derived for the days this load touched (a visitor id
-- is per day, so no visit crosses a day boundary and a day can be re-derived alone), or for
-- every day when the visit settings changed. A visit spanning two log files is one visit.
-- Times shown Europe/Paris; order and gaps in UTC. A visit ends after $inactivity_minutes or
-- more without a page view (30: the limit Matomo, Plausible and GA use); $split_at_midnight
-- starts a new one at midnight (Paris).
-- `touched_days` holds every day when the settings changed (etl/load.py adds them); $first_day
-- and $last_day bound the days derived by this run (etl/load.py runs the script a window of
-- days at a time) so that the scans below skip the rest of the tables.
create or replace temp table days_to_derive as
select distinct platform, day from touched_days where day between $first_day and $last_day;

delete from visit_settings;
insert into visit_settings values ($inactivity_minutes, $split_at_midnight);

delete from pageviews using days_to_derive d
where pageviews.platform = d.platform and pageviews.ts::date = d.day
  and pageviews.ts >= $first_day and pageviews.ts < $last_day + interval 1 day;

delete from visits using days_to_derive d
where visits.platform = d.platform and visits.started_at::date = d.day
  and visits.started_at >= $first_day and visits.started_at < $last_day + interval 1 day;

-- Page views in the order they happened: by UTC time, then by file and line (the log's
-- order for page views of the same second), so that the same hits always give the same
-- visits. Ordered on UTC, not on the Paris wall clock: the clock jumps an hour forward in
-- March (a visit across it would split) and repeats an hour in October (two visits would
-- merge, or the pages of one come out reversed). The midnight split stays on the Paris day.
create or replace temp table derived_pageviews as
with ordered as (
    select h.platform, h.ts, h.ts_utc, h.visitor_id, h.path, h.page_type, h.entity_id, h.search_terms,
           h.referrer_host, h.user_agent, h.query, h.referrer, h.country_code, h.geo_department_code,
           row_number() over visitor_order as position,
           lag(h.ts_utc) over visitor_order as previous_ts_utc,
           lag(h.ts) over visitor_order as previous_ts
    from hits as h semi join days_to_derive as d on h.platform = d.platform and h.ts::date = d.day
    where h.is_pageview and h.ts >= $first_day and h.ts < $last_day + interval 1 day
    window visitor_order as (partition by h.platform, h.visitor_id order by h.ts_utc, h.file_id, h.line_no)
), flagged as (
    select *,
        case when previous_ts_utc is null
               or ts_utc - previous_ts_utc >= to_minutes($inactivity_minutes::bigint)
               or ($split_at_midnight and ts::date <> previous_ts::date)
             then 1 else 0 end as starts_visit
    from ordered
), numbered as (
    select *, sum(starts_visit) over (partition by platform, visitor_id order by position
                                      rows between unbounded preceding and current row) as visit_seq
    from flagged
)
select platform, ts, ts_utc, visitor_id,
       left(md5(platform || visitor_id || visit_seq::varchar), 16) as visit_id,
       path, page_type, entity_id, search_terms, referrer_host, user_agent, position, query, referrer,
       country_code, geo_department_code
from numbered;

insert into pageviews
select platform, ts, ts_utc, visitor_id, visit_id, path, page_type, entity_id, search_terms,
       referrer_host, user_agent
from derived_pageviews;

-- By name: a warehouse whose columns were added in another order (an older version's) takes
-- the same rows.
insert into visits by name
with per_visit as (
    -- First and last page by their position, not by the wall clock (see above); the duration
    -- in real seconds (UTC), the times shown in Paris time.
    select p.platform, p.visit_id, any_value(p.visitor_id) as visitor_id,
           arg_min(p.ts, p.position) as started_at, arg_max(p.ts, p.position) as ended_at,
           date_diff('second', min(p.ts_utc), max(p.ts_utc))::integer as duration_s,
           count(*)::integer as pageviews,
           arg_min(p.path, p.position) as entry_path, arg_min(p.page_type, p.position) as entry_page_type,
           arg_min_null(p.entity_id, p.position) as entry_entity_id,  -- NULL when the first page has none
           arg_min_null(p.referrer_host, p.position) as entry_referrer_host,  -- the first page's, even NULL
           arg_min(p.user_agent, p.position) as user_agent,
           -- Where the visit left: its last page.
           arg_max(p.path, p.position) as exit_path, arg_max(p.page_type, p.position) as exit_page_type,
           arg_max_null(p.entity_id, p.position) as exit_entity_id,
           -- The landing page's query (its campaign parameters) and the full referrer, without
           -- its query string (a search engine's keeps the visitor's words).
           arg_min_null(p.query, p.position) as entry_query,
           arg_min_null(p.referrer, p.position) as entry_referrer,
           -- Where the visitor was when the visit started: its entry page's, even NULL.
           arg_min_null(p.country_code, p.position) as country_code,
           arg_min_null(p.geo_department_code, p.position) as geo_department_code
    from derived_pageviews as p
    group by p.platform, p.visit_id
), host_channels as (
    -- Classified once per distinct referrer host, not once per visit.
    select r.host,
        case when exists (select 1 from own_hosts as o where regexp_matches(r.host, o.regex)) then 'direct'
             else coalesce((select c.channel from channel_patterns as c
                            where regexp_matches(r.host, c.regex) order by c.priority limit 1), 'other_site')
        end as channel
    from (select distinct entry_referrer_host as host from per_visit where entry_referrer_host is not null) as r
)
select v.platform, v.visit_id, v.visitor_id, v.started_at, v.ended_at, v.pageviews,
       v.duration_s,
       v.pageviews = 1 as is_bounce,
       v.entry_path, v.entry_page_type,
       -- A campaign link wins over its referrer, as in Matomo (a newsletter opened in a webmail
       -- would otherwise be "another site").
       case when v.utm_campaign is not null or v.utm_source is not null then 'campaign'
            else coalesce(h.channel, 'direct') end as channel,
       v.entry_referrer_host as referrer_host,
       coalesce(ua.device_type, 'other') as device_type,
       coalesce(ua.browser, 'unknown') as browser,
       coalesce(ua.os, 'unknown') as os,
       v.entry_entity_id,
       v.exit_path, v.exit_page_type, v.exit_entity_id,
       v.utm_source, v.utm_medium, v.utm_campaign,
       case when coalesce(h.channel, 'direct') <> 'direct' then v.entry_referrer_url end as referrer_url,
       v.country_code,
       v.geo_department_code,
       visit_key(v.visit_id) as visit_key
from (
    select *,
        campaign_parameter(entry_query, 'source') as utm_source,
        campaign_parameter(entry_query, 'medium') as utm_medium,
        campaign_parameter(entry_query, 'campaign') as utm_campaign,
        nullif(left(regexp_extract(entry_referrer, '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/]*@)?([^?#]*)', 1), 300), '')
            as entry_referrer_url
    from per_visit
) as v
left join host_channels as h on h.host = v.entry_referrer_host
left join user_agents as ua on ua.user_agent = v.user_agent;

-- Goals (etl/config/goals.toml, etl/goals.py): one row per visit and goal reached, once per
-- visit however often (Matomo's default). Kept with `visits`, for the same days.
delete from visit_goals using days_to_derive d
where visit_goals.platform = d.platform and visit_goals.day = d.day
  and visit_goals.day between $first_day and $last_day;

insert into visit_goals
with candidate_hits as (
    -- Requests that may reach a goal, robots' and other sites' excluded. A form post or an
    -- outbound link is no page view: it is credited below to a visit of the same visitor.
    select h.platform, h.visitor_id, h.ts_utc, h.file_id, h.line_no, h.method, h.path, h.query,
           h.status
    from hits as h
    semi join days_to_derive as d on h.platform = d.platform and h.ts::date = d.day
    where not h.is_bot
      and h.exclusion_reason is distinct from 'other_host'
      and h.exclusion_reason is distinct from 'invalid_request'
      and h.ts >= $first_day and h.ts < $last_day + interval 1 day
),
matching_requests as (
    -- Each goal's rule tried once per distinct request, then the hits joined on equality:
    -- the regexes tried on every hit took 4.4 of this statement's 6 s on 2,000,000 hits.
    select r.platform, r.method, r.path, r.query, g.goal_code, g.status_min, g.status_max
    from (select distinct c.platform, c.method, c.path, c.query from candidate_hits as c) as r
    inner join goal_requests as g
        on g.platform = r.platform
       and (g.method is null or r.method = g.method)
       and regexp_matches(coalesce(r.path, ''), g.path_regex)
       and (g.query_regex is null or regexp_matches(coalesce(r.query, ''), g.query_regex))
),
goal_hits as (
    select h.platform, h.visitor_id, h.ts_utc, h.file_id, h.line_no, m.goal_code
    from candidate_hits as h
    inner join matching_requests as m
        on m.platform = h.platform
       and m.method is not distinct from h.method
       and m.path is not distinct from h.path
       and m.query is not distinct from h.query
       and h.status between m.status_min and m.status_max
),
credited as (
    -- The visit of the visitor's last page view at or before the request, if that page view
    -- is less than the inactivity limit before it (the request is part of that visit).
    select p.platform, p.visit_id, gh.goal_code
    from goal_hits as gh
    asof inner join derived_pageviews as p
        on gh.platform = p.platform and gh.visitor_id = p.visitor_id and gh.ts_utc >= p.ts_utc
    where gh.ts_utc - p.ts_utc < to_minutes($inactivity_minutes::bigint)
),
searched as (
    -- Path goals: a page view of one of the goal's types after one of its first type.
    select p.platform, p.visit_id, s.goal_code
    from derived_pageviews as p
    inner join goal_sequences as s on s.platform = p.platform and list_contains(s.page_types, p.page_type)
    inner join (
        select q.platform, q.visit_id, q.page_type, min(q.position) as first_position
        from derived_pageviews as q
        group by all
    ) as f on f.platform = p.platform and f.visit_id = p.visit_id
         and f.page_type = s.after_page_type and f.first_position < p.position
)
select distinct v.platform, v.visit_id, v.started_at::date as day, c.goal_code
from (select * from credited union all select * from searched) as c
inner join visits as v on v.platform = c.platform and v.visit_id = c.visit_id;

drop table derived_pageviews;

-- Their daily aggregates: 45_daily_aggregates.sql, run next, recomputes these days.
create or replace temp table days_to_aggregate as select platform, day from days_to_derive;
