-- Model: parsed lines of this load → `hits`.
-- Inputs: temp `stg_hits` (with raw IP), `user_agents`, temp `visitor_keys(day, key)`,
-- temp `url_patterns(platform, priority, page_type, regex)`, temp `platform_hosts(platform,
-- host)`, temp `stg_geo(ip, country_code, geo_department_code)` (each distinct address
-- located once, etl/geo.py); parameters $asset_pattern, $search_param. The raw IP is consumed
-- here by the keyed hash and the location join, and goes no further.
-- Classification of each distinct URL, computed once and kept in `url_paths` (cleared by
-- the load when etl/config/url_patterns.toml changes).
insert into url_paths
with distinct_paths as (
    select distinct platform, raw_path, raw_query as query
    from stg_hits as s
    where target is not null
      and not exists (select 1 from url_paths as u
                      where u.platform = s.platform and u.raw_path = s.raw_path and u.query = s.raw_query)
), decoded as (
    select *, coalesce(try(url_decode(raw_path)), raw_path) as path from distinct_paths
), matched as (
    select d.platform, d.raw_path, d.query, d.path,
           arg_min(p.page_type, p.priority) as page_type,
           arg_min(regexp_extract(d.path, p.regex, 1), p.priority) as entity_id
    from decoded as d
    left join url_patterns as p on p.platform = d.platform and regexp_matches(d.path, p.regex)
    group by all
)
select platform, raw_path, query, mask_ips(path) as path,  -- decoded: `1%2E2%2E3%2E4` masked too
       coalesce(page_type, 'autre') as page_type,
       nullif(entity_id, '') as entity_id,
       regexp_matches(path, $asset_pattern) as is_asset,
       -- Site search: keywords decoded, lower-cased, accents removed, spaces collapsed, and cut
       -- at 200 characters (no one types more; a 5 MB "search" is an attack, not demand).
       mask_ips(left(nullif(trim(regexp_replace(strip_accents(replace(replace(lower(coalesce(try(url_decode(replace(
           regexp_extract(query, '(?:^|&)' || $search_param || '=([^&]*)', 1), '+', ' '))), '')),
           'œ', 'oe'), 'æ', 'ae')), '\s+', ' ', 'g')), ''), 200)) as search_terms
from matched;

-- Host of each distinct referrer, extracted once (a capture regex is costly per row).
create or replace temp table stg_referrers as
select referrer,
       nullif(lower(regexp_extract(referrer, '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)', 1)), '') as referrer_host
from (select distinct referrer from stg_hits where referrer is not null);

-- Virtual hosts of this slice that are not the platform's: only when host names are
-- configured for the platform (temp `platform_hosts`, from the setting platform_hosts; none:
-- every host counts, as before the setting). Their hits are stored, excluded as `other_host`.
create or replace temp table stg_other_hosts as
select distinct s.platform, s.vhost from stg_hits as s
where s.vhost is not null
  and s.platform in (select ph.platform from platform_hosts as ph)
  and not exists (select 1 from platform_hosts as ph where ph.platform = s.platform and ph.host = s.vhost);

insert into hits
with joined as (
    select t.*, k.key as visitor_key,
           -- No user agent at all: a script, not a person. But a line of a format that logs
           -- no agent (common) says nothing either way: robots by behaviour only.
           case when t.user_agent is null and not t.agent_logged then false
                else coalesce(ua.is_bot, true) end as ua_is_bot,
           o.vhost is not null as is_other_host,
           coalesce(p.is_asset, false) as path_is_asset,
           p.path as decoded_path, p.query as path_query, p.page_type as path_page_type,
           p.entity_id as path_entity_id, p.search_terms as path_search_terms,
           r.referrer_host,
           g.country_code, g.geo_department_code
    from stg_hits as t
    join visitor_keys as k on k.day = t.day
    left join user_agents as ua on ua.user_agent = t.user_agent
    left join url_paths as p on p.platform = t.platform and p.raw_path = t.raw_path and p.query = t.raw_query
    left join stg_referrers as r on r.referrer = t.referrer
    left join stg_other_hosts as o on o.platform = t.platform and o.vhost = t.vhost
    left join stg_geo as g on g.ip = t.ip
), classified as (
    select *,
        case when is_other_host then 'other_host'  -- another site of the same server
             when method is null then 'invalid_request'
             when ua_is_bot then 'bot_user_agent'
             when path_is_asset then 'asset'
             when method <> 'GET' then 'method_not_get'
             when status >= 400 or status < 200 then 'status_error'
             when status between 300 and 399 and status <> 304 then 'redirect'
        end as exclusion_reason  -- codes: app/labels.py EXCLUSION_REASON_LABELS
    from joined
)
select
    platform, file_id, line_no, ts_utc, ts, method,
    coalesce(decoded_path, target) as path, nullif(path_query, '') as query, status, bytes, referrer,
    referrer_host,
    user_agent,
    -- Keyed with a random 256-bit daily key: without the key, no IP can be tried against it.
    md5(visitor_key || '|' || ip || '|' || coalesce(user_agent, '')) as visitor_id,
    ua_is_bot as is_bot,
    path_is_asset as is_asset,
    exclusion_reason is null as is_pageview,
    exclusion_reason,
    case when exclusion_reason is null then path_page_type end,
    case when exclusion_reason is null then path_entity_id end,
    case when exclusion_reason is null then path_search_terms end,
    country_code,
    geo_department_code
from classified;
