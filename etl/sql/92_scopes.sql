-- The catalogue scopes of the dashboard: table macros over `suppliers` and `listings` (DuckDB
-- binds their tables when they are created, so they come after the models), built on the
-- scalar vocabulary of 01_vocabulary.sql. Created in each published dashboard file
-- (etl/publish.py): every figure of suppliers or listings reads them, so each is defined once.

-- Catalogue scopes ---------------------------------------------------------------------------
-- Codes, never labels: `chosen_kinds` are `suppliers.kind_code`s, `chosen_categories`
-- `listings.category_code`s (the vocabulary's codes, `non_classe_…` for unclassified labels).

-- Suppliers of a platform in the chosen departments, of the chosen kinds, offering (any
-- listing, active or not) in the chosen categories.
-- RF03 off for this macro: sqlfluff reads its parameters (`chosen_platform`) as columns of `s`.
-- noqa: disable=RF03
create or replace macro scoped_suppliers(chosen_platform, chosen_departments, chosen_kinds,
                                         chosen_categories) as table
    select s.*
    from suppliers as s
    where s.platform = chosen_platform
      and is_chosen(chosen_departments, s.department_code)
      and is_chosen(chosen_kinds, s.kind_code)
      and (len(chosen_categories) = 0 or exists (
            select 1 from listings as l
            where l.platform = s.platform and l.supplier_id = s.supplier_id
              and list_contains(chosen_categories, l.category_code)));
-- noqa: enable=RF03

-- Listings of a platform in the chosen categories whose supplier is in the chosen departments
-- and of the chosen kinds, with their supplier's department (code and name), kind code and
-- dates on the platform.
create or replace macro scoped_listings(chosen_platform, chosen_departments, chosen_kinds,
                                        chosen_categories) as table
    select l.*, s.department_code, s.department_name, s.kind_code,
           s.joined_on as supplier_joined_on, s.left_on as supplier_left_on
    from listings as l
    join suppliers as s on s.platform = l.platform and s.supplier_id = l.supplier_id
    where l.platform = chosen_platform
      and is_chosen(chosen_departments, s.department_code)
      and is_chosen(chosen_kinds, s.kind_code)
      and is_chosen(chosen_categories, l.category_code);

-- The dashboard's "active suppliers" and "active listings" on a day: the scopes above, active.
-- A listing is on offer only while its supplier is on the platform too: an active listing of
-- a supplier who left does not count (docs/metrics.md).
create or replace macro active_suppliers_on(chosen_platform, chosen_departments, chosen_kinds,
                                            chosen_categories, day) as table
    select * from scoped_suppliers(chosen_platform, chosen_departments, chosen_kinds, chosen_categories)
    where supplier_active_on(joined_on, left_on, day);

-- `listing_on_offer` is that rule for one row of `scoped_listings` (for queries that join
-- listings to days, such as site searches); `active_listings_on` the table of one day.
create or replace macro listing_on_offer(created_on, withdrawn_on, is_active, supplier_joined_on,
                                         supplier_left_on, day) as
    listing_active_on(created_on, withdrawn_on, is_active, day)
    and supplier_active_on(supplier_joined_on, supplier_left_on, day);

-- The same rule as a span of days: a listing is on offer from `listing_offer_start` (included)
-- until `listing_offer_end` (excluded), an empty span when never; `listing_on_offer(…, day)` is
-- `day >= start and day < end` (tests/test_one_definition.py checks it on every case, NULLs
-- included). For figures that need the days on offer of many listings at once (the site
-- searches without a result), where testing each listing on each day is too slow.
create or replace macro listing_offer_start(created_on, supplier_joined_on) as
    case when created_on is null or supplier_joined_on is null then 'infinity'::date
         else greatest(created_on, supplier_joined_on) end;
create or replace macro listing_offer_end(withdrawn_on, is_active, supplier_left_on) as
    least(case when withdrawn_on is not null then withdrawn_on
               when is_active then 'infinity'::date
               else '-infinity'::date end,
          coalesce(supplier_left_on, 'infinity'::date));

create or replace macro active_listings_on(chosen_platform, chosen_departments, chosen_kinds,
                                           chosen_categories, day) as table
    select * from scoped_listings(chosen_platform, chosen_departments, chosen_kinds, chosen_categories)
    where listing_on_offer(created_on, withdrawn_on, is_active, supplier_joined_on,
                           supplier_left_on, day);

-- Where a visit comes from (docs/metrics.md, "Origin"), from its entry page's country and
-- department (visits.country_code, visits.geo_department_code): `region` (a department of the
-- region, table `departments`), `france_other` (another French department), `france_unlocated`
-- (France, no department: no city database, or an address it does not place), `abroad`,
-- `unknown` (no country: private or unassigned address, or loaded before locating). Labels in
-- app/labels.py ORIGIN_LABELS.
create or replace macro visit_origin(country, department) as
    case when country is null then 'unknown'
         when country <> 'FR' then 'abroad'
         when department in (select d.department_code from departments as d) then 'region'
         when department is not null then 'france_other'
         else 'france_unlocated'
    end;
