-- The analysts' annotations (data/annotations.csv, read by etl/annotations.py), rebuilt on
-- every load. Grain of `annotations`: one row per valid line of the file; `date` a Paris
-- calendar day, `platform` a platform code or NULL (every platform), `label` the analyst's
-- text as typed (shown escaped by the dashboard). No personal data is expected in it.
-- Inputs (registered by etl/annotations.py): v_stg_annotations(line_no, raw_text, date,
-- plateforme, libelle), all text; v_annotations_rejected (rows the CSV reader could not
-- read); v_platforms(platform). Parameter: $source_file.
create or replace temp table stg_annotations_checked as
select
    a.line_no,
    a.raw_text,
    coalesce(
        try_strptime(a."date", '%Y-%m-%d'),
        try_strptime(a."date", '%d/%m/%Y')
    )::date as day,
    nullif(lower(trim(a.plateforme)), '') as platform,
    trim(a.libelle) as label,
    case
        when a."date" is null then 'date manquante'
        when coalesce(try_strptime(a."date", '%Y-%m-%d'), try_strptime(a."date", '%d/%m/%Y')) is null
            then 'date invalide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)'
        when nullif(lower(trim(a.plateforme)), '') is not null
             and lower(trim(a.plateforme)) not in (select platform from v_platforms)
            then 'plateforme inconnue (produits-frais, equipements-protection, ou vide pour toutes)'
        when a.libelle is null or trim(a.libelle) = '' then 'libellé vide'
        -- What a spreadsheet runs as a formula (`=HYPERLINK(…)`, `+cmd|…`, `@SUM(…)`, `-2+3`):
        -- refused rather than kept, since the text travels to exports opened in Excel.
        when left(trim(a.libelle), 1) in ('=', '+', '-', '@')
            then 'libellé commençant par =, +, - ou @ (formule de tableur ?)'
    end as reject_reason
from v_stg_annotations as a;

create or replace table annotations as
select day as "date", platform, label, $source_file as source_file, line_no
from stg_annotations_checked
where reject_reason is null
order by "date", line_no;

delete from rejected_rows where source = 'annotations';
insert into rejected_rows (platform, source, source_file, file_id, line_no, reason, raw_text)
select
    case when platform in (select platform from v_platforms) then platform end,
    'annotations',
    $source_file,
    null,
    line_no,
    reject_reason,
    raw_text
from stg_annotations_checked
where reject_reason is not null
union all
select platform, source, source_file, null, line_no, reason, raw_text
from v_annotations_rejected;
