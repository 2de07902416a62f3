"""Lines lost or counted twice without a word (issue #28, "Lost lines, double counts"): each
case was reproduced on main at 0447562, where the load exited 0 and a figure changed. Inputs
are small hand-made logs."""

from __future__ import annotations

import duckdb

from etl.load import load
from etl.settings import etl_db_path
from tests.test_etl_logs import CURRENT_LOG, line
from tests.test_hostile_logs import _accounting, _cli, _settings, _visits, _write


def _dashboard(settings, sql: str):
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _cli_load(settings, tmp_path, *extra: str):
    return _cli(
        "load",
        "--raw",
        str(settings.raw_dir),
        "--db",
        str(settings.db_path),
        "--quiet",
        *extra,
        env={"OBSERVATOIRE_STATE_DIR": str(tmp_path / "state")},
    )


# 1. The load's database lost, the dashboard's file kept -------------------------------------


def test_a_lost_load_database_is_refused_not_rebuilt_from_what_is_left(tmp_path):
    old = _write(tmp_path, "access.log.1", "\n".join(CURRENT_LOG) + "\n")
    _write(
        tmp_path,
        "access.log",
        line("90.2.2.2", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n",
    )
    settings = _settings(tmp_path)
    load(settings, progress=False)
    before = _dashboard(settings, "select sum(visits) from visits_daily")
    old.unlink()  # rotated away: its hits live only in the warehouse now
    etl_db_path(settings.db_path).unlink()  # a restore that kept only warehouse.duckdb
    done = _cli_load(settings, tmp_path)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "base du chargement introuvable" in done.stderr, done.stderr
    assert "Restaurez" in done.stderr and "--rebuild" in done.stderr
    assert "Traceback" not in done.stderr
    assert not etl_db_path(settings.db_path).exists()
    assert _dashboard(settings, "select sum(visits) from visits_daily") == before
    # Starting again is the operator's choice, said with --rebuild.
    done = _cli_load(settings, tmp_path, "--rebuild")
    assert done.returncode in (0, 1), done.stderr
    assert _visits(settings) == 1
    assert not _accounting(settings)
