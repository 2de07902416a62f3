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
# 10: visit_searches
DAILY_AGGREGATES_VERSION = "10"


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
