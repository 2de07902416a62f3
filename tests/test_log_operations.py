"""Real operations that used to change a figure silently (issue #28, access logs). Each case
is a small hand-written log whose figures were worked out by hand."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb

from etl.load import load
from etl.report import print_report
from etl.settings import Settings, etl_db_path
from tests.test_etl_logs import FIREFOX, line


def _load(tmp_path: Path, files: dict[str, list[str]], **overrides):
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / name).write_text("\n".join(lines) + "\n")
    settings = Settings(
        raw_dir=tmp_path / "raw",
        db_path=tmp_path / "w.duckdb",
        state_dir=tmp_path / "state",
        **overrides,
    )
    report = load(settings, progress=False)
    out = io.StringIO()
    print_report(report, out=out)
    return settings, report, out.getvalue()


def _rows(settings: Settings, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# Daylight saving time -------------------------------------------------------------------

# 29 March 2020, 02:00 CET became 03:00 CEST. 01:50 +0100 and 03:05 +0200 are 15 minutes
# apart (00:50 and 01:05 UTC) though 75 minutes apart on the wall clock: one visit of 900 s.
MARCH_CHANGE = [
    line("90.1.1.1", "29/Mar/2020:01:50:00 +0100", "GET / HTTP/1.1"),
    line("90.1.1.1", "29/Mar/2020:03:05:00 +0200", "GET /carte HTTP/1.1"),
]
# 25 October 2020, 03:00 CEST became 02:00 CET: the hour 02:00-02:59 comes twice.
# Visitor 1: /contact at 02:50 +0200 (00:50 UTC), then /carte at 02:05 +0100 (01:05 UTC),
# 15 minutes later: one visit entered on /contact, 900 s (the wall clock puts /carte first,
# 45 minutes before). Visitor 2 (Firefox): 02:10 +0200 (00:10 UTC) and 02:20 +0100 (01:20
# UTC), 70 minutes apart: two visits (the wall clock says 10 minutes: one).
OCTOBER_CHANGE = [
    line("90.2.2.2", "25/Oct/2020:02:50:00 +0200", "GET /contact HTTP/1.1"),
    line("90.3.3.3", "25/Oct/2020:02:10:00 +0200", "GET / HTTP/1.1", agent=FIREFOX),
    line("90.2.2.2", "25/Oct/2020:02:05:00 +0100", "GET /carte HTTP/1.1"),
    line("90.3.3.3", "25/Oct/2020:02:20:00 +0100", "GET /a-propos HTTP/1.1", agent=FIREFOX),
]


def test_a_visit_across_the_march_change_is_one_visit_timed_in_real_seconds(tmp_path):
    settings, _, _ = _load(tmp_path, {"access.log": MARCH_CHANGE})
    visits = _rows(
        settings,
        "select pageviews, duration_s, entry_path, started_at::varchar, ended_at::varchar from visits",
    )
    # Local times are shown: the visit starts at 01:50 and ends at 03:05, Paris time.
    assert visits == [(2, 900, "/", "2020-03-29 01:50:00", "2020-03-29 03:05:00")]
    assert _rows(settings, "select visits, pageviews, duration_s from visits_daily") == [
        (1, 2, 900)
    ]


def test_the_repeated_october_hour_keeps_pages_in_real_order(tmp_path):
    settings, _, _ = _load(tmp_path, {"access.log": OCTOBER_CHANGE})
    visits = _rows(
        settings,
        """select pageviews, duration_s, entry_path, started_at::varchar, ended_at::varchar
           from visits order by entry_path""",
    )
    assert visits == [
        # Visitor 2, 70 real minutes apart: two visits.
        (1, 0, "/", "2020-10-25 02:10:00", "2020-10-25 02:10:00"),
        (1, 0, "/a-propos", "2020-10-25 02:20:00", "2020-10-25 02:20:00"),
        # Visitor 1: entered on /contact (the first in real time), left from /carte.
        (2, 900, "/contact", "2020-10-25 02:50:00", "2020-10-25 02:05:00"),
    ]


def test_page_views_in_the_same_second_keep_the_order_of_the_log(tmp_path):
    # Three pages in the same second: the entry page is the first line, and loading the
    # same files again, or into a new warehouse, gives the same visits.
    log = [
        line("90.4.4.4", "01/Apr/2020:10:00:00 +0200", "GET /contact HTTP/1.1"),
        line("90.4.4.4", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1"),
        line("90.4.4.4", "01/Apr/2020:10:00:00 +0200", "GET /carte HTTP/1.1"),
    ]
    settings, _, _ = _load(tmp_path / "a", {"access.log": log})
    again, _, _ = _load(tmp_path / "b", {"access.log": log})
    query = "select entry_path, pageviews from visits"
    assert _rows(settings, query) == [("/contact", 3)] == _rows(again, query)
