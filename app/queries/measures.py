"""The raw measures of the continuation scorecard (app/scorecard.py judges them)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from app.filtering import Filters
from app.queries.catalogue import catalogue_summary, coverage_grid, coverage_rate
from app.queries.engine import _first_row, run
from app.queries.visits import goals_summary, visits_summary


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


def _conversion_rate(conn, filters: Filters) -> float | None:
    """Visits that reached at least one goal over all visits (None: no goal defined for the
    platform, or no visit)."""
    goals = goals_summary(conn, filters)
    if len(goals) <= 1:  # the "any goal" row alone: no goal defined
        return None
    rate = goals.loc[goals["goal_code"].isna(), "conversion_rate"].iloc[0]
    return None if rate != rate else float(rate)  # NaN: no visit


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
        "conversion_rate": _conversion_rate(conn, filters),
        "fresh_supplier_count": health["fresh_suppliers"],
        "viewed_listing_count": health["viewed_listings"],
    }
