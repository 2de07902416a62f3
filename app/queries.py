"""Named queries of the dashboard: one function per figure, SQL in `app/sql/<name>.sql`.

Does not import Streamlit, so it can be tested and reused from a notebook or a CLI. Each
function takes a DuckDB connection (or cursor) and a `Filters`, runs one named SQL file on a
fresh cursor with every user value bound as a parameter (`$name`), and returns a small
pandas DataFrame (aggregation happens in DuckDB).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from app import labels, naf
from app.filtering import FilterContext, Filters
from etl import sqlrun

SQL_DIR = Path(__file__).with_name("sql")
INCLUDE_DIR = SQL_DIR / "include"
CHECKS_DIR = SQL_DIR / "checks"
_SQL_NAME = re.compile(r"^[a-z0-9_]+$")

GRAINS = ("day", "week", "month")
REJECTED_SAMPLE_LIMIT = 50
TOP_LIMIT = 20  # rows of the "most viewed" and "entry pages" tables
CHECK_SAMPLE_LIMIT = 200  # offending rows shown per data check


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


# --- Visits -----------------------------------------------------------------------------------


def _visits_source(conn, filters: Filters, name: str) -> str:
    """`name`, or its `_daily` twin reading the daily aggregate when no catalogue filter
    narrows the visits (same figures, a few hundred rows instead of every visit)."""
    return name if filters.has_catalogue_scope else f"{name}_daily"


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


def visits_summary(conn, filters: Filters) -> dict[str, Any]:
    """Visits, visitors (sum of daily unique visitors), page views, pages per visit, bounce
    rate, average duration (s) of the visits under the filters (see include/visit_scope.sql)."""
    return _first_row(run(conn, _visits_source(conn, filters, "visits_summary"), filters.params()))


def visits_comparison(conn, filters: Filters, data_start: date) -> dict[str, Any]:
    """This period's figures, the previous period's (same length, just before) and whether
    that previous period lies wholly within the data (else no comparison is meaningful)."""
    previous = filters.previous()
    comparable = previous.start >= data_start
    return {
        "current": visits_summary(conn, filters),
        "previous": visits_summary(conn, previous) if comparable else None,
        "previous_start": previous.start,
        "previous_end": previous.end,
        "comparable": comparable,
    }


def visits_timeseries(conn, filters: Filters, grain: str = "week") -> pd.DataFrame:
    """Visits per `grain` ('day', 'week' starting Monday, 'month'), zero-filled."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}")
    return run(
        conn,
        _visits_source(conn, filters, "visits_timeseries"),
        {**filters.params(), "grain": grain},
    )


def labelled(codes: pd.Series, names: Mapping[str, str]) -> pd.Series:
    """The French label of each stored code; a code without one (written by a newer ETL) is
    shown as itself rather than failing."""
    return codes.map(lambda code: names.get(code, code))


def _with_kind_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """`kind` named from `kind_code` by app/labels.py, not the label the warehouse keeps."""
    if "kind_code" not in frame:
        return frame
    return frame.assign(kind=labelled(frame["kind_code"], labels.SUPPLIER_KIND_LABELS))


def _visits_breakdown(conn, filters: Filters, dimension: str, names: Mapping[str, str]):
    """Visits per `dimension` ('channel' or 'device_type'), the codes shown as labels."""
    frame = run(conn, "visits_breakdown", {**filters.params(), "dimension": dimension})
    return frame.rename(columns={"code": dimension}).assign(
        **{dimension: lambda f: labelled(f[dimension], names)}
    )


def visits_by_channel(conn, filters: Filters) -> pd.DataFrame:
    return _visits_breakdown(conn, filters, "channel", labels.CHANNEL_LABELS)


def visits_by_device(conn, filters: Filters) -> pd.DataFrame:
    return _visits_breakdown(conn, filters, "device_type", labels.DEVICE_LABELS)


def visits_weekday_hour(conn, filters: Filters) -> pd.DataFrame:
    """Visits per ISO weekday (1 = Monday) and hour of arrival (Paris time), 7 x 24 rows."""
    return run(conn, "visits_weekday_hour", filters.params())


def entry_pages(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Most frequent entry pages (type, entity, catalogue name), share and bounce rate."""
    return run(conn, "entry_pages", {**filters.params(), "limit": int(limit)})


def top_products(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Most viewed product pages with title, supplier and category from the catalogue."""
    return run(conn, "top_products", {**filters.params(), "limit": int(limit)})


def top_suppliers(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Most viewed producer (company) pages with name, kind, commune and department."""
    return _with_kind_labels(run(conn, "top_suppliers", {**filters.params(), "limit": int(limit)}))


def site_searches(conn, filters: Filters) -> pd.DataFrame:
    """Site searches per normalised terms: searches, visits, searches without a result that
    day, listings answering them on the period's last day (rule in include/search_matches.sql)."""
    return run(conn, "site_searches", filters.params())


def category_demand(conn, filters: Filters) -> pd.DataFrame:
    """Per category: category and product page views, searches pointing to it, active
    listings (on the last day and on average) and page views per listing."""
    return run(conn, "category_demand", filters.params())


# --- Catalogue --------------------------------------------------------------------------------


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


def coverage_grid(conn, filters: Filters, min_suppliers: int = 3) -> pd.DataFrame:
    """Department x category cells with their number of suppliers and `is_covered`."""
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
    """Active offers, share stating a standard and weekly capacity per category — equipment."""
    return run(conn, "equipment_by_category", filters.params())


def equipment_capacity_by_department(conn, filters: Filters) -> pd.DataFrame:
    """Weekly capacity of the active offers per department and category — equipment."""
    return run(conn, "equipment_capacity_by_department", filters.params())


def equipment_conversion(conn, filters: Filters) -> pd.DataFrame:
    """Per category: active offers and weekly capacity from converted companies, usual
    suppliers and unclassified ones, with the converted shares (NAF rules of
    app/naf_sectors.toml, bound as `$naf_rules`) — equipment."""
    return run(conn, "equipment_conversion", {**filters.params(), "naf_rules": list(naf.rules())})


def equipment_sectors(conn, filters: Filters) -> pd.DataFrame:
    """Per NAF sector: active companies, their active offers and weekly capacity — equipment."""
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


def split_searches(
    searches: pd.DataFrame, limit: int = TOP_LIMIT
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(most frequent searches, searches with at least one search without a result, most
    unanswered first), `limit` rows each, from `site_searches`."""
    top = searches.sort_values(["searches", "terms"], ascending=[False, True]).head(limit)
    unmet = (
        searches[searches["searches_without_result"] > 0]
        .sort_values(["searches_without_result", "terms"], ascending=[False, True])
        .head(limit)
    )
    return top.reset_index(drop=True), unmet.reset_index(drop=True)


# --- Data quality -------------------------------------------------------------------------------


def load_summary(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "load_summary", filters.params())


def rejected_by_reason(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "rejected_by_reason", filters.params())


def rejected_sample(conn, filters: Filters, limit: int = REJECTED_SAMPLE_LIMIT) -> pd.DataFrame:
    return run(conn, "rejected_sample", {**filters.params(), "limit": int(limit)})


def hits_summary(conn, filters: Filters) -> dict[str, int]:
    return {
        k: int(v or 0) for k, v in _first_row(run(conn, "hits_summary", filters.params())).items()
    }


def hits_excluded(conn, filters: Filters) -> pd.DataFrame:
    frame = run(conn, "hits_excluded", filters.params())
    return frame.assign(
        exclusion_reason=labelled(frame["exclusion_reason"], labels.EXCLUSION_REASON_LABELS)
    )


def data_check(
    conn, name: str, platform: str, limit: int = CHECK_SAMPLE_LIMIT
) -> tuple[int, pd.DataFrame]:
    """Run the data check `app/sql/checks/<name>.sql` for a platform: (offending rows, the
    first `limit` of them). A check passes when it returns no rows."""
    sql = load_check(name).strip().rstrip(";")
    params = {"platform": platform}
    # The check runs once for both figures (some scan every page view: 1.3 s at scale 10).
    rows = run(
        conn,
        f"""WITH offending AS MATERIALIZED ({sql}
)
SELECT (SELECT count(*) FROM offending) AS _offending_rows, *
FROM (SELECT * FROM offending LIMIT {int(limit)})""",
        params,
    )
    count = int(rows["_offending_rows"].iloc[0]) if len(rows) else 0
    return count, rows.drop(columns="_offending_rows")


def data_checks(conn, filters: Filters) -> dict[str, tuple[int, pd.DataFrame]]:
    """Every data check for the filters' platform: {name: (offending rows, sample)}."""
    return {name: data_check(conn, name, filters.platform) for name in check_names()}


# --- Continuation scorecard ---------------------------------------------------------------------


def catalogue_health(conn, filters: Filters, fresh_days: int) -> dict[str, int]:
    """Active suppliers and listings on the period's end (`catalogue_summary`), the active
    suppliers with a listing created or updated within `fresh_days`, the active listings
    viewed in the period, new suppliers."""
    frame = run(conn, "catalogue_health", {**filters.params(), "fresh_days": int(fresh_days)})
    return {
        **catalogue_summary(conn, filters),
        **{k: int(v or 0) for k, v in _first_row(frame).items()},
    }


def _weekly_visits(conn, filters: Filters, start: date, end: date) -> float | None:
    """Visits of [start, end] under `filters`' other choices, per 7 days."""
    if end < start:
        return None
    days = (end - start).days + 1
    summary = visits_summary(conn, replace(filters, start=start, end=end))
    return summary["visits"] * 7 / days


def scorecard_measures(conn, filters: Filters, settings, data_start: date) -> dict[str, Any]:
    """The raw measures of the scorecard criteria (app/scorecard.py) and the headline
    figures they come with. A criterion that the period cannot support is None:
    the post-lockdown trend needs the whole reference window inside the data and before the
    recent weeks."""
    recent_start = max(filters.start, filters.end - timedelta(days=7 * settings.recent_weeks - 1))
    weekly = _weekly_visits(conn, filters, recent_start, filters.end)
    reference_start = settings.reference_date
    reference_end = reference_start + timedelta(days=7 * settings.reference_weeks - 1)
    trend = None
    if reference_start >= data_start and reference_end < recent_start:
        reference = _weekly_visits(conn, filters, reference_start, reference_end)
        if reference and weekly is not None:
            trend = weekly / reference - 1
    health = catalogue_health(conn, filters, settings.fresh_days)
    grid = coverage_grid(conn, filters, settings.min_suppliers)
    return {
        **health,
        "weekly_visits": weekly,
        "fresh_suppliers": (
            health["fresh_suppliers"] / health["active_suppliers"]
            if health["active_suppliers"]
            else None
        ),
        "viewed_listings": (
            health["viewed_listings"] / health["active_listings"]
            if health["active_listings"]
            else None
        ),
        "coverage_rate": coverage_rate(grid),
        "post_lockdown_trend": trend,
        "fresh_supplier_count": health["fresh_suppliers"],
        "viewed_listing_count": health["viewed_listings"],
    }


def platform_sources(conn) -> dict[str, set[str]]:
    """{platform: sources with at least one loaded row} (logs, suppliers, listings)."""
    frame = run(conn, "platform_sources")
    sources: dict[str, set[str]] = {}
    for row in frame.itertuples(index=False):
        sources.setdefault(row.platform, set()).add(row.source)
    return sources


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
