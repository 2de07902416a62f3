"""The dashboard's only way into the warehouse: one cached, read-only DuckDB connection.

* `warehouse_path()`: env var `OBSERVATOIRE_DB`, default `data/warehouse.duckdb` (repo root).
* `connection()`: opened once per file version (path + modification time), read-only, so
  the ETL can replace the file and the next run reopens it.
* `query(sql_name_or_text, params)`: a fresh cursor per call (see `app.queries.run`).
* `cached(fn, filters, *args)`: `st.cache_data` around a query function of `app.queries`.
* `ahead(fn, filters, *args)`: the same call started in the background now, read later with
  `.result()`, so that a page's later figures are computed while it draws the first ones.
* `require_warehouse()`: shows a French message and stops the page when there is no warehouse.

A warehouse file that cannot be read (truncated, partly overwritten) makes DuckDB raise on
opening it or only on the query that reads a damaged block, with the file's path in its
message. `connection()`, `query()` and `cached()` turn any such error into one French message
without path or traceback (`labels.WAREHOUSE_UNREADABLE`) and stop the page; the error itself
goes to the server's log. Errors of our own SQL (parser, binder) are bugs and still raise.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from app import labels, queries

LOG = logging.getLogger(__name__)
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE = Path("data") / "warehouse.duckdb"
ENV_VAR = "OBSERVATOIRE_DB"

# Cached figures expire after 10 minutes; a reload of the warehouse invalidates them at once
# because the file's modification time is part of every cache key.
CACHE_TTL_SECONDS = 600

# Memory DuckDB may hold for the dashboard's queries (buffer pool, hash tables) before it
# spills to a temporary folder; without a limit it keeps up to 80 % of the machine's memory.
MEMORY_LIMIT_ENV_VAR = "OBSERVATOIRE_APP_MEMORY_LIMIT_MB"
DEFAULT_MEMORY_LIMIT_MB = 256


def warehouse_path() -> Path:
    """Path of the warehouse file: `$OBSERVATOIRE_DB`, relative paths from the repo root."""
    raw = os.environ.get(ENV_VAR, "").strip()
    path = Path(raw).expanduser() if raw else DEFAULT_WAREHOUSE
    return path if path.is_absolute() else REPO_ROOT / path


def warehouse_version() -> tuple[str, int] | None:
    """(path, mtime in ns) of the warehouse, or None if the file does not exist."""
    path = warehouse_path()
    try:
        return str(path), path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def memory_limit_mb() -> int:
    try:
        return max(64, int(os.environ.get(MEMORY_LIMIT_ENV_VAR, DEFAULT_MEMORY_LIMIT_MB)))
    except ValueError:
        return DEFAULT_MEMORY_LIMIT_MB


# Two entries: the current file and, for a run that started before a load switched it, the
# previous one; an older connection is freed once no running query holds a cursor on it.
@st.cache_resource(show_spinner=False, max_entries=2)
def _open_read_only(path: str, mtime_ns: int) -> duckdb.DuckDBPyConnection:
    del mtime_ns  # only part of the cache key
    return open_read_only(path)


def open_read_only(path: str) -> duckdb.DuckDBPyConnection:
    """A new read-only connection set up as the dashboard's (memory limit, join sides), not
    cached: the dashboard goes through `connection()`, the brief command (app/brief.py)
    opens its own and closes it."""
    # Read-only: the dashboard never takes the write lock the ETL needs. Threads must not
    # share this object directly: every query takes its own cursor.
    conn = duckdb.connect(path, read_only=True)
    # A SET, not a connect() config: another connection of this process to the same file
    # (tests, notebooks) would otherwise be refused for a different configuration.
    conn.execute(f"SET memory_limit = '{memory_limit_mb()}MB'")
    # Joins build their hash table on the side the SQL puts on the right (our queries put the
    # small side there). DuckDB otherwise picks by its estimates, and for the visits under a
    # catalogue filter (include/visit_scope.sql) it hashed all the visits rather than the few
    # visits in scope: measured at scale 10, cold, Fréquentation with one department and one
    # category took 6.8 s instead of 4.2 s, the overview 3.6 s instead of 2.7 s; no page slower.
    conn.execute("SET disabled_optimizers = 'build_side_probe_side'")
    return conn


# Errors of our own SQL, not of the file: they must show as the bugs they are.
_SQL_ERRORS = (duckdb.ParserException, duckdb.BinderException)


def _stop_unreadable(error: duckdb.Error) -> None:
    """The French message for a warehouse DuckDB cannot read, and the page stops there (the
    error, which names the file, goes to the server's log only). A query that needs more
    than the memory limit says so instead: the file is fine."""
    if isinstance(error, duckdb.OutOfMemoryException):
        LOG.warning("query over the memory limit (%s MB): %s", memory_limit_mb(), error)
        st.error(labels.QUERY_OUT_OF_MEMORY, icon=":material/memory:")
    else:
        LOG.warning(
            "warehouse %s unreadable: %s: %s", warehouse_path(), type(error).__name__, error
        )
        st.error(labels.WAREHOUSE_UNREADABLE, icon=":material/database:")
    st.stop()


def connection() -> duckdb.DuckDBPyConnection:
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(str(warehouse_path()))
    try:
        return _open_read_only(*version)
    except _SQL_ERRORS:
        raise
    except duckdb.Error as error:
        _stop_unreadable(error)


def query(sql_name_or_text: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run a named SQL file (`app/sql/<name>.sql`) or SQL text on a fresh cursor."""
    conn = connection()
    try:
        return queries.run(conn, sql_name_or_text, params)
    except _SQL_ERRORS:
        raise
    except duckdb.Error as error:
        _stop_unreadable(error)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False, max_entries=512)
def _cached_call(_conn, version: tuple[str, int], fn_name: str, args: tuple) -> Any:
    # `_conn` is not hashed (leading underscore); `version` keys the cache on the file.
    del version
    return getattr(queries, fn_name)(_conn, *args)


def cached(fn: Callable[..., Any], *args: Any) -> Any:
    """Call `app.queries.<fn>(conn, *args)` through `st.cache_data` (args must be hashable)."""
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(str(warehouse_path()))
    conn = connection()
    try:
        return _cached_call(conn, version, fn.__name__, args)
    except _SQL_ERRORS:
        raise
    except duckdb.Error as error:
        _stop_unreadable(error)


# One background thread for the whole server: beside the script run that asks, it makes two
# computations at once, one per core of the 2-core server (each DuckDB query uses both, but
# a page's figures are mostly too short to keep both busy: measured at scale 10, a page's
# cold run used 1.5 cores of 2). More would only share the cores and DuckDB's memory limit.
_AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="figures-ahead")
# A call waiting longer than this in the queue (many visitors at once) is dropped: the run
# that asked for it has computed it itself by then, or ended.
AHEAD_STALE_SECONDS = 20.0


class Ahead:
    """A call `ahead` started: `result()` is `cached(fn, *args)`, which finds the figure
    computed, waits for the computation in progress (`st.cache_data` computes a key once) or,
    when the background has not reached it yet, computes it in this run."""

    def __init__(self, fn: Callable[..., Any], args: tuple) -> None:
        self.fn, self.args = fn, args

    def result(self) -> Any:
        return cached(self.fn, *self.args)


def ahead(fn: Callable[..., Any], *args: Any) -> Ahead:
    """Start `cached(fn, *args)` in the background and return its handle. Errors are not
    raised there: `result()` computes the figure again in the page and shows them."""
    version = warehouse_version()
    if version is not None:
        _AHEAD.submit(_compute_ahead, connection(), version, fn.__name__, args, time.monotonic())
    return Ahead(fn, args)


def _compute_ahead(conn, version: tuple[str, int], fn_name: str, args: tuple, asked: float) -> None:
    if time.monotonic() - asked > AHEAD_STALE_SECONDS:
        return
    try:
        _cached_call(conn, version, fn_name, args)
    except Exception as error:  # noqa: BLE001 — the page's own call shows it
        LOG.info("figure computed ahead failed, left to the page: %s: %s", fn_name, error)


def require_warehouse() -> duckdb.DuckDBPyConnection:
    """The connection, or a clear French message and `st.stop()` when there is none."""
    path = warehouse_path()
    if warehouse_version() is None:
        st.error(labels.NO_WAREHOUSE.format(path=_display_path(path)), icon=":material/database:")
        st.stop()
    conn = connection()
    query("SELECT count(*) FROM load_info")
    missing = cached(queries.missing_tables)
    if missing:
        # Loaded by an earlier version of the ETL: the next load adds what is missing.
        st.error(
            labels.WAREHOUSE_OUTDATED.format(path=_display_path(path), tables=", ".join(missing)),
            icon=":material/database:",
        )
        st.stop()
    return conn


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
