-- Persistent tables of the warehouse. Created once; every later step is incremental or
-- `create or replace`. Grain, units and sensitivity of each table: docs/warehouse.md.

create table if not exists load_files (
    file_id       varchar primary key,   -- identity of the log stream (hash of its head) or of the CSV content
    platform      varchar not null,
    source        varchar not null,      -- logs | suppliers | listings
    path          varchar not null,      -- last path the file was seen at
    bytes         bigint,                -- decompressed bytes read
    disk_bytes    bigint,                -- size on disk when last read: unchanged size and head → skipped unread
    lines_read    bigint not null,       -- lines (logs) or data rows (CSV) read so far
    rows_loaded   bigint not null,
    rows_rejected bigint not null,
    loaded_at     timestamptz not null
);
-- Columns added after the first version (older warehouses get them empty or zero).
-- rows_expired: hits of the file purged since by retention, so that for every file
-- lines_read = rows_loaded (hits kept) + rows_rejected + rows_expired.
alter table load_files add column if not exists rows_expired bigint default 0;
-- A log stream is its first line (line1_id) AND its first head_bytes bytes (head_sha): two
-- logs that share a first line are different streams.
alter table load_files add column if not exists line1_id varchar;
alter table load_files add column if not exists head_bytes bigint;
alter table load_files add column if not exists head_sha varchar;
-- The last tail_bytes bytes read (tail_sha): a later file matching the head is read on only
-- if it holds these bytes where the load stopped (a rewritten copy is refused, not skipped).
alter table load_files add column if not exists tail_bytes bigint;
alter table load_files add column if not exists tail_sha varchar;
-- rows_blank: CSV rows whose every field is empty (`;;;;`), skipped and counted: not data
-- rows, so outside lines_read = rows_loaded + rows_rejected + rows_expired.
alter table load_files add column if not exists rows_blank bigint default 0;
-- rows_out_of_scope: rows of the canteen and PAT files outside the region's departments, read
-- and deliberately not loaded (etl/canteens.py): for those files
-- lines_read = rows_loaded + rows_rejected + rows_out_of_scope.
alter table load_files add column if not exists rows_out_of_scope bigint default 0;

-- One row per parsed log line. No IP address: `visitor_id` is a keyed hash whose daily key
-- lives outside the warehouse and is destroyed after use (docs/metrics.md).
create table if not exists hits (
    platform         varchar not null,
    file_id          varchar not null,
    line_no          bigint not null,
    ts_utc           timestamptz not null,
    ts               timestamp not null,  -- Europe/Paris
    method           varchar,
    path             varchar,
    query            varchar,
    status           integer,
    bytes            bigint,
    referrer         varchar,
    referrer_host    varchar,
    user_agent       varchar,
    visitor_id       varchar not null,
    is_bot           boolean not null,
    is_asset         boolean not null,
    is_pageview      boolean not null,
    exclusion_reason varchar,
    page_type        varchar,
    entity_id        varchar,
    search_terms     varchar,
    -- Where the address is, resolved at load time (etl/geo.py); the address itself is not kept.
    country_code        varchar,  -- ISO 3166-1 alpha-2 (iptocc); NULL: not located
    geo_department_code varchar   -- INSEE department (city database); NULL: none or not in France
);
-- Warehouses created before the columns: their hits stay not located (their addresses are
-- gone); visits get the columns when the next load derives every day again.
alter table hits add column if not exists country_code varchar;
alter table hits add column if not exists geo_department_code varchar;

-- The analysts' annotations (data/annotations.csv): rebuilt by 55_annotations.sql on every
-- load; created here so that a warehouse always has the table the dashboard reads.
create table if not exists annotations (
    "date"      date not null,        -- Paris calendar day
    platform    varchar,              -- platform code; NULL: every platform
    label       varchar not null,     -- the analyst's text, as typed
    source_file varchar not null,
    line_no     bigint not null
);

-- Canteens, their EGalim declarations and the territorial food projects (PAT), from the
-- public files of data/raw/cantines/ (etl/canteens.py, etl/sql/56_canteens.sql): rebuilt on
-- every load, region only; created here so that an older warehouse gains them empty.
-- No personal data: canteens are establishments, identified by their SIRET.
create table if not exists canteens (
    siret                  varchar not null,  -- 14 digits
    canteen_id             varchar,           -- ma cantine's id
    name                   varchar not null,
    insee_code             varchar not null,  -- commune (communes.insee_code)
    department_code        varchar not null,
    epci_code              varchar,           -- SIREN of the EPCI, as published
    epci_name              varchar,           -- its name (epci_lib), as published
    food_project_ids       varchar[],         -- PAT ids of pat_list, as published
    management_type        varchar,           -- direct | conceded, lower case
    production_type        varchar,           -- site | site_cooked_elsewhere | central | central_serving
    central_producer_siret varchar,           -- the central kitchen of a satellite
    daily_meal_count       bigint,            -- meals per day; NULL: not given
    yearly_meal_count      bigint,            -- meals per year; NULL: not given
    sectors                varchar,           -- sector_list, as published (comma-separated)
    source_file            varchar not null,
    line_no                bigint not null
);
-- Canteen tables created before the EPCI's name: added, filled by the next load.
alter table canteens add column if not exists epci_name varchar;
create table if not exists canteen_declarations (
    siret                  varchar not null,  -- the declaring canteen's SIRET
    year                   integer not null,  -- the year of the purchases declared
    declaration_id         varchar,
    canteen_name           varchar,
    insee_code             varchar,           -- NULL when the file gives none
    department_code        varchar not null,
    ratio_bio              double,            -- share of organic in purchases, 0 to 1 (excl. tax)
    ratio_egalim_hors_bio  double,            -- share of other EGalim-quality purchases, 0 to 1
    teledeclaration_mode   varchar,
    source_file            varchar not null,
    line_no                bigint not null
);
create table if not exists food_projects (
    food_project_id        varchar not null,  -- the PAT list's id
    name                   varchar not null,  -- nom_administratif
    usual_name             varchar,           -- nom_usuel
    url                    varchar,           -- lien_vers_la_fiche_pat
    source_file            varchar not null,
    line_no                bigint not null
);
-- One row per PAT and commune of the region it covers (communes_code_insee).
create table if not exists food_project_communes (
    food_project_id        varchar not null,
    insee_code             varchar not null
);

-- ma cantine's eight product families and the one of each produits-frais listing category
-- (etl/config/canteen_families.toml, etl/canteen_families.py), rewritten by every load.
create table if not exists canteen_families (
    family_code            varchar not null,  -- ma cantine's code (viandes_volailles …)
    label                  varchar not null,  -- French, shown
    position               integer not null   -- ma cantine's order
);
create table if not exists category_families (
    platform               varchar not null,
    category_code          varchar not null,  -- categories.category_code
    family_code            varchar,           -- NULL: not food (flowers and seedlings)
    rationale              varchar not null   -- why, one line (English, for developers)
);

-- Agence BIO's list of organic operators (data/raw/cantines/, etl/canteens.py,
-- etl/sql/57_organic_operators.sql): rebuilt on every load, region only; empty when no such
-- file was dropped. One row per operator (SIRET). No personal data beyond what Agence BIO
-- publishes: the operator's registered name (a sole trader's is a person's name, published
-- as such).
create table if not exists organic_operators (
    siret                  varchar not null,  -- 14 digits
    organic_id             varchar,           -- Agence BIO's numéro bio
    name                   varchar not null,  -- denominationcourante, else raisonsociale
    insee_code             varchar not null,  -- commune (communes.insee_code)
    department_code        varchar not null,
    is_producer            boolean not null,  -- `Production` among its activities
    is_certified           boolean not null,  -- certificate not stopped, a production in state AB
    families               varchar[] not null, -- ma cantine families of its AB productions
    productions            varchar[] not null, -- production labels, as published
    unmapped_productions   varchar[] not null, -- labels organic_families.toml does not know
    source_file            varchar not null,
    line_no                bigint not null
);
-- Agence BIO production label → ma cantine family (etl/config/organic_families.toml).
create table if not exists organic_production_families (
    production_label       varchar not null,  -- as in the file; matched with match_text()
    family_code            varchar,           -- NULL: not food
    rationale              varchar not null
);

create table if not exists rejected_rows (
    platform    varchar,
    source      varchar not null,    -- logs | suppliers | listings | annotations | canteens …
    source_file varchar not null,
    file_id     varchar,
    line_no     bigint,
    -- A stable code (etl/reasons.py, labelled there in French) and the value or field it
    -- quotes (NULL when none): counts group by code, whatever the value.
    reason_code varchar not null,
    detail      varchar,
    raw_text    varchar
);

-- Quarantined lines beyond the rows kept per file and reason (etl/load.py,
-- MAX_REJECTED_ROWS_PER_FILE): counted here instead of stored one by one, so that a file
-- of millions of junk lines costs one row. Counts by code add rejected_rows and these. Counted
-- by code only, so `detail` is NULL: the values beyond the rows kept are not kept.
create table if not exists rejected_overflow (
    platform    varchar,
    source      varchar not null,
    source_file varchar not null,
    file_id     varchar,
    reason_code varchar not null,
    detail      varchar,
    n_rows      bigint not null
);

-- A check value of each daily visitor-hash key (sha256 of the key: reveals nothing of it),
-- so that a load can tell a key lost (state/visitor_keys.json deleted or replaced) from a new
-- day, and say that visitors of that day can no longer be matched.
create table if not exists visitor_key_checks (day date primary key, key_check varchar not null);

create table if not exists user_agents (
    user_agent  varchar primary key,
    is_bot      boolean not null,
    bot_name    varchar,
    browser     varchar,
    os          varchar,
    device_type varchar
);

-- Human page views (grain: one page view), derived from `hits` day by day. Europe/Paris.
create table if not exists pageviews (
    platform      varchar not null,
    ts            timestamp not null,
    ts_utc        timestamptz not null,
    visitor_id    varchar not null,
    visit_id      varchar not null,
    path          varchar,
    page_type     varchar,
    entity_id     varchar,
    search_terms  varchar,
    referrer_host varchar,
    user_agent    varchar
);

-- Visits (grain: one visit), derived from `pageviews` day by day. Europe/Paris.
create table if not exists visits (
    platform        varchar not null,
    visit_id        varchar not null,
    visitor_id      varchar not null,
    started_at      timestamp not null,
    ended_at        timestamp not null,
    pageviews       integer not null,
    duration_s      integer not null,
    is_bounce       boolean not null,
    entry_path      varchar,
    entry_page_type varchar,
    channel         varchar not null,
    referrer_host   varchar,
    device_type     varchar not null,
    browser         varchar not null,
    os              varchar not null,
    entry_entity_id varchar             -- product, producer or category id of the first page
);
-- Warehouses created before the column: added empty, filled when the next load derives every
-- day again (DAILY_AGGREGATES_VERSION in etl/load.py).
alter table visits add column if not exists entry_entity_id varchar;
-- Where the visit left (its last page), its campaign (the landing URL's utm_/mtm_/pk_
-- parameters) and its referrer without query string (NULL for a direct visit). Added empty to
-- older warehouses and filled by the re-derivation of DAILY_AGGREGATES_VERSION 7.
alter table visits add column if not exists exit_path varchar;
alter table visits add column if not exists exit_page_type varchar;
alter table visits add column if not exists exit_entity_id varchar;
alter table visits add column if not exists utm_source varchar;
alter table visits add column if not exists utm_medium varchar;
alter table visits add column if not exists utm_campaign varchar;
alter table visits add column if not exists referrer_url varchar;

-- Changes of address of each platform (etl/config/hosts.toml, etl/hosts.py): the day a new host
-- began, drawn as an annotation on the visit charts. Rewritten by every load.
create table if not exists host_changes (
    platform varchar not null,
    day      date not null,
    host     varchar not null,
    label    varchar
);

-- Goals reached (grain: one visit and one goal, however often reached in it), derived with
-- `visits` for the same days by 40_visits.sql; `day` is the visit's start day (Paris).
create table if not exists visit_goals (
    platform  varchar not null,
    visit_id  varchar not null,
    day       date not null,
    goal_code varchar not null
);

-- The goals of etl/config/goals.toml per platform, in the file's order, with the label shown
-- (rewritten by every load, etl/goals.py).
create table if not exists goals (
    platform  varchar not null,
    goal_code varchar not null,
    label     varchar not null,
    position  integer not null
);

-- The entry page's location (hits.country_code, hits.geo_department_code), DAILY_AGGREGATES_VERSION 9.
alter table visits add column if not exists country_code varchar;
alter table visits add column if not exists geo_department_code varchar;
-- The visit id's 64 bits as a number (`printf('%016x', visit_key) = visit_id`, so no more
-- collisions than the id): `catalogue_visit_days` and `visit_searches` name visits by it, and
-- the dashboard finds a filter's visits by comparing 8-byte integers instead of 16-character
-- strings (docs/performance.md). DAILY_AGGREGATES_VERSION 11.
alter table visits add column if not exists visit_key ubigint;

-- The databases the last load located addresses with (etl/geo.py): `country` (iptocc and
-- its version) and, when a city database was given, `department` (its type and build date).
create table if not exists geo_sources (
    role          varchar not null,  -- country | department
    database_type varchar not null,
    version       varchar,
    built_on      date
);

-- Visits per platform and Paris day (grain: platform + day), kept with `visits` by
-- 40_visits.sql and 35_retention.sql: the dashboard's figures without a catalogue filter read
-- this instead of every visit. Every column adds up over days; `visitors` too, because the
-- visitor id changes daily (a person returning on two days counts twice, as documented).
create table if not exists visits_daily (
    platform   varchar not null,
    day        date not null,
    visits     bigint not null,
    visitors   bigint not null,
    pageviews  bigint not null,
    bounces    bigint not null,
    duration_s bigint not null
);

-- Page views of each catalogue page (product, producer/company, category) per platform and
-- Paris day, with the visits that viewed it; kept like `visits_daily`. `visits` adds up over
-- days too: a visit lies within one day.
create table if not exists entity_views_daily (
    platform  varchar not null,
    day       date not null,
    page_type varchar not null,
    entity_id varchar not null,
    pageviews bigint not null,
    visits    bigint not null
);

-- Page views of each page type per platform and Paris day, with the visits that viewed one,
-- and the visits that entered and left the site on one; kept like `visits_daily`. Every
-- column adds up over days, since a visit lies within one day. `entityless_*`: the views, and
-- the visits, of pages of the type that name no entity (a catalogue page whose address held no
-- id), which `entity_views_daily` leaves out.
create table if not exists page_type_views_daily (
    platform            varchar not null,
    day                 date not null,
    page_type           varchar,
    pageviews           bigint not null,
    visits              bigint not null,
    entityless_visits   bigint not null,
    entries             bigint not null,
    exits               bigint not null
);

-- The catalogue pages each visit viewed on a Paris day, by what the catalogue filters choose
-- (grain: platform + day + visit + department + kind + category; docs/warehouse.md), kept by
-- 46_catalogue_visit_days.sql: the dashboard finds the visits under a catalogue filter here
-- (app/sql/scope_visit_days.sql) instead of joining every page view to the catalogue.
--   * product page: its supplier's department and kind, its category;
--   * producer/company page: its department and kind, once per category of the supplier's
--     listings and once with a NULL category (so a filter without category finds it);
--   * category page: its category, NULL department and kind (no supplier filter finds it).
create table if not exists catalogue_visit_days (
    platform        varchar not null,
    day             date not null,
    visit_key       ubigint not null,   -- visits.visit_key
    department_code varchar,
    kind_code       varchar,
    category_code   varchar
);

-- Per platform, Paris day and department or category (`dimension`: 'department' or
-- 'category'; `code`), the visits that viewed a catalogue page of it by the catalogue
-- filters' rule (`catalogue_visit_days`) and those of them that reached a goal. Kept with
-- `catalogue_visit_days` by 46_catalogue_visit_days.sql; both columns add up over days.
create table if not exists catalogue_goals_daily (
    platform         varchar not null,
    day              date not null,
    dimension        varchar not null,
    code             varchar not null,
    visits           bigint not null,
    converted_visits bigint not null
);

-- Site searches per platform, Paris day, visit and normalised terms (`match_text`,
-- 01_vocabulary.sql; empty terms left out), kept like `visits_daily`: the search figures read
-- it instead of every page view (docs/warehouse.md).
create table if not exists visit_searches (
    platform  varchar not null,
    day       date not null,
    visit_key ubigint not null,  -- visits.visit_key
    terms     varchar not null,
    searches  bigint not null
);

-- Requests per platform, Paris day and exclusion reason (NULL: became a page view), kept like
-- `visits_daily`: the data-quality figures read it instead of every hit.
create table if not exists hits_daily (
    platform         varchar not null,
    day              date not null,
    exclusion_reason varchar,
    hits             bigint not null
);

-- The visit settings the stored visits were derived with; a change re-derives every day.
create table if not exists visit_settings (inactivity_minutes integer, split_at_midnight boolean);

-- Page type, entity and search keywords of each distinct URL seen (grain: platform + raw
-- path + raw query). A cache: cleared whenever the URL patterns change.
create table if not exists url_paths (
    platform     varchar not null,
    raw_path     varchar not null,
    query        varchar not null,
    path         varchar,
    page_type    varchar,
    entity_id    varchar,
    is_asset     boolean,
    search_terms varchar
);

-- In the load's database only: size, mtime and inode of the dashboard file last published
-- (etl/publish.py), so that a file changed since is written anew, not used as a base.
create table if not exists publication_record (signature varchar);

-- Fingerprints of the configuration files whose content shaped stored data.
create table if not exists config_state (name varchar primary key, fingerprint varchar);

-- A quarantined line is kept for the operator to read, but never with an IP address in it:
-- IPv4 anywhere (even glued to a word: `203.0.113.201_x`), and IPv6 in full or compressed
-- (`::`) form (a time such as 10:00:00 has neither shape), become `[IP masquée]`. RE2 has no
-- look-around: the IPv4 pattern consumes the character on each side, so it runs twice for
-- addresses one character apart.
create or replace temp macro mask_ipv4_once(x) as
    regexp_replace(x,
        '(^|[^0-9.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])([^0-9]|$)',
        '\1[IP masquée]\2', 'g');
-- IPv6 in full form, bounded by anything but a hex digit or a colon (`ip_2001:db8:…` too).
create or replace temp macro mask_ipv6_full_once(x) as
    regexp_replace(x, '(^|[^0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}([^0-9A-Fa-f:]|$)',
                   '\1[IP masquée]\2', 'g');
create or replace temp macro mask_ips(x) as
    regexp_replace(regexp_replace(regexp_replace(mask_ipv6_full_once(mask_ipv6_full_once(
        mask_ipv4_once(mask_ipv4_once(x)))),
        '(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?', '[IP masquée]', 'g'),
        -- An IPv6 address ending in dotted IPv4 (`2001:db8:1:2:3:4:192.0.2.77`) whose IPv4 part
        -- was masked first: its hex groups go too.
        '(?:[0-9A-Fa-f]{1,4}:){1,6}\[IP masquée\]', '[IP masquée]', 'g'),
        '\[IP masquée\](?::?\[IP masquée\])+', '[IP masquée]', 'g');

-- A request, referrer or agent that holds an address, tested decoded (`1%2E2%2E3%2E4` is
-- one): its decoded and masked form; NULL when it holds none.
create or replace temp macro masked_if_ip(x) as
    case when mask_ips(coalesce(try(url_decode(x)), x)) <> coalesce(try(url_decode(x)), x)
         then mask_ips(coalesce(try(url_decode(x)), x)) end;

-- Warehouses loaded before the masking existed: mask what they quarantined (idempotent).
update rejected_rows set raw_text = mask_ips(raw_text)
where source = 'logs' and raw_text is not null and raw_text <> mask_ips(raw_text);

-- A campaign parameter of a landing URL's query string (etl/sql/40_visits.sql), `utm_<name>` or
-- Matomo's own `mtm_<name>` / `pk_<name>` (the first present): decoded ('+' is a space; kept
-- as read when not valid UTF-8), lower case (Matomo lower-cases them too: "Newsletter" and
-- "newsletter" are one campaign), control characters and runs of spaces as one space, IP
-- addresses masked, cut at 100 characters; NULL when absent or empty.
create or replace temp macro campaign_raw(query, name) as coalesce(
    nullif(regexp_extract(query, '(?:^|&)utm_' || name || '=([^&]*)', 1), ''),
    nullif(regexp_extract(query, '(?:^|&)mtm_' || name || '=([^&]*)', 1), ''),
    nullif(regexp_extract(query, '(?:^|&)pk_' || name || '=([^&]*)', 1), ''));
create or replace temp macro campaign_parameter(query, name) as
    nullif(left(trim(mask_ips(regexp_replace(
        lower(coalesce(try(url_decode(replace(campaign_raw(query, name), '+', ' '))),
                       replace(campaign_raw(query, name), '+', ' '))),
        '[\s\x00-\x1f\x7f]+', ' ', 'g'))), 100), '');
