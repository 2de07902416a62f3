"""The background warm-up (app/warmup.py): it fills the pages' caches for their default views,
warms again when a load publishes a new warehouse, survives a broken warehouse, and can be
switched off. No timing here: the figures live in docs/performance.md (bench/fluent.py)."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import threading
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app import db, queries, warmup
from app.filtering import PLATFORMS, default_filters

REPO_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO_ROOT / "dashboard.py")
PAGES = sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "app_pages").glob("*.py"))


class Computed:
    """Stands for `app.queries` inside `app.db`: `db._cached_call` calls the query function
    only when the cache misses, so every name recorded is a query actually computed."""

    def __init__(self):
        self.names: list[str] = []

    def __getattr__(self, name):
        found = getattr(queries, name)
        if name == "run" or not callable(found):  # db.query's uncached SQL check
            return found

        @functools.wraps(found)
        def recorded(*args, **kwargs):
            self.names.append(name)
            return found(*args, **kwargs)

        return recorded


@pytest.fixture
def computed(monkeypatch) -> Computed:
    recorder = Computed()
    monkeypatch.setattr(db, "queries", recorder)
    return recorder


@pytest.fixture
def fresh_cache():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def own_warehouse(small_warehouse, tmp_path, monkeypatch) -> Path:
    """A copy of the small warehouse this test may replace or touch."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_warehouse, copy)
    monkeypatch.setenv(db.ENV_VAR, str(copy))
    return copy


def test_enabled_by_default_and_switched_off_by_the_variable(monkeypatch):
    monkeypatch.delenv(warmup.ENV_VAR, raising=False)
    assert warmup.enabled()
    for off in ("0", "false", "non", "OFF"):
        monkeypatch.setenv(warmup.ENV_VAR, off)
        assert not warmup.enabled()
        before = {t.name for t in threading.enumerate()}
        assert warmup.start_in_background() is None
        assert {t.name for t in threading.enumerate()} == before
    monkeypatch.setenv(warmup.ENV_VAR, "1")
    assert warmup.enabled()


def test_the_variable_is_documented():
    doc = (REPO_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert f"| `{warmup.ENV_VAR}` |" in doc


def test_a_pass_makes_every_default_call_and_later_calls_are_hits(
    warehouse_env, fresh_cache, computed
):
    report = warmup.warm()
    assert report["error"] is None, report
    assert report["version"] == db.warehouse_version()
    assert report["calls"] == len(list(warmup.default_calls(db.cached(queries.filter_context))))
    assert "visits_summary" in computed.names  # the pass did compute
    computed.names.clear()
    ctx = db.cached(queries.filter_context)
    for platform in PLATFORMS:
        filters = default_filters(ctx).for_platform(platform, ctx)
        db.cached(queries.visits_summary, filters)
        db.cached(queries.visits_timeseries, filters, "week")
        db.cached(queries.coverage_grid, filters, 3)
    assert computed.names == []
    # Another view was not warmed: the recorder does see a miss.
    db.cached(queries.visits_timeseries, default_filters(ctx), "day")
    assert computed.names == ["visits_timeseries"]


@pytest.mark.slow
def test_after_a_pass_every_page_draws_its_default_view_from_the_cache(
    warehouse_env, fresh_cache, computed
):
    """The list of calls follows the pages: a page that computes a query after a warm-up
    (a new query, a changed default) fails here and names it."""
    assert warmup.warm()["error"] is None
    computed.names.clear()
    for platform in PLATFORMS:
        for page in PAGES:
            at = AppTest.from_file(DASHBOARD, default_timeout=60)
            at.query_params["platform"] = platform
            at.run()
            at.switch_page(page).run()
            assert not at.exception, (platform, page, at.exception)
            assert computed.names == [], (platform, page, computed.names)


def test_a_new_warehouse_version_is_warmed_again(own_warehouse, fresh_cache, computed):
    watcher = warmup.Watcher(poll_s=0.01)
    first = watcher.step()
    assert first is not None and first["error"] is None
    assert watcher.step() is None  # same version, not due
    computed.names.clear()

    # A load publishes: a new file switched in atomically, with its own modification time.
    fresh = own_warehouse.with_name("publishing.duckdb")
    shutil.copyfile(own_warehouse, fresh)
    stat = own_warehouse.stat()
    os.utime(fresh, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    os.replace(fresh, own_warehouse)

    second = watcher.step()
    assert second is not None and second["error"] is None
    assert second["version"] != first["version"] == (str(own_warehouse), stat.st_mtime_ns)
    assert "visits_summary" in computed.names  # computed again for the new version
    computed.names.clear()
    ctx = db.cached(queries.filter_context)
    db.cached(queries.visits_summary, default_filters(ctx))
    assert computed.names == []


def test_the_current_version_is_warmed_again_when_the_cache_expires(own_warehouse, fresh_cache):
    watcher = warmup.Watcher(poll_s=0.01, refresh_s=3600)
    assert watcher.step() is not None
    assert watcher.step() is None
    watcher.refresh_s = 0
    assert watcher.step() is not None
    assert len(watcher.passes) == 2


def test_the_watcher_thread_warms_then_stops(own_warehouse, fresh_cache, computed):
    watcher = warmup.Watcher(poll_s=0.01)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        deadline = threading.Event()
        for _ in range(6000):  # a bound, not a timing: 60 s at most
            if watcher.passes:
                break
            deadline.wait(0.01)
    finally:
        watcher.stop()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert watcher.passes and watcher.passes[0]["error"] is None


@pytest.mark.parametrize("damage", ["garbage", "missing"])
def test_a_broken_warehouse_is_logged_and_nothing_raises(
    own_warehouse, fresh_cache, caplog, damage
):
    if damage == "garbage":
        own_warehouse.write_bytes(b"not a database\n" * 1000)
    else:
        own_warehouse.unlink()
    caplog.set_level(logging.INFO, logger="app.warmup")
    report = warmup.warm()
    assert report["error"] and report["calls"] == 0
    assert any("warm-up" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    watcher = warmup.Watcher(poll_s=0.01)
    watcher.step()  # no exception either, and a broken file is not retried in a loop
    assert watcher.step() is None


def test_an_error_in_a_query_stops_the_pass_without_raising(
    warehouse_env, fresh_cache, monkeypatch
):
    def broken(conn, filters):
        raise RuntimeError("boom")

    broken.__name__ = "visits_summary"
    monkeypatch.setattr(queries, "visits_summary", broken)
    report = warmup.warm()
    assert "boom" in report["error"]
    assert report["calls"] >= 1  # the calls before it were made


def test_a_pass_gives_way_to_visitors_runs_and_still_ends(warehouse_env, fresh_cache, monkeypatch):
    assert warmup.visitors_running() is False  # no Streamlit runtime here: never blocks
    asked = []

    def busy() -> bool:
        asked.append(1)
        return True  # a visitor's run always in progress

    monkeypatch.setattr(warmup, "visitors_running", busy)
    monkeypatch.setattr(warmup, "VISITOR_WAIT_SECONDS", 0.002)
    # A short pass: the fast loop's 10 s limit, on a busy machine too.
    every_call = warmup.default_calls
    monkeypatch.setattr(warmup, "default_calls", lambda ctx: list(every_call(ctx))[:5])
    report = warmup.warm()
    assert report["error"] is None and report["calls"] > 0
    assert len(asked) >= report["calls"]  # asked before every call
    assert report["gave_way_s"] > 0
