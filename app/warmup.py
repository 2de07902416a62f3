"""Warm the dashboard's caches in the background, so that no visitor pays for a cold start.

Streamlit has no start-up hook: `python -m app.serve` (the launcher `make run` uses) calls
`start_in_background()` and then runs Streamlit's own CLI in the same process, so the
`st.cache_data` / `st.cache_resource` entries this thread fills are the ones the pages read.

One daemon thread:

1. imports what the pages import (pandas, Plotly, DuckDB, the app's modules), while Streamlit
   is still starting;
2. once Streamlit's runtime exists, calls `db.cached(queries.X, filters, …)` — the very
   calls the pages make — for the default view of every page and of both platforms
   (`default_calls`), the landing page first;
3. then watches `db.warehouse_version()` every `POLL_SECONDS`: a load that publishes a new
   warehouse (new modification time) is warmed again, and so is the current one when its
   entries reach the cache's time limit (`db.CACHE_TTL_SECONDS`), so a visitor arriving hours
   after the nightly load still finds the default views computed.

It never blocks a visitor: a visitor asking for a figure the thread is computing waits for
that computation (`st.cache_data` computes one key once) instead of starting a second one,
and before each call the thread waits while a visitor's script run is in progress
(`visitors_running`), so it does not take the cores from the visitor it is meant to help.
It is bounded: a fixed list of calls per pass, within `PASS_BUDGET_SECONDS`, so at most
`len(default_calls())` cache entries per warehouse version. It never raises into the server
and never shows anything: there is no browser session behind it; a warehouse that cannot be
read (or an outdated one) is logged in the server's log, in English, and the pass stops.
`OBSERVATOIRE_WARMUP=0` switches it off (docs/settings.md).
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

LOG = logging.getLogger(__name__)

ENV_VAR = "OBSERVATOIRE_WARMUP"
_OFF = {"0", "false", "no", "non", "off"}
POLL_SECONDS = 5.0
# A pass longer than this stops where it is (a very large warehouse on a busy machine): the
# first visitors then compute the rest, as without warm-up.
PASS_BUDGET_SECONDS = 300.0
RUNTIME_WAIT_SECONDS = 120.0
# Longest pause of a pass for visitors' runs before each call (then it goes on regardless, so
# a steady stream of visitors cannot starve it for ever).
VISITOR_WAIT_SECONDS = 30.0

# What the pages import, loaded here rather than in the first visitor's script run (pandas
# alone takes 0.3 s on a quiet machine, seconds on a busy one). The libraries while Streamlit
# boots; the app's modules once its runtime exists, since `app.db`'s cache decorators would
# otherwise warn that there is no runtime.
LIBRARIES = ("pandas", "pyarrow", "duckdb", "plotly.graph_objects", "plotly.io")
APP_MODULES = (
    "app.db",
    "app.queries",
    "app.charts",
    "app.tables",
    "app.overview",
    "app.page",
    "app.filters",
    "app.scorecard",
    "app.report",
    "app.exports",
    "app.geo",
    "app.naf",
)


def enabled() -> bool:
    return os.environ.get(ENV_VAR, "1").strip().lower() not in _OFF


@dataclass(frozen=True)
class Call:
    """One `db.cached(fn, *args)` of a page's default view."""

    fn: Callable[..., Any]
    args: tuple = ()

    def __str__(self) -> str:
        return self.fn.__name__


def default_calls(ctx) -> Iterator[Call]:
    """The cached query calls of every page with the default filters, for each platform,
    in the order a visitor meets them: the landing page (both platforms' columns), then the
    other pages of the default platform, then those of the other platform.

    Page-local controls at their defaults: grain « Semaine », the targets file's coverage
    threshold, no supplier
    search, sort « les moins vus d'abord », the previous period as comparison.
    `tests/test_warmup.py` runs every page after a warm-up and fails when one of them still
    computes a query, so this list follows the pages."""
    from app import queries, scorecard
    from app.filtering import DEFAULT_PLATFORM, PLATFORMS, Comparison, default_filters

    default = default_filters(ctx)
    equipment = default.for_platform("equipements-protection", ctx)
    comparison = Comparison()
    try:
        settings = scorecard.load_config().settings
    except scorecard.ScorecardConfigError:
        settings = None  # the overview then shows its error and no scorecard

    # Every page: the checks of `db.require_warehouse` and the data span caption.
    yield Call(queries.missing_tables)
    yield Call(queries.load_info)
    # Vue d'ensemble: both platforms side by side (app/overview.py).
    yield Call(queries.platform_sources)
    for platform in PLATFORMS:
        filters = default.for_platform(platform, ctx)
        previous = filters.previous()
        comparable = previous.start >= ctx.data_start
        yield Call(queries.visits_summary, (filters,))
        if settings is not None:
            yield Call(queries.scorecard_measures, (filters, settings, ctx.data_start))
        if comparable:
            yield Call(queries.visits_summary, (previous,))
            if settings is not None:
                yield Call(queries.scorecard_measures, (previous, settings, ctx.data_start))
        yield Call(queries.visits_timeseries, (filters, "week"))
        yield Call(queries.catalogue_timeseries, (filters,))

    ordered = [DEFAULT_PLATFORM, *(p for p in PLATFORMS if p != DEFAULT_PLATFORM)]
    for platform in ordered:
        f = default.for_platform(platform, ctx)
        # Fréquentation.
        yield Call(queries.visits_comparison, (f, ctx.data_start, comparison, ctx.data_end))
        yield Call(queries.visits_timeseries, (f, "week"))
        yield Call(queries.key_dates, (f,))
        yield Call(queries.annotations, (f,))
        if comparison.is_comparable(f, ctx):
            yield Call(queries.visits_comparison_series, (f, comparison, "week"))
        for fn in (
            queries.visits_breakdowns,
            queries.entry_pages,
            queries.category_demand,
            queries.top_products,
            queries.top_suppliers,
            queries.site_searches,
        ):
            yield Call(fn, (f,))
        yield Call(queries.geo_sources)
        # Sources et parcours.
        for fn in (
            queries.channel_summary,
            queries.goals_summary,
            queries.referrer_hosts,
            queries.referrer_urls,
            queries.campaigns,
            queries.page_types,
            queries.exit_pages,
            queries.goals_by_channel,
        ):
            yield Call(fn, (f,))
        yield Call(queries.goals_by_catalogue, (f, "department"))
        yield Call(queries.goals_by_catalogue, (f, "category"))
        # Producteurs et produits.
        for fn in (
            queries.catalogue_summary,
            queries.listings_concentration,
            queries.catalogue_churn,
            queries.listings_histogram,
            queries.listing_snapshots_summary,
        ):
            yield Call(fn, (f,))
        yield Call(queries.supplier_views, (f, "", "views_asc"))
        # Couverture sectorielle.
        yield Call(queries.coverage_grid, (f, scorecard.default_min_suppliers()))
        yield Call(queries.department_suppliers, (f,))
        yield Call(queries.supplier_points, (f,))
        # Approvisionnement local: the food platform's producers, whatever the platform.
        level, radius = queries.SOURCING_LEVELS[0], queries.DEFAULT_RADIUS_KM
        yield Call(queries.canteen_territories, (f, level))
        yield Call(queries.sourcing_families, (f, level, radius))
        yield Call(queries.sourcing_candidates, (f, level, radius, None))
        yield Call(queries.organic_recruit_counts, (f,))
        yield Call(queries.organic_recruits, (f, level, None))
        # Qualité des données.
        for fn in (
            queries.hits_summary,
            queries.rejected_by_reason,
            queries.load_summary,
            queries.hits_excluded,
            queries.rejected_sample,
            queries.data_checks,
        ):
            yield Call(fn, (f,))
    # Équipements de protection: the equipment platform whatever the platform chosen.
    for fn in (
        queries.catalogue_summary,
        queries.equipment_by_category,
        queries.equipment_by_month,
        queries.equipment_conversion,
        queries.equipment_summary,
        queries.equipment_capacity_by_department,
        queries.equipment_sectors,
    ):
        yield Call(fn, (equipment,))


class WarmupFailed(Exception):
    """A pass stopped: the warehouse is missing, outdated or unreadable."""


def _call(fn: Callable[..., Any], *args: Any) -> Any:
    """`db.cached(fn, *args)` outside any page. On an unreadable warehouse `db.cached` writes
    its French message to no page and calls `st.stop()`, which outside a script run either
    raises Streamlit's StopException (a BaseException) or returns None: both end the pass."""
    from app import db

    try:
        result = db.cached(fn, *args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 — nothing may escape into the server
        raise WarmupFailed(f"{fn.__name__}: {type(error).__name__}: {error}") from None
    if result is None:
        raise WarmupFailed(f"{fn.__name__}: no result (warehouse unreadable, see above)")
    return result


def visitors_running() -> bool:
    """True while a visitor's script run is in progress. Streamlit has no public API for it:
    its session manager's sessions are read, and any surprise means "no" (never block)."""
    try:
        from streamlit import runtime
        from streamlit.runtime.app_session import AppSessionState

        if not runtime.exists():
            return False
        sessions = runtime.get_instance()._session_mgr.list_active_sessions()
        return any(info.session._state == AppSessionState.APP_IS_RUNNING for info in sessions)
    except Exception:  # noqa: BLE001 — private API of Streamlit 1.67: a change must not hurt
        return False


def _give_way(wait_s: float | None = None) -> float:
    """Wait (at most `wait_s`) while visitors' script runs are in progress: the pass must not
    take the 2 cores from the first visitor it is meant to help. A run that needs a figure
    the pass is computing waits for that computation, never for the whole pass."""
    started = time.monotonic()
    deadline = started + (VISITOR_WAIT_SECONDS if wait_s is None else wait_s)
    while time.monotonic() < deadline and visitors_running():
        time.sleep(0.05)
    return time.monotonic() - started


def warm(budget_s: float = PASS_BUDGET_SECONDS) -> dict:
    """One pass over the default views of the current warehouse version. Returns what was
    done: `version`, `calls` made, `seconds`, `error` (None when every call was made)."""
    from app import db, queries

    started = time.monotonic()
    version = db.warehouse_version()
    report: dict[str, Any] = {
        "version": version,
        "calls": 0,
        "seconds": 0.0,
        "gave_way_s": 0.0,
        "error": None,
    }
    try:
        if version is None:
            raise WarmupFailed("no warehouse file")
        ctx = _call(queries.filter_context)
        for call in default_calls(ctx):
            report["gave_way_s"] += _give_way()  # not counted in the budget
            if time.monotonic() - started - report["gave_way_s"] > budget_s:
                raise WarmupFailed(f"time budget of {budget_s:g} s reached")
            result = _call(call.fn, *call.args)
            if call.fn is queries.missing_tables and result:
                # Loaded by an older ETL: every page stops on its message, nothing to warm.
                raise WarmupFailed("warehouse outdated (missing tables)")
            report["calls"] += 1
    except WarmupFailed as error:
        report["error"] = str(error)
    except Exception as error:  # noqa: BLE001 — a bug here must not take the server down
        report["error"] = f"{type(error).__name__}: {error}"
    report["seconds"] = round(time.monotonic() - started, 2)
    if report["error"]:
        LOG.warning(
            "warm-up of %s stopped after %s calls (%.1f s): %s",
            version,
            report["calls"],
            report["seconds"],
            report["error"],
        )
    else:
        LOG.info(
            "warm-up of %s: %s calls in %.1f s (%.1f s of it waiting for visitors' runs)",
            version,
            report["calls"],
            report["seconds"],
            report["gave_way_s"],
        )
    return report


def import_modules(names: tuple[str, ...]) -> float:
    """Import `names`; returns the seconds it took."""
    started = time.monotonic()
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 — the page will say what is wrong
            LOG.warning("warm-up could not import %s: %s", name, error)
    return time.monotonic() - started


def _runtime_ready(timeout_s: float) -> bool:
    """Wait until Streamlit's runtime exists: the caches belong to it."""
    from streamlit import runtime

    deadline = time.monotonic() + timeout_s
    while not runtime.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class Watcher:
    """Warms the current version, then re-warms on a new version or when the cache's time
    limit has passed since the last pass. `stop()` ends the loop (tests)."""

    def __init__(self, poll_s: float = POLL_SECONDS, refresh_s: float | None = None):
        from app import db

        self.poll_s = poll_s
        self.refresh_s = db.CACHE_TTL_SECONDS if refresh_s is None else refresh_s
        self.passes: list[dict] = []
        self._stop = threading.Event()
        self._warmed: tuple | None = None
        self._warmed_at = 0.0

    def stop(self) -> None:
        self._stop.set()

    def due(self) -> bool:
        from app import db

        version = db.warehouse_version()
        if version is None:
            return False  # nothing to warm until the first load publishes
        if version != self._warmed:
            return True
        return time.monotonic() - self._warmed_at >= self.refresh_s

    def step(self) -> dict | None:
        """One check; a pass when due. Returns the pass's report, or None."""
        if not self.due():
            return None
        report = warm()
        # Even a failed pass counts as done for this version: a broken file is not retried in
        # a loop, a new publication is.
        self._warmed, self._warmed_at = report["version"], time.monotonic()
        self.passes.append(report)
        del self.passes[:-20]
        return report

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except Exception:  # noqa: BLE001 — the watcher outlives any one pass
                LOG.exception("warm-up watcher")
            self._stop.wait(self.poll_s)


def _main_thread(watcher: Watcher) -> None:
    seconds = import_modules(LIBRARIES)
    if not _runtime_ready(RUNTIME_WAIT_SECONDS):
        LOG.warning("warm-up: Streamlit's runtime did not start, nothing warmed")
        return
    seconds += import_modules(APP_MODULES)
    LOG.info("warm-up: modules imported in %.1f s", seconds)
    watcher.run()


def start_in_background() -> Watcher | None:
    """Start the warm-up thread (daemon: it never keeps the server alive), unless switched
    off by `OBSERVATOIRE_WARMUP`."""
    if not enabled():
        LOG.info("warm-up switched off (%s)", ENV_VAR)
        return None
    watcher = Watcher()
    threading.Thread(
        target=_main_thread, args=(watcher,), name="observatoire-warmup", daemon=True
    ).start()
    return watcher
