"""The warehouse's reference data: load span, filter choices, key dates, what it lacks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from app import labels
from app.filtering import FilterContext, Filters
from app.queries.engine import _to_date, _to_datetime, run


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
    """Choices offered by the sidebar: data span, departments, categories and supplier kinds
    per platform."""
    info = load_info(conn)
    departments = run(conn, "departments")
    categories = run(conn, "categories")
    by_platform: dict[str, dict[str, str]] = {}
    for row in categories.itertuples(index=False):
        by_platform.setdefault(row.platform, {})[row.category_code] = row.category
    # Kinds in the order of labels.SUPPLIER_KIND_LABELS, named from it (a code the labels
    # lack is shown as it is).
    order = {code: i for i, code in enumerate(labels.SUPPLIER_KIND_LABELS)}
    kinds: dict[str, dict[str, str]] = {}
    for row in sorted(
        run(conn, "kinds").itertuples(index=False),
        key=lambda r: (r.platform, order.get(r.kind_code, len(order)), r.kind_code),
    ):
        kinds.setdefault(row.platform, {})[row.kind_code] = labels.SUPPLIER_KIND_LABELS.get(
            row.kind_code, row.kind_code
        )
    today = date.today()
    return FilterContext(
        data_start=info["data_start"] or today,
        data_end=info["data_end"] or today,
        departments=dict(zip(departments["department_code"], departments["department_name"])),
        categories=by_platform,
        kinds=kinds,
    )


def key_dates(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "key_dates", filters.params())


# Tables and columns the dashboard reads that earlier versions of the ETL did not write.
REQUIRED_COLUMNS = (
    ("visits_daily", "visits"),
    ("entity_views_daily", "pageviews"),
    ("visits", "entry_entity_id"),
    ("hits_daily", "hits"),
)


def missing_tables(conn) -> tuple[str, ...]:
    """The required `table.column`s this warehouse lacks (empty when it is up to date)."""
    present = set(
        run(
            conn, "SELECT table_name || '.' || column_name AS name FROM information_schema.columns"
        )["name"]
    )
    return tuple(
        f"{table}.{column}"
        for table, column in REQUIRED_COLUMNS
        if f"{table}.{column}" not in present
    )


def platform_sources(conn) -> dict[str, set[str]]:
    """{platform: sources with at least one loaded row} (logs, suppliers, listings)."""
    frame = run(conn, "platform_sources")
    sources: dict[str, set[str]] = {}
    for row in frame.itertuples(index=False):
        sources.setdefault(row.platform, set()).add(row.source)
    return sources
