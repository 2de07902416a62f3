"""Lines lost or counted twice without a word (issue #28, "Lost lines, double counts"): each
case was reproduced on main at 0447562, where the load exited 0 and a figure changed. Inputs
are small hand-made logs."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import duckdb
import pytest

from etl import logs
from etl.load import LoadError, load
from etl.settings import etl_db_path
from tests.test_etl_logs import CURRENT_LOG, line
from tests.test_hostile_logs import (
    LOGS,
    _accounting,
    _cli_load,
    _query,
    _settings,
    _visits,
    _write,
)


def _dashboard(settings, sql: str):
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


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


# 2. A load killed between the keys file and its commit --------------------------------------


def _two_days(tmp_path):
    """Visitor A at 10:00 on 1 April, loaded; then A again at 10:05 (the same visit) and a
    line of 4 April, whose load destroys the key of 1 April (two days of retention)."""
    first = line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1")
    log = _write(tmp_path, "access.log", first + "\n")
    settings = _settings(tmp_path)
    load(settings, progress=False)
    more = [
        line("90.1.1.1", "01/Apr/2020:10:05:00 +0200", "GET /carte HTTP/1.1"),
        line("90.3.3.3", "04/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1"),
    ]
    _write(tmp_path, "access.log", "\n".join([first, *more]) + "\n")
    return settings, log


def test_a_load_killed_before_its_commit_keeps_the_visitor_keys_of_its_database(
    tmp_path, monkeypatch
):
    uninterrupted, _ = _two_days(tmp_path / "a")
    assert not load(uninterrupted, progress=False).errors
    expected = _visits(uninterrupted)
    assert expected == 2  # A's two pages in one visit, then 4 April

    settings, _ = _two_days(tmp_path / "b")
    keys_file = tmp_path / "b" / "state" / "visitor_keys.json"
    keys_before = keys_file.read_bytes()

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the kill, after the keys were written, before the commit

    monkeypatch.setattr("etl.load._record_load", killed)
    with pytest.raises(KeyboardInterrupt):
        load(settings, progress=False)
    monkeypatch.undo()
    assert keys_file.read_bytes() == keys_before
    report = load(settings, progress=False)
    assert not [e for e in report.errors if "clé de visiteurs perdue" in e], report.errors
    assert _visits(settings) == expected
    assert not _accounting(settings)


def test_keys_written_by_a_load_killed_after_its_commit_are_kept(tmp_path, monkeypatch):
    settings, _ = _two_days(tmp_path)
    monkeypatch.setattr(
        "etl.visitor_keys.commit_pending", lambda folder: (_ for _ in ()).throw(KeyboardInterrupt)
    )
    with pytest.raises(KeyboardInterrupt):
        load(settings, progress=False)
    monkeypatch.undo()
    # The database holds the new lines; the pending keys go with it and are switched in.
    _write(
        tmp_path,
        "access.log.new",
        line("90.3.3.3", "04/Apr/2020:10:10:00 +0200", "GET /carte HTTP/1.1") + "\n",
    )
    report = load(settings, progress=False)
    assert not [e for e in report.errors if "clé de visiteurs perdue" in e], report.errors
    assert _visits(settings) == 2
    assert not (tmp_path / "state" / "visitor_keys.json.pending").exists()


# 3. copytruncate without O_APPEND: a hole of NULs at the start of the new file ---------------


def _requests(ip_prefix: str, count: int, day: str) -> list[str]:
    """`count` lines of the same length: clients `<prefix>.<nnn>`, one a minute from 10:00."""
    return [
        line(
            f"{ip_prefix}.{n % 250:03d}",
            f"{day}:1{n // 60 % 10}:{n % 60:02d}:00 +0200",
            "GET / HTTP/1.1",
        )
        for n in range(count)
    ]


def test_a_hole_of_nuls_left_by_copytruncate_identifies_nothing(tmp_path):
    settings = _settings(tmp_path)
    first = "\n".join(_requests("90.1.1", 400, "01/Apr/2020")) + "\n"
    assert len(first) > 64 * 1024  # the hole will cover a whole identity head
    _write(tmp_path, "access.log", first)
    load(settings, progress=False)
    # Rotation 1: the file copied to access.log.1, truncated; the server writes on at its old
    # offset, so the new access.log starts with len(first) NULs.
    hole = b"\0" * len(first)
    second = "\n".join(_requests("90.2.2", 5, "02/Apr/2020")) + "\n"
    _write(tmp_path, "access.log.1", first)
    _write(tmp_path, "access.log", hole + second.encode())
    report = load(settings, progress=False)
    nuls = [e for e in report.errors if "octets nuls" in e]
    assert nuls and "copytruncate" in nuls[0], report.errors
    # Rotation 2, the same again: a new hole of the same size, other lines of the same length.
    third = "\n".join(_requests("90.3.3", 5, "03/Apr/2020")) + "\n"
    assert len(third) == len(second)
    _write(tmp_path, "access.log.1", hole + second.encode())
    _write(tmp_path, "access.log", hole + third.encode())
    load(settings, progress=False)
    assert _query(settings, "select count(*) from hits")[0][0] == 410
    assert _query(settings, "select count(*) from rejected_rows")[0][0] == 0
    assert not _accounting(settings)
    # The head recorded for a holed stream is its lines', never the NULs.
    assert logs.peek_identity(tmp_path / LOGS / "access.log") == logs.file_identity(third.encode())


# 4. The gzip twin of a log that kept growing ------------------------------------------------


def test_the_gzip_of_a_log_that_grew_after_its_load_adds_only_its_new_lines(tmp_path):
    """Not reproduced on 0447562, where it passes too: kept as the guard of the case."""
    settings = _settings(tmp_path)
    requests = _requests("90.1.1", 1500, "01/Apr/2020")
    _write(tmp_path, "access.log", "\n".join(requests[:1000]) + "\n")
    load(settings, progress=False)
    # Rotation: the file, grown by 500 lines, renamed and gzipped; a new access.log.
    (tmp_path / LOGS / "access.log").unlink()
    _write(tmp_path, "access.log.1.gz", gzip.compress(("\n".join(requests) + "\n").encode()))
    _write(tmp_path, "access.log", "\n".join(_requests("90.2.2", 3, "02/Apr/2020")) + "\n")
    report = load(settings, progress=False)
    assert _query(settings, "select count(*) from hits")[0][0] == 1503
    assert [(f.path.name, f.read) for f in report.files] == [
        ("access.log", 3),
        ("access.log.1.gz", 500),
    ]
    assert _query(settings, "select count(*) from load_files")[0][0] == 2  # one stream each
    assert not _accounting(settings)


def test_the_gzip_of_a_grown_log_beside_its_plain_original_counts_no_line_twice(tmp_path):
    """Found by the folder suite (tests/test_hostile_folders.py, kind gzip_twin): a small log
    loaded, then the gzip of its grown self dropped beside it, named so that it is read
    first (logrotate's `dateext` with `extension .log`). The gzip read on after the loaded
    lines and recorded its longer head; the plain file no longer matched that head and
    loaded all its lines again as a new stream's (10 hits counted twice)."""
    settings = _settings(tmp_path)
    requests = _requests("90.1.1", 15, "01/Apr/2020")
    _write(tmp_path, "access.log", "\n".join(requests[:10]) + "\n")
    load(settings, progress=False)
    _write(tmp_path, "access-20200402.log.gz", gzip.compress(("\n".join(requests) + "\n").encode()))
    report = load(settings, progress=False)
    assert report.errors == []
    assert [(f.path.name, f.read) for f in report.files] == [
        ("access-20200402.log.gz", 5),
        ("access.log", 0),
    ]
    assert report.files[1].note.startswith("déjà chargé"), report.files[1].note
    assert _query(settings, "select count(*) from hits")[0][0] == 15
    assert _query(settings, "select count(*) from load_files")[0][0] == 1
    assert not _accounting(settings)
    assert load(settings, progress=False).unchanged


# 5. A clock set back ------------------------------------------------------------------------


def test_lines_quarantined_as_in_the_future_are_read_again_once_the_clock_is_right(
    tmp_path, monkeypatch
):
    log = [
        line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1"),
        line("90.1.1.1", "03/Apr/2020:10:00:00 +0200", "GET /carte HTTP/1.1"),
        line("90.2.2.2", "03/Apr/2020:10:01:00 +0200", "GET / HTTP/1.1"),
        "not a log line",
    ]
    _write(tmp_path, "access.log", "\n".join(log) + "\n")
    settings = _settings(tmp_path)
    # The loading machine's clock set back to 1 April 2020, noon: 3 April is in the future.
    monkeypatch.setattr("etl.log_load.clock", lambda: datetime(2020, 4, 1, 12, tzinfo=UTC))
    load(settings, progress=False)
    assert _query(
        settings, "select reason_code, count(*) from rejected_rows group by 1 order by 1"
    ) == [("future_date", 2), ("malformed_log_line", 1)]
    monkeypatch.undo()  # the clock fixed; the file has not changed since
    report = load(settings, progress=False)
    assert _query(settings, "select count(*) from hits")[0][0] == 3
    assert _query(settings, "select reason_code from rejected_rows") == [("malformed_log_line",)]
    assert not _accounting(settings)
    assert _query(settings, "select lines_read from load_files")[0][0] == 4
    assert "relues" in report.files[0].note, report.files[0].note
    assert _visits(settings) == 3  # 1 April; then two visitors on 3 April
    # Nothing left to read again: the next load has nothing to do.
    assert load(settings, progress=False).unchanged


def test_a_clock_before_the_newest_data_held_is_refused(tmp_path, monkeypatch):
    _write(tmp_path, "access.log", "\n".join(CURRENT_LOG) + "\n")
    settings = _settings(tmp_path)
    load(settings, progress=False)
    held = _query(settings, "select count(*) from rejected_rows")
    _write(
        tmp_path,
        "access.log.new",
        line("90.7.7.7", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n",
    )
    monkeypatch.setattr("etl.log_load.clock", lambda: datetime(2020, 3, 20, tzinfo=UTC))
    with pytest.raises(LoadError, match="horloge de la machine en retard") as refused:
        load(settings, progress=False)
    assert refused.value.exit_code == 2
    assert "« date dans le futur »" in str(refused.value)
    assert _query(settings, "select count(*) from rejected_rows") == held  # nothing written
    monkeypatch.undo()
    load(settings, progress=False)
    assert (
        _query(
            settings,
            "select count(*) from hits where line_no = 1 and file_id in "
            "(select file_id from load_files where path like '%.new')",
        )[0][0]
        == 1
    )
