"""Figures computed ahead (`app.db.ahead`): a page starts its later figures in the background
and reads them when it reaches them. Each is computed once, in the background or by the page,
and an error there reaches the page as if it had computed the figure itself. The kept scope
tables (`app/queries/engine.py`), asked for by both at once, are computed once too. No timing
here: the figures live in docs/performance.md."""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time

import duckdb
import pandas as pd
import pytest
import streamlit as st

from app import db, queries
from app.filtering import default_filters
from app.queries import engine


class Computed:
    """Stands for `app.queries` inside `app.db`, recording each query actually computed (a
    cache miss) with the thread that computed it."""

    def __init__(self):
        self.calls: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def __getattr__(self, name):
        found = getattr(queries, name)
        if name == "run" or not callable(found):
            return found

        @functools.wraps(found)
        def recorded(*args, **kwargs):
            with self.lock:
                self.calls.append((name, threading.current_thread().name))
            return found(*args, **kwargs)

        return recorded

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


@pytest.fixture
def computed(monkeypatch) -> Computed:
    recorder = Computed()
    monkeypatch.setattr(db, "queries", recorder)
    yield recorder
    _drain()


@pytest.fixture
def fresh_cache():
    st.cache_data.clear()
    engine.clear_scope_cache()
    yield
    _drain()
    st.cache_data.clear()
    engine.clear_scope_cache()


def _drain() -> None:
    """Wait until the background thread has run every call queued before (one thread: FIFO)."""
    db._AHEAD.submit(lambda: None).result(timeout=60)


def _filters(departments=()):
    ctx = queries.filter_context(db.connection())  # not through the recorder
    return dataclasses.replace(default_filters(ctx), departments=departments)


def test_a_figure_started_ahead_is_computed_once_in_the_background(
    warehouse_env, fresh_cache, computed
):
    filters = _filters()
    pending = db.ahead(queries.visits_breakdowns, filters)
    _drain()
    assert computed.calls == [("visits_breakdowns", computed.calls[0][1])]
    assert computed.calls[0][1].startswith("figures-ahead")
    result = pending.result()  # read from the cache: not computed again
    assert computed.names() == ["visits_breakdowns"]
    direct = queries.visits_breakdowns(db.connection(), filters)
    for name, frame in direct.items():
        pd.testing.assert_frame_equal(result[name], frame)


def test_a_page_reaching_a_figure_being_computed_waits_for_it(
    warehouse_env, fresh_cache, computed, monkeypatch
):
    """The page asks while the background computes: `st.cache_data` computes a key once."""
    started, release = threading.Event(), threading.Event()
    real = queries.entry_pages

    @functools.wraps(real)  # looked up by name
    def slow_entry_pages(*args, **kwargs):
        started.set()
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "entry_pages", slow_entry_pages)
    filters = _filters()
    pending = db.ahead(queries.entry_pages, filters)
    assert started.wait(30)
    threading.Timer(0.3, release.set).start()
    result = pending.result()
    assert computed.names() == ["entry_pages"]
    assert computed.calls[0][1].startswith("figures-ahead")
    pd.testing.assert_frame_equal(result, real(db.connection(), filters))


def test_a_figure_the_background_has_not_reached_is_computed_by_the_page(
    warehouse_env, fresh_cache, computed
):
    block = threading.Event()
    db._AHEAD.submit(block.wait, 30)  # the background thread busy elsewhere
    try:
        pending = db.ahead(queries.top_products, _filters())
        pending.result()
        assert computed.calls == [("top_products", threading.current_thread().name)]
    finally:
        block.set()
    _drain()  # the queued call then finds it in the cache
    assert computed.names() == ["top_products"]


def test_an_error_in_the_background_reaches_the_page(
    warehouse_env, fresh_cache, monkeypatch, caplog
):
    """The background logs and drops the error; the page's own call raises it (a bug in our
    SQL is raised, not turned into a message)."""
    calls = []

    @functools.wraps(queries.top_suppliers)  # looked up by name
    def broken(*args, **kwargs):
        calls.append(threading.current_thread().name)
        raise duckdb.BinderException("Referenced column not found")

    monkeypatch.setattr(queries, "top_suppliers", broken)
    with caplog.at_level(logging.INFO, logger="app.db"):
        pending = db.ahead(queries.top_suppliers, _filters())
        _drain()
    assert "top_suppliers" in caplog.text
    with pytest.raises(duckdb.BinderException):
        pending.result()
    assert len(calls) == 2 and calls[0].startswith("figures-ahead")


def test_a_call_left_waiting_too_long_is_dropped(warehouse_env, fresh_cache, computed):
    """Under many visitors the queue can lag: a call asked long ago is not computed there
    (the page that asked has computed it, or is gone)."""
    version = db.warehouse_version()
    asked = time.monotonic() - db.AHEAD_STALE_SECONDS - 1
    db._compute_ahead(db.connection(), version, "top_products", (_filters(),), asked)
    assert computed.names() == []
    db._compute_ahead(db.connection(), version, "top_products", (_filters(),), time.monotonic())
    assert computed.names() == ["top_products"]


def test_a_scope_asked_for_by_two_threads_at_once_is_computed_once(conn, monkeypatch):
    """A page and the background ask for the same catalogue scope at the same moment."""
    engine.clear_scope_cache()
    computations: list[str] = []
    real = engine._compute_kept

    def slow_compute(conn, name, params, key):
        computations.append(name)
        time.sleep(0.2)  # both threads are asking by now
        return real(conn, name, params, key)

    monkeypatch.setattr(engine, "_compute_kept", slow_compute)
    ctx = queries.filter_context(conn)
    chosen = dataclasses.replace(default_filters(ctx), departments=(next(iter(ctx.departments)),))
    params = chosen.params()
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(engine.kept_table(conn, engine.SCOPE_ROWS_TABLE, params))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(computations) == [engine.SCOPE_TABLE, engine.SCOPE_ROWS_TABLE]
    assert len(results) == 2 and results[0].equals(results[1]) and results[0].num_rows > 0
    engine.clear_scope_cache()
