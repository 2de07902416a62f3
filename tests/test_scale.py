"""Scale (issue #28): a million quarantined rows, thousands of small log files. Each load runs
through the CLI in a subprocess whose peak RSS is measured, as the gzip bomb's in
tests/test_hostile_logs.py; what is checked is the accounting and the memory, not the time."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest

from etl import catalogue
from etl import report as report_module
from etl.settings import etl_db_path
from tests.test_catalogue_hostile import SUPPLIER_HEADER, supplier
from tests.test_etl_logs import line
from tests.test_hostile_logs import _peak_rss_mb_of_load

PLATFORM = "produits-frais"
MAX_PEAK_MB = 1024


def _query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(etl_db_path(db)), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _finished(path: Path) -> None:
    """Modified an hour ago: a finished file, not a live log still being written."""
    os.utime(path, (time.time() - 3600, time.time() - 3600))


def _quarantine(db: Path, source: str) -> tuple[int, dict[str, int], tuple[int, int, int]]:
    """Rows kept one by one, rows counted by reason code, and (read, loaded, rejected) summed."""
    stored = _query(db, f"select count(*) from rejected_rows where source = '{source}'")[0][0]
    overflow = dict(
        _query(
            db,
            "select reason_code, sum(n_rows)::bigint from rejected_overflow "
            f"where source = '{source}' group by 1",
        )
    )
    counts = _query(
        db,
        "select sum(lines_read)::bigint, sum(rows_loaded)::bigint, sum(rows_rejected)::bigint "
        f"from load_files where source = '{source}'",
    )[0]
    return stored, overflow, counts


# Before: every rejected CSV row stored one by one (the 10,000 cap applied to the reader's own
# rejections only) and 1.2 GB peak for a million rows; a million junk log lines 417 MB.
@pytest.mark.slow
def test_a_million_junk_log_lines_keep_10_000_and_stay_under_1_gib(tmp_path):
    junk = 1_000_000
    log = tmp_path / "raw" / PLATFORM / "logs" / "access.log"
    log.parent.mkdir(parents=True)
    log.write_bytes(b"junk junk junk junk junk junk junk\n" * junk)
    _finished(log)
    db = tmp_path / "w.duckdb"
    peak, done = _peak_rss_mb_of_load(tmp_path / "raw", db)
    assert done.returncode == 1, done.stderr  # loaded, with the quarantine warning
    assert "Traceback" not in done.stderr
    assert peak < MAX_PEAK_MB, peak
    stored, overflow, counts = _quarantine(db, "logs")
    assert stored == report_module.MAX_REJECTED_ROWS_PER_FILE
    assert overflow == {"malformed_log_line": junk - stored}
    assert counts == (junk, 0, junk)
    # The rows kept are the file's first lines.
    assert _query(db, "select min(line_no), max(line_no) from rejected_rows") == [(1, stored)]


@pytest.mark.slow
def test_300_000_identical_invalid_csv_rows_keep_10_000_and_stay_under_1_gib(tmp_path):
    rows = 300_000
    folder = tmp_path / "raw" / PLATFORM / "suppliers"
    folder.mkdir(parents=True)
    # A SIRET the reader accepts and SQL refuses (checksum): the rows reach the warehouse's
    # staging, where the cap was not applied.
    (folder / "producteurs.csv").write_text(
        SUPPLIER_HEADER + supplier("P1", siret="12345678901234") * rows, encoding="utf-8"
    )
    db = tmp_path / "w.duckdb"
    peak, done = _peak_rss_mb_of_load(tmp_path / "raw", db)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert peak < MAX_PEAK_MB, peak
    stored, overflow, counts = _quarantine(db, "suppliers")
    assert stored == catalogue.MAX_REJECTED_ROWS
    assert sum(overflow.values()) == rows - stored, overflow
    assert counts == (rows, 0, rows)
    assert _query(db, "select min(line_no), max(line_no) from rejected_rows") == [(2, stored + 1)]


@pytest.mark.slow
def test_the_readers_and_the_sql_rejections_share_one_cap(tmp_path):
    """Rows the CSV reader refuses (wrong column count) and rows SQL refuses (invalid SIRET),
    in one file: 10,000 kept in all, the first by line number, the rest counted."""
    folder = tmp_path / "raw" / PLATFORM / "suppliers"
    folder.mkdir(parents=True)
    bad_columns, bad_siret = 8_000, 8_000
    (folder / "producteurs.csv").write_text(
        SUPPLIER_HEADER
        + "P0;x\n" * bad_columns
        + supplier("P1", siret="12345678901234") * bad_siret
        + supplier("P2"),
        encoding="utf-8",
    )
    db = tmp_path / "w.duckdb"
    peak, done = _peak_rss_mb_of_load(tmp_path / "raw", db)
    assert done.returncode == 1, done.stderr
    stored, overflow, counts = _quarantine(db, "suppliers")
    total = bad_columns + bad_siret
    assert stored == catalogue.MAX_REJECTED_ROWS
    assert sum(overflow.values()) == total - stored
    assert counts == (total + 1, 1, total)
    assert _query(db, "select max(line_no) from rejected_rows") == [(stored + 1,)]


def _tiny_logs(raw: Path, files: int, lines_per_file: int) -> None:
    """`files` finished logs of `lines_per_file` good lines and one junk line each, one file
    per vhost and day, as a shared host writes them."""
    folder = raw / PLATFORM / "logs"
    folder.mkdir(parents=True)
    for i in range(files):
        day = 1 + i % 28
        body = "".join(
            line(
                f"192.0.2.{1 + n % 200}",
                f"{day:02d}/Apr/2020:10:{n:02d}:00 +0200",
                f"GET /p/{i}/{n} HTTP/1.1",
            )
            + "\n"
            for n in range(lines_per_file)
        )
        path = folder / f"site{i:05d}.access.log"
        path.write_text(body + f"junk {i}\n", encoding="utf-8")
        _finished(path)


@pytest.mark.slow
def test_2_000_tiny_log_files_are_all_accounted_for_under_1_gib(tmp_path):
    files, lines_per_file = 2_000, 3
    _tiny_logs(tmp_path / "raw", files, lines_per_file)
    db = tmp_path / "w.duckdb"
    peak, done = _peak_rss_mb_of_load(tmp_path / "raw", db)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    assert peak < MAX_PEAK_MB, peak
    assert _query(
        db,
        "select count(*), sum(lines_read)::bigint, sum(rows_loaded)::bigint, "
        "sum(rows_rejected)::bigint from load_files where source = 'logs'",
    ) == [(files, files * (lines_per_file + 1), files * lines_per_file, files)]
    assert _query(db, "select count(*) from hits") == [(files * lines_per_file,)]
    assert _query(
        db, "select count(*), count(distinct file_id) from rejected_rows where source = 'logs'"
    ) == [(files, files)]
    # Every file's hits carry their own file and line numbers.
    assert _query(
        db,
        "select count(*) from (select file_id from hits group by file_id "
        f"having count(*) <> {lines_per_file} or min(line_no) <> 1 "
        f"or max(line_no) <> {lines_per_file})",
    ) == [(0,)]
    # Nothing new: the next load reads no file again.
    peak, again = _peak_rss_mb_of_load(tmp_path / "raw", db)
    assert again.returncode in (0, 1), again.stderr
    assert _query(db, "select sum(lines_read)::bigint from load_files where source = 'logs'") == [
        (files * (lines_per_file + 1),)
    ]
