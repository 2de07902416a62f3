"""Named queries of the dashboard: one function per figure, SQL in `app/sql/<name>.sql`.

Does not import Streamlit, so it can be tested and reused from a notebook or a CLI. Each
function takes a DuckDB connection (or cursor) and a `Filters`, runs one named SQL file on a
fresh cursor with every user value bound as a parameter (`$name`), and returns a small
pandas DataFrame (aggregation happens in DuckDB).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import duckdb
import pandas as pd

from app.filtering import FilterContext, Filters

SQL_DIR = Path(__file__).with_name("sql")
_SQL_NAME = re.compile(r"^[a-z0-9_]+$")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

GRAINS = ("day", "week", "month")
REJECTED_SAMPLE_LIMIT = 50


@lru_cache(maxsize=None)
def load_sql(name: str) -> str:
    """Text of `app/sql/<name>.sql` (names are identifiers, never user input)."""
    if not _SQL_NAME.match(name):
        raise ValueError(f"invalid SQL file name: {name!r}")
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


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
    params = dict(params or {})
    used = dict.fromkeys(_PARAM.findall(_strip_comments(sql)))
    missing = [name for name in used if name not in params]
    if missing:
        raise KeyError(f"missing SQL parameters: {missing}")
    bound = {name: params[name] for name in used}
    cursor = conn.cursor()
    try:
        if bound:
            return cursor.execute(sql, bound).df()
        return cursor.execute(sql).df()
    finally:
        cursor.close()


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


# --- Reference and filter context ----------------------------------------------------------


def load_info(conn) -> dict[str, Any]:
    """`loaded_at`, `data_start`, `data_end` of the warehouse (None values if empty)."""
    frame = run(conn, "load_info")
    if frame.empty:
        return {"loaded_at": None, "data_start": None, "data_end": None}
    row = frame.iloc[0]
    return {
        "loaded_at": _to_datetime(row["loaded_at"]),
        "data_start": _to_date(row["data_start"]),
        "data_end": _to_date(row["data_end"]),
    }


def filter_context(conn) -> FilterContext:
    """Choices offered by the sidebar: data span, departments, categories per platform."""
    info = load_info(conn)
    departments = run(conn, "departments")
    categories = run(conn, "categories")
    by_platform: dict[str, dict[str, str]] = {}
    for row in categories.itertuples(index=False):
        by_platform.setdefault(row.platform, {})[row.category_code] = row.category
    today = date.today()
    return FilterContext(
        data_start=info["data_start"] or today,
        data_end=info["data_end"] or today,
        departments=dict(zip(departments["department_code"], departments["department_name"])),
        categories=by_platform,
    )


def key_dates(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "key_dates", filters.params())


# --- Visits -----------------------------------------------------------------------------------


def visits_summary(conn, filters: Filters) -> dict[str, Any]:
    """Visits, visitors, page views, pages per visit, bounce rate, average duration (s)."""
    return _first_row(run(conn, "visits_summary", filters.params()))


def visits_timeseries(conn, filters: Filters, grain: str = "week") -> pd.DataFrame:
    """Visits per `grain` ('day', 'week' starting Monday, 'month'), zero-filled."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}")
    return run(conn, "visits_timeseries", {**filters.params(), "grain": grain})


def visits_by_channel(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "visits_by_channel", filters.params())


def visits_by_device(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "visits_by_device", filters.params())


# --- Catalogue --------------------------------------------------------------------------------


def catalogue_summary(conn, filters: Filters) -> dict[str, int]:
    """Suppliers and listings active on the period's last day."""
    return {k: int(v or 0) for k, v in _first_row(run(conn, "catalogue_summary", filters.params())).items()}


def catalogue_timeseries(conn, filters: Filters) -> pd.DataFrame:
    """Active suppliers and listings on each day of the period."""
    return run(conn, "catalogue_timeseries", filters.params())


def supplier_listings(conn, filters: Filters) -> pd.DataFrame:
    """Active suppliers on the period's last day with their active listings."""
    return run(conn, "supplier_listings", filters.params())


def listings_histogram(conn, filters: Filters) -> pd.DataFrame:
    """Number of active suppliers per number of active listings."""
    return run(conn, "listings_histogram", filters.params())


def listings_concentration(conn, filters: Filters) -> dict[str, Any]:
    """Share of active listings held by the top 10 % of suppliers; single-listing suppliers."""
    return _first_row(run(conn, "listings_concentration", filters.params()))


def coverage_grid(conn, filters: Filters, min_suppliers: int = 3) -> pd.DataFrame:
    """Department x category cells with their number of suppliers and `is_covered`."""
    return run(conn, "coverage_grid", {**filters.params(), "min_suppliers": int(min_suppliers)})


def equipment_by_month(conn, filters: Filters) -> pd.DataFrame:
    """Offers published per month and companies per category (cumulative) — equipment."""
    return run(conn, "equipment_by_month", filters.params())


def equipment_by_category(conn, filters: Filters) -> pd.DataFrame:
    """Active offers, share stating a standard and weekly capacity per category — equipment."""
    return run(conn, "equipment_by_category", filters.params())


# --- Data quality -------------------------------------------------------------------------------


def load_summary(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "load_summary", filters.params())


def rejected_by_reason(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "rejected_by_reason", filters.params())


def rejected_sample(conn, filters: Filters, limit: int = REJECTED_SAMPLE_LIMIT) -> pd.DataFrame:
    return run(conn, "rejected_sample", {**filters.params(), "limit": int(limit)})


def hits_summary(conn, filters: Filters) -> dict[str, int]:
    return {k: int(v or 0) for k, v in _first_row(run(conn, "hits_summary", filters.params())).items()}


def hits_excluded(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "hits_excluded", filters.params())


# --- helpers -------------------------------------------------------------------------------------


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
