"""Our loader on real third-party logs (../shared/realdata, read in place, never copied),
against the figures their authors state (see that folder's README)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.load import load
from etl.settings import REPO_ROOT, Settings, etl_db_path

REALDATA = REPO_ROOT.parent / "shared" / "realdata"
pytestmark = pytest.mark.skipif(
    not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout"
)


def load_files(tmp_path, *relative_paths, retention_months=25):
    logs = tmp_path / "raw" / "produits-frais" / "logs"
    logs.mkdir(parents=True)
    for rel in relative_paths:
        # Copied: a link out of the raw folder is never followed.
        shutil.copy2(REALDATA / rel, logs / rel.replace("/", "_"))  # mtime kept: a finished file
    settings = Settings(
        raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb", retention_months=retention_months
    )
    report = load(settings, progress=False)
    return duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True), report


def test_lnav_shop_log_matches_lnav_report(tmp_path):
    con, _ = load_files(tmp_path, "lnav/logfile_shop_access_log.0")
    # lnav's expected output: 1000 requests, 0 invalid, 110 unique visitors (distinct IP + agent),
    # 18,963,364 bytes, status 2XX 938 / 3XX 38 / 4XX 24.
    assert con.execute(
        "select count(*), count(distinct visitor_id), sum(bytes) from hits"
    ).fetchone() == (1000, 110, 18963364)
    assert con.execute("select count(*) from rejected_rows").fetchone()[0] == 0
    assert con.execute(
        "select status // 100, count(*) from hits group by 1 order by 1"
    ).fetchall() == [(2, 938), (3, 38), (4, 24)]


def test_elastic_apache_logs_keep_every_line(tmp_path):
    # Elastic's README: 10000 documents after ingestion, the line with a truncated agent included.
    # The 2015 lines are older than any retention window counted from 2015 itself, so keep them all.
    con, _ = load_files(tmp_path, "elastic-examples/apache_logs", retention_months=1000)
    assert con.execute("select count(*) from hits").fetchone()[0] == 10000
    assert (
        con.execute(
            "select count(*) from hits where user_agent like '%Googlebot/2.1; +http://www.google.com/bot.html'"
        ).fetchone()[0]
        >= 1
    )


def test_broken_and_foreign_files_are_quarantined_not_fatal(tmp_path):
    con, report = load_files(
        tmp_path,
        "lnav/textfile_broken_gz.txt.gz",
        "loghub/Apache/Apache_2k.log",
        "lnav/logfile_bad_access_log.0",
        "nielsbasjes-logparser/access_log.gz",
    )
    # The two 2009 lines of lnav's bad log are 2 of the folder's 18 hits (the newest from 2013):
    # over the retention guard's 10 %, so their purge waits for --accept-purge.
    assert any("purge de rétention refusée" in e for e in report.errors), report.errors
    assert con.execute(
        "select rows_loaded from load_files where path like '%bad_access_log.0'"
    ).fetchone() == (2,)
    con.close()
    report = load(
        Settings(raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb"),
        progress=False,
        accept_purge=True,
    )
    con = duckdb.connect(str(etl_db_path(tmp_path / "w.duckdb")), read_only=True)
    by_file = {
        Path(p).name: row
        for p, *row in con.execute(
            "select path, lines_read, rows_loaded, rows_rejected, rows_expired from load_files"
        ).fetchall()
    }
    assert by_file["loghub_Apache_Apache_2k.log"] == [
        2000,
        0,
        2000,
        0,
    ]  # an error log, not an access log
    # Line 2 lacks ident and user; the two others (2009) are more than 25 months older than the
    # newest line of the folder (2013): loaded, then purged by retention, and counted so.
    assert by_file["lnav_logfile_bad_access_log.0"] == [3, 0, 1, 2]
    assert by_file["nielsbasjes-logparser_access_log.gz"] == [
        17,
        16,
        1,
        0,
    ]  # `xxxxxxxxxxxx` inside the gzip
    assert any("textfile_broken_gz" in e for e in report.errors)
