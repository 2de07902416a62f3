"""The warehouse's reference data: load span, filter choices, key dates, what it lacks."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
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
    """Key dates of the period (date, label), the platform's changes of address included."""
    frame = run(conn, "key_dates", filters.params())
    unnamed = frame["label"].isna() & frame["host"].notna()
    frame.loc[unnamed, "label"] = [
        labels.NEW_ADDRESS.format(host=h) for h in frame.loc[unnamed, "host"]
    ]
    return frame[["date", "label"]]


def annotations(conn, filters: Filters) -> pd.DataFrame:
    """The analysts' annotations of the period for the platform (`date`, `label`,
    `platform`: None for a note about every platform)."""
    return run(conn, "annotations", filters.params())


# Tables and columns the dashboard reads that earlier versions of the ETL did not write.
REQUIRED_COLUMNS = (
    # The local sourcing page (issue #31): the canteen tables and the family mapping.
    ("canteens", "epci_name"),
    ("canteen_declarations", "ratio_egalim_hors_bio"),
    ("food_project_communes", "insee_code"),
    ("category_families", "family_code"),
    ("load_summary", "rows_out_of_scope"),
    ("organic_operators", "unmapped_productions"),
    ("visits_daily", "visits"),
    ("entity_views_daily", "pageviews"),
    ("page_type_views_daily", "entityless_visits"),
    ("catalogue_goals_daily", "converted_visits"),
    ("visits", "entry_entity_id"),
    ("visits", "referrer_url"),
    ("visit_goals", "goal_code"),
    ("goals", "label"),
    ("host_changes", "host"),
    ("key_dates", "platform"),
    ("visits", "country_code"),
    ("visits", "geo_department_code"),
    ("geo_sources", "role"),
    ("hits_daily", "hits"),
    ("suppliers", "kind_code"),
    ("listings", "category_code"),
    ("annotations", "label"),
    ("rejected_rows", "reason_code"),
    ("rejected_overflow", "reason_code"),
    ("catalogue_visit_days", "category_code"),
    ("visit_searches", "terms"),
    ("visits", "visit_key"),
    ("catalogue_visit_days", "visit_key"),
    ("visit_searches", "visit_key"),
)
# The shared macros the queries call (etl/sql/01_vocabulary.sql, 92_scopes.sql), published in
# the dashboard file since the codes came in; tests/test_one_definition.py keeps the list whole.
REQUIRED_MACROS = (
    "fold_text",
    "fr_sort_key",
    "match_text",
    "visit_key",
    "distance_km",
    "egalim_share",
    "is_chosen",
    "has_catalogue_scope",
    "has_supplier_scope",
    "bounce_rate",
    "per_100k",
    "supplier_active_on",
    "listing_active_on",
    "listing_on_offer",
    "listing_offer_start",
    "listing_offer_end",
    "scoped_suppliers",
    "scoped_listings",
    "active_suppliers_on",
    "active_listings_on",
    "visit_origin",
)


def published_generation(conn) -> str | None:
    """The random id the load drew for the data this file was published from (`config_state`
    `generation`, etl/publish.py), None in a file without one: the brief's data fingerprint."""
    try:
        found = run(conn, "SELECT fingerprint FROM config_state WHERE name = 'generation'")
    except duckdb.CatalogException:  # a file not written by our load
        return None
    return None if found.empty else str(found["fingerprint"].iloc[0])


def missing_tables(conn) -> tuple[str, ...]:
    """The required `table.column`s and macros this warehouse lacks (empty when it is up to
    date): an earlier ETL's file, which the next load brings up to date."""
    present = set(
        run(
            conn, "SELECT table_name || '.' || column_name AS name FROM information_schema.columns"
        )["name"]
    )
    macros = set(run(conn, "SELECT function_name FROM duckdb_functions()")["function_name"])
    return tuple(
        f"{table}.{column}"
        for table, column in REQUIRED_COLUMNS
        if f"{table}.{column}" not in present
    ) + tuple(f"{name}()" for name in REQUIRED_MACROS if name not in macros)


def platform_sources(conn) -> dict[str, set[str]]:
    """{platform: sources with at least one loaded row} (logs, suppliers, listings)."""
    frame = run(conn, "platform_sources")
    sources: dict[str, set[str]] = {}
    for row in frame.itertuples(index=False):
        sources.setdefault(row.platform, set()).add(row.source)
    return sources
