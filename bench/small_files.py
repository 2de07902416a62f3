"""Many small log files (issue #28): one per vhost per day is common on shared hosting.

`python -m bench.small_files --files 1000 3000 10000` writes, for each count, that many
finished logs of a few lines each (plus one junk line, quarantined) into a fresh raw folder
under `--work` (default /tmp/observatoire-bench/small-files), loads it with the CLI in a child
process, and prints one JSON object per count: files, wall seconds, CPU seconds, peak RSS (MB),
exit code, load averages before and after. `--results` also writes them to
`bench/results/small_files.json` (BENCH_RESULTS to write elsewhere). Not run by `bench/run`:
a diagnosis, whose figures docs/performance.md quotes ("Many small log files").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

from bench.common import DEFAULT_WORK, PYTHON, RESULTS, loadavg_text, now_iso, run_measured

PLATFORM = "produits-frais"
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def write_logs(raw: Path, files: int, lines_per_file: int) -> None:
    folder = raw / PLATFORM / "logs"
    folder.mkdir(parents=True)
    finished = time.time() - 3600  # not a live log: its last line is read
    for i in range(files):
        day = 1 + i % 28
        body = "".join(
            f"192.0.2.{1 + n % 200} - - [{day:02d}/Apr/2020:10:{n % 60:02d}:00 +0200] "
            f'"GET /p/{i}/{n} HTTP/1.1" 200 1000 "-" "{AGENT}"\n'
            for n in range(lines_per_file)
        )
        path = folder / f"site{i:05d}.access.log"
        path.write_text(body + f"junk {i}\n", encoding="utf-8")
        os.utime(path, (finished, finished))


def measure(work: Path, files: int, lines_per_file: int) -> dict:
    folder = work / f"files-{files}"
    shutil.rmtree(folder, ignore_errors=True)
    write_logs(folder / "raw", files, lines_per_file)
    command = [
        PYTHON,
        "-m",
        "etl",
        "load",
        "--raw",
        str(folder / "raw"),
        "--db",
        str(folder / "warehouse.duckdb"),
        "--quiet",
    ]
    run = run_measured(command, folder / "load.log")
    result = {
        "files": files,
        "lines_per_file": lines_per_file + 1,
        "seconds": round(run.seconds, 1),
        "cpu_s": round(run.cpu_s, 1),
        "peak_rss_mb": round(run.max_rss_mb),
        "returncode": run.returncode,
        "load_before": loadavg_text(run.load_before),
        "load_after": loadavg_text(run.load_after),
        "at": now_iso(),
    }
    if run.returncode not in (0, 1):
        result["log_tail"] = (folder / "load.log").read_text(errors="replace")[-2000:]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--lines-per-file", type=int, default=5)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK / "small-files")
    parser.add_argument(
        "--results", action="store_true", help="write bench/results/small_files.json"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    results = []
    try:
        for files in args.files:
            result = measure(args.work, files, args.lines_per_file)
            print(json.dumps(result), flush=True)
            results.append(result)
    finally:
        if not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
    if args.results:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "small_files.json").write_text(
            json.dumps(results, indent=1) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
