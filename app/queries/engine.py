"""Running the dashboard's named SQL (`app/sql/<name>.sql`) and turning results into plain values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from etl import sqlrun

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


def run(
    conn: duckdb.DuckDBPyConnection,
    sql_name_or_text: str,
    params: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Run one query on a fresh cursor, binding only the `$parameters` the SQL uses.

    DuckDB rejects named parameters a statement does not use, so the shared filter values are
    narrowed to the ones present; a parameter the SQL needs but `params` lacks is an error.
    """
    sql = sql_text(sql_name_or_text)
    cursor = conn.cursor()
    try:
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
