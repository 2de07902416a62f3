"""Fixtures of the browser tests: one Streamlit server and one Chromium per test session.

* `dashboard_server`: `python -m app.serve` (`streamlit run dashboard.py` and its cache
  warm-up) on a free port, against the session's
  `small_warehouse` (tests/conftest.py), stopped at the end of the session.
* `browser`: Debian's Chromium through Playwright; each test gets fresh contexts from
  `open_app` (a context is a new, empty profile), closed after the test.
* `figures`: expected key figures computed on the same warehouse.

These tests never skip: a missing Chromium or Playwright is an error (`make test` installs
Chromium first), and a skip inside tests/browser/ is reported as a failure, since a skipped
browser test would hide a broken page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser import ui

BROWSER_TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and not hasattr(report, "wasxfail")
        and BROWSER_TESTS in Path(str(item.fspath)).resolve().parents
    ):
        report.outcome = "failed"
        report.longrepr = (
            f"browser tests must not be skipped (skip reason: {report.longrepr}); "
            "run `make test`, which installs Chromium"
        )


@pytest.fixture(scope="session")
def dashboard_server(small_warehouse, tmp_path_factory) -> Iterator[ui.Server]:
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    server = ui.start_server(small_warehouse, log)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(ui.CHROMIUM, os.X_OK):
        pytest.fail(
            f"{ui.CHROMIUM} is missing: run `make browser` (apt-get install chromium) "
            "or `make test`, which installs it",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=ui.CHROMIUM, args=ui.CHROMIUM_ARGS, timeout=ui.NAVIGATION_TIMEOUT_MS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def figures(small_warehouse) -> Iterator[ui.Figures]:
    expected = ui.Figures(small_warehouse)
    yield expected
    expected.close()


@pytest.fixture
def open_app(browser, dashboard_server) -> Iterator[Callable[..., ui.AppPage]]:
    """`open_app(server=None)`: a tab in a fresh context on the session server (or `server`)."""
    opened: list[ui.AppPage] = []

    def open_(server: ui.Server | None = None) -> ui.AppPage:
        app = ui.AppPage.open(browser, (server or dashboard_server).base_url)
        opened.append(app)
        return app

    yield open_
    for app in opened:
        app.close()


@pytest.fixture
def app(open_app) -> ui.AppPage:
    return open_app()
