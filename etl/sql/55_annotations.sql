-- The analysts' annotations (data/annotations.csv, read by etl/annotations.py), rebuilt on
-- every load. Grain of `annotations`: one row per valid line of the file; `date` a Paris
-- calendar day, `platform` a platform code or NULL (every platform), `label` the analyst's
-- text as typed (shown escaped by the dashboard). No personal data is expected in it.
-- Inputs (registered by etl/annotations.py): v_stg_annotations(line_no, raw_text, date,
-- plateforme, libelle), all text; v_annotations_rejected (rows the CSV reader could not
-- read); v_platforms(platform). Parameter: $source_file.
create or replace temp table stg_annotations_checked as
select * exclude (reject), reject.code as reject_code, reject.detail as reject_detail
from (select
    a.line_no,
    a.raw_text,
    coalesce(
        try_strptime(a."date", '%Y-%m-%d'),
        try_strptime(a."date", '%d/%m/%Y')
    )::date as day,
    nullif(lower(trim(a.plateforme)), '') as platform,
    trim(a.libelle) as label,
    -- The reason: a code (etl/reasons.py) and the value it quotes, cut to 100 characters (the
    -- formula is not repeated: its line keeps it).
    case
        when a."date" is null then {'code': 'missing_date', 'detail': null::varchar}
        when coalesce(try_strptime(a."date", '%Y-%m-%d'), try_strptime(a."date", '%d/%m/%Y')) is null
            then {'code': 'invalid_date', 'detail': left(a."date", 100)}
        when nullif(lower(trim(a.plateforme)), '') is not null
             and lower(trim(a.plateforme)) not in (select platform from v_platforms)
            then {'code': 'unknown_platform', 'detail': left(trim(a.plateforme), 100)}
        when a.libelle is null or trim(a.libelle) = '' then {'code': 'empty_label', 'detail': null}
        -- What a spreadsheet runs as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-2+3`):
        -- refused rather than kept, since the text travels to exports opened in Excel.
        when left(trim(a.libelle), 1) in ('=', '+', '-', '@')
            then {'code': 'formula_label', 'detail': null}
    end as reject
from v_stg_annotations as a);

create or replace table annotations as
select day as "date", platform, label, $source_file as source_file, line_no
from stg_annotations_checked
where reject_code is null
order by "date", line_no;

delete from rejected_rows where source = 'annotations';
insert into rejected_rows (platform, source, source_file, file_id, line_no, reason_code, detail, raw_text)
select
    case when platform in (select platform from v_platforms) then platform end,
    'annotations',
    $source_file,
    null,
    line_no,
    reject_code,
    reject_detail,
    raw_text
from stg_annotations_checked
where reject_code is not null
union all
select platform, source, source_file, null, line_no, reason_code, detail, raw_text
from v_annotations_rejected;
