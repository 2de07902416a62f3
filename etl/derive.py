"""The tables derived day by day from the page views, for the days of the temp table
`days_to_aggregate`: the daily aggregates (sql/45_daily_aggregates.sql), the catalogue pages
each visit viewed (sql/46_catalogue_visit_days.sql) and each visit's site searches
(sql/47_visit_searches.sql)."""

from __future__ import annotations

from etl.scripts import run_script

DAILY_SCRIPTS = (
    "45_daily_aggregates.sql",
    "46_catalogue_visit_days.sql",
    "47_visit_searches.sql",
)

# The `config_state` entry naming the catalogue (and definition) `catalogue_visit_days` was
# derived with; etl/publish.py copies the table whole when it differs from the published one.
CATALOGUE_VISIT_DAYS_STATE = "catalogue_visit_days"
# Bump when 46_catalogue_visit_days.sql changes: the next load derives the table again.
CATALOGUE_VISIT_DAYS_VERSION = "1"


def daily_tables(con) -> None:
    """Derive the daily tables again for the days of `days_to_aggregate` (then dropped)."""
    for script in DAILY_SCRIPTS:
        run_script(con, script)
    con.execute("drop table days_to_aggregate")


def refresh_catalogue_visit_days(con) -> bool:
    """Derive `catalogue_visit_days` again over every day when the catalogue it was derived
    from is no longer the one stored (a rebuilt catalogue, or an older definition). True when
    it did."""
    wanted = f"{CATALOGUE_VISIT_DAYS_VERSION}:" + (_state(con, "catalogue") or "none")
    if _state(con, CATALOGUE_VISIT_DAYS_STATE) == wanted:
        return False
    over_every_day(con, "46_catalogue_visit_days.sql", "catalogue_visit_days")
    # The script writes `catalogue_goals_daily` from it for the same days.
    con.execute(
        "insert or replace into config_state values (?, ?)", [CATALOGUE_VISIT_DAYS_STATE, wanted]
    )
    return True


def over_every_day(con, script: str, table: str) -> None:
    """`table` written anew by `script` (one of DAILY_SCRIPTS) over every day of the page
    views, for what changed under all of them (the catalogue; a test's hand-edited rows)."""
    con.execute("""create or replace temp table days_to_aggregate as
                   select distinct platform, ts::date as day from pageviews""")
    con.execute(f"delete from {table}")
    run_script(con, script)
    con.execute("drop table days_to_aggregate")


def _state(con, name: str) -> str | None:
    row = con.execute("select fingerprint from config_state where name = ?", [name]).fetchone()
    return row[0] if row else None
