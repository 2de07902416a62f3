"""Running the ETL's SQL files (etl/sql/): one statement at a time, with named parameters."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from etl import sqlrun
from etl.settings import SQL_DIR

T = TypeVar("T")

# OBSERVATOIRE_PROFILE_SQL=1 prints the time of every statement on stderr.
_PROFILE = os.environ.get("OBSERVATOIRE_PROFILE_SQL") == "1"


@contextmanager
def timed(step: str):
    """With OBSERVATOIRE_PROFILE_SQL=1, print how long a step of the load took, as statements are."""
    started = time.perf_counter()
    yield
    if _PROFILE:
        print(f"[{time.perf_counter() - started:6.2f} s] {step}", file=sys.stderr)


def sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def run_script(
    con: duckdb.DuckDBPyConnection,
    name: str,
    params: dict | None = None,
    identifiers: dict[str, str] | None = None,
) -> None:
    """Run a .sql file statement by statement, binding the named parameters each one uses
    (the rule of `etl.sqlrun`, shared with the app).

    `identifiers` fill `{name}` placeholders with table or column names, which SQL cannot
    bind; they come from the code, never from data."""
    script = sqlrun.fill_identifiers(sql(name), identifiers)
    sqlrun.run_statements(
        con,
        script,
        params,
        on_statement=lambda statement: timed(f"{name}: {statement.splitlines()[0][:70]}"),
    )


def peek(db_path: Path, read: Callable[[duckdb.DuckDBPyConnection], T], default: T) -> T:
    """`read(con)` on a read-only connection to `db_path`, or `default` when the file is
    missing, is not a DuckDB database, or lacks what `read` asks (an earlier version's)."""
    if not Path(db_path).exists():
        return default
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return default
    try:
        return read(con)
    except duckdb.Error:
        return default
    finally:
        con.close()


def config_changed(con: duckdb.DuckDBPyConnection, name: str, content: bytes) -> bool:
    """True when a configuration file's `content` differs from what the last load recorded
    under `name` in config_state (then recorded): the days it shapes are derived again."""
    fingerprint = hashlib.sha256(content).hexdigest()
    changed = con.execute(
        "select fingerprint from config_state where name = ?", [name]
    ).fetchall() != [(fingerprint,)]
    if changed:
        con.execute("insert or replace into config_state values (?, ?)", [name, fingerprint])
    return changed
