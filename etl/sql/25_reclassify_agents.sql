-- Once per change of the user-agent classification (etl/log_load.py runs it while
-- config_state 'user_agents' differs from etl/user_agents.py CLASSIFIER_VERSION).
-- Inputs: temp `ua_new`, every cached agent classified again (the columns of `user_agents`),
-- and temp `touched_days`. The hits of agents whose robot verdict changed take the new one
-- with the exclusion reason a fresh load would give them; their days are marked touched, so
-- that robots by behaviour, visits and daily aggregates are derived again for them. The days
-- of agents whose device type, browser or OS changed are derived again too (visits carry them).
insert into touched_days
select distinct h.platform, h.ts::date
from hits as h
semi join (
    select n.user_agent
    from ua_new as n
    inner join user_agents as u on n.user_agent = u.user_agent
    where n.is_bot = u.is_bot
      and (n.device_type is distinct from u.device_type
           or n.browser is distinct from u.browser or n.os is distinct from u.os)
) as c on h.user_agent = c.user_agent;

create or replace temp table ua_changed as
select n.user_agent, n.is_bot
from ua_new as n
inner join user_agents as u on n.user_agent = u.user_agent
where n.is_bot <> u.is_bot;

delete from user_agents;
insert into user_agents select * from ua_new;

insert into touched_days
select distinct h.platform, h.ts::date
from hits as h semi join ua_changed as c on h.user_agent = c.user_agent;

-- Now robots: excluded as `bot_user_agent`, unless a reason that comes first in
-- 20_hits.sql (another site's line, an invalid request) already excludes them.
update hits set
    is_bot = true,
    is_pageview = false,
    exclusion_reason = case
        when hits.exclusion_reason in ('other_host', 'invalid_request') then hits.exclusion_reason
        else 'bot_user_agent'
    end,
    page_type = null, entity_id = null, search_terms = null
from ua_changed as c
where hits.user_agent = c.user_agent and c.is_bot;

-- No longer robots: the reasons that follow in 20_hits.sql, from the stored columns.
update hits set
    is_bot = false,
    exclusion_reason = case
        when hits.exclusion_reason in ('other_host', 'invalid_request') then hits.exclusion_reason
        when hits.is_asset then 'asset'
        when hits.method <> 'GET' then 'method_not_get'
        when hits.status >= 400 or hits.status < 200 then 'status_error'
        when hits.status between 300 and 399 and hits.status <> 304 then 'redirect'
    end
from ua_changed as c
where hits.user_agent = c.user_agent and not c.is_bot;

update hits set
    is_pageview = true,
    page_type = p.page_type, entity_id = p.entity_id, search_terms = p.search_terms
from url_paths as p
where hits.exclusion_reason is null and not hits.is_pageview
  and hits.user_agent in (select c.user_agent from ua_changed as c where not c.is_bot)
  and p.platform = hits.platform and p.path = hits.path and p.query = coalesce(hits.query, '');

update hits set is_pageview = true
where exclusion_reason is null and not is_pageview
  and user_agent in (select c.user_agent from ua_changed as c where not c.is_bot);

drop table ua_changed;
drop table ua_new;
