-- Models: the public canteen files of data/raw/cantines/ (read by etl/canteens.py) →
-- `canteens` (ma cantine's register), `canteen_declarations` (its yearly teledeclaration
-- campaigns), `food_projects` and `food_project_communes` (the PAT list), rebuilt on every
-- load. Grain: one row per canteen (SIRET), per canteen and campaign year, per PAT, per PAT and
-- commune. Units: meals (per day, per year); shares of purchases excluding tax, 0 to 1. No
-- personal data (establishments only).
-- Scope: the region is the departments of the reference (`departments`). A row of another
-- department (a PAT without a commune of the region) is read and counted out of scope, never
-- checked further nor loaded; every other row ends in its table or in `rejected_rows` with its
-- reason (a code of etl/reason_labels.py), so per file read = loaded + rejected + out of scope.
-- Inputs (registered by etl/canteens.py, all text): v_stg_canteens, v_stg_canteen_declarations,
-- v_stg_food_projects (source_file, file_order, line_no, raw_text, then the file's columns);
-- v_canteen_csv_rejected (what the CSV reader could not read); reference `communes`,
-- `departments`; the value rules of 49_value_rules.sql.

-- A department code as INSEE writes it: `1` (an integer column of a spreadsheet) is `01`.
create or replace macro department_of(department, insee_code) as
    case when regexp_matches(trim(coalesce(nullif(trim(department), ''), left(trim(insee_code), 2))), '^[0-9]$')
         then '0' || trim(coalesce(nullif(trim(department), ''), left(trim(insee_code), 2)))
         else nullif(trim(coalesce(nullif(trim(department), ''), left(trim(insee_code), 2))), '') end;
create or replace macro in_region(code) as
    code in (select d.department_code from departments as d);
-- A row of another department than the region's: read, counted out of scope, not loaded.
create or replace macro out_of_region(code) as code is not null and not in_region(code);
-- A meal count: a whole number, not negative; empty is unknown (NULL), anything else is invalid.
create or replace macro meal_count_problem(column_name, raw) as
    case when raw is not null and (french_integer(raw) is null or french_integer(raw) < 0)
         then problem('invalid_meal_count', column_name || ' « ' || shown(raw) || ' »') end;
-- A share as the campaign files write it (`0.4213`, pandas' decimal point), or with a French
-- decimal comma. The files hold shares: 45 (a percentage) is out of range, not divided by 100.
create or replace macro share_of(raw) as try_cast(french_number(trim(raw)) as double);
create or replace macro share_problem(column_name, raw) as
    case when raw is null then null
         when share_of(raw) is null then problem('invalid_ratio', column_name || ' « ' || shown(raw) || ' »')
         when share_of(raw) < 0 or share_of(raw) > 1
              then problem('ratio_out_of_range', column_name || ' « ' || shown(raw) || ' »')
    end;

-- Canteens ------------------------------------------------------------------------------
create or replace temp table stg_canteens_checked_unranked as
with typed as (
    select c.*,
           department_of(c.department, c.city_insee_code) as department_code,
           nullif(siret_digits(siret_given(c.siret)), '') as siret_clean,
           trim(c.city_insee_code) as insee_code
    from v_stg_canteens as c
), checked as (
    select s.*,
           out_of_region(s.department_code) as out_of_scope,
           case when out_of_region(s.department_code) then null
                when s.siret_clean is null then problem('missing_field', 'siret')
                when s.name is null then problem('missing_field', 'name')
                when s.insee_code is null then problem('missing_field', 'city_insee_code')
                when not siret_is_valid(s.siret_clean) then problem('invalid_siret', shown(s.siret))
                when s.insee_code not in (select r.insee_code from communes as r)
                     then problem('unknown_commune', 'city_insee_code « ' || shown(s.insee_code) || ' »')
                else coalesce(meal_count_problem('daily_meal_count', s.daily_meal_count),
                              meal_count_problem('yearly_meal_count', s.yearly_meal_count))
           end as reject
    from typed as s
)
select c.*, c.siret_clean as dedupe_key from checked as c;
create or replace temp table stg_canteens_checked as
select * from first_row_per_key('stg_canteens_checked_unranked');

delete from canteens;
-- Columns named: a warehouse whose table predates a column has it last (00_schema.sql).
insert into canteens (siret, canteen_id, name, insee_code, department_code, epci_code, epci_name,
                      food_project_ids, management_type, production_type, central_producer_siret,
                      daily_meal_count, yearly_meal_count, sectors, source_file, line_no)
select siret_clean, nullif(trim(id), ''), trim(name), insee_code, department_code,
       nullif(trim(epci), ''), nullif(trim(epci_lib), ''),
       case when nullif(trim(pat_list), '') is not null
            then list_filter(list_transform(string_split(pat_list, ','), lambda p: trim(p)), lambda p: p <> '') end,
       nullif(lower(trim(management_type)), ''), nullif(lower(trim(production_type)), ''),
       nullif(siret_digits(siret_given(central_producer_siret)), ''),
       french_integer(daily_meal_count), french_integer(yearly_meal_count),
       nullif(trim(sector_list), ''), source_file, line_no
from stg_canteens_checked
where not out_of_scope and reject is null
order by department_code, insee_code, siret_clean;

-- Declarations ---------------------------------------------------------------------------
create or replace temp table stg_declarations_checked_unranked as
with typed as (
    select d.*,
           department_of(d.canteen_department, d.canteen_city_insee_code) as department_code,
           nullif(siret_digits(siret_given(d.canteen_siret)), '') as siret_clean,
           nullif(trim(d.canteen_city_insee_code), '') as insee_code,
           try_cast(french_integer(d."year") as integer) as year_number
    from v_stg_canteen_declarations as d
), checked as (
    select s.*,
           out_of_region(s.department_code) as out_of_scope,
           case when out_of_region(s.department_code) then null
                when s.siret_clean is null then problem('missing_field', 'canteen_siret')
                when s.department_code is null then problem('missing_field', 'canteen_department')
                when not siret_is_valid(s.siret_clean) then problem('invalid_siret', shown(s.canteen_siret))
                when s."year" is null then problem('missing_field', 'year')
                -- ma cantine's campaigns began with the purchases of 2021; a year after the
                -- current one is a typing slip.
                when s.year_number is null or s.year_number < 2019 or s.year_number > year(current_date)
                     then problem('invalid_year', shown(s."year"))
                when s.insee_code is not null and s.insee_code not in (select r.insee_code from communes as r)
                     then problem('unknown_commune', 'canteen_city_insee_code « ' || shown(s.insee_code) || ' »')
                when share_problem('teledeclaration_ratio_bio', s.teledeclaration_ratio_bio) is not null
                     then share_problem('teledeclaration_ratio_bio', s.teledeclaration_ratio_bio)
                when share_problem('teledeclaration_ratio_egalim_hors_bio', s.teledeclaration_ratio_egalim_hors_bio) is not null
                     then share_problem('teledeclaration_ratio_egalim_hors_bio', s.teledeclaration_ratio_egalim_hors_bio)
                -- Both shares are of the same total: more than 1 together cannot be. The file
                -- rounds each to 4 decimals, hence the margin.
                when share_of(s.teledeclaration_ratio_bio) + share_of(s.teledeclaration_ratio_egalim_hors_bio) > 1.001
                     then problem('ratios_over_one', s.teledeclaration_ratio_bio || ' + ' || s.teledeclaration_ratio_egalim_hors_bio)
           end as reject
    from typed as s
)
select c.*, c.siret_clean || ' ' || c.year_number as dedupe_key from checked as c;
create or replace temp table stg_declarations_checked as
select * from first_row_per_key('stg_declarations_checked_unranked');

delete from canteen_declarations;
insert into canteen_declarations
select siret_clean, year_number, nullif(trim(id), ''), nullif(trim(canteen_name), ''), insee_code,
       department_code, share_of(teledeclaration_ratio_bio), share_of(teledeclaration_ratio_egalim_hors_bio),
       nullif(trim(teledeclaration_mode), ''), source_file, line_no
from stg_declarations_checked
where not out_of_scope and reject is null
order by year_number, department_code, siret_clean;

-- Territorial food projects (PAT) -------------------------------------------------------
-- The communes of a PAT, one per row: those of the region's departments are checked against
-- the reference; those of other regions (a PAT across a regional border) are not ours.
create or replace temp table stg_food_project_codes as
select p.source_file, p.line_no, trim(u.code) as insee_code,
       department_of(null, trim(u.code)) as department_code
from v_stg_food_projects as p, unnest(string_split(coalesce(p.communes_code_insee, ''), ',')) as u (code)
where trim(u.code) <> '';

create or replace temp table stg_food_projects_checked_unranked as
with codes as (
    select source_file, line_no,
           count(*) filter (where in_region(department_code)) as region_codes,
           min(insee_code) filter (where in_region(department_code)
                                   and insee_code not in (select r.insee_code from communes as r)) as unknown_code
    from stg_food_project_codes
    group by all
), checked as (
    select p.*,
           coalesce(c.region_codes, 0) = 0 and p.communes_code_insee is not null as out_of_scope,
           case when coalesce(c.region_codes, 0) = 0 and p.communes_code_insee is not null then null
                when nullif(trim(p.id), '') is null then problem('missing_field', 'id')
                when p.nom_administratif is null then problem('missing_field', 'nom_administratif')
                when p.communes_code_insee is null then problem('missing_field', 'communes_code_insee')
                when c.unknown_code is not null
                     then problem('unknown_commune', 'communes_code_insee « ' || shown(c.unknown_code) || ' »')
           end as reject
    from v_stg_food_projects as p
    left join codes as c using (source_file, line_no)
)
select c.*, trim(c.id) as dedupe_key from checked as c;
create or replace temp table stg_food_projects_checked as
select * from first_row_per_key('stg_food_projects_checked_unranked');

delete from food_projects;
insert into food_projects
select trim(id), trim(nom_administratif), nullif(trim(nom_usuel), ''),
       nullif(trim(lien_vers_la_fiche_pat), ''), source_file, line_no
from stg_food_projects_checked
where not out_of_scope and reject is null
order by trim(id);

delete from food_project_communes;
insert into food_project_communes
select distinct trim(p.id), c.insee_code
from stg_food_projects_checked as p
join stg_food_project_codes as c using (source_file, line_no)
where not p.out_of_scope and p.reject is null and in_region(c.department_code)
order by all;

-- Quarantine and counts -----------------------------------------------------------------
delete from rejected_rows where source in ('canteens', 'canteen_declarations', 'food_projects', 'organic_operators', 'canteen_files');
insert into rejected_rows (platform, source, source_file, file_id, line_no, reason_code, detail, raw_text)
select null, 'canteens', c.source_file, null, c.line_no, c.reject.code, c.reject.detail, c.raw_text
from stg_canteens_checked as c where c.reject is not null
union all
select null, 'canteen_declarations', d.source_file, null, d.line_no, d.reject.code, d.reject.detail, d.raw_text
from stg_declarations_checked as d where d.reject is not null
union all
select null, 'food_projects', f.source_file, null, f.line_no, f.reject.code, f.reject.detail, f.raw_text
from stg_food_projects_checked as f where f.reject is not null
union all
select r.platform, r.source, r.source_file, null, r.line_no, r.reason_code, r.detail, r.raw_text
from v_canteen_csv_rejected as r;

-- Per file: rows loaded and out of scope (the quarantined ones are counted from rejected_rows).
create or replace temp table canteen_file_counts as
select source_file, count(*) filter (where not out_of_scope and reject is null) as loaded,
       count(*) filter (where out_of_scope) as out_of_scope
from (select source_file, out_of_scope, reject from stg_canteens_checked
      union all select source_file, out_of_scope, reject from stg_declarations_checked
      union all select source_file, out_of_scope, reject from stg_food_projects_checked)
group by source_file;
