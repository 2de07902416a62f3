-- Models: catalogue exports → `suppliers`, `listings` (latest state of each id) and their
-- quarantine. Inputs: temp `stg_suppliers`, `stg_listings` (all text, with platform,
-- source_file, snapshot_date, line_no, raw_text), `stg_copy_files(source_file)` (files
-- named as copies: catalogue.is_copy_name), vocabularies `supplier_kinds`,
-- `category_aliases`, `categories`, reference `communes`, `departments`; the value rules of
-- 49_value_rules.sql (SIRET, French numbers, reasons), run before it.
-- Every staged row ends in exactly one of: the model table, the snapshot history, or
-- `rejected_rows` with its reason: a code (etl/reasons.py) and the value or field it quotes.

-- Labels and aliases compare by their words (match_text, etl/sql/01_vocabulary.sql).
create or replace macro norm_label(x) as match_text(x);
-- The code of a listing's category: the vocabulary's, else one made of the unclassified label
-- itself (`Légumes anciens` → `non_classe_legumes_anciens`), stable from load to load.
create or replace macro category_code_of(code, label) as
    coalesce(code, 'non_classe_' || replace(match_text(label), ' ', '_'));
create or replace macro parse_date(x) as
    coalesce(try_strptime(x, '%d/%m/%Y'), try_strptime(x, '%Y-%m-%d'))::date;
-- Creation and registration dates may not be later than the day after the load (a day of
-- margin for time zones); withdrawal dates may (a withdrawal planned ahead).
create or replace macro is_future(d) as d > current_date + 1;
-- No plausible date of the platforms (opened in 2020) is older than the setting
-- catalogue_earliest_year: `30/03/202` or `30/03/0020` (a year cut short) parse as the years
-- 202 and 20, and would be stored as such.
set variable catalogue_earliest_date = make_date($earliest_year, 1, 1);
-- The detail of a date's reason: the field and its value (`date_creation : 32/13/2020`).
create or replace macro date_detail(column_name, raw) as column_name || ' : ' || shown(raw);
-- What is wrong with a date field, or null: a two-digit year (`01/04/20`) is not guessed
-- (2020? 1920?), it quarantines its row as an out-of-range year does.
create or replace macro date_problem(column_name, raw, d) as
    case when raw is null then null
         when regexp_matches(raw, '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}$')
              then problem('two_digit_year', date_detail(column_name, raw))
         when d is null then problem('invalid_date', date_detail(column_name, raw))
         when d < getvariable('catalogue_earliest_date')
              then problem('implausible_date', date_detail(column_name, raw))
    end;

-- Suppliers -----------------------------------------------------------------------------
create or replace temp table stg_suppliers_checked as
with typed as (
    select s.* replace (siret_given(s.siret) as siret),
           parse_date(s.date_inscription) as joined_on,
           parse_date(s.date_retrait) as left_on,
           k.kind, k.kind_code,
           row_number() over (partition by s.platform, s.source_file, s.id_fournisseur order by s.line_no) as copy_in_file
    from stg_suppliers as s
    left join supplier_kinds as k on k.alias = norm_label(s.type)
), checked as (
    select *,
        case when id_fournisseur is null then problem('missing_field', 'id_fournisseur')
             when nom is null then problem('missing_field', 'nom')
             when type is null then problem('missing_field', 'type')
             when code_postal is null then problem('missing_field', 'code_postal')
             when commune is null then problem('missing_field', 'commune')
             when date_inscription is null then problem('missing_field', 'date_inscription')
             when date_problem('date_inscription', date_inscription, joined_on) is not null
                  then date_problem('date_inscription', date_inscription, joined_on)
             when is_future(joined_on) then problem('future_date', date_detail('date_inscription', date_inscription))
             when date_problem('date_retrait', date_retrait, left_on) is not null
                  then date_problem('date_retrait', date_retrait, left_on)
             when kind is null then problem('unknown_supplier_kind', shown(type))
             when platform = 'equipements-protection' and siret is null then problem('missing_field', 'siret')
             when siret is not null and not siret_is_valid(siret) then problem('invalid_siret', shown(siret))
             when not regexp_matches(code_postal, '^[0-9]{5}$') then problem('invalid_postal_code', shown(code_postal))
             when copy_in_file > 1 then problem('duplicate_id_in_file', left(id_fournisseur, 100))
        end as row_reason
    from typed
), first_files as (
    -- An id is unique within a platform: the same id in two files of the same date (two
    -- undated files, most often) keeps the first file's row (in file-name order, the load's
    -- order), an original's before a copy's (`… - Copie.csv` sorts before its original, whose
    -- rows it would otherwise quarantine). Dated snapshots of different dates hold the same
    -- ids by design.
    select *, substr(min(case when row_reason is null then copy_rank || source_file end)
                  over (partition by platform, id_fournisseur, snapshot_date), 2) as first_file
    from (select c.*, case when f.source_file is null then '0' else '1' end as copy_rank
          from checked as c left join stg_copy_files as f on f.source_file = c.source_file)
)
select * exclude (reject, row_reason, first_file, copy_rank), reject.code as reject_code, reject.detail as reject_detail
from (
    select *, coalesce(row_reason, case when source_file <> first_file
        then problem('duplicate_id', file_name(first_file) || ' : ' || left(id_fournisseur, 100)) end) as reject
    from first_files
);

create or replace temp table stg_suppliers_valid as
select *, row_number() over (partition by platform, id_fournisseur
                             order by coalesce(snapshot_date, date '9999-12-31') desc, source_file desc, line_no asc) as recency
from stg_suppliers_checked where reject_code is null;

create or replace table supplier_snapshots as
select platform, snapshot_date, id_fournisseur as supplier_id, nom as name, kind, kind_code, joined_on, left_on, source_file, line_no
from stg_suppliers_valid;

create or replace table suppliers as
with resolved as (
    select s.*,
        coalesce(
            (select c.insee_code from communes as c where c.insee_code = s.code_insee),
            (select min(c.insee_code) from communes as c
              where list_contains(string_split(c.postal_codes, ' '), s.code_postal)
                and norm_label(c.commune) = norm_label(s.commune)),
            (select min(c.insee_code) from communes as c
              where list_contains(string_split(c.postal_codes, ' '), s.code_postal)
              having count(*) = 1)
        ) as resolved_insee
    from stg_suppliers_valid as s where s.recency = 1
)
select r.platform, r.id_fournisseur as supplier_id, r.nom as name, r.kind, r.kind_code,
       nullif(siret_digits(r.siret), '') as siret, r.code_naf as naf_code,
       r.code_postal as postal_code, coalesce(c.commune, r.commune) as commune,
       coalesce(c.insee_code, r.code_insee) as insee_code,
       coalesce(c.department_code, left(r.code_postal, 2)) as department_code,
       d.department_name,
       c.insee_code is not null as is_in_region,
       c.latitude, c.longitude,
       r.joined_on, r.left_on,
       r.left_on is null or r.left_on > current_date as is_active,
       r.source_file, r.line_no as source_line
from resolved as r
left join communes as c on c.insee_code = r.resolved_insee
left join departments as d on d.department_code = coalesce(c.department_code, left(r.code_postal, 2));

-- Listings ------------------------------------------------------------------------------
create or replace temp table stg_listings_checked as
with typed as (
    select l.*,
           parse_date(l.date_creation) as created_on,
           parse_date(l.date_mise_a_jour) as updated_on,
           parse_date(l.date_retrait) as withdrawn_on,
           french_price(l.prix) as price_eur,
           french_integer(l.capacite_hebdo) as weekly_capacity,
           a.category_code,
           norm_label(l.statut) as status_norm,
           row_number() over (partition by l.platform, l.source_file, l.id_annonce order by l.line_no) as copy_in_file
    from stg_listings as l
    left join category_aliases as a on a.platform = l.platform and a.alias = norm_label(l.categorie)
), checked as (
    select t.*,
        case when t.id_annonce is null then problem('missing_field', 'id_annonce')
             when t.id_fournisseur is null then problem('missing_field', 'id_fournisseur')
             when t.titre is null then problem('missing_field', 'titre')
             when t.categorie is null then problem('missing_field', 'categorie')
             when t.statut is null then problem('missing_field', 'statut')
             when t.date_creation is null then problem('missing_field', 'date_creation')
             when date_problem('date_creation', t.date_creation, t.created_on) is not null
                  then date_problem('date_creation', t.date_creation, t.created_on)
             when is_future(t.created_on) then problem('future_date', date_detail('date_creation', t.date_creation))
             when date_problem('date_mise_a_jour', t.date_mise_a_jour, t.updated_on) is not null
                  then date_problem('date_mise_a_jour', t.date_mise_a_jour, t.updated_on)
             when is_future(t.updated_on) then problem('future_date', date_detail('date_mise_a_jour', t.date_mise_a_jour))
             when date_problem('date_retrait', t.date_retrait, t.withdrawn_on) is not null
                  then date_problem('date_retrait', t.date_retrait, t.withdrawn_on)
             when t.status_norm not in ('active', 'actif', 'retiree', 'retire', 'inactive', 'inactif') then problem('unknown_status', shown(t.statut))
             when t.prix is not null and t.price_eur is null then problem('invalid_price', shown(t.prix))
             when t.price_eur < 0 then problem('negative_price', shown(t.prix))
             when t.capacite_hebdo is not null and t.weekly_capacity is null then problem('invalid_capacity', shown(t.capacite_hebdo))
             when t.weekly_capacity < 0 then problem('negative_capacity', shown(t.capacite_hebdo))
             when not exists (select 1 from stg_suppliers_valid as s
                              where s.platform = t.platform and s.id_fournisseur = t.id_fournisseur)
                  then problem('unknown_supplier', left(t.id_fournisseur, 100))
             when t.copy_in_file > 1 then problem('duplicate_id_in_file', left(t.id_annonce, 100))
        end as row_reason
    from typed as t
), first_files as (
    -- As for suppliers: an id in two files of the same date keeps the first file's row, an
    -- original's before a copy's.
    select *, substr(min(case when row_reason is null then copy_rank || source_file end)
                  over (partition by platform, id_annonce, snapshot_date), 2) as first_file
    from (select c.*, case when f.source_file is null then '0' else '1' end as copy_rank
          from checked as c left join stg_copy_files as f on f.source_file = c.source_file)
)
select * exclude (reject, row_reason, first_file, copy_rank), reject.code as reject_code, reject.detail as reject_detail
from (
    select *, coalesce(row_reason, case when source_file <> first_file
        then problem('duplicate_id', file_name(first_file) || ' : ' || left(id_annonce, 100)) end) as reject
    from first_files
);

create or replace temp table stg_listings_valid as
select *, row_number() over (partition by platform, id_annonce
                             order by coalesce(snapshot_date, date '9999-12-31') desc, source_file desc, line_no asc) as recency
from stg_listings_checked where reject_code is null;

create or replace table listing_snapshots as
select l.platform, l.snapshot_date, l.id_annonce as listing_id, l.id_fournisseur as supplier_id,
       category_code_of(l.category_code, l.categorie) as category_code,
       coalesce(c.category, 'Non classé : ' || l.categorie) as category,
       l.status_norm in ('active', 'actif') as is_active, l.created_on, l.withdrawn_on, l.source_file, l.line_no
from stg_listings_valid as l
left join categories as c on c.platform = l.platform and c.category_code = l.category_code;

create or replace table listings as
select l.platform, l.id_annonce as listing_id, l.id_fournisseur as supplier_id, l.titre as title,
       category_code_of(l.category_code, l.categorie) as category_code,
       coalesce(c.category, 'Non classé : ' || l.categorie) as category,
       l.category_code is not null as is_known_category,
       l.price_eur, l.unite as unit,
       -- A code, like every stored value the dashboard labels (docs/metrics.md, *Stored codes*).
       case when l.status_norm in ('active', 'actif') then 'active' else 'withdrawn' end as status,
       l.status_norm in ('active', 'actif') and (l.withdrawn_on is null or l.withdrawn_on > current_date) as is_active,
       l.created_on, l.updated_on, l.withdrawn_on,
       l.norme as standard, l.weekly_capacity,
       l.source_file, l.line_no as source_line
from stg_listings_valid as l
left join categories as c on c.platform = l.platform and c.category_code = l.category_code
where l.recency = 1;

-- Quarantine (the catalogue is reloaded whole, so its previous rejects are replaced).
-- At most $max_rejected_rows rows per file are kept one by one (the first by line number,
-- those the CSV reader refused included); the others are counted by code in temp
-- `stg_catalogue_overflow`, which etl/catalogue_load.py adds to `rejected_overflow` with the
-- reader's own overflow (issue #28: a million invalid rows were all stored).
create or replace temp table stg_catalogue_rejected as
select platform, source, source_file, line_no, reason_code, detail, raw_text,
       row_number() over (partition by source, source_file order by line_no) as rank_in_file
from (
    select platform, 'suppliers' as source, source_file, line_no, reject_code as reason_code,
           reject_detail as detail, raw_text
    from stg_suppliers_checked where reject_code is not null
    union all
    select platform, 'listings', source_file, line_no, reject_code, reject_detail, raw_text
    from stg_listings_checked where reject_code is not null
    union all
    select platform, source, source_file, line_no, reason_code, detail, raw_text from stg_csv_rejected
);

delete from rejected_rows where source in ('suppliers', 'listings');
insert into rejected_rows
select platform, source, source_file, null, line_no, reason_code, detail, raw_text
from stg_catalogue_rejected
-- A file rejected whole (no line number) is one row, always kept.
where line_no is null or rank_in_file <= $max_rejected_rows;

create or replace temp table stg_catalogue_overflow as
-- Counted by code: the values of the rows not kept are not kept either (detail NULL).
select platform, source, source_file, null::varchar as file_id, reason_code, null::varchar as detail,
       count(*) as n_rows
from stg_catalogue_rejected
where line_no is not null and rank_in_file > $max_rejected_rows
group by all;
drop table stg_catalogue_rejected;
