-- Value rules shared by the CSV models (50_catalogue.sql, 56_canteens.sql): what a SIRET, a
-- French number and a quarantine reason are. Run before each of them (etl/catalogue_load.py,
-- etl/canteens.py), so a model never depends on another having run first in this load.
-- `create or replace`: every rerun is safe.

-- SIRET: 14 digits whose Luhn sum is a multiple of 10 (La Poste's establishments, SIREN
-- 356000000, follow another rule and are accepted as they are). Anything else (`N/A`,
-- `en cours`, letters) is an invalid SIRET: digits are read with ascii(), never cast, so
-- that no value can make the load fail.
-- A placeholder for "no SIRET" (`N/A`, `en cours`, `-`, `néant`, `non renseigné` …) is no
-- SIRET at all: the field is optional for food producers, whose row is then kept without
-- one; for the equipment platform, where it is required, the row says the field is missing.
create or replace macro siret_given(x) as
    case when match_text(x) in ('', 'n a', 'na', 'nc', 'n c', 'en cours', 'en attente', 'neant', 'non renseigne',
                                'non communique', 'inconnu', 'aucun', 'sans', 'nd', 'n d')
         then null else x end;
-- Spaces as French spreadsheets write them: the space, the no-break space (U+00A0) and the
-- narrow no-break space (U+202F) of French Excel and LibreOffice number formats.
create or replace macro siret_digits(x) as
    regexp_replace(coalesce(x, ''), '[\s.\x{00A0}\x{202F}]', '', 'g');
create or replace macro siret_digit(x, i) as ascii(substr(siret_digits(x), i + 1, 1)) - 48;
create or replace macro siret_is_valid(x) as
    case when regexp_matches(siret_digits(x), '^[0-9]{14}$') then
        starts_with(siret_digits(x), '356000000') or
        list_sum(list_transform(range(14), lambda i:
            case when i % 2 = 0 then (siret_digit(x, i) * 2) % 10 + (siret_digit(x, i) * 2) // 10
                 else siret_digit(x, i) end)) % 10 = 0
    else false end;
-- A number as French exports write it, as text DuckDB can cast, or null: digits grouped by
-- threes with one of those spaces (`1 234`, `2 400`), a decimal comma or point (`1 234,50`),
-- an optional minus. Anything else is not a number (`1 2`, `1.234,50`, `4€50`), never read
-- by dropping what does not fit.
create or replace macro french_number(x) as
    case when regexp_matches(x, '^-?([0-9]{1,3}([ \x{00A0}\x{202F}][0-9]{3})+|[0-9]+)([.,][0-9]+)?$')
         then replace(regexp_replace(x, '[ \x{00A0}\x{202F}]', '', 'g'), ',', '.') end;
-- A price may end with its euro sign (`4,50 €`).
create or replace macro french_price(x) as
    try_cast(french_number(regexp_replace(x, '[ \x{00A0}\x{202F}]?€$', '')) as decimal(12, 2));
-- A whole number; a spreadsheet's `2 400,00` is one, `12,5` or `2.400` (2.4 or 2400?) is not.
create or replace macro french_integer(x) as
    try_cast(case when not regexp_matches(regexp_replace(x, '[.,]00?$', ''), '[.,]')
                  then french_number(regexp_replace(x, '[.,]00?$', '')) end as bigint);
-- A value quoted in a reason's detail, cut to 100 characters: it stays one readable line.
create or replace macro shown(x) as case when length(x) > 100 then left(x, 100) || '…' else x end;
-- A quarantine reason: its code (etl/reasons.py labels it) and the value or field it quotes.
create or replace macro problem(code, detail) as {'code': code, 'detail': detail::varchar};
create or replace macro file_name(path) as regexp_extract(path, '[^/\\]+$');

-- The rows of a checked staging table with a key given twice marked: the first row (files in
-- name order, then lines) keeps it and the others get `duplicate_id_in_file` or
-- `duplicate_id`; only rows otherwise valid compete, so a broken row never hides a good one.
-- The table has `dedupe_key` (the identifier, as the message quotes it), `reject`,
-- `out_of_scope`, `file_order`, `line_no` and `source_file` (the canteen files, the organic
-- operators: etl/sql/56_canteens.sql, 57_organic_operators.sql).
-- RF03 off: sqlfluff reads the macro's parameter as a column of `c` (as in 92_scopes.sql).
-- noqa: disable=RF03
create or replace macro first_row_per_key(checked_table) as table
with ranked as (
    select c.*,
           case when c.reject is null and not c.out_of_scope then
               row_number() over (partition by c.dedupe_key, (c.reject is null and not c.out_of_scope)
                                  order by c.file_order, c.line_no) end as rank_in_key,
           case when c.reject is null and not c.out_of_scope then
               first_value(c.source_file) over (partition by c.dedupe_key, (c.reject is null and not c.out_of_scope)
                                                order by c.file_order, c.line_no) end as first_file
    from query_table(checked_table) as c
)
select * exclude (reject, dedupe_key, rank_in_key, first_file),
       coalesce(reject,
                case when rank_in_key > 1 and first_file = source_file
                          then problem('duplicate_id_in_file', shown(dedupe_key))
                     when rank_in_key > 1
                          then problem('duplicate_id', file_name(first_file) || ' : ' || shown(dedupe_key)) end
       ) as reject
from ranked;
-- noqa: enable=RF03
