"""Migrations of a warehouse written by an earlier version, run at the start of each load
(each once, recorded in `config_state`), and the version of the derived tables' definition
that makes the next load derive every day again."""

from __future__ import annotations

from etl import reasons
from etl.scripts import run_script

# Set once the addresses that loads before the masking stored have been masked in place.
STORED_IPS_MASKED = "stored_ips_masked"


def stored_ips_masked(con) -> bool:
    return bool(
        con.execute("select 1 from config_state where name = ?", [STORED_IPS_MASKED]).fetchall()
    )


# Bump when the definition of the derived tables (visits and their daily aggregates) changes:
# the next load derives them again for every day.
# 3: visits.entry_entity_id; 4: hits_daily; 5: codes, not labels; 6: visits ordered and timed
# in UTC, ties broken by file and line (the daylight-saving changes, issue #28); 7: exit
# pages, campaigns, referrer URLs and the `campaign` channel (issue #19); 8: visit_goals;
# 9: visits located (country_code, geo_department_code of the entry page, issue #19);
# 10: visit_searches; 11: visits.visit_key, by which catalogue_visit_days and visit_searches
# name visits (their visit_id column dropped by `_rekey_visit_tables`); 12:
# page_type_views_daily and catalogue_goals_daily (the journeys page, issue #18)
DAILY_AGGREGATES_VERSION = "12"

# Tables derived from the page views that named visits by `visit_id` before version 11.
_VISIT_KEYED_TABLES = ("catalogue_visit_days", "visit_searches")


def migrate(con) -> None:
    """Bring the stored rows of an older warehouse to the current codes and masking."""
    if not stored_ips_masked(con):
        # A warehouse loaded before addresses echoed in requests and agents were masked.
        run_script(con, "06_mask_stored_ips.sql")
        con.execute("insert or replace into config_state values (?, '1')", [STORED_IPS_MASKED])
    if not con.execute("select 1 from config_state where name = 'label_codes'").fetchall():
        # A warehouse loaded when French labels were stored as values: mapped to codes.
        run_script(con, "07_label_codes.sql")
        con.execute("insert or replace into config_state values ('label_codes', '1')")
    # A warehouse whose quarantine stored French sentences: codes and details from them.
    reasons.migrate(con)
    _rekey_visit_tables(con)


def _rekey_visit_tables(con) -> None:
    """Tables that still name visits by `visit_id` are dropped and created anew, empty, and
    every day is derived again to fill them (as for a new DAILY_AGGREGATES_VERSION)."""
    stale = [
        table
        for (table,) in con.execute(
            """select table_name from duckdb_columns()
               where database_name = current_database() and schema_name = 'main'
                 and column_name = 'visit_id' and list_contains(?, table_name)""",
            [list(_VISIT_KEYED_TABLES)],
        ).fetchall()
    ]
    for table in stale:
        con.execute(f"drop table {table}")
    if stale:
        run_script(con, "00_schema.sql")
        con.execute("delete from config_state where name = 'daily_aggregates'")


def daily_aggregates_current(con) -> bool:
    """Whether the visits and daily aggregates were derived by the current definition."""
    return con.execute(
        "select fingerprint from config_state where name = 'daily_aggregates'"
    ).fetchall() == [(DAILY_AGGREGATES_VERSION,)]


def record_daily_aggregates_version(con) -> None:
    con.execute(
        "insert or replace into config_state values ('daily_aggregates', ?)",
        [DAILY_AGGREGATES_VERSION],
    )
