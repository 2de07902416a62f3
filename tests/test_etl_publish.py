"""The dashboard's warehouse file is the load's database without the hits and the load's
caches, whether it was copied whole or rewritten for the days a load changed."""

from __future__ import annotations

import dataclasses
import gzip
import secrets
import shutil
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl import load as load_module
from etl import publish
from etl.load import LoadError, load
from etl.publish import PublishMode
from etl.report import LoadMethod
from etl.settings import Settings, etl_db_path
from tests.test_etl_logs import line, live_warehouse, write_raw


def published_differences(db: Path) -> dict[str, tuple[int, int]]:
    """Per table: (rows only in the load's database, rows only in the dashboard file), for
    every table that differs; ETL-only tables found in the dashboard file are reported too."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("attach ? as etl (read_only)", [str(etl_db_path(db))])
        ours = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'etl'"
            ).fetchall()
        }
        shown = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database()"
            ).fetchall()
        }
        differences = {table: (-1, -1) for table in shown & publish.ETL_ONLY_TABLES}
        for table in sorted(ours - publish.ETL_ONLY_TABLES):
            if table not in shown:
                differences[table] = (-1, 0)
                continue
            only_etl, only_shown = con.execute(f"""select
                (select count(*) from (select * from etl.{table} except all select * from main.{table})),
                (select count(*) from (select * from main.{table} except all select * from etl.{table}))""").fetchone()
            if only_etl or only_shown:
                differences[table] = (only_etl, only_shown)
        return differences
    finally:
        con.close()


def test_daily_loads_rewrite_the_changed_days_and_give_the_database_s_tables(tmp_path):
    raw, live, settings = live_warehouse(tmp_path)
    # The retention step purges most of these few hits: wanted here, so not guarded.
    settings = dataclasses.replace(settings, retention_max_purge_share=1.0)
    assert load(settings, progress=False).publication == PublishMode.WHOLE
    assert published_differences(settings.db_path) == {}
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert (
            con.execute(
                "select count(*) from duckdb_tables() where table_name in ('hits', 'url_paths', 'user_agents')"
            ).fetchone()[0]
            == 0
        )
        assert (
            con.execute(
                "select sum(lines_read) from load_summary where source = 'logs'"
            ).fetchone()[0]
            == 19
        )

    steps = {
        # A day already published changes (a visit goes on) and a new day comes.
        "grown day and new day": [
            line("90.1.1.1", "01/Apr/2020:10:50:00 +0200", "GET /carte HTTP/1.1"),
            line("90.2.2.2", "03/Apr/2020:09:00:00 +0200", "GET / HTTP/1.1"),
        ],
        # 25 months after 1 April 2020, 12:00: retention purges the days before and trims 1 April.
        "retention": [line("90.8.8.8", "01/May/2022:12:00:00 +0200", "GET /carte HTTP/1.1")],
    }
    days_before = None
    for step, lines in steps.items():
        with live.open("a") as handle:
            handle.write("\n".join(lines) + "\n")
        report = load(settings, progress=False)
        assert (report.method, report.publication) == (LoadMethod.IN_PLACE, PublishMode.DAYS), step
        assert published_differences(settings.db_path) == {}, step
        with duckdb.connect(str(settings.db_path), read_only=True) as con:
            days = con.execute("select count(distinct day) from hits_daily").fetchone()[0]
        assert days != days_before, step  # each step changed what the dashboard shows
        days_before = days
    # New visit settings: every day derived again, in a copy of the database, published whole.
    report = load(dataclasses.replace(settings, visit_inactivity_minutes=5), progress=False)
    assert (report.method, report.publication) == (LoadMethod.COPY, PublishMode.WHOLE)
    assert published_differences(settings.db_path) == {}
    # Nothing new: neither file is opened for writing.
    mtimes = [settings.db_path.stat().st_mtime_ns, etl_db_path(settings.db_path).stat().st_mtime_ns]
    report = load(dataclasses.replace(settings, visit_inactivity_minutes=5), progress=False)
    assert report.unchanged
    assert [
        settings.db_path.stat().st_mtime_ns,
        etl_db_path(settings.db_path).stat().st_mtime_ns,
    ] == mtimes


def _loaded_then_one_more_line(tmp_path):
    """A loaded live warehouse, then one new page view appended to its log: (settings, visits
    the dashboard shows before the next load)."""
    raw, live, settings = live_warehouse(tmp_path)
    load(settings, progress=False)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        visits_before = con.execute("select count(*) from visits").fetchone()[0]
    with live.open("a") as handle:
        handle.write(line("90.2.2.2", "03/Apr/2020:09:00:00 +0200", "GET / HTTP/1.1") + "\n")
    return settings, visits_before


def test_a_load_killed_between_its_commit_and_its_publication_is_published_whole_next_time(
    tmp_path, monkeypatch
):
    settings, visits_before = _loaded_then_one_more_line(tmp_path)

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed before the publication")

    with monkeypatch.context() as patched:
        patched.setattr(publish.Publication, "write", killed)
        with pytest.raises(KeyboardInterrupt):
            load(settings, progress=False)
    # The load's database has the new day; the dashboard still shows the previous figures.
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("select count(*) from visits").fetchone()[0] == visits_before
    assert published_differences(settings.db_path)
    # The inputs did not change since, yet the next load publishes, and whole: the dashboard
    # file does not hold the state that load started from.
    report = load(settings, progress=False)
    assert not report.unchanged
    assert report.publication == PublishMode.WHOLE
    assert published_differences(settings.db_path) == {}
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("select count(*) from visits").fetchone()[0] == visits_before + 1


def test_a_stuck_copy_of_the_dashboard_file_fails_the_publication_instead_of_hanging(
    tmp_path, monkeypatch
):
    settings, visits_before = _loaded_then_one_more_line(tmp_path)
    release = threading.Event()

    def stuck_copy(source, target):
        release.wait(timeout=60)  # a disk that does not answer (bounded, for the test's sake)

    monkeypatch.setattr(publish, "COPY_WAIT_BASE_S", 0.5)
    monkeypatch.setattr(publish, "COPY_WAIT_BYTES_PER_S", 10**12)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(publish.shutil, "copyfile", stuck_copy)
            started = time.monotonic()
            with pytest.raises(LoadError, match="opération bloquée") as failed:
                load(settings, progress=False)
            assert time.monotonic() - started < 30
    finally:
        release.set()
    assert failed.value.exit_code == 4
    assert "le tableau de bord montre encore les chiffres précédents" in str(failed.value)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        assert con.execute("select count(*) from visits").fetchone()[0] == visits_before
    # The next load publishes whole, as after any failed publication.
    report = load(settings, progress=False)
    assert report.publication == PublishMode.WHOLE
    assert published_differences(settings.db_path) == {}


def test_a_warehouse_written_before_the_split_keeps_the_hits_of_rotated_logs(tmp_path):
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb", state_dir=tmp_path / "state")
    load(settings, progress=False)
    # One file holding every table, hits included, as earlier versions wrote it.
    settings.db_path.unlink()
    shutil.move(etl_db_path(settings.db_path), settings.db_path)
    with duckdb.connect(str(settings.db_path)) as con:
        hits = con.execute("select count(*) from hits").fetchone()[0]
        con.execute("delete from config_state where name = 'generation'")
    (raw / "produits-frais" / "logs" / "access.log.2.gz").unlink()  # rotated away since
    report = load(settings, progress=False)
    assert report.publication == PublishMode.WHOLE
    with duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True) as con:
        assert con.execute("select count(*) from hits").fetchone()[0] == hits
    assert published_differences(settings.db_path) == {}


def _database_rows(db: Path) -> dict[str, list]:
    """Every row of every table of the load's database, but when the load ran and where the
    files were last seen."""
    skipped = {"config_state", "load_info"}  # the generation, loaded_at
    with duckdb.connect(str(etl_db_path(db)), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
        return {
            table: con.execute(
                f"select * exclude (loaded_at, path) from {table} order by all"
                if table == "load_files"
                else f"select * from {table} order by all"
            ).fetchall()
            for table in tables
            if table not in skipped
        }


def test_a_large_update_loads_a_copy_of_the_database_with_the_same_figures(tmp_path):
    raw = write_raw(tmp_path / "a")
    first = tmp_path / "a"
    load(
        Settings(raw_dir=raw, db_path=first / "w.duckdb", state_dir=first / "state"), progress=False
    )
    # The same start, and the same daily keys, in a second folder.
    second = tmp_path / "b"
    shutil.copytree(first, second)
    # New lines on days whose keys are still kept: both loads give the same visitor ids.
    new_lines = [
        line(
            f"90.9.{i // 200}.{i % 200}",
            f"0{1 + i % 2}/Apr/2020:1{i % 10}:{i % 60:02d}:00 +0200",
            f"GET /produit/A{i % 7}-x HTTP/1.1",
        )
        for i in range(300)
    ]
    reports = {}
    for folder, limit_mb in ((first, 128), (second, 0)):
        with (folder / "raw" / "produits-frais" / "logs" / "access.log").open("a") as handle:
            handle.write("\n".join(new_lines) + "\n")
        reports[limit_mb] = load(
            Settings(
                raw_dir=folder / "raw",
                db_path=folder / "w.duckdb",
                state_dir=folder / "state",
                load_in_place_max_mb=limit_mb,
            ),
            progress=False,
        )
        assert published_differences(folder / "w.duckdb") == {}
    assert (reports[128].method, reports[128].publication) == (
        LoadMethod.IN_PLACE,
        PublishMode.DAYS,
    )
    assert (reports[0].method, reports[0].publication) == (LoadMethod.COPY, PublishMode.WHOLE)
    assert not (second / "w.etl.duckdb.loading").exists()
    in_place, copied = _database_rows(first / "w.duckdb"), _database_rows(second / "w.duckdb")
    assert len(in_place["hits"]) == 16 + 300  # the hits of write_raw, the new lines
    # Tables whose rows (sorted, duplicates included) differ between the two paths: none but
    # the record of the file each published (its inode and mtime, by nature its own).
    assert [table for table in in_place if in_place[table] != copied.get(table)] == [
        "publication_record"
    ]
    assert in_place.keys() == copied.keys()


def _commit_without_checkpoint(db: Path) -> None:
    """What a load killed after its commit and before its checkpoint leaves: a committed
    change (here a marker row) in the database's WAL only."""
    con = duckdb.connect(str(etl_db_path(db)))
    con.execute("set checkpoint_threshold = '1GB'")
    con.execute("pragma disable_checkpoint_on_shutdown")
    con.execute(
        "insert into rejected_rows values ('produits-frais', 'logs', 'marqueur', null, null, 'unreadable_file', 'marqueur', null)"
    )
    con.close()
    assert etl_db_path(db).with_name("w.etl.duckdb.wal").exists()


def test_a_load_after_one_killed_before_its_checkpoint_keeps_its_changes(tmp_path):
    raw, live, settings = live_warehouse(tmp_path)
    load(settings, progress=False)
    _commit_without_checkpoint(settings.db_path)
    with live.open("a") as handle:
        handle.write(line("90.2.2.2", "03/Apr/2020:09:00:00 +0200", "GET / HTTP/1.1") + "\n")
    # A large update works on a copy of the database: the change in the WAL is in the copy.
    copied = Settings(
        raw_dir=raw, db_path=settings.db_path, state_dir=settings.state_dir, load_in_place_max_mb=0
    )
    assert load(copied, progress=False).method == LoadMethod.COPY
    assert not etl_db_path(settings.db_path).with_name("w.etl.duckdb.wal").exists()
    for db in (etl_db_path(settings.db_path), settings.db_path):
        with duckdb.connect(str(db), read_only=True) as con:
            assert (
                con.execute(
                    "select count(*) from rejected_rows where source_file = 'marqueur'"
                ).fetchone()[0]
                == 1
            )
    assert published_differences(settings.db_path) == {}
    # A rebuild replaces the database whole: the WAL of the replaced one must not stay beside it.
    _commit_without_checkpoint(settings.db_path)
    assert load(settings, progress=False, rebuild=True).method == LoadMethod.NEW
    assert load(settings, progress=False).unchanged
    with duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True) as con:
        assert (
            con.execute(
                "select count(*) from rejected_rows where source_file = 'marqueur'"
            ).fetchone()[0]
            == 0
        )


def test_new_lines_of_a_log_rotated_and_gzipped_since_the_last_load_count_as_new_data(tmp_path):
    raw, live, settings = live_warehouse(tmp_path)
    load(settings, progress=False)
    small = Settings(
        raw_dir=raw, db_path=settings.db_path, state_dir=settings.state_dir, load_in_place_max_mb=1
    )
    # The live log rotated without a load in between: gzipped with 2 MB of lines never loaded.
    more = (
        "\n".join(
            line(
                f"90.9.{i // 250 % 250}.{i % 250}",
                "02/Apr/2020:14:00:00 +0200",
                f"GET /produit/A{i}-x HTTP/1.1",
            )
            for i in range(15_000)
        )
        + "\n"
    )
    rotated = live.read_text() + more
    live.unlink()
    (live.parent / "access.log.0.gz").write_bytes(gzip.compress(rotated.encode()))
    report = load(small, progress=False)
    assert report.method == LoadMethod.COPY
    assert published_differences(settings.db_path) == {}
    # Rotated again with nothing new: the lines it holds were loaded, so the load is in place.
    (live.parent / "access.log.0.gz").rename(live.parent / "access.log.1.gz")
    (live.parent / "access.log.1").write_text(
        line("90.2.2.2", "03/Apr/2020:09:00:00 +0200", "GET / HTTP/1.1") + "\n"
    )
    assert load(small, progress=False).method == LoadMethod.IN_PLACE


def test_a_warehouse_that_cannot_be_read_is_not_replaced_by_a_new_one(tmp_path):
    raw, _, settings = live_warehouse(tmp_path)
    settings.db_path.write_bytes(b"pas une base DuckDB" * 100)
    with pytest.raises(LoadError, match="entrepôt existant illisible"):
        load(settings, progress=False)
    assert settings.db_path.read_bytes().startswith(b"pas une base DuckDB")
    assert not etl_db_path(settings.db_path).exists()


def test_a_partial_copy_left_by_a_killed_load_is_removed_by_the_next_one(tmp_path):
    raw, live, settings = live_warehouse(tmp_path)
    load(settings, progress=False)
    leftover = etl_db_path(settings.db_path).with_name("w.etl.duckdb.loading")
    leftover.write_bytes(b"\0" * 4096)
    assert load(settings, progress=False).unchanged
    assert not leftover.exists()


def test_a_log_fully_loaded_then_gzipped_in_several_members_brings_no_new_data(tmp_path):
    raw, live, settings = live_warehouse(tmp_path)
    # Paths that compress poorly (less than 10 times), as real logs of varied URLs can.
    with live.open("a") as handle:
        handle.write(
            "\n".join(
                line(
                    "90.1.1.1",
                    "02/Apr/2020:15:00:00 +0200",
                    f"GET /recherche?q={secrets.token_hex(24)} HTTP/1.1",
                )
                for _ in range(3_000)
            )
            + "\n"
        )
    load(settings, progress=False)
    content = live.read_bytes()
    half = content.index(b"\n", len(content) // 2) + 1
    live.unlink()
    (live.parent / "access.log.0.gz").write_bytes(
        gzip.compress(content[:half]) + gzip.compress(content[half:])
    )
    report = load(
        Settings(
            raw_dir=raw,
            db_path=settings.db_path,
            state_dir=settings.state_dir,
            load_in_place_max_mb=0,
        ),
        progress=False,
    )
    assert report.method == LoadMethod.IN_PLACE
    assert sum(f.read for f in report.files if f.source == "logs") == 0


def test_a_load_failing_after_writing_its_hits_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    raw, live, settings = live_warehouse(tmp_path)
    load(settings, progress=False)
    before = _database_rows(settings.db_path)
    with live.open("a") as handle:
        handle.write(line("90.2.2.2", "03/Apr/2020:09:00:00 +0200", "GET / HTTP/1.1") + "\n")
    run_script = load_module.run_script

    def failing(con, name, *args, **kwargs):
        if name == "40_visits.sql":  # after the hits and their robot flags were written
            raise RuntimeError("panne simulée")
        return run_script(con, name, *args, **kwargs)

    monkeypatch.setattr(load_module, "run_script", failing)
    with pytest.raises(RuntimeError, match="panne simulée"):
        load(settings, progress=False)
    assert _database_rows(settings.db_path) == before
    assert not settings.db_path.with_name("w.duckdb.loading").exists()
