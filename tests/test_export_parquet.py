"""`python -m etl export-parquet`: the Parquet export holds the warehouse's rows and figures.

Every check reads the export back the way an analyst would (DuckDB over
`<table>/**/*.parquet` with Hive partitioning) and compares it with the same query on the
warehouse it came from.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl import export, files
from etl.__main__ import main
from etl.reasons import REASON_LABELS
from etl.settings import PLATFORMS, REPO_ROOT, Settings, etl_db_path
from tests.bounds import CLI_TIMEOUT_S

PARTITIONED_BY_MONTH = {"hits": "ts", "pageviews": "ts", "visits": "started_at"}
PARTITIONED_BY_PLATFORM = {"suppliers", "listings", "supplier_snapshots", "listing_snapshots"}
UNPARTITIONED = {"user_agents", "categories", "departments", "communes", "key_dates", "quarantine"}


@pytest.fixture(scope="module")
def etl_warehouse(small_warehouse) -> Path:
    # The hand-made warehouse (OBSERVATOIRE_TEST_WAREHOUSE=fake) lacks tables the load always
    # creates (user_agents, supplier_snapshots, visit_settings): the export needs the real one.
    if os.environ.get("OBSERVATOIRE_TEST_WAREHOUSE", "real") != "real":
        pytest.skip("the export reads a warehouse built by the ETL, not the hand-made one")
    return small_warehouse


@pytest.fixture(scope="module")
def exported(etl_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "parquet"
    assert main(["export-parquet", "--db", str(etl_warehouse), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def both(etl_warehouse):
    """One in-memory DuckDB with the load's database (every table, hits included) attached as
    `wh`, to run both sides of a comparison."""
    con = duckdb.connect()
    con.execute("attach ? as wh (read_only)", [str(etl_db_path(etl_warehouse))])
    yield con
    con.close()


def parquet(out: Path, table: str) -> str:
    return f"read_parquet('{out / table}/**/*.parquet', hive_partitioning = true)"


def test_every_table_is_exported_with_its_rows(exported, both):
    manifest = json.loads((exported / "_export.json").read_text(encoding="utf-8"))
    assert (
        set(manifest["tables"])
        == set(PARTITIONED_BY_MONTH) | PARTITIONED_BY_PLATFORM | UNPARTITIONED
    )
    for table, entry in manifest["tables"].items():
        in_warehouse = both.execute(f"select count(*) from wh.{table}").fetchone()[0]
        in_parquet = both.execute(f"select count(*) from {parquet(exported, table)}").fetchone()[0]
        assert in_parquet == in_warehouse == entry["rows"], table
    assert (
        both.execute("select count(*) from wh.hits").fetchone()[0] > 10_000
    )  # a real test, not 0 == 0
    loaded_at = both.execute("select loaded_at from wh.load_info").fetchone()[0]
    assert manifest["warehouse"]["loaded_at"] == loaded_at.isoformat(timespec="seconds")


def test_the_rejected_raw_lines_stay_in_the_warehouse(exported):
    # rejected_rows.raw_text keeps a quarantined log line as read, IP address included.
    assert not (exported / "rejected_rows").exists()
    assert not (exported / "load_files").exists()


def test_the_quarantine_leaves_as_reason_codes_and_details(exported, both):
    # Issue #29: counted by code and detail, the raw lines and paths left behind.
    rows = both.execute(f"select * from {parquet(exported, 'quarantine')} order by all").fetchdf()
    assert list(rows.columns) == ["platform", "source", "reason_code", "detail", "n_rows"]
    stored = both.execute(
        "select sum(n) from (select count(*) as n from wh.rejected_rows "
        "union all select sum(n_rows) from wh.rejected_overflow)"
    ).fetchone()[0]
    assert rows["n_rows"].sum() == stored > 0
    assert set(rows["reason_code"]) <= set(REASON_LABELS)


@pytest.mark.parametrize(
    "table", sorted(set(PARTITIONED_BY_MONTH) | PARTITIONED_BY_PLATFORM | UNPARTITIONED)
)
def test_every_value_survives_the_round_trip(exported, both, table):
    columns = ", ".join(
        f'"{name}"'
        for (name,) in both.execute(
            "select column_name from duckdb_columns() where database_name = 'wh' and table_name = ? "
            "order by column_index",
            [table],
        ).fetchall()
    )
    for left, right in (
        (parquet(exported, table), f"wh.{table}"),
        (f"wh.{table}", parquet(exported, table)),
    ):
        differing = both.execute(
            f"select count(*) from (select {columns} from {left} "
            f"except all select {columns} from {right})"
        ).fetchone()[0]
        assert differing == 0, f"{table}: {differing} rows of {left} missing from {right}"


def test_partition_folders_per_platform_and_month(exported, both):
    for table, time_column in PARTITIONED_BY_MONTH.items():
        for platform in PLATFORMS:
            months = {
                row[0]
                for row in both.execute(
                    f"select distinct strftime({time_column}, '%Y-%m') from wh.{table} where platform = ?",
                    [platform],
                ).fetchall()
            }
            assert months, (table, platform)
            folders = {p.name for p in (exported / table / f"platform={platform}").iterdir()}
            assert folders == {f"month={m}" for m in months}, (table, platform)
    for table in PARTITIONED_BY_PLATFORM:
        assert {p.name for p in (exported / table).iterdir()} == {
            f"platform={p}" for p in PLATFORMS
        }, table
    for table in UNPARTITIONED:
        assert [p.name for p in (exported / table).iterdir()] == ["data_0.parquet"], table


def test_visit_figures_per_platform_and_month_are_the_warehouse_ones(exported, both):
    figures = """select platform, {month} as month, count(*) as visits, count(distinct visitor_id) as visitors,
                        sum(pageviews) as pageviews, count(*) filter (where is_bounce) as bounces,
                        sum(duration_s) as seconds
                 from {source} group by all order by all"""
    in_warehouse = both.execute(
        figures.format(month="strftime(started_at, '%Y-%m')", source="wh.visits")
    ).fetchall()
    in_parquet = both.execute(
        figures.format(month="month", source=parquet(exported, "visits"))
    ).fetchall()
    assert in_parquet == in_warehouse
    assert len({row[0] for row in in_warehouse}) == 2 and len(in_warehouse) >= 4


def test_hit_and_pageview_figures_per_platform_and_month_are_the_warehouse_ones(exported, both):
    hits = """select platform, {month}, count(*), count(*) filter (where is_bot), count(*) filter (where is_pageview),
                     sum(bytes), min(ts_utc), max(ts)
              from {source} group by all order by all"""
    assert (
        both.execute(hits.format(month="month", source=parquet(exported, "hits"))).fetchall()
        == both.execute(hits.format(month="strftime(ts, '%Y-%m')", source="wh.hits")).fetchall()
    )
    pageviews = (
        "select platform, {month}, page_type, count(*) from {source} group by all order by all"
    )
    assert (
        both.execute(
            pageviews.format(month="month", source=parquet(exported, "pageviews"))
        ).fetchall()
        == both.execute(
            pageviews.format(month="strftime(ts, '%Y-%m')", source="wh.pageviews")
        ).fetchall()
    )


def test_catalogue_figures_are_the_warehouse_ones(exported, both):
    listings = """select l.platform, s.department_code, l.category, count(*) filter (where l.is_active),
                         sum(l.price_eur), sum(l.weekly_capacity)
                  from {listings} l join {suppliers} s using (platform, supplier_id)
                  group by all order by all"""
    in_warehouse = both.execute(
        listings.format(listings="wh.listings", suppliers="wh.suppliers")
    ).fetchall()
    in_parquet = both.execute(
        listings.format(
            listings=parquet(exported, "listings"), suppliers=parquet(exported, "suppliers")
        )
    ).fetchall()
    assert in_parquet == in_warehouse and in_warehouse


def test_month_filter_reads_only_that_month(exported, both):
    plan = "\n".join(
        row[1]
        for row in both.execute(
            f"explain analyze select count(*) from {parquet(exported, 'visits')} where month = '2020-04'"
        ).fetchall()
    )
    assert "Scanning Files: 2/" in plan  # one file per platform, the other months skipped


def test_a_new_export_replaces_the_previous_one_whole(etl_warehouse, tmp_path):
    out = tmp_path / "parquet"
    export.export_parquet(Settings(db_path=etl_warehouse), out)
    (
        out / "hits" / "platform=produits-frais" / "month=1999-01"
    ).mkdir()  # a month the warehouse lost since
    export.export_parquet(Settings(db_path=etl_warehouse), out)
    assert not (out / "hits" / "platform=produits-frais" / "month=1999-01").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parquet", "parquet.lock"]


def test_a_failed_export_leaves_the_previous_one_in_place(etl_warehouse, tmp_path, monkeypatch):
    out = tmp_path / "parquet"
    export.export_parquet(Settings(db_path=etl_warehouse), out)
    before = sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*") if p.is_file())

    def write_then_fail(con, name, params):
        con.execute(f"copy (select 1 as x) to '{params['out_dir']}/hits.parquet' (format parquet)")
        raise duckdb.IOException("disque plein")

    monkeypatch.setattr(export, "run_script", write_then_fail)
    with pytest.raises(duckdb.IOException):
        export.export_parquet(Settings(db_path=etl_warehouse), out)
    assert (
        sorted((p.relative_to(out), p.stat().st_size) for p in out.rglob("*") if p.is_file())
        == before
    )
    assert not (tmp_path / "parquet.exporting").exists()


def test_a_folder_that_is_not_an_export_is_never_replaced(etl_warehouse, tmp_path):
    (tmp_path / "notes.txt").write_text("à garder")
    with pytest.raises(export.ExportError, match="n'est pas un export précédent"):
        export.export_parquet(Settings(db_path=etl_warehouse), tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "à garder"


def test_missing_warehouse_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "etl",
            "export-parquet",
            "--db",
            str(tmp_path / "absent.duckdb"),
            "--out",
            str(tmp_path / "parquet"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    assert result.returncode != 0
    assert "entrepôt introuvable" in result.stderr and "absent.duckdb" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "parquet").exists()


def test_an_export_waits_for_no_load_and_says_one_is_running(etl_warehouse, tmp_path):
    # A load changes the hits in place: the export refuses to read them meanwhile.
    with (
        files.exclusive_lock(etl_warehouse),
        pytest.raises(export.ExportError, match="un chargement de l'entrepôt est en cours"),
    ):
        export.export_parquet(Settings(db_path=etl_warehouse), tmp_path / "parquet")
    assert not (tmp_path / "parquet").exists()
