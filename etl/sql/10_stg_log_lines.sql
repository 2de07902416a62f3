-- Staging of one log file: split each line into the fields of its format.
-- Input: `raw_lines(line_no, line)` (Arrow) and parameters $platform, $file_id, $source_file,
-- $pattern (RE2 of the format detected for the file), $fallback_1, $fallback_2 (the other
-- formats, tried on the lines the first one does not parse: some servers mix them). Output: appended to temp table `stg_hits`
-- (parsed lines, raw IP included — temp only, never persisted) and `stg_rejected`.
create or replace temp table stg_parsed as
with first_try as (
    select line_no, rtrim(line, chr(13)) as line,
           regexp_extract(rtrim(line, chr(13)), $pattern,
                          ['ip', 'ident', 'user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent']) as f
    from raw_lines
)
select line_no, line,
       case when f.ts <> '' then f
            when regexp_matches(line, $fallback_1) then
                 regexp_extract(line, $fallback_1, ['ip', 'ident', 'user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent'])
            else regexp_extract(line, $fallback_2, ['ip', 'ident', 'user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent'])
       end as f
from first_try;

-- A timestamp without offset (`[27/Jun/2013:11:55:44]`) is taken as Paris time.
create or replace temp macro parse_log_time(t) as coalesce(
    try_strptime(t, '%d/%b/%Y:%H:%M:%S %z')::timestamptz,
    timezone('Europe/Paris', try_strptime(t, '%d/%b/%Y:%H:%M:%S')));

insert into stg_rejected
select $platform, 'logs', $source_file, $file_id, line_no,
       case when trim(line) = '' then 'ligne vide'
            when f.ts = '' then 'format non reconnu'
            else 'date invalide' end,
       left(line, 2000)
from stg_parsed
where f.ts = '' or parse_log_time(f.ts) is null;

insert into stg_hits
select
    $platform as platform,
    $file_id as file_id,
    line_no,
    parse_log_time(f.ts) as ts_utc,
    f.ip as ip,
    -- nginx writes `"` inside a field as \x22, Apache as \"; both are undone here.
    replace(replace(f.request, '\"', '"'), '\x22', '"') as request,
    f.status::integer as status,
    try_cast(nullif(f.bytes, '-') as bigint) as bytes,
    nullif(replace(replace(f.referrer, '\"', '"'), '\x22', '"'), '-') as referrer,
    nullif(nullif(replace(replace(f.user_agent, '\"', '"'), '\x22', '"'), '-'), '') as user_agent
from stg_parsed
where f.ts <> '' and parse_log_time(f.ts) is not null;
