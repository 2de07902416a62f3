"""bench/capacity.py's protocol client against a real server: no timing, only that its page
views are real script runs (the page asked for, elements drawn, no error), and that a view
the server cannot serve as asked is reported as an error, not timed as a success."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path

import pytest

from bench import browser as bb
from bench import capacity
from tests import fake_warehouse

pytestmark = pytest.mark.slow  # a server start and a few script runs

NARROW = "departments=45&categories=fruits_legumes"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("capacity")
    return fake_warehouse.build(folder / "warehouse.duckdb", scale=0.1)


@pytest.fixture(scope="module")
def server(served) -> Iterator[bb.Server]:
    started = bb.start_server(served, served.with_name("server.log"))
    yield started
    started.stop()


def run_apart(coroutine: Coroutine):
    """`asyncio.run` in a thread of its own: in the whole suite a browser test's Playwright
    (sync API) leaves an event loop running in this worker's thread, where asyncio.run fails."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 — raised again in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(300)
    assert not thread.is_alive(), "the client did not finish within 300 s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def _views(base_url: str, steps: list[tuple[str, str, bool]]) -> list[capacity.Run]:
    session = await capacity.Session.open(base_url)
    try:
        return [await session.view(path, qs, first=first) for path, qs, first in steps]
    finally:
        await session.close()


def test_views_are_real_page_runs(server):
    landing, traffic, suppliers = run_apart(
        _views(
            server.base_url,
            [("", "", True), ("frequentation", NARROW, False), ("producteurs", "", False)],
        )
    )
    for run in (landing, traffic, suppliers):
        assert run.error is None, run.error
        assert run.ms is not None and run.messages > 0
    # The landing page's two weekly charts (Plotly or Vega-Lite) and its metrics; the traffic
    # page's own charts.
    assert capacity.chart_count(landing.elements) == 2, landing.elements
    assert landing.elements.get("metric", 0) >= 4, landing.elements
    assert capacity.chart_count(traffic.elements) >= 3, traffic.elements
    assert capacity.chart_count(suppliers.elements) >= 1, suppliers.elements
    assert traffic.elements != landing.elements  # another page was run, not the landing again


def test_a_page_the_server_does_not_serve_is_an_error(server):
    (run,) = run_apart(_views(server.base_url, [("no-such-page", "", True)]))
    assert run.error is not None


def test_an_address_the_app_rejects_is_not_an_error_but_a_notice(server):
    # An unknown department is dropped with a French notice (st.warning): a valid view.
    (run,) = run_apart(_views(server.base_url, [("frequentation", "departments=99", True)]))
    assert run.error is None, run.error
    assert run.elements.get("alert", 0) >= 1


def test_a_short_open_loop_load_finishes_every_view(served, server):
    words = capacity.vocabulary(served)
    assert words.departments and words.categories and "" in words.pages
    outcome = run_apart(
        capacity.load(server.base_url, words, rate=3, duration=4, pool_think=1, seed=1)
    )
    rows = outcome["rows"]
    assert rows and outcome["unfinished"] == 0
    assert [r for r in rows if r["error"]] == []
    assert all(r["elements"] for r in rows)
    assert {r["kind"] for r in rows} >= {"open"}
    summary = capacity.summarise(rows, 4)
    assert summary["errors"] == 0 and summary["p95_ms"] is not None
