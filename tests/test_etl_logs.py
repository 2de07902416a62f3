"""The visit definitions, checked on small hand-written logs whose figures were worked out by hand."""

from __future__ import annotations

import dataclasses
import gzip
import os
import time
from pathlib import Path

import duckdb
import pytest

from etl import load as load_module
from etl import log_load, logs, windows
from etl.load import load
from etl.settings import Settings, etl_db_path
from etl.user_agents import DEVICE_TYPES

CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Safari/537.36"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/13.0.5 Mobile/15E148 Safari/604.1"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:75.0) Gecko/20100101 Firefox/75.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def line(ip, ts, request, status=200, referrer="-", agent=CHROME, size=1000):
    return f'{ip} - - [{ts}] "{request}" {status} {size} "{referrer}" "{agent}"'


# Visitor A (90.1.1.1, Chrome): 10:00, 10:10, then 10:40 — exactly 30 minutes after the
# previous page view, so a new visit starts: 2 visits (2 pages, then 1 page).
# Visitor B (IPv6, iPhone): one page from Facebook → 1 bounce visit, channel social.
# Visitor C (Firefox): an asset, a 404, a redirect, a POST: no page view, no visit.
# Googlebot: 2 hits, bot by user agent. A "browser" that fetches /robots.txt: bot by behaviour.
CURRENT_LOG = [
    line(
        "90.1.1.1",
        "01/Apr/2020:10:00:00 +0200",
        "GET / HTTP/1.1",
        referrer="https://www.google.fr/",
    ),
    line("90.1.1.1", "01/Apr/2020:10:00:02 +0200", "GET /static/css/site.css HTTP/1.1"),
    line(
        "90.1.1.1",
        "01/Apr/2020:10:10:00 +0200",
        "GET /produit/A1-fraises HTTP/1.1",
        referrer="https://produits-frais.centre-valdeloire.fr/",
    ),
    line(
        "90.1.1.1", "01/Apr/2020:10:40:00 +0200", "GET /recherche?q=Fraises+d%C3%A9t%C3%A9 HTTP/1.1"
    ),
    line(
        "2001:db8::7",
        "01/Apr/2020:11:00:00 +0200",
        "GET /carte HTTP/1.1",
        referrer="https://m.facebook.com/",
        agent=IPHONE,
    ),
    line("90.3.3.3", "01/Apr/2020:12:00:00 +0200", "GET /favicon.ico HTTP/1.1", agent=FIREFOX),
    line(
        "90.3.3.3",
        "01/Apr/2020:12:00:01 +0200",
        "GET /produit/ZZZ HTTP/1.1",
        status=404,
        agent=FIREFOX,
    ),
    line(
        "90.3.3.3",
        "01/Apr/2020:12:00:02 +0200",
        "GET /produits HTTP/1.1",
        status=301,
        agent=FIREFOX,
    ),
    line("90.3.3.3", "01/Apr/2020:12:00:03 +0200", "POST /contact HTTP/1.1", agent=FIREFOX),
    line("66.249.66.1", "01/Apr/2020:12:30:00 +0200", "GET /robots.txt HTTP/1.1", agent=GOOGLEBOT),
    line(
        "66.249.66.1",
        "01/Apr/2020:12:30:05 +0200",
        "GET /producteur/P1-ferme HTTP/1.1",
        agent=GOOGLEBOT,
    ),
    line("90.4.4.4", "01/Apr/2020:13:00:00 +0200", "GET /robots.txt HTTP/1.1", agent=FIREFOX),
    line(
        "90.4.4.4",
        "01/Apr/2020:13:00:01 +0200",
        "GET /categorie/fruits-legumes HTTP/1.1",
        agent=FIREFOX,
    ),
    "this is not an access log line",
    "",
    # Escaped quote inside the user agent (Apache writes \"), 08:00 UTC = 10:00 Paris.
    '90.5.5.5 - - [02/Apr/2020:08:00:00 +0000] "GET /a-propos HTTP/1.1" 200 10 "-" "Mozilla/5.0 \\"quoted\\" (Windows NT 10.0; Win64; x64) Chrome/81.0"',
]
# Rotated file: one page view of a visitor on 31 March (visit 1 of that day).
ROTATED_LOG = [line("90.6.6.6", "31/Mar/2020:09:00:00 +0200", "GET / HTTP/1.1")]
# Compressed older file: one page view and one junk line.
GZIP_LOG = [
    line("90.7.7.7", "30/Mar/2020:18:00:00 +0200", "GET /contact HTTP/1.1"),
    "\x16\x03\x01junk",
]


def write_raw(root: Path) -> Path:
    folder = root / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    (folder / "access.log").write_text("\n".join(CURRENT_LOG) + "\n")
    (folder / "access.log.1").write_text("\n".join(ROTATED_LOG) + "\n")
    (folder / "access.log.2.gz").write_bytes(gzip.compress(("\n".join(GZIP_LOG) + "\n").encode()))
    return root / "raw"


def live_warehouse(tmp_path: Path) -> tuple[Path, Path, Settings]:
    """write_raw's files, the live log that grows, and settings for a warehouse beside them."""
    raw = write_raw(tmp_path)
    return (
        raw,
        raw / "produits-frais" / "logs" / "access.log",
        Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb", state_dir=tmp_path / "state"),
    )


@pytest.fixture()
def warehouse(tmp_path):
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    report = load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    yield con, report, settings
    con.close()


def scalar(con, sql, params=None):
    return con.execute(sql, params or []).fetchone()[0]


def test_every_line_is_loaded_or_quarantined(warehouse):
    con, report, _ = warehouse
    per_file = con.execute("""
        select f.path, f.lines_read,
               (select count(*) from hits h where h.file_id = f.file_id),
               (select count(*) from rejected_rows r where r.file_id = f.file_id and r.line_no is not null)
        from load_files f where source = 'logs' order by f.path""").fetchall()
    assert [(Path(p).name, read) for p, read, _, _ in per_file] == [
        ("access.log", len(CURRENT_LOG)),
        ("access.log.1", 1),
        ("access.log.2.gz", 2),
    ]
    for path, read, hits, rejected in per_file:
        assert read == hits + rejected, path
    reasons = dict(
        con.execute(
            "select reason_code, count(*) from rejected_rows where source = 'logs' group by 1"
        ).fetchall()
    )
    assert reasons == {"malformed_log_line": 2, "empty_line": 1}


def test_visits_split_at_exactly_thirty_minutes_and_bots_do_not_count(warehouse):
    con, _, _ = warehouse
    # A: 2 visits; B: 1; 90.5.5.5: 1; rotated: 1; gzip: 1 → 6 visits, 8 page views.
    assert scalar(con, "select count(*) from visits") == 6
    assert scalar(con, "select count(*) from pageviews") == 7
    visits_of_a = con.execute("""select pageviews, duration_s from visits
                                 where started_at::date = date '2020-04-01' and entry_path in ('/', '/recherche')
                                 order by started_at""").fetchall()
    assert visits_of_a == [(2, 600), (1, 0)]
    assert scalar(con, "select count(*) from visits where is_bounce") == 5


def test_exclusion_reasons(warehouse):
    con, _, _ = warehouse
    reasons = dict(
        con.execute(
            "select exclusion_reason, count(*) from hits where not is_pageview group by 1"
        ).fetchall()
    )
    assert reasons == {
        "asset": 2,  # site.css, favicon.ico
        "status_error": 1,  # 404
        "redirect": 1,  # 301
        "method_not_get": 1,  # POST /contact
        "bot_user_agent": 2,  # Googlebot
        "bot_behaviour": 2,  # fetched /robots.txt, so both its hits
    }


def test_times_are_paris_time_and_fields_are_decoded(warehouse):
    con, _, _ = warehouse
    assert (
        str(scalar(con, "select min(ts) from hits where path = '/a-propos'"))
        == "2020-04-02 10:00:00"
    )
    assert scalar(con, "select user_agent from hits where path = '/a-propos'").startswith(
        'Mozilla/5.0 "quoted"'
    )
    assert (
        scalar(con, "select search_terms from pageviews where page_type = 'recherche'")
        == "fraises dete"
    )
    assert scalar(con, "select entity_id from pageviews where page_type = 'produit'") == "A1"


def test_channels_and_devices(warehouse):
    con, _, _ = warehouse
    channels = dict(con.execute("select channel, count(*) from visits group by 1").fetchall())
    assert channels == {"search_engine": 1, "social": 1, "direct": 4}
    assert scalar(con, "select device_type from visits where entry_path = '/carte'") == "smartphone"


def test_no_ip_address_is_stored(warehouse):
    con, _, _ = warehouse
    ips = [
        "90.1.1.1",
        "2001:db8::7",
        "90.3.3.3",
        "66.249.66.1",
        "90.4.4.4",
        "90.5.5.5",
        "90.6.6.6",
        "90.7.7.7",
    ]
    for (
        table,
        column,
    ) in con.execute("""select table_name, column_name from information_schema.columns
                                        where data_type = 'VARCHAR'""").fetchall():
        pattern = "|".join(ip.replace(".", r"\.") for ip in ips)
        found = scalar(
            con, f'select count(*) from "{table}" where regexp_matches("{column}", ?)', [pattern]
        )
        assert found == 0, (table, column)


def test_reloading_the_same_folder_changes_nothing(warehouse, tmp_path):
    con, _, settings = warehouse
    before = con.execute("select count(*), sum(pageviews) from visits").fetchone()
    hits_before = scalar(con, "select count(*) from hits")
    con.close()
    load(settings, progress=False)
    again = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    assert again.execute("select count(*), sum(pageviews) from visits").fetchone() == before
    assert scalar(again, "select count(*) from hits") == hits_before
    again.close()


def test_grown_and_rotated_files_load_only_new_lines(tmp_path):
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    logs_dir = raw / "produits-frais" / "logs"
    # logrotate: access.log → access.log.1 (the old .1 is gzipped to .2.gz, dropped here),
    # and the rotated file had grown by one line before rotation.
    (logs_dir / "access.log.2.gz").unlink()
    (logs_dir / "access.log.1").rename(logs_dir / "access.log.2")
    grown = CURRENT_LOG + [line("90.8.8.8", "02/Apr/2020:15:00:00 +0200", "GET /carte HTTP/1.1")]
    (logs_dir / "access.log").rename(logs_dir / "access.log.1")
    (logs_dir / "access.log.1").write_text("\n".join(grown) + "\n")
    report = load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    assert scalar(con, "select count(*) from hits") == 14 + 1 + 1 + 1
    assert scalar(con, "select count(*) from visits") == 7
    assert sorted(f.read for f in report.files if f.source == "logs") == [0, 1]
    con.close()


def test_truncated_gzip_keeps_the_readable_part(tmp_path):
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    body = "\n".join(
        line("90.9.9.9", f"01/Apr/2020:10:{m:02d}:00 +0200", "GET / HTTP/1.1")
        for m in range(0, 60, 2)
    )
    compressed = gzip.compress((body + "\n").encode())
    (folder / "access.log.3.gz").write_bytes(compressed[: len(compressed) - 40])
    report = load(Settings(raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb"), progress=False)
    con = duckdb.connect(str(etl_db_path(tmp_path / "w.duckdb")), read_only=True)
    assert 0 < scalar(con, "select count(*) from hits") < 30
    assert (
        scalar(con, "select count(*) from rejected_rows where reason_code = 'truncated_gzip'") == 1
    )
    assert "gzip tronqué" in report.files[0].note
    con.close()


@pytest.mark.parametrize(
    "text, expected",
    [
        (line("1.2.3.4", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1"), "combined"),
        ('1.2.3.4 - - [01/Apr/2020:10:00:00 +0200] "GET / HTTP/1.1" 200 10', "common"),
        (
            "www.example.fr:443 " + line("1.2.3.4", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1"),
            "vhost_combined",
        ),
    ],
)
def test_format_detection(text, expected):
    assert logs.detect_format([text, text]) == expected


def test_lines_table_keeps_a_truncated_last_line_and_numbers_lines():
    table = logs.lines_table(b"a\nb\n\nlast-without-newline")
    assert table.column("line").to_pylist() == ["a\n", "b\n", "\n", "last-without-newline"]
    assert table.column("line_no").to_pylist() == [1, 2, 3, 4]
    assert logs.lines_table(b"a\nb\nc\n", skip_lines=2).column("line").to_pylist() == ["c\n"]
    assert logs.lines_table(b"\xff\xfe bad\n").column("line").to_pylist() == ["\ufffd\ufffd bad\n"]
    assert logs.lines_table(b"a\n", skip_lines=1).num_rows == 0


def test_retention_purges_hits_older_than_the_window_counted_from_the_newest_line(tmp_path):
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    (folder / "access.log").write_text(
        "\n".join(
            [
                line(
                    "90.1.1.1", "01/Feb/2018:10:00:00 +0100", "GET / HTTP/1.1"
                ),  # 26 months before the newest
                line("90.1.1.1", "01/Apr/2018:10:00:00 +0200", "GET / HTTP/1.1"),  # 24 months: kept
                line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1"),
            ]
        )
        + "\n"
    )
    # One hit of three purged: above the guard's share, which tests/test_hostile_logs.py covers.
    load(
        Settings(
            raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb", retention_max_purge_share=1.0
        ),
        progress=False,
    )
    con = duckdb.connect(str(etl_db_path(tmp_path / "w.duckdb")), read_only=True)
    assert [str(r[0]) for r in con.execute("select ts::date from hits order by ts").fetchall()] == [
        "2018-04-01",
        "2020-04-01",
    ]
    assert scalar(con, "select count(*) from visits") == 2
    con.close()


def test_a_purge_of_loaded_days_leaves_daily_aggregates_that_match_the_visits(tmp_path):
    # Days loaded and aggregated, then cut by a shorter retention: the aggregates are written
    # by one script (45_daily_aggregates.sql) after the cut as after a derivation.
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    (folder / "access.log").write_text(
        "\n".join(
            line(f"90.1.1.{n}", f"01/{month}/2019:10:0{n}:00 +0100", f"GET /p{n} HTTP/1.1")
            for month in ("Jan", "Mar", "May")
            for n in range(3)
        )
        + "\n"
        # The cutoff's day (12 months before the newest line, 10:00): one visit before the
        # cutoff, purged, one after, kept; its aggregate must drop the first.
        + line("90.1.1.7", "01/Apr/2019:08:00:00 +0200", "GET /early HTTP/1.1")
        + "\n"
        + line("90.1.1.8", "01/Apr/2019:12:00:00 +0200", "GET /late HTTP/1.1")
        + "\n"
        + line("90.1.1.9", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1")
        + "\n"
    )
    db = tmp_path / "w.duckdb"
    settings = Settings(raw_dir=tmp_path / "raw", db_path=db, retention_max_purge_share=1.0)
    load(settings, progress=False)
    assert _daily_mismatches(db) == []
    load(dataclasses.replace(settings, retention_months=12), progress=False)
    assert _daily_mismatches(db) == []
    con = duckdb.connect(str(etl_db_path(db)), read_only=True)
    days = [
        str(r[0])
        for r in con.execute("select distinct day from visits_daily order by 1").fetchall()
    ]
    assert days == ["2019-04-01", "2019-05-01", "2020-04-01"]
    assert scalar(con, "select visits from visits_daily where day = '2019-04-01'") == 1
    con.close()


def test_changing_the_inactivity_limit_rederives_visits_without_new_files(tmp_path):
    raw = write_raw(tmp_path)
    db = tmp_path / "w.duckdb"
    load(Settings(raw_dir=raw, db_path=db), progress=False)
    # With a 60-minute limit (AWStats), visitor A's 10:40 page view joins the 10:00 visit.
    load(Settings(raw_dir=raw, db_path=db, visit_inactivity_minutes=60), progress=False)
    con = duckdb.connect(str(etl_db_path(db)), read_only=True)
    assert scalar(con, "select count(*) from visits") == 5
    assert scalar(con, "select max(pageviews) from visits") == 3
    con.close()


def test_a_visit_spanning_two_log_files_is_one_visit(tmp_path):
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    # Rotation happened at 10:05: the visit's first page is in the old file, the rest in the new.
    (folder / "access.log.1").write_text(
        line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n"
    )
    (folder / "access.log").write_text(
        "\n".join(
            [
                line("90.1.1.1", "01/Apr/2020:10:10:00 +0200", "GET /carte HTTP/1.1"),
                line("90.1.1.1", "01/Apr/2020:10:20:00 +0200", "GET /contact HTTP/1.1"),
            ]
        )
        + "\n"
    )
    load(Settings(raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb"), progress=False)
    con = duckdb.connect(str(etl_db_path(tmp_path / "w.duckdb")), read_only=True)
    assert con.execute(
        "select count(*), max(pageviews), max(duration_s) from visits"
    ).fetchone() == (1, 3, 1200)
    con.close()


def test_search_keywords_fold_ligatures_and_accents(tmp_path):
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    (folder / "access.log").write_text(
        line(
            "90.1.1.1",
            "01/Apr/2020:10:00:00 +0200",
            "GET /recherche?q=%C5%92ufs++Fermiers%20%C3%A0+Tours HTTP/1.1",
        )
        + "\n"
    )
    load(Settings(raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb"), progress=False)
    con = duckdb.connect(str(etl_db_path(tmp_path / "w.duckdb")), read_only=True)
    assert scalar(con, "select search_terms from pageviews") == "oeufs fermiers a tours"
    con.close()


# --- Streaming: a log file is read in blocks cut at line boundaries ----------------------------


def _blocks(path: Path, block_bytes: int) -> tuple[list[bytes], logs.LogStream]:
    stream = logs.LogStream(path, block_bytes=block_bytes)
    return list(stream.blocks()), stream


def test_blocks_end_on_line_boundaries_and_give_back_every_byte(tmp_path):
    text = ("\n".join(CURRENT_LOG) + "\nlast line without newline").encode()
    plain = tmp_path / "access.log"
    plain.write_bytes(text)
    # Two gzip members, as `cat a.gz b.gz` or some rotations write them, with zero padding.
    two_members = tmp_path / "access.log.2.gz"
    two_members.write_bytes(gzip.compress(text[:700]) + b"\x00\x00" + gzip.compress(text[700:]))
    # Written long ago: a live log's last line without its end would be held back.
    os.utime(plain, (time.time() - 3600, time.time() - 3600))
    for path in (plain, two_members):
        blocks, stream = _blocks(path, block_bytes=100)
        assert len(blocks) > 5, path
        assert b"".join(blocks) == text
        assert all(block.endswith(b"\n") for block in blocks[:-1])
        assert stream.size == len(text) and stream.truncated_reason is None


def test_a_truncated_gzip_read_in_blocks_keeps_what_came_out(tmp_path):
    text = ("\n".join(CURRENT_LOG * 20) + "\n").encode()
    compressed = gzip.compress(text)
    path = tmp_path / "access.log.3.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    blocks, stream = _blocks(path, block_bytes=200)
    assert 0 < len(b"".join(blocks)) < len(text)
    assert text.startswith(b"".join(blocks))
    assert stream.truncated_reason == "gzip tronqué : fin de fichier inattendue"


def _figures(db: Path) -> dict:
    con = duckdb.connect(str(etl_db_path(db)), read_only=True)
    try:
        return {
            "hits": con.execute(
                "select platform, file_id, line_no, status, path, is_pageview "
                "from hits order by all"
            ).fetchall(),
            "rejected": con.execute(
                "select file_id, line_no, reason_code, detail from rejected_rows order by all"
            ).fetchall(),
            "files": con.execute(
                "select parse_filename(path), lines_read, rows_loaded, rows_rejected, bytes "
                "from load_files where source = 'logs' order by path"
            ).fetchall(),
            "visits": con.execute("select count(*), sum(pageviews) from visits").fetchone(),
        }
    finally:
        con.close()


def test_small_blocks_give_the_same_figures_including_a_grown_file(tmp_path, monkeypatch):
    results = {}
    real_resume = logs.LogStream.resume
    # Many blocks of about one line each, modelled one by one, then staged three at a time.
    # The grown live log is read on from where the first load stopped; one variant counts its
    # lines from the start instead, as a load does when it cannot resume (gzip, partial line).
    for name, block_bytes, model_lines in (
        ("counted from the start", None, None),
        ("one block", None, None),
        ("many blocks", 150, 1),
        ("blocks staged together", 150, 3),
    ):
        resumes = name != "counted from the start"
        monkeypatch.setattr(
            logs.LogStream,
            "resume",
            real_resume if resumes else lambda self, loaded, identity: False,
        )
        if block_bytes:
            monkeypatch.setattr(logs, "BLOCK_BYTES", block_bytes)
            monkeypatch.setattr(log_load, "MODEL_LINES", model_lines)
        root = tmp_path / name.replace(" ", "-")
        raw = write_raw(root)
        settings = Settings(raw_dir=raw, db_path=root / "w.duckdb", state_dir=tmp_path / "state")
        live = raw / "produits-frais" / "logs" / "access.log"
        full = live.read_text()
        cut = full.index("\n", len(full) // 2) + 1
        live.write_text(full[:cut])  # first load: the first half of the live log
        load(settings, progress=False)
        live.write_text(full)  # the log grew: only its new lines are read
        report = load(settings, progress=False)
        grown = next(f for f in report.files if f.path == live)
        assert grown.read == full.count("\n") - full[:cut].count("\n")
        assert (f"(octet {len(full[:cut].encode())})" in grown.note) == resumes, grown.note
        results[name] = _figures(settings.db_path)
    assert (
        results["counted from the start"]
        == results["one block"]
        == results["many blocks"]
        == results["blocks staged together"]
    )
    assert len(results["one block"]["hits"]) == 14 + 1 + 1


def test_a_line_half_written_during_a_load_is_left_for_the_next_load_then_loaded_whole(tmp_path):
    # The first load sees the last line half written (no newline yet, file just modified):
    # it is neither loaded nor quarantined; the next load reads on from the line end before
    # it and loads the completed line. (At 0dd8c6e the half line was quarantined and the
    # completed line never loaded.)
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    live = raw / "produits-frais" / "logs" / "access.log"
    full = live.read_text()
    line_end = full.index("\n", len(full) // 2) + 1
    half = line_end + 20  # 20 characters into the next line
    live.write_text(full[:half])
    first = load(settings, progress=False)
    seen = next(f for f in first.files if f.path == live)
    assert "en cours d'écriture" in seen.note, seen.note
    assert seen.read == full[:line_end].count("\n") and seen.rejected == 0
    live.write_text(full)
    report = load(settings, progress=False)
    grown = next(f for f in report.files if f.path == live)
    assert f"(octet {len(full[:line_end].encode())})" in grown.note, grown.note
    assert grown.read == full.count("\n") - full[:line_end].count("\n")
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    try:
        lines_read, loaded, rejected = con.execute(
            "select lines_read, rows_loaded, rows_rejected from load_files where path = ?",
            [str(live)],
        ).fetchone()
        quarantined_here = con.execute(
            "select count(*) from rejected_rows where source_file = ?", [str(live)]
        ).fetchone()[0]
    finally:
        con.close()
    assert lines_read == full.count("\n") == loaded + rejected
    assert quarantined_here == rejected
    identity = logs.peek_identity(live)
    assert not logs.LogStream(live).resume(len(full[:half].encode()), identity)
    resumed = logs.LogStream(live)
    assert resumed.resume(len(full[:line_end].encode()), identity)
    assert resumed.size == len(full[:line_end].encode())
    assert b"".join(resumed.blocks()) == full[line_end:].encode()
    assert resumed.size == len(full.encode())


def test_a_resumed_read_checks_the_file_it_opened_not_the_name(tmp_path):
    # Between the look at a log and its read, logrotate may put another file under the name:
    # the offset recorded for the first file is never applied to the second.
    first = tmp_path / "access.log"
    first.write_text(line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n" * 1)
    loaded = first.stat().st_size
    identity = logs.peek_identity(first)
    first.write_text(line("90.2.2.2", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n" * 3)
    assert not logs.LogStream(first).resume(loaded, identity)
    gz = tmp_path / "access.log.2.gz"
    gz.write_bytes(
        gzip.compress(
            (line("90.1.1.1", "01/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n").encode()
        )
    )
    assert not logs.LogStream(gz).resume(10, logs.peek_identity(gz))


def test_the_bytes_recorded_are_those_of_the_lines_handed_out(tmp_path, monkeypatch):
    # A read error in the middle of a file: the recorded size stops at the last whole block
    # handed out, so a later load reads on from a line it really loaded.
    path = tmp_path / "access.log"
    path.write_bytes(b"".join(f"line {i:04d}\n".encode() for i in range(400)))
    stream = logs.LogStream(path, block_bytes=1000)
    real_read = stream._handle.read
    calls = iter(range(1000))

    def failing_read(size=-1):
        if next(calls) == 6:  # after 1,800 bytes: one block of 1,000 handed out, the rest pending
            raise OSError(5, "Input/output error")
        return real_read(300)

    monkeypatch.setattr(
        stream,
        "_handle",
        type("H", (), {"read": staticmethod(failing_read), "close": lambda self=None: None})(),
    )
    handed = b""
    with pytest.raises(logs.LogReadError):
        for block in stream.blocks():
            handed += block
    assert 0 < stream.size == len(handed) < 1800 and handed.endswith(b"\n")


def test_days_derived_a_window_at_a_time_give_the_same_figures(tmp_path, monkeypatch):
    # At scale 50 the robot and visit steps could not group every day at once; windows of a
    # few hits (here: about one day each) must give exactly what one window gives.
    tables = (
        "select platform, file_id, line_no, is_bot, is_pageview, exclusion_reason from hits",
        # Ids aside: the daily keys of the visitor hash are random and destroyed after use.
        "select * exclude (visit_id, visitor_id) from pageviews",
        "select * exclude (visit_id, visit_key, visitor_id) from visits",
        "select * from visits_daily",
        "select * from entity_views_daily",
        "select * from page_type_views_daily",
        "select * from hits_daily",
    )
    results = {}
    real_run_script = load_module.run_script
    for name, window_hits in (("one window", None), ("windows of 3 hits", 3)):
        if window_hits:
            monkeypatch.setattr(windows, "DERIVE_WINDOW_HITS", window_hits)
        root = tmp_path / name.replace(" ", "-")
        settings = Settings(
            raw_dir=write_raw(root), db_path=root / "w.duckdb", state_dir=tmp_path / "state"
        )
        calls = []
        monkeypatch.setattr(
            load_module,
            "run_script",
            lambda con, script, params=None, calls=calls: (
                calls.append(script),
                real_run_script(con, script, params),
            )[1],
        )
        load(settings, progress=False)
        con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
        results[name] = [sorted(con.execute(sql).fetchall(), key=repr) for sql in tables]
        con.close()
        results[name + " runs"] = calls.count("40_visits.sql")
    assert results["one window"] == results["windows of 3 hits"]
    assert results["one window runs"] == 1 and results["windows of 3 hits runs"] >= 2
    assert any(row[3] for row in results["one window"][0])  # some robots, among them


def test_quarantined_lines_keep_their_text_but_not_their_ip_addresses(tmp_path):
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    bad = [
        line("90.11.12.13", "31/Feb/2020:10:00:00 +0200", "GET / HTTP/1.1"),  # invalid date
        '2a01:e0a:1f2:3b40::42 - - [01/Apr/2020:10:00:00 +0200] "GET / HTTP/1.1" abc 10',  # bad status
        "2001:0db8:0000:0000:0000:ff00:0042:8329 garbage after an address",
        "::ffff:192.0.2.77 - - [not a date]",
        "proxy.example 10.20.30.40, 172.16.99.1 - - something broken",
    ]
    (folder / "access.log").write_text("\n".join(bad) + "\n")
    load(Settings(raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb"), progress=False)
    con = duckdb.connect(str(etl_db_path(tmp_path / "w.duckdb")), read_only=True)
    texts = [
        row[0]
        for row in con.execute(
            "select raw_text from rejected_rows where source = 'logs' order by line_no"
        ).fetchall()
    ]
    assert len(texts) == len(bad)
    assert texts[0].startswith("[IP masquée] - - [31/Feb/2020:10:00:00 +0200]")  # the rest is kept
    ips = [
        "90.11.12.13",
        "2a01:e0a:1f2:3b40::42",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "192.0.2.77",
        "10.20.30.40",
        "172.16.99.1",
        "0db8",
        "e0a:1f2",
    ]
    for (
        table,
        column,
    ) in con.execute("""select table_name, column_name from information_schema.columns
                                        where data_type = 'VARCHAR'""").fetchall():
        for ip in ips:
            found = scalar(
                con, f'select count(*) from "{table}" where contains("{column}", ?)', [ip]
            )
            assert found == 0, (table, column, ip)
    con.close()


# --- A load with nothing new leaves the warehouse as it is ------------------------------------


def test_an_unchanged_folder_is_not_loaded_again_and_its_warnings_are_repeated(tmp_path):
    raw = write_raw(tmp_path)
    (raw / "produits-frais" / "logs" / "access.log.4.gz").write_bytes(b"\x1f\x8b not really gzip")
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    first = load(settings, progress=False)
    assert not first.unchanged and first.errors
    stamp = settings.db_path.stat()
    second = load(settings, progress=False)
    assert second.unchanged
    assert settings.db_path.stat().st_ino == stamp.st_ino  # not copied, not replaced
    assert settings.db_path.stat().st_mtime_ns == stamp.st_mtime_ns
    assert [e.split(" (constaté")[0] for e in second.errors] == first.errors
    assert len(second.files) == len(first.files)


@pytest.mark.parametrize(
    "change", ["rotation rename", "new log line", "catalogue edit", "setting", "folder moved"]
)
def test_any_change_of_the_inputs_runs_a_load(tmp_path, change):
    raw = write_raw(tmp_path)
    suppliers = raw / "produits-frais" / "suppliers"
    suppliers.mkdir()
    (suppliers / "producteurs.csv").write_text(
        "id_fournisseur;nom;type;code_postal;commune;date_inscription\n"
        "P1;Ferme du Chêne;producteur;37000;Tours;01/04/2020\n",
        encoding="utf-8",
    )
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    logs_dir = raw / "produits-frais" / "logs"
    expected_unchanged = False
    if change == "rotation rename":
        # logrotate renamed a file without changing it: same stream, nothing to do.
        (logs_dir / "access.log.1").rename(logs_dir / "access.log.2")
        expected_unchanged = True
    elif change == "new log line":
        with (logs_dir / "access.log").open("a") as handle:
            handle.write(line("90.8.8.8", "02/Apr/2020:09:00:00 +0200", "GET / HTTP/1.1") + "\n")
    elif change == "catalogue edit":
        (suppliers / "fournisseurs.csv").write_text("id_fournisseur;nom\n", encoding="utf-8")
    elif change == "folder moved":
        # The warehouse records where each CSV row came from: one load records the new paths.
        moved = raw.rename(tmp_path / "moved")
        settings = Settings(raw_dir=moved, db_path=tmp_path / "w.duckdb")
    else:
        settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb", visit_inactivity_minutes=60)
    report = load(settings, progress=False)
    assert report.unchanged is expected_unchanged, change
    assert load(settings, progress=False).unchanged  # and then nothing more to do


# --- The daily aggregate follows the visits ----------------------------------------------------


# What each daily table must hold, computed from the rows it sums: the CTEs end with
# `expected`, compared with the table both ways.
_DAILY_EXPECTED = {
    "visits_daily": """
            with expected as (
                select platform, started_at::date as day, count(*) as visits,
                       count(distinct visitor_id) as visitors, sum(pageviews) as pageviews,
                       count(*) filter (where is_bounce) as bounces, sum(duration_s) as duration_s
                from visits group by all)""",
    "entity_views_daily": """
            with expected as (
                select platform, ts::date as day, page_type, entity_id, count(*) as pageviews,
                       count(distinct visit_id) as visits
                from pageviews where entity_id is not null group by all)""",
    "catalogue_goals_daily": """
            with codes as (
                select distinct platform, day, visit_key, 'department' as dimension,
                       department_code as code
                from catalogue_visit_days where department_code is not null
                union
                select distinct platform, day, visit_key, 'category', category_code
                from catalogue_visit_days where category_code is not null),
            converted as (
                select distinct platform, day, visit_key(visit_id) as visit_key from visit_goals),
            expected as (
                select k.platform, k.day, k.dimension, k.code, count(*), count(v.visit_key)
                from codes as k left join converted as v
                    on v.platform = k.platform and v.day = k.day and v.visit_key = k.visit_key
                group by all)""",
    "page_type_views_daily": """
            with viewed as (
                select platform, ts::date as day, page_type, count(*) as pageviews,
                       count(distinct visit_id) as visits,
                       count(distinct visit_id) filter (where entity_id is null) as entityless
                from pageviews group by all),
            entered as (
                select platform, started_at::date as day, entry_page_type as page_type,
                       count(*) as entries
                from visits group by all),
            exited as (
                select platform, started_at::date as day, exit_page_type as page_type,
                       count(*) as exits
                from visits group by all),
            expected as (
                select w.*, coalesce(n.entries, 0), coalesce(x.exits, 0)
                from viewed as w
                left join entered as n on n.platform = w.platform and n.day = w.day
                    and n.page_type is not distinct from w.page_type
                left join exited as x on x.platform = w.platform and x.day = w.day
                    and x.page_type is not distinct from w.page_type)""",
    "visit_searches": """
            with expected as (
                select platform, ts::date as day, visit_key(visit_id) as visit_key,
                       match_text(search_terms) as terms, count(*) as searches
                from pageviews where page_type = 'recherche' and match_text(search_terms) <> ''
                group by all)""",
    "hits_daily": """
            with expected as (
                select platform, ts::date as day, exclusion_reason, count(*) as hits
                from hits group by all)""",
}


def _daily_mismatches(db: Path) -> list:
    con = duckdb.connect(str(etl_db_path(db)), read_only=True)
    try:
        mismatches = []
        for table, expected in _DAILY_EXPECTED.items():
            mismatches += con.execute(f"""{expected}
            select '{table}', * from (select * from expected except select * from {table})
            union all
            select '{table}', * from (select * from {table} except select * from expected)""").fetchall()
        return (
            mismatches
            # Every visit's key spells its id (an unfilled or stale key would lose the visit
            # from every catalogue filter).
            + con.execute("""
            select 'visit_key', visit_id, visit_key from visits
            where printf('%016x', visit_key) is distinct from visit_id""").fetchall()
            + con.execute("""
            select 'load_info', data_start, data_end from load_info
            except select 'load_info', min(ts)::date, max(ts)::date from hits""").fetchall()
        )
    finally:
        con.close()


def test_visits_daily_follows_every_kind_of_load(tmp_path):
    raw, live, settings = live_warehouse(tmp_path)
    load(settings, progress=False)
    assert _daily_mismatches(settings.db_path) == []
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    # Pages with an entity in the hand-written log, by humans: A's product page and the
    # "à propos" page (Googlebot's producer page and the robots.txt reader's category page
    # are robots' hits, not page views).
    assert con.execute(
        "select page_type, entity_id, pageviews, visits from entity_views_daily order by all"
    ).fetchall() == [("information", "a-propos", 1, 1), ("produit", "A1", 1, 1)]
    # The one search of the log, by a human, its terms as the search figures match them.
    assert con.execute("select terms, searches from visit_searches").fetchall() == [
        ("fraises dete", 1)
    ]
    con.close()
    # A new day, and a visit continued in a grown file.
    with live.open("a") as handle:
        handle.write(line("90.1.1.1", "01/Apr/2020:10:50:00 +0200", "GET /carte HTTP/1.1") + "\n")
        handle.write(line("90.2.2.2", "03/Apr/2020:09:00:00 +0200", "GET / HTTP/1.1") + "\n")
    load(settings, progress=False)
    assert _daily_mismatches(settings.db_path) == []
    # Retention: a line 30 months newer purges the oldest days.
    with live.open("a") as handle:
        handle.write(line("90.2.2.2", "01/Oct/2022:09:00:00 +0200", "GET / HTTP/1.1") + "\n")
    load(settings, progress=False)
    assert _daily_mismatches(settings.db_path) == []
    # New visit settings: every day derived again.
    load(
        Settings(
            raw_dir=raw,
            db_path=settings.db_path,
            state_dir=tmp_path / "state",
            visit_inactivity_minutes=5,
        ),
        progress=False,
    )
    assert _daily_mismatches(settings.db_path) == []
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    assert scalar(con, "select count(*) from visits_daily") > 0
    con.close()


def test_a_warehouse_from_an_earlier_version_is_completed_by_the_next_load(tmp_path):
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb", state_dir=tmp_path / "state")
    load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)))
    expected = con.execute("select visit_id, entry_entity_id from visits order by 1").fetchall()
    # As an earlier version left it: no daily aggregates, no entry entity, no visit key (the
    # tables derived from the page views naming visits by their id), no version marker.
    con.execute("drop table visits_daily; drop table entity_views_daily; drop table hits_daily")
    con.execute("drop table page_type_views_daily; drop table catalogue_goals_daily")
    con.execute("drop table visit_searches; drop table catalogue_visit_days")
    con.execute("""create table visit_searches (platform varchar, day date, visit_id varchar,
                                                 terms varchar, searches bigint)""")
    con.execute("""create table catalogue_visit_days (platform varchar, day date, visit_id varchar,
                       department_code varchar, kind_code varchar, category_code varchar)""")
    con.execute("insert into visit_searches values ('produits-frais', '2020-04-01', 'x', 'x', 1)")
    con.execute("alter table visits drop column entry_entity_id")
    con.execute("alter table visits drop column visit_key")
    con.execute("delete from config_state where name in ('daily_aggregates', 'inputs')")
    con.close()
    report = load(settings, progress=False)
    assert not report.unchanged
    con = duckdb.connect(str(settings.db_path), read_only=True)
    assert (
        con.execute("select visit_id, entry_entity_id from visits order by 1").fetchall()
        == expected
    )
    entries = con.execute("select entry_page_type, entry_entity_id from visits").fetchall()
    # 90.5.5.5 entered on "à propos"; A entered on the home page, which has no entity, even
    # though A's next page was a product page.
    assert ("information", "a-propos") in entries
    assert all(entity is None for page_type, entity in entries if page_type == "accueil")
    # The tables that named visits by id name them by key, derived again for every day.
    assert con.execute("""select v.visit_id, s.terms from visit_searches s
                           join visits v on v.visit_key = s.visit_key""").fetchall() == [
        (visit_id, "fraises dete")
        for (visit_id,) in con.execute(
            "select visit_id from pageviews where page_type = 'recherche'"
        ).fetchall()
    ]
    assert ("catalogue_visit_days", "visit_key") in con.execute(
        "select table_name, column_name from duckdb_columns()"
    ).fetchall()
    con.close()
    assert _daily_mismatches(settings.db_path) == []


def test_a_warehouse_holding_french_labels_is_converted_to_codes_on_its_next_load(tmp_path):
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    # What a load before the codes stored: French labels in the hits, the agents' cache, the
    # visits and the daily aggregates, and neither the migration flag nor version 5.
    con = duckdb.connect(str(etl_db_path(settings.db_path)))
    old = {"asset": "ressource statique", "bot_behaviour": "robot (comportement)"}
    for code, label in old.items():
        con.execute(
            "update hits set exclusion_reason = ? where exclusion_reason = ?", [label, code]
        )
        con.execute(
            "update hits_daily set exclusion_reason = ? where exclusion_reason = ?", [label, code]
        )
    # ...and the classifier of its time: device types "Mobile"/"mobile" before Matomo's.
    con.execute("update user_agents set device_type = 'Mobile' where device_type = 'smartphone'")
    con.execute("update config_state set fingerprint = '2' where name = 'user_agents'")
    con.execute("update visits set channel = 'Accès direct', device_type = 'Ordinateur'")
    con.execute("delete from config_state where name = 'label_codes'")
    con.execute("update config_state set fingerprint = '4' where name = 'daily_aggregates'")
    # The code changed since that load, so its inputs fingerprint differs too.
    con.execute("delete from config_state where name = 'inputs'")
    con.close()
    load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    codes = {"asset", "status_error", "redirect", "method_not_get", "bot_user_agent"}
    codes |= {"bot_behaviour", None}
    for table in ("hits", "hits_daily"):
        stored = {
            r[0] for r in con.execute(f"select distinct exclusion_reason from {table}").fetchall()
        }
        assert stored == codes, table
    channels = dict(con.execute("select channel, count(*) from visits group by 1").fetchall())
    assert channels == {"search_engine": 1, "social": 1, "direct": 4}
    assert scalar(con, "select device_type from visits where entry_path = '/carte'") == "smartphone"
    devices = {r[0] for r in con.execute("select distinct device_type from user_agents").fetchall()}
    assert devices <= set(DEVICE_TYPES) | {"unknown", "other"}
    con.close()


def test_a_new_robot_classification_derives_cached_agents_and_their_hits_again(tmp_path):
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    hits_sql = (
        "select file_id, line_no, is_bot, is_pageview, exclusion_reason, page_type, entity_id,"
        " search_terms from hits order by all"
    )
    con = duckdb.connect(str(etl_db_path(settings.db_path)))
    expected_hits = con.execute(hits_sql).fetchall()
    expected_visits = con.execute("select * from visits order by visit_id").fetchall()
    assert scalar(con, "select bot_name from user_agents where user_agent = ?", [GOOGLEBOT]) == (
        "device-detector: Googlebot"
    )
    # As another version of the rules left it: Googlebot taken for a person, Chrome for a
    # robot, and no version marker.
    con.execute(
        "update user_agents set is_bot = not is_bot, bot_name = null where user_agent in (?, ?)",
        [GOOGLEBOT, CHROME],
    )
    con.execute(
        """update hits set is_bot = false, is_pageview = status = 200 and method = 'GET',
           exclusion_reason = case when status = 200 and method = 'GET' then null
                                   else 'status_error' end where user_agent = ?""",
        [GOOGLEBOT],
    )
    con.execute(
        """update hits set is_bot = true, is_pageview = false, exclusion_reason = 'bot_user_agent',
           page_type = null, entity_id = null, search_terms = null
           where user_agent = ? and exclusion_reason is distinct from 'invalid_request'""",
        [CHROME],
    )
    con.execute("delete from config_state where name in ('user_agents', 'inputs')")
    con.close()
    load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    assert con.execute(hits_sql).fetchall() == expected_hits
    assert con.execute("select * from visits order by visit_id").fetchall() == expected_visits
    assert scalar(con, "select is_bot from user_agents where user_agent = ?", [GOOGLEBOT])
    con.close()


def test_a_device_type_change_alone_re_derives_the_visits(tmp_path):
    # A new classifier that changes only device types (no robot verdict) must still reach the
    # stored visits: they carry the device type of their agent.
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)))
    con.execute("update user_agents set device_type = 'tablet' where device_type = 'smartphone'")
    con.execute("update visits set device_type = 'tablet' where device_type = 'smartphone'")
    con.execute("update config_state set fingerprint = '2' where name = 'user_agents'")
    con.execute("delete from config_state where name = 'inputs'")
    con.close()
    load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    assert scalar(con, "select device_type from visits where entry_path = '/carte'") == "smartphone"
    assert scalar(con, "select count(*) from visits where device_type = 'tablet'") == 0
    con.close()


def test_exit_pages_campaigns_and_referrer_urls_are_derived_per_visit(tmp_path):
    # Visit 1 lands from a newsletter link (utm_ parameters, mixed case, '+' for spaces) on a
    # product page and leaves on the contact page. Visit 2 comes from a newspaper article whose
    # address has a query string, and leaves where it landed. Visit 3 lands with Matomo's own
    # mtm_campaign from a Facebook post: a campaign wins over the social referrer.
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    lines = [
        line(
            "90.1.1.1",
            "02/Apr/2020:10:00:00 +0200",
            "GET /produit/A1-fraises?utm_source=Lettre-Region&utm_medium=email"
            "&utm_campaign=Lettre+Avril HTTP/1.1",
        ),
        line(
            "90.1.1.1",
            "02/Apr/2020:10:02:00 +0200",
            "GET /contact HTTP/1.1",
            referrer="https://produits-frais.centre-valdeloire.fr/produit/A1-fraises",
        ),
        line(
            "90.2.2.2",
            "02/Apr/2020:11:00:00 +0200",
            "GET /carte HTTP/1.1",
            referrer="https://www.lanouvellerepublique.fr/cher/article-circuits-courts?at=1&id=9",
            agent=IPHONE,
        ),
        line(
            "90.3.3.3",
            "02/Apr/2020:12:00:00 +0200",
            "GET /?mtm_campaign=Ouverture HTTP/1.1",
            referrer="https://m.facebook.com/",
            agent=FIREFOX,
        ),
    ]
    (folder / "access.log").write_text("\n".join(lines) + "\n")
    settings = Settings(raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    rows = con.execute("""
        select entry_path, exit_path, exit_page_type, exit_entity_id, channel,
               utm_source, utm_medium, utm_campaign, referrer_url
        from visits order by started_at""").fetchall()
    con.close()
    assert rows == [
        (
            "/produit/A1-fraises",
            "/contact",
            "contact",
            None,
            "campaign",
            "lettre-region",
            "email",
            "lettre avril",
            None,
        ),
        (
            "/carte",
            "/carte",
            "carte",
            None,
            "press",
            None,
            None,
            None,
            "www.lanouvellerepublique.fr/cher/article-circuits-courts",
        ),
        ("/", "/", "accueil", None, "campaign", None, None, "ouverture", "m.facebook.com/"),
    ]
