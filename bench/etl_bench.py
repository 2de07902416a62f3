"""ETL benchmark of one demo scale: generation, full load, unchanged re-run, one new day.

Everything happens in `<work>/scale-<S>/` (raw files, warehouse, logs of each command):

1. `python -m etl demo --raw … --scale S --seed N`                      generation time
2. `python -m etl load --rebuild --quiet --raw … --db …`                full load: time, peak
   memory (`ru_maxrss` of the child), log lines read/loaded/rejected as the warehouse
   records them (`load_files`, `hits`, `rejected_rows`), size of the dashboard's file and of
   the load's database (`warehouse.etl.duckdb`)
3. `python -m etl load --quiet --raw … --db …` again                    unchanged re-run
4. one new day, on a copy of the warehouse (the loaded one stays the pure demo for the page
   benchmarks): the lines of 31 December 2020 of each platform's live `access.log`, re-dated
   1 January 2021, dropped as a new file `access.log-20210101` into each `logs/` folder;
   then the next day (2 January) appended to `access.log`, as nginx does between two
   nightly loads. Each step timed as `python -m etl load`.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb

from bench.common import (
    LOAD_FINISHED,
    PYTHON,
    dir_bytes,
    loadavg_text,
    now_iso,
    run_measured,
    say,
    scale_name,
)
from etl.settings import etl_db_path

PLATFORMS = ("produits-frais", "equipements-protection")
LAST_DAY = b"[31/Dec/2020:"


def warehouse_counts(db: Path) -> dict:
    """Log lines the load's database says it read, loaded and rejected; CSV rows; visits."""
    with duckdb.connect(str(etl_db_path(db)), read_only=True) as con:

        def one(sql: str) -> int:
            return int(con.execute(sql).fetchone()[0] or 0)

        return {
            "log_files": one("select count(*) from load_files where source = 'logs'"),
            "log_lines_read": one("select sum(lines_read) from load_files where source = 'logs'"),
            "log_bytes": one("select sum(bytes) from load_files where source = 'logs'"),
            "hits": one("select count(*) from hits"),
            "log_lines_rejected": one("select count(*) from rejected_rows where source = 'logs'"),
            "csv_rows_read": one("select sum(lines_read) from load_files where source <> 'logs'"),
            "visits": one("select count(*) from visits"),
        }


def _next_day_lines(live_log: Path, stamp: bytes) -> bytes:
    """The 31 December lines of `live_log`, dated `stamp` instead (same times, same +0100)."""
    with live_log.open("rb") as source:
        return b"".join(line.replace(LAST_DAY, stamp, 1) for line in source if LAST_DAY in line)


def incremental_day(raw: Path, db: Path, folder: Path) -> dict:
    """Time `etl load` after one new day arrives: as a new file, then appended to access.log."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    inc_raw, inc_db = folder / "raw", folder / db.name
    # Hard links: the copy costs nothing and the demo files stay untouched (a file that is
    # appended to is copied first, see below).
    shutil.copytree(raw, inc_raw, copy_function=os.link)
    shutil.copyfile(db, inc_db)
    shutil.copyfile(etl_db_path(db), etl_db_path(inc_db))
    shutil.copytree(db.parent / "state", folder / "state")
    # The raw files now live at other paths, which the catalogue's fingerprint includes: a first
    # load, not timed, reads the catalogue again as the previous day's load would have.
    run_measured(
        [PYTHON, "-m", "etl", "load", "--quiet", "--raw", str(inc_raw), "--db", str(inc_db)],
        folder / "load-settle.log",
    ).check(folder / "load-settle.log", ok=LOAD_FINISHED)
    # The copies just made are gigabytes of dirty pages at scale 10: flushed now, they would be
    # written back during the first measured load and charged to it. In daily operation the
    # warehouse was written by the previous day's load, long flushed.
    os.sync()
    before = warehouse_counts(inc_db)
    result: dict = {}
    for step, stamp in (("new_file", b"[01/Jan/2021:"), ("appended", b"[02/Jan/2021:")):
        lines = 0
        for platform in PLATFORMS:
            logs = inc_raw / platform / "logs"
            day = _next_day_lines(raw / platform / "logs" / "access.log", stamp)
            lines += day.count(b"\n")
            if step == "new_file":
                (logs / "access.log-20210101").write_bytes(day)
            else:
                live = logs / "access.log"
                content = live.read_bytes()
                live.unlink()  # break the hard link to the demo's file
                live.write_bytes(content + day)
        os.sync()  # this step's files, and the previous step's warehouse, written back first
        measured = run_measured(
            [PYTHON, "-m", "etl", "load", "--quiet", "--raw", str(inc_raw), "--db", str(inc_db)],
            folder / f"load-{step}.log",
        ).check(folder / f"load-{step}.log", ok=LOAD_FINISHED)
        after = warehouse_counts(inc_db)
        result[step] = {
            "lines": lines,
            "seconds": round(measured.seconds, 2),
            "cpu_s": round(measured.cpu_s, 1),
            "max_rss_mb": round(measured.max_rss_mb),
            "hits_added": after["hits"] - before["hits"],
            "loadavg_before": loadavg_text(measured.load_before),
        }
        before = after
    shutil.rmtree(folder)
    return result


def run(scale: float, seed: int, work: Path, reuse: bool = False, incremental: bool = True) -> dict:
    folder = work / f"scale-{scale_name(scale)}"
    record = folder / "etl.json"
    raw, db = folder / "raw", folder / "warehouse.duckdb"
    if reuse and record.exists() and db.exists():
        say(f"scale {scale_name(scale)}: ETL figures reused from {record}")
        return json.loads(record.read_text())
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    row: dict = {
        "scale": scale,
        "seed": seed,
        "started": now_iso(),
        "loadavg_start": loadavg_text(),
    }

    say(f"scale {scale_name(scale)}: demo generation")
    demo = run_measured(
        [
            PYTHON,
            "-m",
            "etl",
            "demo",
            "--raw",
            str(raw),
            "--scale",
            str(scale),
            "--seed",
            str(seed),
        ],
        folder / "demo.log",
    ).check(folder / "demo.log")
    row.update(
        demo_s=round(demo.seconds, 1),
        demo_cpu_s=round(demo.cpu_s, 1),
        raw_disk_mb=round(dir_bytes(raw) / 1e6),
    )

    say(f"scale {scale_name(scale)}: full load (--rebuild)")
    load = run_measured(
        [PYTHON, "-m", "etl", "load", "--rebuild", "--quiet", "--raw", str(raw), "--db", str(db)],
        folder / "load.log",
    ).check(folder / "load.log", ok=LOAD_FINISHED)
    counts = warehouse_counts(db)
    row.update(
        load_s=round(load.seconds, 1),
        load_cpu_s=round(load.cpu_s, 1),
        load_max_rss_mb=round(load.max_rss_mb),
        loadavg_load=loadavg_text(load.load_before) + " → " + loadavg_text(load.load_after),
        **counts,
        log_gb_decompressed=round(counts["log_bytes"] / 1e9, 2),
        lines_per_s=round(counts["log_lines_read"] / load.seconds),
        warehouse_mb=round(db.stat().st_size / 1e6),
        etl_db_mb=round(etl_db_path(db).stat().st_size / 1e6),
    )

    _daily_loads(row, scale, raw, db, folder, incremental)
    row["finished"] = now_iso()
    record.write_text(json.dumps(row, indent=2) + "\n")
    return row


def daily_loads_again(scale: float, work: Path) -> dict:
    """The unchanged re-run and the one-new-day loads again, on the raw folder and warehouse a
    previous `etl` step kept (`--keep`): the incremental path re-measured without a full load."""
    folder = work / f"scale-{scale_name(scale)}"
    record = folder / "etl.json"
    raw, db = folder / "raw", folder / "warehouse.duckdb"
    if not (record.exists() and db.exists()):
        raise SystemExit(f"no kept ETL run in {folder}: run the etl step with --keep first")
    row = json.loads(record.read_text())
    # The code may have changed since that load: one load, not timed, brings the warehouse to
    # it, so that the re-run below is a true no-op.
    run_measured(
        [PYTHON, "-m", "etl", "load", "--quiet", "--raw", str(raw), "--db", str(db)],
        folder / "settle.log",
    ).check(folder / "settle.log", ok=LOAD_FINISHED)
    _daily_loads(row, scale, raw, db, folder, incremental=True)
    row["daily_loads_measured"] = now_iso()
    record.write_text(json.dumps(row, indent=2) + "\n")
    return row


def _daily_loads(
    row: dict, scale: float, raw: Path, db: Path, folder: Path, incremental: bool
) -> None:
    say(f"scale {scale_name(scale)}: unchanged re-run")
    rerun = run_measured(
        [PYTHON, "-m", "etl", "load", "--quiet", "--raw", str(raw), "--db", str(db)],
        folder / "rerun.log",
    ).check(folder / "rerun.log", ok=LOAD_FINISHED)
    row.update(rerun_s=round(rerun.seconds, 1))
    if incremental:
        say(f"scale {scale_name(scale)}: one new day")
        days = incremental_day(raw, db, folder / "incremental")
        for step, figures in days.items():
            row.update(
                {
                    f"day_{step}_{key}": value
                    for key, value in figures.items()
                    if key != "loadavg_before"
                }
            )
            row[f"day_{step}_loadavg"] = figures["loadavg_before"]
