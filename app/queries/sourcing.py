"""Local sourcing figures: which of the platform's producers could supply the region's school
and public canteens, against the EGalim targets (issue #31, docs/metrics.md "Local
sourcing"). The canteens, their declarations and the territorial food projects come from
public files (data/README.md, `cantines/`); the figures are defined in app/sql."""

from __future__ import annotations

from typing import Any

import pandas as pd

from app.filtering import DEFAULT_PLATFORM, RADIUS_KM_RANGE, Filters  # noqa: F401
from app.queries.engine import run

# The EGalim law's targets for public catering, by value excluding tax: at least 50 % of
# purchases sustainable and of quality, organic included, of which at least 20 % organic.
EGALIM_QUALITY_TARGET = 0.50
EGALIM_ORGANIC_TARGET = 0.20

# Territory levels a group of canteens is chosen at (labels in app/labels.py).
SOURCING_LEVELS = ("department", "epci", "food_project")
DEFAULT_RADIUS_KM = 30

# The canteens buy food: the food platform's producers, whatever platform the sidebar shows.
SOURCING_PLATFORM = DEFAULT_PLATFORM


def _params(filters: Filters, level: str, radius_km: int | None = None, **extra) -> dict[str, Any]:
    if level not in SOURCING_LEVELS:
        raise ValueError(f"unknown territory level {level!r}")
    params = filters.params()
    if filters.platform != SOURCING_PLATFORM:
        # The sidebar's categories and kinds are the other platform's codes: not applied.
        params.update(categories=[], kinds=[])
    params = {
        **params,
        "platform": SOURCING_PLATFORM,
        "level": level,
        "year": None,
        "organic_target": EGALIM_ORGANIC_TARGET,
        "quality_target": EGALIM_QUALITY_TARGET,
        **extra,
    }
    if radius_km is not None:
        params["radius_km"] = float(radius_km)
    return params


def canteen_territories(conn, filters: Filters, level: str) -> pd.DataFrame:
    """One row per territory of `level` with canteens in the chosen departments (and a first
    row, territory_code None, for the whole area): canteens, meals, declarations and the
    declared shares against the EGalim targets."""
    return run(conn, "canteen_territories", _params(filters, level))


def sourcing_families(conn, filters: Filters, level: str, radius_km: int) -> pd.DataFrame:
    """Per territory of `level` and product family: suppliers within `radius_km` of its
    canteens, suppliers in their departments, and whether the family is a gap there."""
    return run(conn, "sourcing_families", _params(filters, level, radius_km))


def sourcing_candidates(
    conn, filters: Filters, level: str, radius_km: int, territory: str | None
) -> pd.DataFrame:
    """The suppliers within `radius_km` of the canteens of `territory` (the whole area when
    None), nearest first."""
    return run(conn, "sourcing_candidates", _params(filters, level, radius_km, territory=territory))


def organic_recruit_counts(conn, filters: Filters) -> pd.DataFrame:
    """Organic producers of Agence BIO's list in the chosen departments who are not suppliers
    of the food platform, per department and family (family_code None: no known family), and
    a first row (is_total) with their number and the operators loaded (0: no file)."""
    return run(conn, "organic_recruit_counts", _params(filters, SOURCING_LEVELS[0]))


def organic_recruits(conn, filters: Filters, level: str, territory: str | None) -> pd.DataFrame:
    """Those producers, one row each, with the distance to the nearest canteen of `territory`
    of `level` (the whole area when None), nearest first."""
    return run(conn, "organic_recruits", _params(filters, level, territory=territory))
