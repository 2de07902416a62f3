-- Models: Agence BIO's list of organic operators, from data/raw/cantines/ (read by
-- etl/canteens.py, after 56_canteens.sql) → `organic_operators`, rebuilt on every load, empty
-- when no such file was dropped. Grain: one row per operator (SIRET) of the region. No unit.
-- Personal data: none beyond what Agence BIO publishes (a sole trader's registered name).
-- Scope and accounting as for the canteen files (56_canteens.sql): a row of another department
-- is counted out of scope; every other row is loaded or quarantined with its reason, so per
-- file read = loaded + rejected + out of scope.
-- Inputs: v_stg_organic_operators (source_file, file_order, line_no, raw_text, then the file's
-- columns, all text); `organic_production_families` (etl/config/organic_families.toml),
-- `canteen_families`; reference `communes`, `departments`; the macros of 49_value_rules.sql
-- and 56_canteens.sql (department_of, out_of_region).

-- Productions, one per row: `label:STATE` joined with `|` (data/README.md). A production
-- without a state is taken as certified (AB): the list publishes operators engaged in organic
-- farming, and a file without states would otherwise show none.
create or replace temp table stg_organic_productions as
select source_file, line_no, label,
       coalesce(state, 'AB') as state
from (
    select source_file, line_no,
           trim(regexp_replace(entry, '\s*:\s*[A-Za-z0-9]+\s*$', '')) as label,
           upper(nullif(regexp_extract(entry, ':\s*([A-Za-z0-9]+)\s*$', 1), '')) as state
    from (select source_file, line_no,
                 trim(unnest(string_split(coalesce(productions, ''), '|'))) as entry
          from v_stg_organic_operators)
    where entry <> ''
)
where label <> '';

-- Two config entries may normalise alike (`Œufs`, `OEUFS`): the smallest family code wins,
-- deterministically.
create or replace temp table stg_production_family_keys as
select match_text(production_label) as label_key, min(family_code) as family_code
from organic_production_families
group by all;

create or replace temp table stg_organic_production_summary as
with mapped as (
    select p.source_file, p.line_no, p.label, p.state,
           k.label_key is not null as is_known, k.family_code
    from stg_organic_productions as p
    left join stg_production_family_keys as k on match_text(p.label) = k.label_key
), families as (
    -- Only organic (AB) productions give a family: C1 to C3 are still in conversion.
    select source_file, line_no, list(family_code order by position) as families
    from (select distinct m.source_file, m.line_no, m.family_code, f.position
          from mapped as m
          join canteen_families as f using (family_code)
          where m.state = 'AB')
    group by all
)
select m.source_file, m.line_no,
       list(distinct m.label order by m.label) as productions,
       count(*) filter (where m.state = 'AB') as organic_productions,
       coalesce(list(distinct m.label order by m.label) filter (where not m.is_known), []) as unmapped,
       coalesce(any_value(f.families), []) as families
from mapped as m
left join families as f using (source_file, line_no)
group by m.source_file, m.line_no;

create or replace temp table stg_organic_operators_checked_unranked as
with typed as (
    select o.*,
           -- The commune code decides the department; `departement` only when it is missing
           -- (the API's field may hold a name rather than a code).
           department_of(case when nullif(trim(o.codecommune), '') is null then o.departement end,
                         o.codecommune) as department_code,
           nullif(siret_digits(siret_given(o.siret)), '') as siret_clean,
           nullif(trim(o.codecommune), '') as insee_code,
           coalesce(nullif(trim(o.denominationcourante), ''), nullif(trim(o.raisonsociale), '')) as operator_name
    from v_stg_organic_operators as o
), checked as (
    select s.*,
           out_of_region(s.department_code) as out_of_scope,
           case when out_of_region(s.department_code) then null
                when s.siret_clean is null then problem('missing_field', 'siret')
                when s.operator_name is null then problem('missing_field', 'raisonsociale')
                when s.insee_code is null then problem('missing_field', 'codecommune')
                when not siret_is_valid(s.siret_clean) then problem('invalid_siret', shown(s.siret))
                when s.insee_code not in (select r.insee_code from communes as r)
                     then problem('unknown_commune', 'codecommune « ' || shown(s.insee_code) || ' »')
           end as reject
    from typed as s
)
select c.*, c.siret_clean as dedupe_key from checked as c;
create or replace temp table stg_organic_operators_checked as
select * from first_row_per_key('stg_organic_operators_checked_unranked');

delete from organic_operators;
insert into organic_operators (siret, organic_id, name, insee_code, department_code, is_producer,
                               is_certified, families, productions, unmapped_productions,
                               source_file, line_no)
select o.siret_clean, nullif(trim(o.numerobio), ''), o.operator_name, o.insee_code, o.department_code,
       list_contains(list_transform(string_split(coalesce(o.activites, ''), ','), lambda a: match_text(a)),
                     'production'),
       -- ENGAGEE is the state of a valid certificate; ARRETEE, SUSPENDUE … are not. No column:
       -- the list holds engaged operators.
       coalesce(match_text(nullif(trim(o.etatcertification), '')) = 'engagee', true)
           and coalesce(p.organic_productions, 0) > 0,
       coalesce(p.families, []), coalesce(p.productions, []), coalesce(p.unmapped, []),
       o.source_file, o.line_no
from stg_organic_operators_checked as o
left join stg_organic_production_summary as p using (source_file, line_no)
where not o.out_of_scope and o.reject is null
order by o.department_code, o.insee_code, o.siret_clean;

-- Quarantine and counts (56_canteens.sql cleared this source's rows and added the reader's).
insert into rejected_rows (platform, source, source_file, file_id, line_no, reason_code, detail, raw_text)
select null, 'organic_operators', o.source_file, null, o.line_no, o.reject.code, o.reject.detail, o.raw_text
from stg_organic_operators_checked as o where o.reject is not null;

insert into canteen_file_counts
select source_file, count(*) filter (where not out_of_scope and reject is null),
       count(*) filter (where out_of_scope)
from stg_organic_operators_checked
group by source_file;
