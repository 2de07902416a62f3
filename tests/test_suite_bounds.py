"""The suite cannot hang: a planted hang fails within its limit, names itself and prints the
stack of every thread; the `slow` mark and the fast-loop check do what docs/testing.md says.

Each case runs a child pytest with the project's configuration (pyproject.toml and the
tests/bounds.py plugin) on a planted test file, with a short limit so the case stays fast.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests import bounds

REPO_ROOT = Path(__file__).resolve().parent.parent
CHILD_LIMIT_S = 120  # the child pytest itself is bounded too


def run_child(
    tmp_path: Path, source: str, *options: str
) -> tuple[subprocess.CompletedProcess, float]:
    planted = tmp_path / "test_planted.py"
    planted.write_text(textwrap.dedent(source), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(REPO_ROOT / "pyproject.toml"),
        "--rootdir",
        str(tmp_path),
        "-p",
        "tests.bounds",
        "-p",
        "no:cacheprovider",
        "-q",
        *options,
        str(planted),
    ]
    # A child of an xdist worker must not take itself for one (`make test` runs in workers).
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    started = time.monotonic()
    result = subprocess.run(
        command,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_LIMIT_S,
    )
    return result, time.monotonic() - started


def test_a_test_that_sleeps_forever_fails_within_its_limit_with_every_stack(tmp_path):
    result, elapsed = run_child(
        tmp_path,
        """
        import threading, time

        def background_worker_waiting():
            time.sleep(10**6)

        def test_sleeps_forever():
            threading.Thread(target=background_worker_waiting, daemon=True).start()
            time.sleep(10**6)
        """,
        "-o",
        "timeout=1.5",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert elapsed < 60, elapsed
    assert "Timeout" in output and "FAILED test_planted.py::test_sleeps_forever" in output
    # The test's own traceback, and the stack of the other thread by function name.
    assert "def test_sleeps_forever" in output and "Failed: Timeout (>1.5s)" in output, output
    assert "Stack of Thread-1 (background_worker_waiting)" in output, output
    assert "in background_worker_waiting" in output, output


def test_a_child_process_that_never_exits_fails_within_the_limit_and_is_killed(tmp_path):
    pid_file = tmp_path / "child.pid"
    result, elapsed = run_child(
        tmp_path,
        f"""
        import os, subprocess, sys

        def test_waits_on_a_stuck_child():
            # No timeout of its own: the hang pytest-timeout must catch.
            subprocess.run([sys.executable, "-c",
                "import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(10**6)"])
        """,
        "-o",
        "timeout=2",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert elapsed < 60, elapsed
    assert "FAILED test_planted.py::test_waits_on_a_stuck_child" in output
    # Where it hung: the test, down to the wait on the child.
    assert "def test_waits_on_a_stuck_child" in output and "os.waitpid" in output, output
    # subprocess.run kills its child when interrupted: nothing left running.
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{child}").exists()


def test_the_configured_limits_are_the_documented_ones(tmp_path):
    result, _ = run_child(
        tmp_path,
        f"""
        import pytest

        def test_default(request):
            assert request.config.getini("timeout") == "{bounds.DEFAULT_TIMEOUT_S}"
            assert request.node.get_closest_marker("timeout") is None

        @pytest.mark.slow
        def test_slow(request):
            assert request.node.get_closest_marker("timeout").args == ({bounds.SLOW_TIMEOUT_S},)

        @pytest.mark.slow
        @pytest.mark.timeout(42)
        def test_own_limit(request):
            assert request.node.get_closest_marker("timeout").args == (42,)
        """,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


FAST_LOOP_CASES = """
    import time
    import pytest

    @pytest.fixture(scope="session")
    def shared_and_slow_to_build():
        time.sleep(1.2)

    def test_quick_but_first_to_need_the_shared_fixture(shared_and_slow_to_build):
        pass

    @pytest.mark.slow
    def test_long_and_marked():
        time.sleep(1.2)
"""


# `make check` runs its tests in two pytest-xdist workers: the check must see their reports.
# (Slow with two workers: three interpreters start, over 10 s on a busy machine.)
@pytest.mark.parametrize(
    "workers",
    [
        pytest.param([], id="one process"),
        pytest.param(["-n", "2"], id="two workers", marks=pytest.mark.slow),
    ],
)
def test_the_fast_loop_fails_on_a_long_test_without_the_slow_mark(tmp_path, workers):
    result, _ = run_child(
        tmp_path,
        FAST_LOOP_CASES
        + """
    def test_long_and_unmarked():
        time.sleep(1.2)
""",
        "--max-unmarked-seconds=1",
        *workers,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "3 passed" in result.stdout
    assert "tests over the fast-loop limit without the `slow` mark" in result.stdout
    offenders = result.stdout.split("without the `slow` mark")[1]
    assert "test_long_and_unmarked" in offenders
    assert "test_long_and_marked" not in offenders
    assert "test_quick_but_first_to_need_the_shared_fixture" not in offenders


def test_the_fast_loop_passes_when_long_tests_are_marked(tmp_path):
    result, _ = run_child(tmp_path, FAST_LOOP_CASES, "--max-unmarked-seconds=1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "without the `slow` mark" not in result.stdout


TWO_TESTS = """
    def test_first():
        pass

    def test_second():
        pass
"""


def run_child_writing_current_test(tmp_path: Path, *options: str):
    current = tmp_path / "current-test"
    os.environ["OBSERVATOIRE_CURRENT_TEST"] = str(current)
    try:
        result, _ = run_child(tmp_path, TWO_TESTS, *options)
    finally:
        del os.environ["OBSERVATOIRE_CURRENT_TEST"]
    assert result.returncode == 0, result.stdout + result.stderr
    return current


@pytest.mark.slow  # three interpreters, as above
def test_each_worker_writes_its_running_test_where_ci_reads_it(tmp_path):
    current = run_child_writing_current_test(tmp_path, "-n", "2")
    assert not current.exists()  # the controller writes nothing of its own
    written = {p.name: p.read_text() for p in tmp_path.glob("current-test.gw*")}
    assert set(written) <= {"current-test.gw0", "current-test.gw1"} and written
    assert set(written.values()) <= {
        "test_planted.py::test_first\n",
        "test_planted.py::test_second\n",
    }


def test_the_running_test_is_written_where_ci_reads_it(tmp_path):
    current = run_child_writing_current_test(tmp_path)
    assert current.read_text() == "test_planted.py::test_second\n"
