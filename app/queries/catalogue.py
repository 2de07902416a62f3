"""Catalogue figures: suppliers, listings, coverage, equipment offers and capacity."""

from __future__ import annotations

from typing import Any

import pandas as pd

from app import labels, naf
from app.filtering import Filters
from app.queries.engine import TOP_LIMIT, _first_row, labelled, run


def _with_kind_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """`kind` named from `kind_code` by app/labels.py, not the label the warehouse keeps."""
    if "kind_code" not in frame:
        return frame
    return frame.assign(kind=labelled(frame["kind_code"], labels.SUPPLIER_KIND_LABELS))


def top_suppliers(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Most viewed producer (company) pages with name, kind, commune and department."""
    return _with_kind_labels(run(conn, "top_suppliers", {**filters.params(), "limit": int(limit)}))


def catalogue_summary(conn, filters: Filters) -> dict[str, int]:
    """Suppliers and listings active on the period's last day."""
    return {
        k: int(v or 0)
        for k, v in _first_row(run(conn, "catalogue_summary", filters.params())).items()
    }


def catalogue_timeseries(conn, filters: Filters) -> pd.DataFrame:
    """Active suppliers and listings on each day of the period."""
    return run(conn, "catalogue_timeseries", filters.params())


def supplier_listings(conn, filters: Filters) -> pd.DataFrame:
    """Active suppliers on the period's last day with their active listings."""
    return _with_kind_labels(run(conn, "supplier_listings", filters.params()))


def like_pattern(text: str) -> str:
    """ILIKE pattern "contains `text`": `%`, `_` and the escape character `\\` are escaped, so
    what the user types is matched literally (used with `ESCAPE '\\'`)."""
    text = " ".join((text or "").split())[:100]
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


SUPPLIER_SORTS = {
    # sort key -> (columns, ascending): least seen first is the default, so forgotten
    # producers stand out.
    "views_asc": (["pageviews", "active_listings", "name"], [True, False, True]),
    "views_desc": (["pageviews", "name"], [False, True]),
    "listings_desc": (["active_listings", "pageviews", "name"], [False, False, True]),
    "name": (["name"], [True]),
}


def supplier_views(
    conn, filters: Filters, search: str = "", sort: str = "views_asc"
) -> pd.DataFrame:
    """Suppliers active on the period's last day whose name or commune contains `search`
    (bound as a parameter), with active listings and page views over the period of their own
    page and of their products' pages; sorted by `sort` (a key of SUPPLIER_SORTS)."""
    if sort not in SUPPLIER_SORTS:
        raise ValueError(f"sort must be one of {tuple(SUPPLIER_SORTS)}")
    frame = _with_kind_labels(
        run(conn, "supplier_views", {**filters.params(), "pattern": like_pattern(search)})
    )
    columns, ascending = SUPPLIER_SORTS[sort]
    return frame.sort_values(columns, ascending=ascending, kind="stable").reset_index(drop=True)


def suppliers_without_views(suppliers: pd.DataFrame) -> int:
    """How many of the suppliers of `supplier_views` had no page view over the period."""
    return int((suppliers["pageviews"] == 0).sum())


def catalogue_churn(conn, filters: Filters) -> pd.DataFrame:
    """Per month of the period: suppliers joined and left, listings published and withdrawn."""
    return run(conn, "catalogue_churn", filters.params())


def listing_snapshots_summary(conn, filters: Filters) -> pd.DataFrame:
    """Per dated snapshot of the listing exports: listings and active listings in it."""
    return run(conn, "listing_snapshots_summary", filters.params())


def listings_histogram(conn, filters: Filters) -> pd.DataFrame:
    """Number of active suppliers per number of active listings."""
    return run(conn, "listings_histogram", filters.params())


def listings_concentration(conn, filters: Filters) -> dict[str, Any]:
    """Share of active listings held by the top 10 % of suppliers; single-listing suppliers."""
    return _first_row(run(conn, "listings_concentration", filters.params()))


def coverage_grid(conn, filters: Filters, min_suppliers: int) -> pd.DataFrame:
    """Department x category cells with their number of suppliers and `is_covered` (at least
    `min_suppliers`: no default here, the pages and the scorecard pass the targets file's)."""
    return run(conn, "coverage_grid", {**filters.params(), "min_suppliers": int(min_suppliers)})


def coverage_rate(grid: pd.DataFrame) -> float | None:
    """The coverage rate: the share of the cells of `coverage_grid` that are covered (None
    without cells). The one definition the page, the scorecard and the report show."""
    return float(grid["is_covered"].mean()) if len(grid) else None


def department_suppliers(conn, filters: Filters) -> pd.DataFrame:
    """Per department: active suppliers, their active listings, population, per 100 000."""
    return run(conn, "department_suppliers", filters.params())


def supplier_points(conn, filters: Filters) -> pd.DataFrame:
    """Active suppliers grouped per commune, with coordinates, for the map."""
    return run(conn, "supplier_points", filters.params())


def equipment_by_month(conn, filters: Filters) -> pd.DataFrame:
    """Offers published per month and companies per category (cumulative) — equipment."""
    return run(conn, "equipment_by_month", filters.params())


def equipment_by_category(conn, filters: Filters) -> pd.DataFrame:
    """Per category (`is_unclassified` for a "Non classé : …" one): active offers, share
    stating a standard and weekly capacity — equipment."""
    return run(conn, "equipment_by_category", filters.params())


def equipment_capacity_by_department(conn, filters: Filters) -> pd.DataFrame:
    """Weekly capacity of the active offers per department and category — equipment."""
    return run(conn, "equipment_capacity_by_department", filters.params())


def equipment_conversion(conn, filters: Filters) -> pd.DataFrame:
    """Per category: active offers and weekly capacity from converted companies, usual
    suppliers and unclassified ones, with the converted shares (NAF rules of
    app/naf_sectors.toml, bound as `$naf_rules`) — equipment."""
    return run(conn, "equipment_conversion", {**filters.params(), "naf_rules": list(naf.rules())})


def equipment_summary(conn, filters: Filters) -> dict:
    """All categories together: active offers, with a standard, with a capacity (and shares),
    in an unknown category, and the converted companies' share of the classified offers —
    equipment. The figures *Équipements* shows above its charts."""
    frame = run(conn, "equipment_summary", {**filters.params(), "naf_rules": list(naf.rules())})
    return {key: (None if value != value else value) for key, value in frame.iloc[0].items()}


def equipment_sectors(conn, filters: Filters) -> pd.DataFrame:
    """Per NAF sector: active companies and their active offers — equipment."""
    return run(conn, "equipment_sectors", {**filters.params(), "naf_rules": list(naf.rules())})


def later_categories(by_category: pd.DataFrame, grace_days: int = 31) -> pd.DataFrame:
    """Categories whose first offer came more than `grace_days` after the platform's first
    offer (rows of `equipment_by_category` with `first_offer_on`)."""
    known = by_category.dropna(subset=["first_offer_on"])
    if known.empty:
        return known
    first = pd.to_datetime(known["first_offer_on"]).min()
    late = pd.to_datetime(known["first_offer_on"]) > first + pd.Timedelta(days=grace_days)
    return known[late]
