"""Hostile log files (issue 15): each case was reproduced at 0dd8c6e, where it crashed a load,
lost history, or stored what it should not. Inputs are written here, small; bombs are made
by the test."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from etl import files, logs
from etl import load as load_module
from etl import report as report_module
from etl.load import LoadError, load
from etl.publish import PublishMode
from etl.report import LoadMethod
from etl.settings import REPO_ROOT, Settings, etl_db_path
from tests.bounds import CLI_TIMEOUT_S
from tests.test_etl_logs import CURRENT_LOG, line

LOGS = Path("raw") / "produits-frais" / "logs"


def _settings(tmp_path: Path, **overrides) -> Settings:
    return Settings(
        raw_dir=tmp_path / "raw",
        db_path=tmp_path / "w.duckdb",
        state_dir=tmp_path / "state",
        **overrides,
    )


def _write(tmp_path: Path, name: str, content: bytes | str, age_s: int = 3600) -> Path:
    path = tmp_path / LOGS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    os.utime(path, (time.time() - age_s, time.time() - age_s))  # a finished file
    return path


def _query(settings: Settings, sql: str, params=None):
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _accounting(settings: Settings) -> list[tuple]:
    """Files whose lines_read differs from hits kept + quarantined + expired."""
    return _query(
        settings,
        """
        select f.path, f.lines_read, f.rows_loaded, f.rows_rejected, f.rows_expired,
               (select count(*) from hits h where h.file_id = f.file_id)
        from load_files f where source = 'logs'
          and (lines_read <> rows_loaded + rows_rejected + rows_expired
               or rows_loaded <> (select count(*) from hits h where h.file_id = f.file_id))""",
    )


def _visits(settings: Settings) -> int:
    return _query(settings, "select coalesce(sum(visits), 0) from visits_daily")[0][0]


def _clf(dt: datetime) -> str:
    return dt.strftime("%d/%b/%Y:%H:%M:%S +0000")


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=CLI_TIMEOUT_S,
    )


def _cli_load(settings: Settings, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    """`python -m etl load --quiet` on `settings`' folders, as cron runs it."""
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


# Loss of history ---------------------------------------------------------------------------


def test_a_line_dated_2099_is_quarantined_and_purges_nothing(tmp_path):
    _write(tmp_path, "access.log", "\n".join(CURRENT_LOG) + "\n")
    settings = _settings(tmp_path)
    load(settings, progress=False)
    before = _visits(settings)
    assert before > 0
    _write(
        tmp_path,
        "access.log.skewed",
        line("90.9.9.9", "01/Jan/2099:10:00:00 +0000", "GET / HTTP/1.1") + "\n",
    )
    report = load(settings, progress=False)
    assert _visits(settings) == before
    assert _query(
        settings, "select reason_code from rejected_rows where source_file like '%skewed'"
    ) == [("future_date",)]
    assert not _accounting(settings)
    assert all(f.expired == 0 for f in report.files)


def test_a_clock_skewed_recent_line_cannot_purge_the_history_unless_accepted(tmp_path):
    _write(tmp_path, "access.log.1", "\n".join(CURRENT_LOG) + "\n")
    settings = _settings(tmp_path)
    load(settings, progress=False)
    before = _visits(settings)
    now = datetime.now(UTC) - timedelta(hours=1)  # within the clock: not "in the future"
    _write(tmp_path, "access.log", line("90.9.9.9", _clf(now), "GET / HTTP/1.1") + "\n")
    report = load(settings, progress=False)
    refused = [e for e in report.errors if "purge de rétention refusée" in e]
    assert refused and "--accept-purge" in refused[0] and "access.log" in refused[0], report.errors
    assert _visits(settings) == before + 1  # nothing purged, the new visit added
    _write(
        tmp_path,
        "access.log",
        line("90.9.9.9", _clf(now), "GET / HTTP/1.1")
        + "\n"
        + line("90.9.9.8", _clf(now), "GET / HTTP/1.1")
        + "\n",
    )
    report = load(settings, progress=False, accept_purge=True)
    assert _visits(settings) == 2  # only the recent ones are within 25 months
    assert not _accounting(settings)
    expired = _query(settings, "select sum(rows_expired) from load_files")[0][0]
    assert (
        expired
        == _query(
            settings,
            "select lines_read - rows_rejected from load_files where path like '%access.log.1'",
        )[0][0]
    )


def test_lines_older_than_the_window_are_counted_expired_not_loaded(tmp_path):
    new = datetime(2022, 6, 1, 10, tzinfo=UTC)
    old = new - timedelta(days=31 * 30)  # 30 months before: outside 25 months
    content = (
        "\n".join(
            [
                line("90.1.1.1", _clf(old), "GET / HTTP/1.1"),
                line("90.1.1.2", _clf(old + timedelta(hours=1)), "GET / HTTP/1.1"),
                line("90.1.1.3", _clf(new), "GET / HTTP/1.1"),
                "junk",
            ]
        )
        + "\n"
    )
    _write(tmp_path, "access.log", content)
    settings = _settings(tmp_path)
    # Two thirds of the hits: even on a first load (no history yet), such a purge is refused...
    report = load(settings, progress=False)
    assert any("purge de rétention refusée" in e for e in report.errors), report.errors
    assert _query(settings, "select sum(rows_expired) from load_files")[0][0] == 0
    # ... until it is accepted; the same folder then loads again and purges.
    report = load(settings, progress=False, accept_purge=True)
    assert any("requêtes antérieures au" in p for p in report.purges), report.purges
    assert _query(
        settings, "select lines_read, rows_loaded, rows_rejected, rows_expired from load_files"
    ) == [(4, 1, 1, 2)]
    assert not _accounting(settings)


def test_two_logs_sharing_only_their_first_line_are_both_loaded_whole(tmp_path):
    first = line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1")
    a = [first] + [
        line(f"90.2.2.{i}", "01/Apr/2020:11:00:00 +0200", f"GET /a{i} HTTP/1.1") for i in range(5)
    ]
    b = [first] + [
        line(f"90.3.3.{i}", "02/Apr/2020:11:00:00 +0200", f"GET /b{i} HTTP/1.1") for i in range(8)
    ]
    _write(tmp_path, "site-a.log", "\n".join(a) + "\n")
    _write(tmp_path, "site-b.log", "\n".join(b) + "\n")
    settings = _settings(tmp_path)
    load(settings, progress=False)
    assert _query(settings, "select count(*) from hits")[0][0] == len(a) + len(b)
    # And later, each grown, each read on from its own end.
    _write(
        tmp_path,
        "site-b.log",
        "\n".join(b + [line("90.4.4.4", "03/Apr/2020:11:00:00 +0200", "GET /c HTTP/1.1")]) + "\n",
    )
    load(settings, progress=False)
    assert _query(settings, "select count(*) from hits")[0][0] == len(a) + len(b) + 1
    assert not _accounting(settings)


def test_a_log_with_cr_only_line_ends_loads_every_record(tmp_path):
    records = [
        line(f"90.1.1.{i}", f"01/Apr/2020:10:{i:02d}:00 +0200", f"GET /p{i} HTTP/1.1")
        for i in range(20)
    ]
    _write(tmp_path, "access.log", "\r".join(records) + "\r")
    settings = _settings(tmp_path)
    report = load(settings, progress=False)
    assert _query(settings, "select count(*) from hits")[0][0] == 20
    assert "CR" in report.files[0].note


def test_deleting_the_visitor_keys_between_two_loads_of_a_day_is_reported(tmp_path):
    day = [line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1")]
    _write(tmp_path, "access.log.1", "\n".join(day) + "\n")
    settings = _settings(tmp_path)
    assert not load(settings, progress=False).errors
    (tmp_path / "state" / "visitor_keys.json").unlink()
    _write(
        tmp_path,
        "access.log",
        line("90.1.1.1", "01/Apr/2020:10:05:00 +0200", "GET /carte HTTP/1.1") + "\n",
    )
    report = load(settings, progress=False)
    lost = [e for e in report.errors if "clé de visiteurs perdue" in e]
    assert lost and "01/04/2020" in lost[0] and "deux fois" in lost[0], report.errors


def test_an_invalid_keys_file_is_set_aside_and_a_directory_refused(tmp_path):
    _write(tmp_path, "access.log", "\n".join(CURRENT_LOG) + "\n")
    settings = _settings(tmp_path)
    keys = tmp_path / "state" / "visitor_keys.json"
    keys.parent.mkdir(parents=True)
    keys.write_text("{not json")
    report = load(settings, progress=False)
    assert any("mis de côté" in e for e in report.errors)
    assert list(keys.parent.glob("visitor_keys.json.illisible-*"))
    keys.unlink()
    keys.mkdir()
    _write(
        tmp_path,
        "access.log.1",
        line("90.1.1.1", "31/Mar/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n",
    )
    with pytest.raises(LoadError, match="n'est pas un fichier"):
        load(settings, progress=False)


# A single file must not block every load --------------------------------------------------


def test_absurd_timestamps_and_offsets_are_quarantined_not_crashing(tmp_path):
    content = (
        "\n".join(
            [
                line("90.1.1.1", "31/Dec/9999:23:59:59 -1200", "GET / HTTP/1.1"),
                line("90.1.1.2", "01/Apr/2020:10:00:00 +2400", "GET / HTTP/1.1"),
                line("90.1.1.3", "01/Apr/2020:10:00:00 +9999", "GET / HTTP/1.1"),
                line("90.1.1.4", "01/Jan/0001:00:00:00 +1400", "GET / HTTP/1.1"),
                line("90.1.1.5", "01/Apr/2020:10:00:00 -1200", "GET / HTTP/1.1"),
            ]
        )
        + "\n"
    )
    _write(tmp_path, "access.log", content)
    settings = _settings(tmp_path)
    load(settings, progress=False)
    assert _query(settings, "select count(*) from hits")[0][0] == 1
    assert sorted(r[0] for r in _query(settings, "select reason_code from rejected_rows")) == [
        "date_before_1990",
        "future_date",
        "invalid_date",
        "invalid_date",
    ]


def _peak_rss_mb_of_load(raw: Path, db: Path) -> tuple[int, subprocess.CompletedProcess]:
    code = (
        "import resource, sys; from etl.__main__ import main; rc = main(sys.argv[1:]); "
        "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "load", "--raw", str(raw), "--db", str(db), "--quiet"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    peak = [int(l.split()[1]) for l in done.stderr.splitlines() if l.startswith("PEAK")]
    assert peak, done.stderr
    return peak[0] // 1024, done


# A 700 MB line inflated by a CLI load in a subprocess.
@pytest.mark.slow
def test_a_gzip_bomb_of_one_endless_line_stays_in_memory_bounds(tmp_path):
    # 700 MB of one line, no newline, in about 0.7 MB of gzip (0dd8c6e: 2.3 GB for 1 GiB).
    bomb = tmp_path / LOGS / "access.log.9.gz"
    bomb.parent.mkdir(parents=True)
    with gzip.open(bomb, "wb", compresslevel=9) as out:
        chunk = b"A" * (16 * 1024 * 1024)
        for _ in range(700 // 16):
            out.write(chunk)
    _write(tmp_path, "access.log", "\n".join(CURRENT_LOG) + "\n")
    peak, done = _peak_rss_mb_of_load(tmp_path / "raw", tmp_path / "w.duckdb")
    assert done.returncode == 1, done.stderr  # loaded, with a warning
    assert "Traceback" not in done.stderr
    assert peak < 1024, peak
    settings = _settings(tmp_path)
    assert _query(
        settings,
        "select reason_code, length(raw_text) <= 2001 from rejected_rows "
        "where source_file like '%.9.gz'",
    ) == [("line_too_long", True)]
    # Recorded: the next load does not read it again.
    report = load(settings, progress=False)
    assert (
        next(f for f in report.files if f.path == bomb).note.startswith("déjà chargé")
        or report.unchanged
    )


def test_a_bomb_of_empty_lines_is_counted_capped_and_reported(tmp_path):
    bomb = tmp_path / LOGS / "access.log.8.gz"
    bomb.parent.mkdir(parents=True)
    empty = 300_000
    bomb.write_bytes(gzip.compress(b"\n" * empty))
    settings = _settings(tmp_path)
    report = load(settings, progress=False)
    entry = report.files[0]
    assert (entry.read, entry.rejected) == (empty, empty)
    stored = _query(settings, "select count(*) from rejected_rows")[0][0]
    overflow = _query(settings, "select sum(n_rows) from rejected_overflow")[0][0]
    assert stored == report_module.MAX_REJECTED_ROWS_PER_FILE and stored + overflow == empty
    assert any("100,0 % des lignes en quarantaine" in e for e in report.errors), report.errors
    assert any("premières sont conservées" in e for e in report.errors)


def test_a_file_of_pure_junk_is_reported(tmp_path):
    _write(tmp_path, "access.log", os.urandom(5000).replace(b"\x1f", b"x"))
    report = load(_settings(tmp_path), progress=False)
    assert any("des lignes en quarantaine" in e for e in report.errors), report.errors


# Leaks ---------------------------------------------------------------------------------------


def test_a_symlink_out_of_the_raw_folder_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN-4242\n" * 3)
    _write(tmp_path, "access.log", "\n".join(CURRENT_LOG) + "\n")
    (tmp_path / LOGS / "access.log.5").symlink_to(secret)
    listings = tmp_path / "raw" / "produits-frais" / "listings"
    listings.mkdir(parents=True)
    (listings / "annonces.csv").symlink_to(secret)
    settings = _settings(tmp_path)
    report = load(settings, progress=False)
    assert sum("lien symbolique ignoré" in e for e in report.errors) == 2, report.errors
    for db in (settings.db_path, etl_db_path(settings.db_path)):
        assert b"TOP-SECRET" not in db.read_bytes()
    assert not any(f.path.name in ("access.log.5", "annonces.csv") for f in report.files)


def test_ip_addresses_are_masked_next_to_words_at_the_cut_and_echoed_in_fields(tmp_path):
    long_tail = "x" * 1990 + " 198.51.100.77 tail"
    content = (
        "\n".join(
            [
                "junk 203.0.113.201_x junk",
                "junk " + long_tail,
                line(
                    "203.0.113.9",
                    "01/Apr/2020:10:00:00 +0200",
                    "GET /recherche?q=203.0.113.9&ip=203.0.113.9 HTTP/1.1",
                    referrer="https://example.org/?from=203.0.113.9",
                    agent="Mozilla/5.0 (Windows NT 10.0) Chrome/81.0 ClientIP/203.0.113.9",
                ),
            ]
        )
        + "\n"
    )
    _write(tmp_path, "access.log", content)
    settings = _settings(tmp_path)
    load(settings, progress=False)
    for db in (settings.db_path, etl_db_path(settings.db_path)):
        con = duckdb.connect(str(db), read_only=True)
        try:
            for (table,) in con.execute("select table_name from duckdb_tables()").fetchall():
                for (column,) in con.execute(
                    "select column_name from duckdb_columns() where table_name = ? "
                    "and data_type = 'VARCHAR'",
                    [table],
                ).fetchall():
                    found = con.execute(
                        f'select count(*) from "{table}" where "{column}" similar to ?',
                        [r".*(203\.0\.113|198\.51\.100|198\.51\.10|198\.51\.1).*"],
                    ).fetchone()[0]
                    assert found == 0, (db.name, table, column)
        finally:
            con.close()
    assert _query(settings, "select count(*) from hits")[0][0] == 1


# Damaged warehouse, messages, exit codes ----------------------------------------------------


def _loaded_twice(tmp_path: Path) -> Settings:
    _write(tmp_path, "access.log.1", "\n".join(CURRENT_LOG) + "\n")
    settings = _settings(tmp_path)
    load(settings, progress=False)
    return settings


def test_a_damaged_load_database_stops_with_exit_3_in_french(tmp_path):
    settings = _loaded_twice(tmp_path)
    etl = etl_db_path(settings.db_path)
    etl.write_bytes(etl.read_bytes()[:5000])  # truncated
    _write(
        tmp_path,
        "access.log",
        line("90.1.1.1", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n",
    )
    done = _cli_load(settings, tmp_path)
    assert done.returncode == 3, (done.returncode, done.stderr)
    assert (
        "endommagée" in done.stderr
        and "--rebuild" in done.stderr
        and "Traceback" not in done.stderr
    )
    assert "Error" not in done.stderr


def test_a_damaged_dashboard_file_is_written_anew_from_the_load_database(tmp_path):
    settings = _loaded_twice(tmp_path)
    data = bytearray(settings.db_path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = os.urandom(4096)  # partly overwritten
    settings.db_path.write_bytes(bytes(data))
    _write(
        tmp_path,
        "access.log",
        line("90.1.1.1", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n",
    )
    report = load(settings, progress=False)
    assert report.method == LoadMethod.IN_PLACE and report.publication == PublishMode.WHOLE
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        for (table,) in con.execute("select table_name from duckdb_tables()").fetchall():
            con.execute(f'select * from "{table}"').fetchall()  # every block readable
    finally:
        con.close()
    # The next daily load, on the file it published itself, rewrites its changed days only.
    _write(
        tmp_path,
        "access.log",
        line("90.1.1.1", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1")
        + "\n"
        + line("90.1.1.2", "02/Apr/2020:11:00:00 +0200", "GET / HTTP/1.1")
        + "\n",
    )
    assert load(settings, progress=False).publication == PublishMode.DAYS


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root (CI runs as root)")
def test_a_full_disk_stops_with_exit_4_in_french_and_leaves_no_partial_copy(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
        capture_output=True,
        timeout=CLI_TIMEOUT_S,
    )
    if mounted.returncode != 0:
        pytest.fail(f"tmpfs could not be mounted: {mounted.stderr!r}")
    try:
        records = [
            line(
                f"90.{i % 250}.{i // 250 % 250}.1",
                f"01/Apr/2020:{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d} +0200",
                f"GET /produit/{i}-x?q={i} HTTP/1.1",
            )
            for i in range(60_000)
        ]
        _write(tmp_path, "access.log", "\n".join(records) + "\n")
        done = _cli(
            "load",
            "--raw",
            str(tmp_path / "raw"),
            "--db",
            str(disk / "w.duckdb"),
            "--quiet",
            env={"OBSERVATOIRE_STATE_DIR": str(tmp_path / "state")},
        )
        assert done.returncode == 4, (done.returncode, done.stderr[-2000:])
        assert "disque plein" in done.stderr and "Traceback" not in done.stderr
        assert not [p.name for p in disk.iterdir() if ".loading" in p.name]
    finally:
        subprocess.run(["umount", str(disk)], check=False, timeout=CLI_TIMEOUT_S)


def test_exit_codes_tell_a_clean_load_warnings_and_a_refusal_apart(tmp_path):
    _write(tmp_path, "access.log", "\n".join(l for l in CURRENT_LOG if l.startswith("90.1")) + "\n")
    args = ["load", "--raw", str(tmp_path / "raw"), "--db", str(tmp_path / "w.duckdb"), "--quiet"]
    env = {"OBSERVATOIRE_STATE_DIR": str(tmp_path / "state")}
    assert _cli(*args, env=env).returncode == 0
    _write(tmp_path, "access.log.1", "not a log line\n")
    assert _cli(*args, env=env).returncode == 1
    refused = _cli(
        "load", "--raw", str(tmp_path / "nowhere"), "--db", str(tmp_path / "w.duckdb"), env=env
    )
    assert refused.returncode == 2 and "introuvable" in refused.stderr


def test_operating_system_errors_are_said_in_french(tmp_path, monkeypatch):
    assert files.os_error_fr(PermissionError(13, "Permission denied")) == "permission refusée"
    assert files.os_error_fr(OSError(28, "No space left on device")) == "disque plein"
    path = _write(tmp_path, "access.log", "x\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(logs.LogReadError) as caught:
        logs.LogStream(path)
    assert str(caught.value) == "fichier illisible : permission refusée"


def test_a_huge_search_term_is_cut_at_200_characters(tmp_path):
    term = "fraise" * 5000  # 30,000 characters in one query string
    _write(
        tmp_path,
        "access.log",
        line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", f"GET /recherche?q={term} HTTP/1.1") + "\n",
    )
    settings = _settings(tmp_path)
    load(settings, progress=False)
    assert _query(settings, "select length(search_terms) from hits") == [(200,)]


def test_a_clock_skewed_line_cannot_purge_on_a_first_load_or_a_rebuild_either(tmp_path):
    # The red-team case: no history derived yet, so the share is measured on the hits.
    now = datetime.now(UTC) - timedelta(hours=1)
    _write(tmp_path, "access.log.1", "\n".join(CURRENT_LOG) + "\n")
    _write(tmp_path, "access.log", line("90.9.9.9", _clf(now), "GET / HTTP/1.1") + "\n")
    settings = _settings(tmp_path)
    for rebuild in (False, True):
        report = load(settings, progress=False, rebuild=rebuild)
        assert any("purge de rétention refusée" in e for e in report.errors), report.errors
        assert _query(settings, "select sum(rows_expired) from load_files")[0][0] == 0
        assert _visits(settings) == 5  # the 4 visits of CURRENT_LOG and the skewed one


def test_a_cr_only_stretch_inside_an_lf_log_loses_no_line(tmp_path):
    records = [
        line(f"90.1.1.{i % 250}", f"01/Apr/2020:10:{i % 60:02d}:00 +0200", f"GET /p{i} HTTP/1.1")
        for i in range(300)
    ]
    content = (
        "\n".join(records[:100])
        + "\n"
        + "\r".join(records[100:200])
        + "\r"
        + "\r\n".join(records[200:])
        + "\r\n"
    )
    _write(tmp_path, "access.log", content)
    settings = _settings(tmp_path)
    load(settings, progress=False)
    assert _query(settings, "select count(*) from hits")[0][0] == 300
    assert _query(settings, "select count(*) from rejected_rows")[0][0] == 0


def test_a_log_rewritten_after_its_load_is_refused_not_skipped_nor_doubled(tmp_path):
    records = [
        line(
            f"90.1.{i // 250}.{i % 250}",
            f"01/Apr/2020:10:{i % 60:02d}:{i % 59:02d} +0200",
            f"GET /p{i} HTTP/1.1",
        )
        for i in range(2000)
    ]
    path = _write(tmp_path, "access.log", "\n".join(records) + "\n")
    settings = _settings(tmp_path)
    load(settings, progress=False)
    # Put back to its first 1,500 lines (a restored copy), then written on.
    newer = [
        line("90.9.9.9", f"02/Apr/2020:11:{i % 60:02d}:00 +0200", f"GET /n{i} HTTP/1.1")
        for i in range(600)
    ]
    path.write_text("\n".join(records[:1500] + newer) + "\n")
    os.utime(path, (time.time() - 3600, time.time() - 3600))
    report = load(settings, progress=False)
    assert any("commence comme un journal déjà chargé" in e for e in report.errors), report.errors
    assert (
        _query(settings, "select count(*) from hits")[0][0] == 2000
    )  # nothing skipped silently, nothing doubled
    assert _query(
        settings, "select reason_code, detail from rejected_rows where line_no is null"
    ) == [("file_refused", "le contenu déjà chargé de ce journal a changé depuis")]
    # A gzip copy of the rewritten file, counted from its start, is refused the same way.
    path.unlink()
    _write(
        tmp_path,
        "access.log.2.gz",
        gzip.compress(("\n".join(records[:1500] + newer) + "\n").encode()),
    )
    report = load(settings, progress=False)
    assert any("commence comme un journal déjà chargé" in e for e in report.errors), report.errors
    assert _query(settings, "select count(*) from hits")[0][0] == 2000


def test_inputs_not_read_are_reported_never_crash(tmp_path):
    _write(tmp_path, "access.log", "\n".join(CURRENT_LOG) + "\n")
    logs_dir = tmp_path / LOGS
    (logs_dir / "2020").mkdir()  # a sub-folder
    os.mkfifo(logs_dir / "access.fifo")  # must not hang
    bad_name = os.fsdecode(b"access-\xff.log")  # not UTF-8
    (logs_dir / bad_name).write_bytes((CURRENT_LOG[0] + "\n").encode())
    (tmp_path / "raw" / "produits-frais" / "Logs").mkdir()  # an unknown folder
    listings = tmp_path / "raw" / "produits-frais" / "listings"
    listings.mkdir()
    (listings / "annonces.txt").write_text("x")
    done = _cli(
        "load",
        "--raw",
        str(tmp_path / "raw"),
        "--db",
        str(tmp_path / "w.duckdb"),
        "--quiet",
        env={"OBSERVATOIRE_STATE_DIR": str(tmp_path / "state")},
    )
    assert done.returncode == 1, done.stderr
    for expected in (
        "sous-dossier ignoré",
        "fichier spécial ignoré",
        "nom de fichier illisible",
        "Logs : ignoré",
        "annonces.txt : ignoré",
    ):
        assert expected in done.stdout, (expected, done.stdout)


def test_a_deeply_nested_keys_file_is_set_aside(tmp_path):
    _write(tmp_path, "access.log", "\n".join(CURRENT_LOG) + "\n")
    keys = tmp_path / "state" / "visitor_keys.json"
    keys.parent.mkdir(parents=True)
    keys.write_text("[" * 100_000 + "]" * 100_000)
    report = load(_settings(tmp_path), progress=False)
    assert any("mis de côté" in e for e in report.errors)


def test_bad_settings_and_arguments_are_refused_in_french_with_exit_2(tmp_path):
    _write(tmp_path, "access.log", "\n".join(CURRENT_LOG) + "\n")
    args = ["load", "--raw", str(tmp_path / "raw"), "--db", str(tmp_path / "w.duckdb")]
    done = _cli(*args, env={"OBSERVATOIRE_RETENTION_MONTHS": "vingt"})
    assert (
        done.returncode == 2
        and "réglage invalide" in done.stderr
        and "Traceback" not in done.stderr
    )
    done = _cli("load", "--raw", str(tmp_path / "raw"), "--db", ".")
    assert done.returncode == 2 and "pas un dossier" in done.stderr
    done = _cli("load", "--bogus")
    assert (
        done.returncode == 2
        and "arguments non reconnus" in done.stderr
        and "error" not in done.stderr
    )


def test_a_dashboard_file_that_cannot_be_written_says_the_database_was_updated(
    tmp_path, monkeypatch
):
    settings = _loaded_twice(tmp_path)
    _write(
        tmp_path,
        "access.log",
        line("90.1.1.1", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n",
    )

    def disk_full(self, con):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(load_module.publish.Publication, "write", disk_full)
    with pytest.raises(
        load_module.WriteFailed, match="base du chargement mise à jour.*disque plein"
    ):
        load(settings, progress=False)
    monkeypatch.undo()
    report = load(settings, progress=False)  # the next load publishes, whole
    assert report.publication == PublishMode.WHOLE
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        assert con.execute("select sum(visits) from visits_daily").fetchone()[0] == _visits(
            settings
        )
    finally:
        con.close()


def test_addresses_stored_by_an_earlier_version_are_masked_once_in_both_files(tmp_path):
    _write(tmp_path, "access.log.1", "\n".join(CURRENT_LOG) + "\n")
    settings = _settings(tmp_path)
    load(settings, progress=False)
    # What a load before the masking stored: an address echoed in an agent, a query, a path.
    con = duckdb.connect(str(etl_db_path(settings.db_path)))
    try:
        con.execute(
            "update hits set user_agent = user_agent || ' ClientIP/203.0.113.9', query = 'ip=203.0.113.9' "
            "where is_pageview"
        )
        con.execute(
            "update pageviews set path = '/produit/203.0.113.9', user_agent = user_agent || ' 203.0.113.9'"
        )
        con.execute("update visits set entry_path = '/produit/203.0.113.9'")
        con.execute(
            "insert into user_agents select user_agent || ' ClientIP/203.0.113.9', is_bot, bot_name, "
            "browser, os, device_type from user_agents"
        )
        con.execute("delete from config_state where name = 'stored_ips_masked'")
        visits = con.execute(
            "select count(*), list(distinct device_type order by device_type) from visits"
        ).fetchone()
    finally:
        con.close()
    _write(
        tmp_path,
        "access.log",
        line("90.1.1.1", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n",
    )
    report = load(settings, progress=False)
    assert (report.method, report.publication) == (LoadMethod.COPY, PublishMode.WHOLE)
    for db in (settings.db_path, etl_db_path(settings.db_path)):
        con = duckdb.connect(str(db), read_only=True)
        try:
            for table, column in con.execute(
                "select table_name, column_name from duckdb_columns() "
                "where data_type = 'VARCHAR' and not internal"
            ).fetchall():
                found = con.execute(
                    f'select count(*) from "{table}" where contains("{column}", ?)', ["203.0.113"]
                ).fetchone()[0]
                assert found == 0, (db.name, table, column)
        finally:
            con.close()
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    try:  # the masked agents keep their classification: visits and devices as before, plus one
        assert con.execute(
            "select count(*), list(distinct device_type order by device_type) from visits"
        ).fetchone() == (visits[0] + 1, visits[1])
    finally:
        con.close()
