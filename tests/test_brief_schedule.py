"""The brief as a scheduler runs it (docs/brief.md, "Scheduling"): the load's lock shared with
the load, so that a brief never reads a warehouse a load is publishing."""

from __future__ import annotations

import configparser
import contextlib
import importlib.util
import io
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app import brief, overview, report
from etl import files
from tests.bounds import CLI_TIMEOUT_S
from tests.conftest import REPO_ROOT

UNITS = REPO_ROOT / "deploy" / "systemd"
SERVICE = UNITS / "observatoire-brief.service"
TIMER = UNITS / "observatoire-brief.timer"
SCHEDULED_ARGS = ["--period", "last-week", "--send"]

PERIOD = "2020-05-04:2020-05-10"
PLATFORM = "produits-frais"
FAKE_PDF = b"%PDF-1.4\n% fake\n"


def _main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = brief.main(list(args))
    return code, out.getvalue(), err.getvalue()


def _args(warehouse: Path, out: Path) -> list[str]:
    return ["--period", PERIOD, "--platform", PLATFORM, "--db", str(warehouse), "--out", str(out)]


@pytest.fixture
def warehouse(small_warehouse, tmp_path) -> Path:
    """A copy of the test warehouse in a folder of its own: its lock file is this test's."""
    copy = tmp_path / "wh" / small_warehouse.name
    copy.parent.mkdir()
    shutil.copyfile(small_warehouse, copy)
    return copy


@pytest.fixture
def stub_pdf(monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(report, "render_pdf", lambda page: FAKE_PDF)


def _load_could_start(warehouse: Path) -> bool:
    """Whether a load could take its lock now (`python -m etl load` takes it exclusive, at once)."""
    try:
        with files.exclusive_lock(warehouse):
            return True
    except files.Busy:
        return False


# --- The lock ----------------------------------------------------------------------------------


def test_a_load_holding_the_lock_makes_the_brief_wait_then_fail_with_exit_8(
    warehouse, tmp_path, stub_pdf, monkeypatch
):
    monkeypatch.setattr(brief, "LOCK_WAIT_S", 0.6)
    out = tmp_path / "outbox"
    with files.exclusive_lock(warehouse):  # what a running load holds
        started = time.monotonic()
        code, stdout, stderr = _main(*_args(warehouse, out))
        waited = time.monotonic() - started
    assert code == brief.EXIT_BUSY == 8
    assert waited >= 0.6  # it waited for the load, within its bound
    assert waited < 10
    assert stderr.startswith(
        "ERREUR : un chargement de l'entrepôt (ou un export Parquet) est toujours"
    )
    assert f"{warehouse.name}.lock" in stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert not out.exists() or not any(out.iterdir())  # nothing written


def test_a_lock_released_in_time_lets_the_brief_proceed(warehouse, tmp_path, stub_pdf, monkeypatch):
    monkeypatch.setattr(brief, "LOCK_WAIT_S", 30)
    out = tmp_path / "outbox"
    held, release = threading.Event(), threading.Event()

    def load():
        with files.exclusive_lock(warehouse):
            held.set()
            release.wait(timeout=30)

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    assert held.wait(timeout=10)
    timer = threading.Timer(0.5, release.set)
    timer.start()
    try:
        started = time.monotonic()
        code, stdout, stderr = _main(*_args(warehouse, out))
        waited = time.monotonic() - started
    finally:
        release.set()
        timer.cancel()
        loader.join(timeout=10)
    assert (code, stderr) == (0, "")
    assert waited >= 0.5  # it did wait for the load to end
    assert sorted(p.suffix for p in out.iterdir()) == [".csv", ".html", ".pdf", ".xlsx"]


def test_the_lock_is_held_shared_while_the_figures_are_read_and_released_after(
    warehouse, tmp_path, monkeypatch
):
    seen = {}
    build = overview.build

    def build_and_probe(*args, **kwargs):
        seen["load_could_start"] = _load_could_start(warehouse)
        try:  # another brief reads at the same time: readers do not exclude each other
            with files.shared_lock(warehouse):
                seen["another_brief_could_read"] = True
        except files.Busy:
            seen["another_brief_could_read"] = False
        return build(*args, **kwargs)

    def render_pdf(page):
        seen["load_could_start_while_printing"] = _load_could_start(warehouse)
        return FAKE_PDF

    monkeypatch.setattr(overview, "build", build_and_probe)
    monkeypatch.setattr(report, "chromium_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(report, "render_pdf", render_pdf)
    code, _, stderr = _main(*_args(warehouse, tmp_path / "outbox"))
    assert (code, stderr) == (0, "")
    assert seen == {
        "load_could_start": False,  # a load does not start publishing mid-brief
        "another_brief_could_read": True,
        "load_could_start_while_printing": True,  # released once the figures are read
    }
    assert _load_could_start(warehouse)


def test_a_missing_warehouse_folder_is_not_created_by_the_lock(tmp_path):
    missing = tmp_path / "absent" / "warehouse.duckdb"
    code, _, stderr = _main(*_args(missing, tmp_path / "outbox"))
    assert code == brief.EXIT_WAREHOUSE
    assert "aucun entrepôt" in stderr
    assert not missing.parent.exists()


# --- Scheduling: the systemd units and the cron line ---------------------------------------------


def _unit(path: Path) -> configparser.ConfigParser:
    """A unit file's sections and keys (a key given twice: the last, as systemd's lists aside)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def test_the_service_runs_the_weekly_brief_with_the_repository_venv():
    service = _unit(SERVICE)["Service"]
    argv = shlex.split(service["ExecStart"])
    workdir = service["WorkingDirectory"]
    assert Path(workdir).is_absolute()
    assert argv[0] == f"{workdir}/.venv/bin/python"  # the venv's python, in the working folder
    assert argv[1:3] == ["-m", "app.brief"]
    assert argv[3:] == SCHEDULED_ARGS
    assert importlib.util.find_spec(argv[2]) is not None
    brief._parser().parse_args(argv[3:])  # options the command knows (SystemExit otherwise)
    assert service["Type"] == "oneshot"
    assert service["User"] and service["Group"]
    assert Path(service["EnvironmentFile"]).is_absolute()
    assert service["Environment"] == "TZ=Europe/Paris"
    # Longer than the wait for a load's lock, or systemd would kill a brief that waits.
    assert _seconds(service["TimeoutStartSec"]) > brief.LOCK_WAIT_S
    # Retried: the failures that may clear by themselves; not those that need a person.
    prevented = {int(code) for code in service["RestartPreventExitStatus"].split()}
    assert prevented == {
        brief.EXIT_BAD_ARGUMENTS,
        brief.EXIT_NO_CHROMIUM,
        brief.EXIT_FAILED,
        brief.EXIT_PARTLY_SENT,
    }
    assert service["Restart"] == "on-failure"


def _seconds(span: str) -> float:
    found = re.fullmatch(r"(\d+)(min|s|h)?", span)
    assert found, span
    return int(found[1]) * {"s": 1, None: 1, "min": 60, "h": 3600}[found[2]]


def test_the_command_of_the_service_exists_and_answers_help():
    result = subprocess.run(
        [sys.executable, "-m", "app.brief", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("usage : python -m app.brief")  # argparse, in French
    for option in SCHEDULED_ARGS[::2]:
        assert option in result.stdout


def test_the_timer_starts_the_service_every_monday_at_seven_paris_time():
    timer = _unit(TIMER)
    assert timer["Timer"]["OnCalendar"] == "Mon *-*-* 07:00:00 Europe/Paris"
    assert timer["Timer"]["Persistent"] == "true"
    assert (UNITS / timer["Timer"]["Unit"]) == SERVICE
    assert timer["Install"]["WantedBy"] == "timers.target"


SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
needs_systemd_analyze = pytest.mark.skipif(
    SYSTEMD_ANALYZE is None, reason="systemd-analyze absent (no systemd on this machine)"
)


@needs_systemd_analyze
def test_systemd_reads_the_calendar_as_mondays_at_seven_in_paris():
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "calendar", "--iterations=30", _unit(TIMER)["Timer"]["OnCalendar"]],
        capture_output=True,
        text=True,
        timeout=60,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin", "SYSTEMD_COLORS": "0"},
    )
    assert result.returncode == 0, result.stderr
    elapses = re.findall(r"(\w{3}) \d{4}-\d{2}-\d{2} (\d{2}:\d{2}:\d{2}) UTC", result.stdout)
    assert len(elapses) == 30  # seven months of Mondays: a change of summer time among them
    assert {day for day, _ in elapses} == {"Mon"}
    assert {time_ for _, time_ in elapses} <= {"05:00:00", "06:00:00"}  # 07:00 Paris


@needs_systemd_analyze
def test_systemd_analyze_verifies_the_units(tmp_path):
    """The units as installed on a server where the repository lives at this checkout: the
    paths of /srv/observatoire pointed here, the account one that exists."""
    service = SERVICE.read_text(encoding="utf-8")
    workdir = _unit(SERVICE)["Service"]["WorkingDirectory"]
    service = service.replace(workdir, str(REPO_ROOT))
    service = service.replace(
        _unit(SERVICE)["Service"]["EnvironmentFile"], str(tmp_path / "brief.env")
    )
    service = re.sub(r"(?m)^User=.*$", "User=root", service)
    service = re.sub(r"(?m)^Group=.*$", "Group=root", service)
    (tmp_path / "brief.env").write_text("")
    (tmp_path / SERVICE.name).write_text(service, encoding="utf-8")
    shutil.copyfile(TIMER, tmp_path / TIMER.name)
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", f"./{SERVICE.name}", f"./{TIMER.name}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown" not in result.stderr, result.stderr  # a misspelt key is only a warning


def test_the_docs_show_the_units_as_they_are_and_a_cron_line_with_the_same_command():
    docs = (REPO_ROOT / "docs" / "brief.md").read_text(encoding="utf-8")
    for unit in (SERVICE, TIMER):
        assert unit.read_text(encoding="utf-8") in docs, f"{unit.name} differs in docs/brief.md"
    command = " ".join(shlex.split(_unit(SERVICE)["Service"]["ExecStart"])[1:])
    cron = [line for line in docs.splitlines() if re.match(r"^0 7 \* \* 1 ", line)]
    assert len(cron) == 1
    assert cron[0].endswith(f".venv/bin/python {command}")
    assert "CRON_TZ=Europe/Paris" in docs
