-- Once per warehouse (etl/load.py runs it while config_state lacks 'stored_ips_masked'):
-- addresses echoed in requests, referrers and user agents that loads before the masking
-- stored (etl/sql/15_mask_echoed_ips.sql masks them since) are masked in place. Distinct
-- values are tested, then the rows holding them are updated.
-- The distinct values are stored first, and tested in a second statement: in one statement
-- DuckDB pushed the test (`masked is not null`) below the `distinct`, onto every stored row
-- (17 s of CPU on 2,000,000 hits, as in 15_mask_echoed_ips.sql; docs/performance.md).
create or replace temp table stored_distinct_values as
select distinct 'agent' as field, user_agent as value from hits where user_agent is not null
union select distinct 'path', path from hits where path is not null
union select distinct 'query', query from hits where query is not null
union select distinct 'referrer', referrer from hits where referrer is not null
union select distinct 'search', search_terms from hits where search_terms is not null
union select distinct 'agent', user_agent from pageviews where user_agent is not null
union select distinct 'path', path from pageviews where path is not null
union select distinct 'search', search_terms from pageviews where search_terms is not null
union select distinct 'path', entry_path from visits where entry_path is not null
union select distinct 'agent', user_agent from user_agents;

create or replace temp table stored_ip_fixes as
select * from (select field, value, masked_if_ip(value) as masked from stored_distinct_values)
where masked is not null;
drop table stored_distinct_values;

update hits set user_agent = f.masked from stored_ip_fixes as f where f.field = 'agent' and hits.user_agent = f.value;
update hits set path = f.masked from stored_ip_fixes as f where f.field = 'path' and hits.path = f.value;
update hits set query = f.masked from stored_ip_fixes as f where f.field = 'query' and hits.query = f.value;
update hits set referrer = f.masked from stored_ip_fixes as f where f.field = 'referrer' and hits.referrer = f.value;
update hits set search_terms = f.masked from stored_ip_fixes as f where f.field = 'search' and hits.search_terms = f.value;
update pageviews set user_agent = f.masked from stored_ip_fixes as f where f.field = 'agent' and pageviews.user_agent = f.value;
update pageviews set path = f.masked from stored_ip_fixes as f where f.field = 'path' and pageviews.path = f.value;
update pageviews set search_terms = f.masked from stored_ip_fixes as f where f.field = 'search' and pageviews.search_terms = f.value;
update visits set entry_path = f.masked from stored_ip_fixes as f where f.field = 'path' and visits.entry_path = f.value;

-- The classification of an agent holding an address is kept under its masked form (the first
-- one's, whole, when several agents differ only by their address: `arg_min` per column skipped
-- a NULL bot name and mixed one agent's bot name with another's verdict).
insert into user_agents
select masked, is_bot, bot_name, browser, os, device_type
from (
    select f.masked, u.is_bot, u.bot_name, u.browser, u.os, u.device_type,
           row_number() over (partition by f.masked order by u.user_agent) as rank_in_masked
    from user_agents as u join stored_ip_fixes as f on f.field = 'agent' and f.value = u.user_agent
    where f.masked not in (select user_agent from user_agents)
)
where rank_in_masked = 1;
delete from user_agents where user_agent in (select value from stored_ip_fixes where field = 'agent');

-- The URL cache is keyed by raw text: emptied, it fills again from the masked requests.
delete from url_paths;
