"""Loads never expose a half-built warehouse, and two loads never run at once."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

import etl.load as load_module
from etl.load import LoadError, load
from etl.settings import REPO_ROOT, Settings, etl_db_path
from tests.bounds import CLI_TIMEOUT_S
from tests.test_etl_logs import write_raw


def test_a_second_load_is_refused_while_one_runs(tmp_path):
    raw = write_raw(tmp_path)
    db = tmp_path / "w.duckdb"
    lock = open(db.with_name(db.name + ".lock"), "w")  # noqa: SIM115 - held as a load holds it
    fcntl.flock(lock, fcntl.LOCK_EX)  # what a running load holds
    try:
        with pytest.raises(
            LoadError,
            match="un autre chargement, un export Parquet ou une note de synthèse est en cours",
        ):
            load(Settings(raw_dir=raw, db_path=db), progress=False)
    finally:
        lock.close()
    assert not db.exists()


def test_a_load_waits_for_a_brief_reading_and_not_longer_than_its_bound(tmp_path, monkeypatch):
    raw = write_raw(tmp_path)
    db = tmp_path / "w.duckdb"
    lock_path = db.with_name(db.name + ".lock")
    # A brief reading (app/brief.py holds the lock shared) for about a second: the load waits.
    reader = open(lock_path, "a")  # noqa: SIM115 - held as a brief holds it
    fcntl.flock(reader, fcntl.LOCK_SH)
    threading.Timer(1.0, reader.close).start()
    started = time.monotonic()
    load(Settings(raw_dir=raw, db_path=db), progress=False)
    assert time.monotonic() - started >= 0.9 and db.exists()
    # A reader that stays past the bound: refused with the usual message, after the bound.
    monkeypatch.setattr(load_module, "BRIEF_READ_WAIT_S", 0.5)
    reader = open(lock_path)  # noqa: SIM115 - held as a brief holds it
    fcntl.flock(reader, fcntl.LOCK_SH)
    try:
        started = time.monotonic()
        with pytest.raises(LoadError, match="une note de synthèse est en cours"):
            load(Settings(raw_dir=raw, db_path=db), progress=False)
        assert time.monotonic() - started >= 0.4
    finally:
        reader.close()


def test_missing_raw_folder_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "load",
            "--raw",
            str(tmp_path / "absent"),
            "--db",
            str(tmp_path / "w.duckdb"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert result.returncode != 0
    assert "dossier de données brutes introuvable" in result.stderr


def _big_log(folder: Path, lines: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0 Safari/537.36"
    with open(folder / "access.log", "w") as fh:
        for i in range(lines):
            minute, second = divmod(i // 10, 60)
            fh.write(
                f"90.{i % 200}.{i % 7}.{i % 250} - - [02/Apr/2020:{10 + minute // 60 % 10:02d}:{minute % 60:02d}:{second:02d} +0200] "
                f'"GET /produit/A{i % 500}-x HTTP/1.1" 200 1000 "-" "{agent}"\n'
            )


def _figures(db: Path) -> tuple:
    """What the dashboard shows (its file) and what the load keeps (its database)."""
    with duckdb.connect(str(db), read_only=True) as con:
        shown = con.execute(
            "select (select count(*) from visits), (select sum(hits) from hits_daily)"
        ).fetchone()
    with duckdb.connect(str(etl_db_path(db)), read_only=True) as con:
        kept = con.execute(
            "select (select count(*) from hits), (select count(*) from visits)"
        ).fetchone()
    return shown, kept


# A load updates its database in place (one transaction) or, beyond `load_in_place_max_mb` of
# new log data, a copy of it switched in: both must survive being killed. Slow: five CLI loads
# of a 200,000-line log in a subprocess, four of them killed.
@pytest.mark.slow
@pytest.mark.parametrize("in_place_max_mb", ["128", "0"], ids=["in place", "copy"])
def test_a_load_killed_at_any_moment_leaves_the_previous_warehouse_intact(
    tmp_path, monkeypatch, in_place_max_mb
):
    monkeypatch.setenv("OBSERVATOIRE_LOAD_IN_PLACE_MAX_MB", in_place_max_mb)
    raw = write_raw(tmp_path)
    db = tmp_path / "w.duckdb"
    load(Settings(raw_dir=raw, db_path=db), progress=False)
    before = _figures(db)
    _big_log(tmp_path / "more", 200_000)
    (tmp_path / "more" / "access.log").rename(raw / "produits-frais" / "logs" / "access.log.new")
    rng = random.Random(7)
    kills = 0
    for delay in sorted(rng.uniform(0.2, 1.5) for _ in range(4)):
        proc = subprocess.Popen(
            [sys.executable, "-m", "etl", "load", "--raw", str(raw), "--db", str(db), "--quiet"],
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if proc.poll() is not None:
            pytest.fail("the load finished before it could be killed: make the test log bigger")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=CLI_TIMEOUT_S)
        kills += 1
        # Both files as they were: the dashboard's, and the database the killed load was
        # changing in place (its transaction rolled back).
        assert _figures(db) == before
    assert kills == 4
    finished = subprocess.run(
        [sys.executable, "-m", "etl", "load", "--raw", str(raw), "--db", str(db), "--quiet"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert finished.returncode == 0, finished.stderr
    expected = "mise à jour en place" if in_place_max_mb == "128" else "mise à jour sur une copie"
    assert f"Base du chargement {expected}" in finished.stdout
    shown, kept = _figures(db)
    assert kept[0] == before[1][0] + 200_000
    assert shown == (kept[1], kept[0])


def test_rebuild_starts_from_an_empty_warehouse(tmp_path):
    raw = write_raw(tmp_path)
    db = tmp_path / "w.duckdb"
    load(Settings(raw_dir=raw, db_path=db), progress=False)
    (raw / "produits-frais" / "logs" / "access.log.1").unlink()  # the raw folder is replaced
    load(Settings(raw_dir=raw, db_path=db), progress=False)
    con = duckdb.connect(str(etl_db_path(db)), read_only=True)
    assert (
        con.execute("select count(*) from hits").fetchone()[0] == 16
    )  # cumulative: the deleted file's hit stays
    con.close()
    load(Settings(raw_dir=raw, db_path=db), progress=False, rebuild=True)
    con = duckdb.connect(str(etl_db_path(db)), read_only=True)
    assert con.execute("select count(*) from hits").fetchone()[0] == 15
    con.close()
