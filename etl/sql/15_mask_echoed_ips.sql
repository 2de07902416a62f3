-- Staged lines of one slice, before their user agents are classified and their hits stored.
-- A client's IP echoed in its request (`?ip=…`), referrer or user agent (some proxies and
-- apps append it) is masked before anything is classified or stored, caches included. The
-- distinct values of the slice are tested, not every row.
create or replace temp table stg_values_with_ip as
select field, value from (
    select distinct 'agent' as field, user_agent as value from stg_parsed where user_agent is not null
    union all select distinct 'target', target from stg_parsed where target is not null
    union all select distinct 'referrer', referrer from stg_parsed where referrer is not null)
where mask_ips(value) <> value;

update stg_parsed set user_agent = mask_ips(user_agent)
where user_agent in (select value from stg_values_with_ip where field = 'agent');

update stg_parsed set target = mask_ips(target), raw_path = mask_ips(raw_path), raw_query = mask_ips(raw_query)
where target in (select value from stg_values_with_ip where field = 'target');

update stg_parsed set referrer = mask_ips(referrer)
where referrer in (select value from stg_values_with_ip where field = 'referrer');
