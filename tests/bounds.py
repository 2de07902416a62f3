"""Bounds on the test suite's time: per-test limits by marker, the `slow` check, the running test.

Registered as a plugin by `tests/conftest.py`. The limits themselves (seconds) live here so
that the tests of this module and `docs/testing.md` name one source:

* every test: `DEFAULT_TIMEOUT_S` (pytest-timeout, `timeout` in pyproject.toml);
* a test marked `slow` (the browser tests, whole-pipeline loads in a subprocess, the hostile
  folders): `SLOW_TIMEOUT_S`, unless it carries its own `@pytest.mark.timeout(...)`;
* `--max-unmarked-seconds=N` (used by `make check`): a test not marked `slow` that takes more
  than N seconds fails the run, so the fast loop stays fast. The time counted is the test's
  own: its call, teardown and function-scoped fixtures, not the session fixtures it happens
  to be the first to need (the test warehouse is built once, whoever asks first).
* `OBSERVATOIRE_CURRENT_TEST=<file>`: the node id of the running test is written there when
  it starts (`<file>.gw0`, `<file>.gw1` … per pytest-xdist worker), so that `.ci/run` can say
  which tests were running when the overall limit struck.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

DEFAULT_TIMEOUT_S = 300
SLOW_TIMEOUT_S = 900
# One run of the ETL's command line in a test (a small demo load takes seconds): a bound for
# `subprocess.run(..., timeout=CLI_TIMEOUT_S)`, so a stuck child fails only its own test.
CLI_TIMEOUT_S = 240
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"

_SHARED_SETUP = pytest.StashKey[float]()
_OWN_SECONDS = pytest.StashKey[float]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--max-unmarked-seconds",
        type=float,
        default=None,
        help="fail the run if a test not marked `slow` takes longer than this (seconds)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        # Every browser test starts (or shares) a server and a Chromium: slow by nature.
        if BROWSER_TESTS in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT_S))


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
    started = time.perf_counter()
    yield
    if fixturedef.scope != "function":
        item = getattr(request, "_pyfuncitem", None)  # the test that asked first
        if item is not None:
            elapsed = time.perf_counter() - started
            item.stash[_SHARED_SETUP] = item.stash.get(_SHARED_SETUP, 0.0) + elapsed


def pytest_runtest_logstart(nodeid: str, location) -> None:
    path = os.environ.get("OBSERVATOIRE_CURRENT_TEST")
    # Under pytest-xdist each worker writes its own file (`<path>.gw0` …); the controller,
    # which only relays the workers' reports, writes none.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if path and (worker or not _RUNS_WORKERS):
        Path(f"{path}.{worker}" if worker else path).write_text(nodeid + "\n", encoding="utf-8")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    own = report.duration
    if report.when == "setup":
        own -= item.stash.get(_SHARED_SETUP, 0.0)
    item.stash[_OWN_SECONDS] = item.stash.get(_OWN_SECONDS, 0.0) + max(own, 0.0)
    if report.when == "teardown":
        report.user_properties.append(("own_seconds", item.stash[_OWN_SECONDS]))
        report.user_properties.append(("slow", item.get_closest_marker("slow") is not None))


class _SlowWithoutMark:
    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.offenders: list[tuple[str, float]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "teardown":
            return
        properties = dict(report.user_properties)
        seconds = properties.get("own_seconds", 0.0)
        if not properties.get("slow") and seconds > self.limit:
            self.offenders.append((report.nodeid, seconds))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.offenders:
            return
        terminalreporter.section("tests over the fast-loop limit without the `slow` mark")
        for nodeid, seconds in sorted(self.offenders, key=lambda o: -o[1]):
            terminalreporter.line(f"{seconds:6.1f} s  {nodeid}")
        terminalreporter.line(
            f"Mark them `@pytest.mark.slow` or make them faster than {self.limit:g} s "
            "(docs/testing.md)."
        )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.offenders and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


_RUNS_WORKERS = False


def pytest_configure(config: pytest.Config) -> None:
    global _RUNS_WORKERS
    _RUNS_WORKERS = bool(getattr(config.option, "numprocesses", None)) and not os.environ.get(
        "PYTEST_XDIST_WORKER"
    )
    limit = config.getoption("--max-unmarked-seconds")
    # Checked where the reports of every test arrive: the controller, or the only process.
    if limit is not None and not os.environ.get("PYTEST_XDIST_WORKER"):
        config.pluginmanager.register(_SlowWithoutMark(limit), "slow-without-mark")
