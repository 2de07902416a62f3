-- Once per warehouse (etl/load.py runs it while config_state lacks 'label_codes'): loads
-- before codes stored French labels as values; they are mapped to the codes in place. The
-- visits and the daily aggregates are derived again from the hits (DAILY_AGGREGATES_VERSION
-- 5), so only the stored sources are mapped here: the hits and the user agents' cache.
update hits set exclusion_reason = case exclusion_reason
        when 'requête invalide' then 'invalid_request'
        when 'robot (user agent)' then 'bot_user_agent'
        when 'robot (comportement)' then 'bot_behaviour'
        when 'ressource statique' then 'asset'
        when 'méthode autre que GET' then 'method_not_get'
        when 'erreur' then 'status_error'
        when 'redirection' then 'redirect'
        else exclusion_reason end
where exclusion_reason in ('requête invalide', 'robot (user agent)', 'robot (comportement)',
                           'ressource statique', 'méthode autre que GET', 'erreur', 'redirection');

update user_agents set device_type = case device_type
        when 'Ordinateur' then 'desktop'
        when 'Mobile' then 'mobile'
        when 'Tablette' then 'tablet'
        when 'Autre' then 'other'
        else device_type end
where device_type in ('Ordinateur', 'Mobile', 'Tablette', 'Autre');
