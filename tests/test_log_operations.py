"""Real operations that used to change a figure silently (issue #28, access logs): the
daylight-saving changes, other sites in a vhost log, and the `common` format without agent.
Each case is a small hand-written log whose figures were worked out by hand."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.load import load
from etl.report import print_report
from etl.settings import REPO_ROOT, Settings, SettingsError, etl_db_path
from tests.test_etl_logs import CHROME, FIREFOX, line


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


# Other sites in a vhost_combined log -----------------------------------------------------


def vhost(host: str, ip: str, ts: str, request: str, agent: str = CHROME) -> str:
    return f"{host} " + line(ip, ts, request, agent=agent)


# Two page views of the platform (its host with a port, and its www host in capitals), three
# lines of the webmail (one of them /robots.txt: another site's robot rule is not ours) and
# one of the intranet.
VHOST_LOG = [
    vhost(host, ip, f"01/Apr/2020:{time} +0200", f"GET {path} HTTP/1.1")
    for host, ip, time, path in [
        ("produits-frais.centre-valdeloire.fr:443", "90.5.5.5", "10:00:00", "/"),
        ("WWW.Produits-Frais.Centre-Valdeloire.fr:80", "90.5.5.5", "10:05:00", "/carte"),
        ("webmail.centre-valdeloire.fr:443", "90.6.6.6", "10:00:00", "/"),
        ("webmail.centre-valdeloire.fr:443", "90.6.6.6", "10:00:30", "/robots.txt"),
        ("webmail.centre-valdeloire.fr:443", "90.6.6.6", "10:01:00", "/inbox"),
        ("intranet.centre-valdeloire.fr", "90.7.7.7", "11:00:00", "/contact"),
    ]
]
HOSTS = "produits-frais=produits-frais.centre-valdeloire.fr,www.produits-frais.centre-valdeloire.fr"


def test_hits_of_other_hosts_in_a_vhost_log_are_excluded_and_said(tmp_path):
    settings, report, printed = _load(tmp_path, {"access.log": VHOST_LOG}, platform_hosts=HOSTS)
    reasons = dict(
        _rows(settings, "select coalesce(exclusion_reason, 'page'), count(*) from hits group by 1")
    )
    assert reasons == {"page": 2, "other_host": 4}
    assert _rows(settings, "select pageviews, entry_path from visits") == [(2, "/")]
    assert _rows(
        settings, "select exclusion_reason, hits from hits_daily where exclusion_reason is not null"
    ) == [("other_host", 4)]
    # Every line is still accounted for, and the load says what it left out (not a warning).
    assert _rows(settings, "select lines_read, rows_loaded, rows_rejected from load_files") == [
        (6, 6, 0)
    ]
    assert not report.errors
    assert (
        "Information : " in printed
        and "4 lignes d'autres sites exclues" in printed
        and "webmail.centre-valdeloire.fr : 3" in printed
        and "intranet.centre-valdeloire.fr : 1" in printed
    ), printed


def test_a_vhost_log_of_several_hosts_without_host_names_is_counted_whole_but_warned(tmp_path):
    settings, report, printed = _load(tmp_path, {"access.log": VHOST_LOG})
    # Today's figures (every host counted as the platform's; the webmail's visitor fetched
    # /robots.txt) ...
    assert _rows(settings, "select count(*) from hits where is_pageview") == [(3,)]
    # ... but said, with the hosts, and the exit code of a warning.
    assert len(report.errors) == 1, report.errors
    warning = report.errors[0]
    assert "access.log" in warning and "webmail.centre-valdeloire.fr" in warning
    assert "OBSERVATOIRE_PLATFORM_HOSTS" in warning
    assert "ATTENTION" in printed


def test_a_host_setting_matching_no_line_of_a_vhost_log_is_a_warning(tmp_path):
    # A typo in the setting would otherwise exclude the whole log with exit 0.
    _, report, _ = _load(
        tmp_path, {"access.log": VHOST_LOG}, platform_hosts="produits-frais=produits-frais.fr"
    )
    assert len(report.errors) == 1 and "aucune ligne de produits-frais.fr" in report.errors[0]


def test_platform_hosts_are_read_from_the_environment_and_checked(monkeypatch):
    monkeypatch.setenv(
        "OBSERVATOIRE_PLATFORM_HOSTS", "produits-frais=A.example.fr:443, b.example.fr"
    )
    assert Settings.from_env().platform_host_names() == {
        "produits-frais": {"a.example.fr", "b.example.fr"}
    }
    monkeypatch.setenv("OBSERVATOIRE_PLATFORM_HOSTS", "inconnue=a.example.fr")
    with pytest.raises(SettingsError, match="OBSERVATOIRE_PLATFORM_HOSTS"):
        Settings.from_env()


# The common format, without user agent ---------------------------------------------------


def common(ip: str, ts: str, request: str, status: int = 200) -> str:
    return f'{ip} - - [{ts}] "{request}" {status} 512'


COMMON_LOG = [
    common("90.8.8.8", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1"),
    common("90.8.8.8", "01/Apr/2020:10:00:01 +0200", "GET /static/css/site.css HTTP/1.1"),
    common("90.8.8.8", "01/Apr/2020:10:05:00 +0200", "GET /carte HTTP/1.1"),
    common("90.8.8.8", "01/Apr/2020:10:06:00 +0200", "GET /nulle-part HTTP/1.1", status=404),
    common("90.9.9.9", "01/Apr/2020:11:00:00 +0200", "GET /robots.txt HTTP/1.1"),
    common("90.9.9.9", "01/Apr/2020:11:00:01 +0200", "GET /contact HTTP/1.1"),
]


def test_a_common_log_falls_back_on_behaviour_and_says_so(tmp_path):
    settings, report, printed = _load(tmp_path, {"access.log": COMMON_LOG})
    reasons = dict(
        _rows(settings, "select coalesce(exclusion_reason, 'page'), count(*) from hits group by 1")
    )
    # Robots by behaviour, assets and statuses still apply; the missing agent makes no robot.
    assert reasons == {"page": 2, "asset": 1, "status_error": 1, "bot_behaviour": 2}
    assert _rows(settings, "select pageviews, entry_path from visits") == [(2, "/")]
    assert len(report.errors) == 1, report.errors
    assert "access.log" in report.errors[0] and "agent utilisateur" in report.errors[0]
    assert "ATTENTION : " in printed


def test_a_common_log_ends_the_load_with_the_warning_exit_code(tmp_path):
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    (folder / "access.log").write_text("\n".join(COMMON_LOG) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "--raw", str(tmp_path / "raw")]
        + ["--db", str(tmp_path / "w.duckdb"), "--quiet"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "OBSERVATOIRE_STATE_DIR": str(tmp_path / "state")},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ATTENTION : " in done.stdout and "sans agent utilisateur" in done.stdout


def test_a_combined_line_without_agent_is_still_a_robot(tmp_path):
    # `"-"` as agent in a combined log: the server logged the field and the client sent
    # none, a script. Unlike a common line, the robot rule can decide.
    settings, report, _ = _load(
        tmp_path,
        {
            "access.log": [
                line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1", agent="-")
            ]
        },
    )
    assert _rows(settings, "select exclusion_reason from hits") == [("bot_user_agent",)]
    assert not report.errors


# Every quarantined line said ------------------------------------------------------------


def test_every_quarantined_log_line_is_named_in_the_summary_below_the_warning_threshold(
    tmp_path,
):
    # 1 unparseable line and 1 dated 2099 among 30: 7 % quarantined, under the 10 % that
    # makes a warning; still, both are said with their file, reason and line.
    lines = [
        line(f"90.1.1.{i}", f"02/Apr/2020:10:{i:02d}:00 +0200", "GET / HTTP/1.1") for i in range(28)
    ]
    lines.insert(4, "ceci n'est pas une ligne de journal")
    lines.insert(10, line("90.1.1.99", "01/Jan/2099:00:00:00 +0000", "GET / HTTP/1.1"))
    settings, report, printed = _load(tmp_path, {"access.log": lines})
    assert not report.errors, report.errors
    path = tmp_path / "raw" / "produits-frais" / "logs" / "access.log"
    said = [l for l in printed.splitlines() if l.startswith("Quarantaine :")]
    assert said == [
        f"Quarantaine : {path} : 1 ligne « date dans le futur » (ligne 11)",
        f"Quarantaine : {path} : 1 ligne « format non reconnu » (ligne 5)",
    ], printed
    # What is said is what is stored: a code, said by its French label.
    assert _rows(
        settings, "select reason_code, line_no from rejected_rows where source = 'logs' order by 2"
    ) == [("malformed_log_line", 5), ("future_date", 11)]
