"""The dashboard's warehouse file, published from the load's own database after each load.

The load updates its database (`warehouse.etl.duckdb`, every table, hits included) in place,
inside one DuckDB transaction. The dashboard reads another file (`warehouse.duckdb`): every
table except the hits and the load's caches, written beside it as `<file>.loading` and switched
in with one `os.replace`. A reader therefore sees the previous figures or the new ones, never
a mix, and the daily load copies the dashboard's tables (about a third of the data at
scale 10) instead of the whole warehouse.

After a daily load only the days it changed are rewritten in the copy (`sql/95_publish_days.sql`);
a full copy is written when the dashboard file is not the one published from the database's
previous state (first load, rebuild, a load killed between its commit and its publication).
Both files record the database's `generation`, a random id each committed load draws.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from enum import Enum
from pathlib import Path

import duckdb

from etl import derive, files
from etl.scripts import peek, run_script, timed

# Tables only the load reads: the hits (the largest table by far) and caches of the load.
ETL_ONLY_TABLES = frozenset(
    {"hits", "url_paths", "user_agents", "visitor_key_checks", "publication_record"}
)

# Tables written a day at a time (a visit never crosses midnight, so a day is re-derived
# alone), with the column that places a row in its Paris day. Every other table is small
# (catalogue, reference, bookkeeping) and copied whole.
TABLES_BY_DAY = {
    "pageviews": "ts",
    "visits": "started_at",
    "visit_goals": "day",
    "visits_daily": "day",
    "entity_views_daily": "day",
    "page_type_views_daily": "day",
    "hits_daily": "day",
    "catalogue_visit_days": "day",
    "catalogue_goals_daily": "day",
    "visit_searches": "day",
}
# Tables by day that the load may also derive again over every day, with the `config_state`
# entry that then changes: copied whole when the published entry differs (etl/derive.py).
REDERIVED_WHOLE = {
    "catalogue_visit_days": derive.CATALOGUE_VISIT_DAYS_STATE,
    "catalogue_goals_daily": derive.CATALOGUE_VISIT_DAYS_STATE,  # same script, same catalogue
}


# The copy of the dashboard file runs in a thread; waiting for it is bounded so that a stuck
# disk fails the load's publication (exit 4, the dashboard keeps its figures) instead of
# hanging it: a minute, plus the file's size at 5 MB/s, far below any disk that works.
COPY_WAIT_BASE_S = 60
COPY_WAIT_BYTES_PER_S = 5 * 1024 * 1024


class CopyTimeout(TimeoutError):
    """The copy of the dashboard file did not finish within its bound."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"copy not finished within {seconds:.0f} s")
        self.seconds = seconds


class PublishMode(Enum):
    """How the dashboard file was written (its French labels: `etl.report.PUBLICATION_LABELS`)."""

    DAYS = "days"  # the days the load changed, rewritten in a copy of the previous file
    WHOLE = "whole"  # every table copied from the database


def generation(con: duckdb.DuckDBPyConnection) -> str | None:
    """The generation a database records, None when it has none (older or not ours)."""
    try:
        row = con.execute(
            "select fingerprint from config_state where name = 'generation'"
        ).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def file_signature(path: Path) -> str | None:
    """Size, modification time and inode of a published file: recorded when it is switched
    in, so that a file changed since (overwritten, truncated, restored) is not taken as the
    base of the next publication but written anew from the database."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def published_generation(db_path: Path) -> str | None:
    """The generation of the database the dashboard file was published from."""
    return peek(db_path, generation, None)


class Publication:
    """The next version of the dashboard file `db_path`, written as `<db_path>.loading`.

    `days_changed`: the dashboard file holds the database's state before this load, and the
    temp table `touched_days(platform, day)` will hold the days the load derived again: only
    those days (and those retention purged) are rewritten in a copy of the file. That copy
    starts at once, in a thread, so that it runs while the load's SQL does (the copy is the
    kernel's work, the SQL the CPU's): a daily load then waits for it only if it is slower.
    Otherwise every table is copied from the database.
    """

    def __init__(self, db_path: Path, days_changed: bool, expected_signature: str | None = None):
        self.db_path = Path(db_path)
        # The previous file is the base of a days-only publication only if it is the very file
        # the last load switched in.
        self.days_changed = (
            days_changed
            and expected_signature is not None
            and file_signature(self.db_path) == expected_signature
        )
        self.signature: str | None = None
        self.work_path = self.db_path.with_name(self.db_path.name + ".loading")
        for leftover in (self.work_path, self.work_path.with_name(self.work_path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        self._copy_error: BaseException | None = None
        self._copy = (
            threading.Thread(target=self._copy_file, daemon=True) if self.days_changed else None
        )
        if self._copy:
            self._copy.start()

    def _copy_file(self) -> None:
        try:
            with timed("publication: copy of the dashboard file (beside the load)"):
                shutil.copyfile(self.db_path, self.work_path)
        except BaseException as exc:  # re-raised by write()
            self._copy_error = exc

    def _copy_wait_s(self) -> float:
        try:
            size = os.stat(self.db_path).st_size
        except OSError:
            size = 0
        return COPY_WAIT_BASE_S + size / COPY_WAIT_BYTES_PER_S

    def _copied(self) -> None:
        if self._copy:
            bound = self._copy_wait_s()
            with timed("publication: wait for the copy"):
                self._copy.join(timeout=bound)
            if self._copy.is_alive():
                raise CopyTimeout(bound)
            if self._copy_error:
                raise self._copy_error

    def write(self, con: duckdb.DuckDBPyConnection) -> PublishMode:
        """Write the new version from the load's database open on `con` (committed) and switch
        it in. Returns what was done: `PublishMode.DAYS` or `PublishMode.WHOLE`."""
        if self.days_changed:
            try:
                self._copied()
                self._write(con)
            except duckdb.Error:
                # The previous file is damaged (DuckDB found a block it cannot read): it is
                # not repaired but written anew from the database.
                self._discard(con)
                self.days_changed = False
        if not self.days_changed:
            self._write(con)
        with timed("publication: flush and switch"):
            files.fsync_path(self.work_path)
            os.replace(self.work_path, self.db_path)
            files.fsync_path(self.db_path.parent)
        self.signature = file_signature(self.db_path)
        return PublishMode.DAYS if self.days_changed else PublishMode.WHOLE

    def _write(self, con) -> None:
        con.execute("attach ? as dashboard", [str(self.work_path)])
        try:
            tables = [
                row[0]
                for row in con.execute(
                    """select table_name from duckdb_tables()
                   where database_name = current_database() and schema_name = 'main' order by 1"""
                ).fetchall()
                if row[0] not in ETL_ONLY_TABLES
            ]
            if self.days_changed:
                _rewrite_changed_days(con, tables)
            else:
                for table in tables:
                    con.execute(
                        f'create or replace table dashboard."{table}" as select * from "{table}"'
                    )
            _copy_views(con)
            _create_vocabulary(con)
            _verify(con, tables)
            with timed("publication: checkpoint"):
                con.execute("checkpoint dashboard")
        finally:
            con.execute("detach dashboard")

    def _discard(self, con) -> None:
        with contextlib.suppress(duckdb.Error):
            con.execute("detach dashboard")
        for leftover in (self.work_path, self.work_path.with_name(self.work_path.name + ".wal")):
            leftover.unlink(missing_ok=True)

    def close(self) -> None:
        """After `write`, or instead of it when the load failed: no copy left running or lying.
        A copy still stuck after its bound is abandoned (a daemon thread, writing to a file
        unlinked here), so that the load can report and exit."""
        if self._copy:
            self._copy.join(timeout=self._copy_wait_s())
        for leftover in (self.work_path, self.work_path.with_name(self.work_path.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _rewrite_changed_days(con, tables: list[str]) -> None:
    # The days to rewrite: those the load derived again, and those whose hits changed
    # otherwise (retention purges the oldest days and trims the first one kept).
    con.execute("""create or replace temp table days_to_publish as
        select platform, day from touched_days
        union
        select platform, day from (
            (select * from hits_daily except all select * from dashboard.hits_daily)
            union all
            (select * from dashboard.hits_daily except all select * from hits_daily))""")
    first, last = con.execute("select min(day), max(day) from days_to_publish").fetchone()
    rederived = {table for table, state in REDERIVED_WHOLE.items() if _state_changed(con, state)}
    for table in tables:
        if table in TABLES_BY_DAY and table not in rederived and _same_columns(con, table):
            if first is not None:
                run_script(
                    con,
                    "95_publish_days.sql",
                    {"first_day": first, "last_day": last},
                    identifiers={"table": table, "day_column": TABLES_BY_DAY[table]},
                )
        else:
            con.execute(f'create or replace table dashboard."{table}" as select * from "{table}"')
    # Tables a newer version of the load no longer writes.
    for (gone,) in con.execute(
        """select table_name from duckdb_tables() where database_name = 'dashboard'
               except select table_name from duckdb_tables() where database_name = current_database()"""
    ).fetchall():
        con.execute(f'drop table dashboard."{gone}"')


def _state_changed(con, name: str) -> bool:
    """The `config_state` entry `name` differs between the database and the published file."""
    query = "select fingerprint from {}config_state where name = ?"
    ours = con.execute(query.format(""), [name]).fetchall()
    theirs = con.execute(query.format("dashboard."), [name]).fetchall()
    return ours != theirs


class PublicationMismatch(duckdb.Error):
    """The file written does not hold the database's rows (a damaged base copy)."""


def _verify(con, tables: list[str]) -> None:
    """Every table published holds as many rows as the database's: a damaged or foreign base
    file cannot go on being published unnoticed."""
    for table in tables:
        ours = con.execute(f'select count(*) from "{table}"').fetchone()[0]
        theirs = con.execute(f'select count(*) from dashboard."{table}"').fetchone()[0]
        if ours != theirs:
            raise PublicationMismatch(f"{table}: {theirs} rows published, {ours} in the database")


def _same_columns(con, table: str) -> bool:
    """The dashboard's copy of `table` has the database's columns (a newer load may add some)."""
    query = """select list(column_name || ' ' || data_type order by column_index) from duckdb_columns()
               where database_name = ? and schema_name = 'main' and table_name = ?"""
    ours = con.execute(
        query, [con.execute("select current_database()").fetchone()[0], table]
    ).fetchone()[0]
    theirs = con.execute(query, ["dashboard", table]).fetchone()[0]
    return ours == theirs


def _copy_views(con) -> None:
    """The database's views, created again in the dashboard file, where their unqualified
    table names then resolve."""
    views = con.execute("""select sql from duckdb_views()
                           where database_name = current_database() and not internal""").fetchall()
    database = con.execute("select current_database()").fetchone()[0]
    con.execute("use dashboard")
    try:
        for (create,) in views:
            con.execute(create.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1))
    finally:
        con.execute(f'use "{database}"')


def _create_vocabulary(con) -> None:
    """The shared SQL macros (sql/01_vocabulary.sql, sql/92_scopes.sql), created in the
    dashboard file: the app opens it read-only and its queries call them."""
    database = con.execute("select current_database()").fetchone()[0]
    con.execute("use dashboard")
    try:
        run_script(con, "01_vocabulary.sql")
        run_script(con, "92_scopes.sql")
    finally:
        con.execute(f'use "{database}"')
