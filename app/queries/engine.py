"""Running the dashboard's named SQL (`app/sql/<name>.sql`) and turning results into plain values."""

from __future__ import annotations

import logging
import os
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from etl import sqlrun

LOG = logging.getLogger(__name__)

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
INCLUDE_DIR = SQL_DIR / "include"
CHECKS_DIR = SQL_DIR / "checks"
_SQL_NAME = re.compile(r"^[a-z0-9_]+$")
TOP_LIMIT = 20  # rows of the "most viewed" and "entry pages" tables


def _expand_includes(text: str) -> str:
    """Replace each `-- include: name` line by app/sql/include/name.sql, itself expanded:
    CTEs shared by several queries (the visit scope, the search matching rule) live once."""
    return sqlrun.expand_includes(text, INCLUDE_DIR)


@cache
def load_sql(name: str) -> str:
    """Text of `app/sql/<name>.sql`, includes expanded (names are identifiers, never user input)."""
    if not _SQL_NAME.match(name):
        raise ValueError(f"invalid SQL file name: {name!r}")
    return _expand_includes((SQL_DIR / f"{name}.sql").read_text(encoding="utf-8"))


def check_names() -> list[str]:
    """Names of the data checks, `app/sql/checks/<name>.sql`, in file-name order."""
    return sorted(path.stem for path in CHECKS_DIR.glob("*.sql"))


@cache
def load_check(name: str) -> str:
    if not _SQL_NAME.match(name):
        raise ValueError(f"invalid check name: {name!r}")
    return _expand_includes((CHECKS_DIR / f"{name}.sql").read_text(encoding="utf-8"))


def sql_text(sql_name_or_text: str) -> str:
    """A bare identifier names a file in `app/sql/`; anything else is SQL text."""
    if _SQL_NAME.match(sql_name_or_text):
        return load_sql(sql_name_or_text)
    return sql_name_or_text


# The visit scope (include/visit_scope.sql) reads `scope_visit_days`, the result of
# scope_visit_days.sql for the query's catalogue filters, handed over as an Arrow table.
# Joining every page view of the platform to the filtered catalogue is most of a scoped visit
# figure's time (0.4-0.6 s each at scale 10, a dozen per page): computed once per filter
# choice and connection, it is shared by every figure and period of that choice.
# The same visits by row number (scope_visit_rows.sql, found by `visits.visit_key`) let each
# figure find its visits by an integer (2-4 times faster than by the 16-character visit id at
# scale 10, 1.3-1.5 times faster than by the key). Likewise include/visits_days.sql
# reads `scoped_visits_daily` (scoped_visits_daily.sql): the scoped visits added up per day
# once per filter choice, so that the headline figures, series and comparisons of every period
# do not each scan the visits (250-450 ms at scale 10).
SCOPE_TABLE = "scope_visit_days"
SCOPE_ROWS_TABLE = "scope_visit_rows"
SCOPED_DAILY_TABLE = "scoped_visits_daily"
# In the order they are computed: each may read the ones before it.
KEPT_TABLES = (SCOPE_TABLE, SCOPE_ROWS_TABLE, SCOPED_DAILY_TABLE)
_KEPT_PATTERNS = {name: re.compile(rf"\b{name}\b") for name in KEPT_TABLES}
# Kept per read-only connection (a dashboard file never changes under one: a new publication
# is a new file and a new connection), most recent first, up to these bounds: 40 MB, about
# what the scope alone was allowed before (the app's memory budget at scale 10 is nearly
# used), hold a department alone at scale 10 (about 27 MB for 760,000 visits) and a few
# narrower choices; the last one computed is always kept.
SCOPE_CACHE_ENTRIES = 48
SCOPE_CACHE_BYTES = 40 * 1024 * 1024
_scope_lock = threading.Lock()
_scope_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# One lock per kept table being computed: a page's figures computed side by side
# (`app.db.ahead`) ask for the same scope at once, and it is computed once, not by each.
_computing: dict[tuple, threading.Lock] = {}
_EMPTY_TABLES = {
    SCOPE_TABLE: pa.table(
        {"visit_key": pa.array([], pa.uint64()), "day": pa.array([], pa.date32())}
    ),
    SCOPE_ROWS_TABLE: pa.table(
        {"visit_row": pa.array([], pa.int64()), "day": pa.array([], pa.date32())}
    ),
    SCOPED_DAILY_TABLE: pa.table(
        {
            "platform": pa.array([], pa.string()),
            "day": pa.array([], pa.date32()),
            **{
                column: pa.array([], pa.int64())
                for column in ("visits", "visitors", "pageviews", "bounces", "duration_s")
            },
        }
    ),
}


def _is_read_only(conn) -> bool:
    return conn.execute("SELECT current_setting('access_mode')").fetchone()[0] == "read_only"


def kept_table(conn, name: str, params: Mapping[str, Any]) -> pa.Table:
    """The table `name` of KEPT_TABLES for the catalogue filters in `params`: empty without a
    catalogue filter, else the result of `app/sql/<name>.sql`, cached on read-only
    connections (per filter choice, whatever the period)."""
    choice = tuple(
        tuple(v) if isinstance(v, list | tuple) else v
        for v in (params[k] for k in ("platform", "departments", "categories", "kinds"))
    )
    if not any(choice[1:]):
        return _EMPTY_TABLES[name]
    key = (name, *choice)
    hit = _kept_hit(conn, key)
    if hit is not None:
        return hit
    with _scope_lock:
        computing = _computing.setdefault((id(conn), key), threading.Lock())
    with computing:
        try:
            hit = _kept_hit(conn, key)
            return hit if hit is not None else _compute_kept(conn, name, params, key)
        finally:
            with _scope_lock:
                if _computing.get((id(conn), key)) is computing:
                    del _computing[(id(conn), key)]


def _kept_hit(conn, key: tuple) -> pa.Table | None:
    with _scope_lock:
        cache = _scope_caches.get(conn)
        if cache is None:  # False: a writable connection, whose tables can change
            cache = _scope_caches[conn] = OrderedDict() if _is_read_only(conn) else False
        hit = cache.get(key) if cache else None
        if hit is not None:
            cache.move_to_end(key, last=False)
        return hit


def _compute_kept(conn, name: str, params: Mapping[str, Any], key: tuple) -> pa.Table:
    sql = load_sql(name)
    # Computed from the kept tables before it, of the same choice.
    inputs = {
        table: kept_table(conn, table, params)
        for table in KEPT_TABLES[: KEPT_TABLES.index(name)]
        if _KEPT_PATTERNS[table].search(sql)
    }
    cursor = conn.cursor()
    try:
        for table, value in inputs.items():
            cursor.register(table, value)
        # A relation, not `execute`: its Arrow result is not copied again.
        table = cursor.sql(sql, params=sqlrun.bind(sql, params)).to_arrow_table()
    finally:
        cursor.close()
    with _scope_lock:
        cache = _scope_caches.get(conn)
        # Not kept on a writable connection (False), nor after `clear_scope_cache` (None).
        if isinstance(cache, OrderedDict):
            cache[key] = table
            cache.move_to_end(key, last=False)
            kept_bytes = 0
            for i, (k, t) in enumerate(list(cache.items())):
                kept_bytes += t.nbytes
                if i > 0 and (i >= SCOPE_CACHE_ENTRIES or kept_bytes > SCOPE_CACHE_BYTES):
                    del cache[k]
    return table


def clear_scope_cache() -> None:
    """Forget every kept scope (benchmarks of a first visit: `st.cache_data.clear()` does not
    reach it)."""
    with _scope_lock:
        _scope_caches.clear()


class MemoryGate:
    """Queries run side by side within the connection's one memory limit (app/db.py): under
    several sessions at once a query can fail for want of memory the others hold. At most
    `side_by_side` run at once (each already uses every core: more only share the memory),
    and one out of memory is run again alone — once the running queries end, new ones held
    back meanwhile — so that only a query too large by itself reaches the user as « plus de
    mémoire » (measured at scale 10, 1 page view/s: 4 of 64 views failed so)."""

    def __init__(self, side_by_side: int) -> None:
        self._side_by_side = side_by_side
        self._condition = threading.Condition()
        self._running = 0  # queries running side by side
        self._waiting_alone = 0  # queries waiting to run alone
        self._alone = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(
                lambda: (
                    not (self._alone or self._waiting_alone) and self._running < self._side_by_side
                )
            )
            self._running += 1
        try:
            yield
        finally:
            with self._condition:
                self._running -= 1
                self._condition.notify_all()

    @contextmanager
    def alone(self) -> Iterator[None]:
        with self._condition:
            self._waiting_alone += 1
            self._condition.wait_for(lambda: not (self._alone or self._running))
            self._waiting_alone -= 1
            self._alone = True
        try:
            yield
        finally:
            with self._condition:
                self._alone = False
                self._condition.notify_all()


MEMORY_GATE = MemoryGate(side_by_side=max(2, os.cpu_count() or 2))


def run(
    conn: duckdb.DuckDBPyConnection,
    sql_name_or_text: str,
    params: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Run one query on a fresh cursor, binding only the `$parameters` the SQL uses.

    DuckDB rejects named parameters a statement does not use, so the shared filter values are
    narrowed to the ones present; a parameter the SQL needs but `params` lacks is an error.
    A query that reads a table of KEPT_TABLES gets it for its filters (see `kept_table`).
    A query out of memory beside others is run again alone (`MemoryGate`).
    """
    sql = sql_text(sql_name_or_text)
    try:
        with MEMORY_GATE.shared():
            return _run_once(conn, sql, params)
    except duckdb.OutOfMemoryException:
        LOG.info("query out of memory beside others: run again alone")
        with MEMORY_GATE.alone():
            return _run_once(conn, sql, params)


def _run_once(
    conn: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None
) -> pd.DataFrame:
    kept = {
        name: kept_table(conn, name, params)
        for name, pattern in _KEPT_PATTERNS.items()
        if pattern.search(sql)
    }
    cursor = conn.cursor()
    try:
        for name, table in kept.items():
            cursor.register(name, table)
        return sqlrun.execute(cursor, sql, params).df()
    finally:
        cursor.close()


def labelled(codes: pd.Series, names: Mapping[str, str]) -> pd.Series:
    """The French label of each stored code; a code without one (written by a newer ETL) is
    shown as itself rather than failing."""
    return codes.map(lambda code: names.get(code, code))


def _first_row(frame: pd.DataFrame) -> dict[str, Any]:
    """First row as plain Python values, column by column (keeps integers integers)."""
    return {column: _scalar(frame[column].iloc[0]) for column in frame.columns}


def _scalar(value):
    """numpy/pandas scalars -> plain Python; NA -> None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _to_date(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def _to_datetime(value) -> datetime | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).to_pydatetime()
