"""Run the benchmarks and write bench/results/ (see bench/README.md).

    bench/run [--scales 1,10] [--seed 2020] [--runs 5] [--sessions 20] [--only STEPS] [--keep]

Steps, per scale, in a work folder under /tmp (never data/): `etl` (demo generation, full
load, unchanged re-run, one new day), `day` (the unchanged re-run and one new day again, on
the warehouse an earlier `etl --keep` left), `pages` (AppTest time of every page), `memory` (RSS of a
real server after a browser visited every page); once: `goaccess` (2-million-line log, on the
first scale with enough lines); `sessions` (20 concurrent browser sessions), per scale too;
`fluent` (only when named: click to fully drawn page in Chromium, first visitor after a
start or a publication, `--runs` fresh servers; bench/fluent.py).
Then `bench/results/summary.md` and `scaling.png` are rebuilt from every result file, so a run
of some scales or steps keeps the figures of the others.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench import app_memory, concurrent_sessions, etl_bench, fluent, goaccess_bench, report
from bench.common import (
    DEFAULT_WORK,
    PYTHON,
    REPO_ROOT,
    RESULTS,
    loadavg_text,
    machine,
    now_iso,
    read_json,
    say,
    scale_name,
    write_json,
    write_rows,
)
from bench.pages_bench import narrow_filter

STEPS = ("etl", "day", "goaccess", "pages", "memory", "sessions", "fluent")
# Optional steps, run only when named in --only.
OPTIONAL_STEPS = ("fluent",)


def merge(name: str, scale: float, rows: list[dict], flat=None) -> None:
    """Replace the rows of `scale` in results/<name>.json|csv, keep the other scales'.
    `flat(row)`: the CSV's row when the JSON one nests lists or objects."""
    previous = read_json(name)
    kept = [row for row in previous if row["scale"] != scale] if isinstance(previous, list) else []
    merged = sorted(kept + [{"scale": scale, **row} for row in rows], key=lambda row: row["scale"])
    write_json(name, merged)
    write_rows(name, [flat(row) for row in merged] if flat else merged)


def sessions_row(result: dict) -> dict:
    """The CSV line of a concurrent-sessions run."""
    return {
        key: result.get(key)
        for key in (
            "scale",
            "sessions",
            "page_loads",
            "all_sessions_s",
            "server_cpu_s",
            "browser_cpu_s",
            "loadavg_start",
            "loadavg_end",
        )
    } | {
        "errors": len(result["errors"]),
        "drawn_p50_ms": result["drawn_ms"]["p50"],
        "drawn_p95_ms": result["drawn_ms"]["p95"],
        "drawn_max_ms": result["drawn_ms"]["max"],
        "server_rss_after_mb": result["server_after"]["rss_mb"],
        "server_peak_rss_mb": result["server_after"]["peak_rss_mb"],
    }


def pages_step(scale: float, db: Path, runs: int, work: Path) -> dict:
    # Own process: OBSERVATOIRE_DB is read by the app, and st.cache_data is per process.
    say(f"scale {scale_name(scale)}: page times (AppTest, {runs} runs)")
    log = work / f"pages-{scale_name(scale)}.err"
    with log.open("w") as err:
        out = subprocess.run(
            [PYTHON, "-m", "bench.pages_bench", "--db", str(db), "--runs", str(runs)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            check=True,
        )
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/run", description="Benchmarks of the ETL and the dashboard"
    )
    parser.add_argument(
        "--scales",
        default="1,10",
        help="demo scales, comma separated (default 1,10; 50 needs ~70 GB and an hour)",
    )
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--runs", type=int, default=5, help="measured runs per page (median), ≥ 5")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions")
    parser.add_argument(
        "--only",
        default=",".join(s for s in STEPS if s not in OPTIONAL_STEPS),
        help=f"steps to run among {','.join(STEPS)} (fluent only when named)",
    )
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help=f"work folder (default {DEFAULT_WORK})"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the work folder (raw files, warehouses)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a scale's warehouse and ETL figures left in the work folder by --keep",
    )
    args = parser.parse_args(argv)
    scales = sorted(float(s) for s in args.scales.split(","))
    steps = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    if str(args.work.resolve()).startswith(str((REPO_ROOT / "data").resolve())):
        parser.error("the work folder must not be inside data/")
    args.work.mkdir(parents=True, exist_ok=True)

    conditions = {
        **machine(),
        "command": "bench/run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "loadavg_start": loadavg_text(),
        "started": now_iso(),
    }
    say(f"load averages at start: {conditions['loadavg_start']}")
    goaccess_done = False
    for scale in scales:
        folder = args.work / f"scale-{scale_name(scale)}"
        db = folder / "warehouse.duckdb"
        if "etl" in steps or not db.exists():
            # The one-new-day loads copy the warehouse twice (15 GB each at scale 50): the issue
            # asks for them at scale 10, so larger scales skip them and keep the disk in bounds.
            row = etl_bench.run(
                scale, args.seed, args.work, reuse=args.reuse, incremental=scale <= 10
            )
            merge("etl", scale, [row])
        elif "day" in steps:
            merge("etl", scale, [etl_bench.daily_loads_again(scale, args.work)])
        if "goaccess" in steps and not goaccess_done:
            lines = read_json("etl") or []
            enough = any(
                r["scale"] == scale and r["log_lines_read"] >= goaccess_bench.LINES for r in lines
            )
            if enough:
                result = goaccess_bench.run(folder / "raw", args.work)
                if result:
                    write_json("goaccess", {"scale": scale, **result})
                goaccess_done = True
        if "pages" in steps:
            figures = pages_step(scale, db, args.runs, args.work)
            merge("pages", scale, figures["rows"])
        if "memory" in steps:
            say(f"scale {scale_name(scale)}: server memory after a visit of every page")
            narrow = "&".join(f"{key}={value}" for key, value in narrow_filter(db).items())
            memory = app_memory.measure(db, narrow)
            merge(
                "app_memory",
                scale,
                [
                    {
                        "after_start_mb": memory["after_start"]["rss_mb"],
                        "after_default_mb": memory["after_default"]["rss_mb"],
                        "after_narrow_mb": memory["after_narrow"]["rss_mb"],
                        "peak_mb": memory["after_narrow"]["peak_rss_mb"],
                        "narrow_query": narrow,
                        "errors": "; ".join(
                            f"{v['page']} ({v['filters']}): {v['error']}" for v in memory["errors"]
                        ),
                        "drawn_ms": " ".join(
                            f"{v['page']}/{v['filters']}={v['drawn_ms']}" for v in memory["visits"]
                        ),
                        "loadavg": loadavg_text(),
                    }
                ],
            )
        if "sessions" in steps:
            say(f"scale {scale_name(scale)}: {args.sessions} concurrent browser sessions")
            merge(
                "sessions", scale, [concurrent_sessions.run(db, args.sessions)], flat=sessions_row
            )
        if "fluent" in steps:
            say(f"scale {scale_name(scale)}: click to fully drawn page in Chromium (issue #18)")
            result = fluent.measure(db, rounds=args.runs, start_delays=[0, 15], settle=10)
            fluent.write_results(result, conditions["commit"], scale)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)

    conditions.update(loadavg_end=loadavg_text(), finished=now_iso())
    runs = read_json("machine") or {}
    runs = runs if isinstance(runs, dict) and "runs" in runs else {"runs": []}
    runs["runs"].append({**conditions, "scales": [scale_name(s) for s in scales], "steps": steps})
    write_json("machine", runs)
    say(f"load averages at end: {conditions['loadavg_end']}")
    report.write()
    say(f"results in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
