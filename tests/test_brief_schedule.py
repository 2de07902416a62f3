"""The brief as a scheduler runs it (docs/brief.md, "Scheduling"): the load's lock shared with
the load, so that a brief never reads a warehouse a load is publishing."""

from __future__ import annotations

import contextlib
import io
import shutil
import threading
import time
from pathlib import Path

import pytest

from app import brief, overview, report
from etl import files

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
    assert stderr.startswith("ERREUR : un chargement de l'entrepôt est toujours en cours")
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
