"""Visit figures: totals, series, breakdowns, entry pages, most viewed products, site searches."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from app import geo, labels
from app.filtering import Comparison, Filters, comparison_gap
from app.queries.engine import TOP_LIMIT, _first_row, labelled, run

GRAINS = ("day", "week", "month")


def visits_summary(conn, filters: Filters) -> dict[str, Any]:
    """Visits, visitors (sum of daily unique visitors), page views, pages per visit, bounce
    rate, average duration (s) of the visits under the filters (see include/visit_scope.sql)."""
    return _first_row(run(conn, "visits_summary", filters.params()))


def visits_comparison(
    conn,
    filters: Filters,
    data_start: date,
    comparison: Comparison | None = None,
    data_end: date | None = None,
) -> dict[str, Any]:
    """This period's figures, the comparison period's (`comparison`: by default the previous
    period, same length, just before) and whether that period lies wholly within the data
    (else no comparison is meaningful: `reason` says why, `previous` is None).

    The keys keep the name `previous` for the comparison period, whichever it is."""
    comparison = comparison or Comparison()
    other = comparison.period(filters)
    reason = comparison_gap(other, data_start, data_end)
    return {
        "current": visits_summary(conn, filters),
        "previous": visits_summary(conn, other) if reason is None else None,
        "previous_start": other.start,
        "previous_end": other.end,
        "previous_days": other.days,
        "comparable": reason is None,
        "reason": reason,
        "mode": comparison.mode,
    }


def visits_comparison_series(
    conn, filters: Filters, comparison: Comparison, grain: str = "week"
) -> pd.DataFrame:
    """Visits of the comparison period laid over the current period's axis: day i of the
    comparison is counted at day i of `filters`' period, then grouped by the current period's
    `grain` buckets. Columns: `bucket` (a bucket of the current axis), `visits`, `first_day`
    and `last_day` (the real dates of the comparison days in that bucket). Comparison days
    beyond the current period's length are left out; a shorter comparison leaves the last
    buckets out (no zero drawn for days it does not have)."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}")
    other = comparison.period(filters)
    return run(
        conn,
        "visits_comparison_series",
        {
            **other.params(),
            "grain": grain,
            "shift_days": (filters.start - other.start).days,
            "current_end": filters.end,
        },
    )


def visits_timeseries(conn, filters: Filters, grain: str = "week") -> pd.DataFrame:
    """Visits per `grain` ('day', 'week' starting Monday, 'month'), zero-filled."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}")
    return run(
        conn,
        "visits_timeseries",
        {**filters.params(), "grain": grain},
    )


# Each breakdown's dimension and the names its codes are shown by (browser and OS names are
# shown as named, but for the unknown one).
BREAKDOWNS = {
    "channel": labels.CHANNEL_LABELS,
    "device_type": labels.DEVICE_LABELS,
    "browser": labels.SOFTWARE_NAMES,
    "os": labels.SOFTWARE_NAMES,
}


# The other breakdowns of the same query (visits_breakdown.sql), each with its own columns.
OTHER_BREAKDOWNS = {
    "country": ["code", "visits", "share"],
    "department": ["code", "visits", "share", "is_in_region"],
    "origin": ["code", "visits", "share"],
    "weekday_hour": ["weekday", "hour", "visits", "days_in_period"],
}
_INTEGER_COLUMNS = ("visits", "weekday", "hour", "days_in_period")


def _breakdown_codes(conn, filters: Filters) -> dict[str, pd.DataFrame]:
    """Per dimension of BREAKDOWNS and OTHER_BREAKDOWNS, its rows with stored codes: one query
    scans the visits once for all of them (visits_breakdown.sql)."""
    frame = run(conn, "visits_breakdown", filters.params())
    columns = {d: ["code", "visits", "share", "bounce_rate"] for d in BREAKDOWNS}
    parts = {}
    for dimension, kept in {**columns, **OTHER_BREAKDOWNS}.items():
        part = frame.loc[frame["dimension"] == dimension, kept].reset_index(drop=True)
        # The other dimensions' NULLs made these columns nullable in the union.
        integers = {c: "int64" for c in _INTEGER_COLUMNS if c in kept}
        if dimension == "department":
            integers["is_in_region"] = "bool"
        parts[dimension] = part.astype(integers)
    return parts


def visits_breakdowns(conn, filters: Filters) -> dict[str, pd.DataFrame]:
    """Per dimension of BREAKDOWNS, its visits, share and bounce rate per value, the value (in
    the dimension's column) shown by its label; and the frames of `visits_by_country`,
    `visits_by_department`, `visits_by_origin` and `visits_weekday_hour`, from the same pass
    over the visits."""
    codes = _breakdown_codes(conn, filters)
    shown = {
        dimension: codes[dimension]
        .rename(columns={"code": dimension})
        .assign(**{dimension: lambda f, d=dimension: labelled(f[d], BREAKDOWNS[d])})
        for dimension in BREAKDOWNS
    }
    origins = codes["origin"].rename(columns={"code": "origin"})
    shown["origin"] = origins.assign(label=labelled(origins["origin"], labels.ORIGIN_LABELS))
    departments = codes["department"]
    names = geo.french_department_names()
    shown["department"] = departments.assign(
        department=[f"{names.get(code, code)} ({code})" for code in departments["code"]]
    )
    countries = codes["country"]
    country_names = geo.country_names()
    shown["country"] = countries.assign(
        country=[
            labels.ORIGIN_LABELS["unknown"]
            if code is None or code != code
            else country_names.get(code, code)
            for code in countries["code"]
        ]
    )
    shown["weekday_hour"] = codes["weekday_hour"]
    return shown


def visits_by_channel_codes(conn, filters: Filters) -> pd.DataFrame:
    """Visits per channel with its stored code (`code`), for figures that pick channels."""
    return _breakdown_codes(conn, filters)["channel"]


# Channels that are not another site: typed or bookmarked addresses, and tagged campaigns.
NOT_FROM_SITES = ("direct", "campaign")


def channel_summary(conn, filters: Filters) -> dict[str, Any]:
    """Visits, those sent by other sites (search engines, social networks, referring sites) and
    those of tagged campaigns, each with its share of the visits."""
    channels = visits_by_channel_codes(conn, filters)
    total = int(channels["visits"].sum())
    from_sites = int(channels.loc[~channels["code"].isin(NOT_FROM_SITES), "visits"].sum())
    from_campaigns = int(channels.loc[channels["code"] == "campaign", "visits"].sum())
    return {
        "visits": total,
        "from_sites": from_sites,
        "from_sites_share": from_sites / total if total else None,
        "from_campaigns": from_campaigns,
        "from_campaigns_share": from_campaigns / total if total else None,
    }


def visits_by_channel(conn, filters: Filters) -> pd.DataFrame:
    return visits_breakdowns(conn, filters)["channel"]


def visits_by_device(conn, filters: Filters) -> pd.DataFrame:
    return visits_breakdowns(conn, filters)["device_type"]


def visits_by_browser(conn, filters: Filters) -> pd.DataFrame:
    return visits_breakdowns(conn, filters)["browser"]


def visits_by_os(conn, filters: Filters) -> pd.DataFrame:
    return visits_breakdowns(conn, filters)["os"]


def visits_weekday_hour(conn, filters: Filters) -> pd.DataFrame:
    """Visits per ISO weekday (1 = Monday) and hour of arrival (Paris time), 7 x 24 rows."""
    return visits_breakdowns(conn, filters)["weekday_hour"]


def entry_pages(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Most frequent entry pages (type, entity, catalogue name), share and bounce rate."""
    return run(conn, "entry_pages", {**filters.params(), "limit": int(limit)})


def top_products(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Most viewed product pages with title, supplier and category from the catalogue."""
    return run(conn, "top_products", {**filters.params(), "limit": int(limit)})


def site_searches(conn, filters: Filters) -> pd.DataFrame:
    """Site searches per normalised terms: searches, visits, searches without a result that
    day, listings answering them on the period's last day (rule in include/search_matches.sql)."""
    return run(conn, "site_searches", filters.params())


def category_demand(conn, filters: Filters) -> pd.DataFrame:
    """Per category: category and product page views, searches pointing to it, active
    listings (on the last day and on average) and page views per listing."""
    return run(conn, "category_demand", filters.params())


def split_demand(demand: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """From `category_demand`: the categories viewed, most viewed first, and of the
    unclassified ones ("Non classé : …", shown as a note, not a bar) their names and product
    page views added up."""
    viewed = demand[demand["total_pageviews"] > 0]
    unclassified = viewed[viewed["is_unclassified"]]
    shown = viewed[~viewed["is_unclassified"]].sort_values(
        "total_pageviews", ascending=False, kind="stable"
    )
    return shown.reset_index(drop=True), {
        "categories": list(unclassified["category"]),
        "product_pageviews": int(unclassified["product_pageviews"].sum()),
    }


def search_totals(searches: pd.DataFrame) -> dict[str, Any]:
    """From `site_searches`: searches, searches without a result and their share, distinct
    searches (normalised terms)."""
    total = int(searches["searches"].sum())
    unanswered = int(searches["searches_without_result"].sum())
    return {
        "searches": total,
        "without_result": unanswered,
        "without_result_share": unanswered / total if total else None,
        "distinct": len(searches),
    }


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


def page_types(conn, filters: Filters) -> pd.DataFrame:
    """Every page type viewed: page views, visits, entries, exits, exit rate, share."""
    return run(conn, "page_types_report", filters.params())


def exit_pages(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Most frequent exit pages (type, entity, catalogue name), share and exit rate."""
    return run(conn, "exit_pages", {**filters.params(), "limit": int(limit)})


def referrer_hosts(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Visits per referring site under its channel (label), share and bounce rate."""
    frame = run(conn, "referrer_hosts", {**filters.params(), "limit": int(limit)})
    return frame.assign(channel=lambda f: labelled(f["channel"], labels.CHANNEL_LABELS))


def referrer_urls(conn, filters: Filters, limit: int = TOP_LIMIT) -> pd.DataFrame:
    """Visits per full referrer (host and path, no query string) under its channel (label)."""
    frame = run(conn, "referrer_urls", {**filters.params(), "limit": int(limit)})
    return frame.assign(channel=lambda f: labelled(f["channel"], labels.CHANNEL_LABELS))


def campaigns(conn, filters: Filters) -> pd.DataFrame:
    """Visits per campaign (utm_campaign, utm_source, utm_medium): share, bounce, pages."""
    return run(conn, "campaigns", filters.params())


def goals_summary(conn, filters: Filters) -> pd.DataFrame:
    """Per goal of the platform (its order in goals.toml), then "any goal" (goal_code NULL):
    visits that reached it, all visits, conversion rate."""
    return run(conn, "goals_summary", filters.params())


def goals_by_channel(conn, filters: Filters) -> pd.DataFrame:
    """Per channel (label): visits, visits that reached a goal, conversion rate."""
    frame = run(conn, "goals_by_channel", filters.params())
    return frame.assign(channel=lambda f: labelled(f["channel"], labels.CHANNEL_LABELS))


def goals_by_catalogue(conn, filters: Filters, dimension: str) -> pd.DataFrame:
    """Per department or category code of the catalogue pages viewed ('department' or
    'category'): visits, visits that reached a goal, conversion rate."""
    if dimension not in ("department", "category"):
        raise ValueError("dimension must be 'department' or 'category'")
    return run(conn, "goals_by_catalogue", {**filters.params(), "dimension": dimension})


# --- Where visitors come from (visits.country_code, visits.geo_department_code) ------------------


def visits_by_origin(conn, filters: Filters) -> pd.DataFrame:
    """Visits by origin (rule `visit_origin`, docs/metrics.md "Origin"), every origin listed:
    `origin` (code), `label`, `visits`, `share`."""
    return visits_breakdowns(conn, filters)["origin"]


def visits_by_department(conn, filters: Filters) -> pd.DataFrame:
    """Visits from each located French department: `code`, `department` (its name),
    `visits`, `share` (of all visits), `is_in_region`; most visits first."""
    return visits_breakdowns(conn, filters)["department"]


def visits_by_country(conn, filters: Filters) -> pd.DataFrame:
    """Visits from each country: `code` (NULL: not located), `country` (its French name),
    `visits`, `share` (of all visits); most visits first, the visits not located last."""
    return visits_breakdowns(conn, filters)["country"]


def geo_sources(conn) -> dict[str, dict[str, Any]]:
    """{role: {database_type, version, built_on}} of the databases the last load located
    visitors with (`country`, and `department` when a city database was given)."""
    frame = run(conn, "geo_sources")
    frame = frame.astype(object).where(frame.notna(), None)  # NaT, NaN: None
    return {row.pop("role"): row for row in frame.to_dict("records")}
