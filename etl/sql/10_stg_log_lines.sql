-- Staging of one slice of a log file: split each line into the fields of its format.
-- Input: `raw_lines(line_no, line)` (Arrow record batches, lines still ending with their
-- newline) and parameters $platform, $file_id, $source_file, $fast_head, $fast_status,
-- $pattern (RE2 of the format detected for the file), $fallback_1, $fallback_2 (the other
-- formats, tried on the lines the first one does not parse: some servers mix them),
-- $pattern_format, $fallback_1_format, $fallback_2_format (their names) and
-- $format_without_agent (the format that logs no user agent).
-- Output, added to what earlier slices of the file staged: temp table `stg_parsed` (one row
-- per line, typed, raw IP included — temp only, never persisted), its view `stg_hits` (the
-- lines that are log records) and temp table `stg_rejected` (the other lines, with the
-- reason). One statement reads the Arrow batches, so DuckDB parses them on every core.
--
-- Two paths, for speed. A plain combined line (nearly all of them: no backslash in its
-- quoted fields) splits on `"` into head, request, status and size, referrer, a space, user
-- agent and the rest; one string_split and two short regexes on the head and on the status
-- part recognise it, several times faster than a regex over the whole line or nine capture
-- groups. Every other line goes through the full regexes of the formats; whichever path a
-- line takes, its fields are the ones those regexes capture (tests/test_log_staging.py).
create temp macro if not exists parse_log_time(t) as
    -- A 4-digit year (not `020`) and, when present, a real UTC offset (-1200 … +1459): `+2400`
    -- or `+9999` would shift the hit by days.
    case when regexp_matches(t, '^[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}(?: [+-](?:0[0-9]|1[0-4])[0-5][0-9])?$')
    then coalesce(
        try_strptime(t, '%d/%b/%Y:%H:%M:%S %z')::timestamptz,
        -- A timestamp without offset (`[27/Jun/2013:11:55:44]`) is taken as Paris time.
        timezone('Europe/Paris', try_strptime(t, '%d/%b/%Y:%H:%M:%S'))) end;
-- nginx writes `"` inside a field as \x22, Apache as \"; both are undone.
create temp macro if not exists unescape_field(x) as replace(replace(x, '\"', '"'), '\x22', '"');

-- A line dated after the load's clock + 1 day (a skewed clock, a forged line) is quarantined:
-- kept, it would move the retention window and purge real history. One before 1990 is no
-- web log line either (and years before 1 AD cannot even be read back).
-- $load_clock: the load's clock (etl/log_load.py `clock`), the same for every slice.
set variable future_limit = $load_clock::timestamptz + interval 1 day;

-- Lines staged by earlier slices of the same file stay until etl/load.py models them all at
-- once (several row groups: DuckDB then models them on both cores).
create temp table if not exists stg_parsed (
    platform varchar, ts_text varchar, status_text varchar, file_id varchar, line_no bigint,
    ts_utc timestamptz, ts timestamp, day date, ip varchar, method varchar, target varchar,
    raw_path varchar, raw_query varchar, status integer, bytes bigint, referrer varchar,
    user_agent varchar, vhost varchar, agent_logged boolean);
-- AM09: `limit 0` copies the columns only, no rows
create temp table if not exists stg_rejected as select * from rejected_rows limit 0;  -- noqa: AM09
-- The lines that are log records: what the next steps model (a view: no second copy).
create temp view if not exists stg_hits as
select * exclude (ts_text, status_text) from stg_parsed
where ts_utc is not null and status is not null
  and ts_utc <= getvariable('future_limit') and ts_utc >= '1990-01-01 00:00:00+00';

insert into stg_parsed by name
with lines as (
    select line_no, line, string_split(line, '"') as parts from raw_lines
), checked as (
    select line_no, line, parts,
           coalesce(length(line) <= $max_line_bytes
               and len(parts) >= 7
               and regexp_matches(parts[1], $fast_head)
               and regexp_matches(parts[3], $fast_status)
               and parts[5] = ' '
               and not contains(parts[2], '\') and not contains(parts[4], '\') and not contains(parts[6], '\')
               -- After the agent's closing quote: the end of the line, or a space and anything.
               and (len(parts) = 7 and parts[7] = '' or regexp_matches(parts[7], '^\s')), false) as is_plain
    from lines
), slow as (
    -- Every other line, for the full regexes (NULL for a plain one).
    select line_no, parts, is_plain,
           case when not is_plain then rtrim(line, chr(10) || chr(13)) end as line
    from checked
), slow_parsed as (
    select line_no, parts, is_plain,
           -- A line too long to be a request is not parsed (quarantined below).
           -- The fields, and the format that parsed them.
           case when length(line) > $max_line_bytes then null
                when regexp_matches(line, $pattern) then struct_insert(
                     regexp_extract(line, $pattern, ['vhost', 'ip', 'ident', 'user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent']),
                     log_format := $pattern_format)
                when regexp_matches(line, $fallback_1) then struct_insert(
                     regexp_extract(line, $fallback_1, ['vhost', 'ip', 'ident', 'user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent']),
                     log_format := $fallback_1_format)
                when regexp_matches(line, $fallback_2) then struct_insert(
                     regexp_extract(line, $fallback_2, ['vhost', 'ip', 'ident', 'user', 'ts', 'request', 'status', 'bytes', 'referrer', 'user_agent']),
                     log_format := $fallback_2_format)
           end as f
    from slow
), fields as (
    -- One pass over the lines, each taking its path's fields: a `union all` of the two
    -- paths made DuckDB copy every line and its parts into a shared CTE first.
    select line_no,
           if(is_plain, null, f['vhost']) as vhost,  -- a plain combined line: no virtual host
           if(is_plain, true, coalesce(f['log_format'] <> $format_without_agent, true)) as agent_logged,
           if(is_plain, split_part(parts[1], ' ', 1), f['ip']) as ip,
           if(is_plain, split_part(split_part(parts[1], '[', 2), ']', 1), f['ts']) as ts_text,
           if(is_plain, parts[2], unescape_field(f['request'])) as request,
           if(is_plain, substr(parts[3], 2, 3), f['status']) as status_text,
           if(is_plain, trim(substr(parts[3], 6)), f['bytes']) as bytes,
           if(is_plain, parts[4], unescape_field(f['referrer'])) as referrer,
           if(is_plain, parts[6], unescape_field(f['user_agent'])) as user_agent
    from slow_parsed
), timed as (
    select *, parse_log_time(ts_text) as ts_utc, try_cast(status_text as integer) as status_code,
           -- `GET /path HTTP/1.1`, `GET /path` (HTTP/0.9); anything else is an invalid request.
           regexp_matches(request, '^[A-Za-z]+ [^ ]+(?: [A-Za-z]+/[0-9.]+)?$') as is_plain_request,
           regexp_matches(request, '^[A-Za-z]+ +[^ ]+(?: +[A-Za-z]+/[0-9.]+)? *$') as is_valid_request
    from fields
), requests as (
    select *,
           case when is_plain_request then split_part(request, ' ', 1)
                when is_valid_request then regexp_extract(request, '^([A-Za-z]+)', 1) end as method,
           case when is_plain_request then split_part(request, ' ', 2)
                when is_valid_request then regexp_extract(request, '^[A-Za-z]+ +([^ ]+)', 1) end as raw_target
    from timed
), targets as (
    select *,
           -- An absolute URI in the request line (proxy style) is reduced to its path.
           case when raw_target not like '/%' then regexp_replace(raw_target, '^[a-zA-Z]+://[^/]+', '')
                else raw_target end as target
    from requests
)
select
    $platform as platform,
    ts_text, status_text,
    $file_id as file_id,
    line_no,
    ts_utc,
    timezone('Europe/Paris', ts_utc) as ts,
    -- A plain column, not an expression, for the join on the day's visitor key: DuckDB then
    -- estimates that join right and builds its hash tables on the small sides.
    timezone('Europe/Paris', ts_utc)::date as day,
    ip,
    method,
    target,
    split_part(target, '?', 1) as raw_path,
    coalesce(nullif(substr(target, length(split_part(target, '?', 1)) + 2), ''), '') as raw_query,
    status_code as status,
    try_cast(nullif(bytes, '-') as bigint) as bytes,
    nullif(referrer, '-') as referrer,
    -- Cut at 1,000 characters: real agents are under 500, and parsing an 8 KB one takes
    -- a tenth of a second (300 of them made a 2 MB log take 43 s).
    left(nullif(nullif(user_agent, '-'), ''), 1000) as user_agent,
    -- The virtual host (vhost_combined), compared without case, port or final dot:
    -- `WWW.Example.fr:443` is `www.example.fr`. NULL in the formats that do not log it.
    nullif(rtrim(regexp_replace(lower(vhost), ':[0-9]+$', ''), '.'), '') as vhost,
    -- False for a line of the common format, which logs no user agent: the robot rule by
    -- agent cannot decide for it (etl/sql/20_hits.sql), unlike a logged `"-"`.
    agent_logged
from targets;

-- The file this slice is of, and the longest line parsed, for the view below.
set variable staging_file_id = $file_id;
set variable max_line_bytes = $max_line_bytes;

-- The quarantined lines of this slice, by line number and reason code only (etl/reasons.py;
-- no detail: a line's fault quotes no value apart from the line): their text is kept
-- for the first of them alone (below), so that a million junk lines never hold a million
-- texts (issue #28). A view, created once per load: a table made and dropped for each of
-- 10,000 small files grew DuckDB's catalogue within the load's one transaction.
create temp view if not exists stg_slice_rejected as
select p.line_no,
       case when trim(r.line, chr(10) || chr(13) || ' ') = '' then 'empty_line'
            when length(r.line) > getvariable('max_line_bytes') then 'line_too_long'
            when p.ts_text is null or p.status is null then 'malformed_log_line'
            when p.ts_utc > getvariable('future_limit') then 'future_date'
            when p.ts_utc < '1990-01-01 00:00:00+00' then 'date_before_1990'
            else 'invalid_date' end as reason_code
from stg_parsed as p join raw_lines as r using (line_no)  -- this slice's lines only
where p.file_id = getvariable('staging_file_id')
  and (p.ts_utc is null or p.status is null
       or p.ts_utc > getvariable('future_limit') or p.ts_utc < '1990-01-01 00:00:00+00');

-- Rows still to keep one by one for this file: $max_rejected_rows (etl/report.py) less those
-- kept by the file's earlier slices of this load ($rejected_before, modelled; and those still
-- staged). The others are only counted by code (`rejected_overflow`). Several small files
-- are staged before they are modelled together (etl/log_load.py): counted by file.
set variable rejected_room = greatest(
    $max_rejected_rows - $rejected_before
    - (select count(*) from stg_rejected as s where s.file_id = $file_id), 0);

create temp table if not exists stg_rejected_overflow (
    platform varchar, source_file varchar, file_id varchar, reason_code varchar, n_rows bigint);
insert into stg_rejected_overflow
select $platform as platform, $source_file as source_file, $file_id as file_id, reason_code, count(*)
from (
    select reason_code from stg_slice_rejected order by line_no offset getvariable('rejected_room')
) group by reason_code;

insert into stg_rejected
select $platform as platform, 'logs' as source, $source_file as source_file, $file_id as file_id, k.line_no,
       k.reason_code,
       null as detail,
       -- Masked before it is cut, so that an address across the cut is masked whole; a
       -- fragment left at the cut is dropped.
       case when length(masked) > 2000 or length(r.line) > 2200
            then regexp_replace(left(masked, 2000), '[0-9A-Fa-f.:]*[0-9.:][0-9A-Fa-f.:]*$', '') || '…'
            else masked end as raw_text
from (select line_no, reason_code from stg_slice_rejected
      order by line_no limit getvariable('rejected_room')) as k
join raw_lines as r using (line_no),
     -- NUL bytes dropped first: a UTF-16 line would hide its addresses between them.
     lateral (select mask_ips(replace(left(rtrim(r.line, chr(10) || chr(13)), 2200), chr(0), '')) as masked);
