"""Our ETL against GoAccess on the same 2-million-line combined log, in the same run.

The log is cut from a demo raw folder: the food platform's files, oldest first (gzip'd weeks
decompressed), first 2,000,000 lines, written as one plain `access.log`. Then:

* ETL: `python -m etl load --rebuild --quiet --raw <folder with only that log> --db <fresh>`
  (end to end: parse, classify, hash visitors, model visits, write the warehouse);
* GoAccess: `goaccess access.log --log-format=COMBINED --no-global-config -o report.json`
  (parse and aggregate its panels, write a JSON report), once as installed and once with
  `--jobs=2` when the version has parallel parsing;
* a floor: DuckDB's own CSV reader storing the same file and nothing else
  (`bench/duckdb_floor.py`), the bound of any DuckDB-based load on this machine.

GoAccess comes from Debian (`apt-get install goaccess`), installed here when missing if we
are root; otherwise this step is skipped with a message.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from bench.common import LOAD_FINISHED, PYTHON, loadavg_text, now_iso, run_measured, say

LINES = 2_000_000
PLATFORM = "produits-frais"


def ensure_goaccess() -> str | None:
    """Path of goaccess, installing the Debian package when missing (root only)."""
    found = shutil.which("goaccess")
    if found or os.geteuid() != 0:
        return found
    say("goaccess missing: apt-get install goaccess")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "goaccess"], check=False, env=env, capture_output=True
    )
    return shutil.which("goaccess")


def _rotation_order(path: Path) -> int:
    """access.log.39.gz first, access.log last: the order lines were written."""
    match = re.search(r"\.(\d+)(\.gz)?$", path.name)
    return -int(match.group(1)) if match else 0


def cut_log(raw: Path, target: Path, lines: int = LINES) -> int:
    """The first `lines` lines of the platform's logs, oldest first, as one plain file."""
    files = sorted((raw / PLATFORM / "logs").iterdir(), key=_rotation_order)
    written = 0
    with target.open("wb") as out:
        for path in files:
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rb") as source:
                for line in source:
                    out.write(line)
                    written += 1
                    if written == lines:
                        return written
    return written


def _goaccess_version(goaccess: str) -> str:
    text = subprocess.run([goaccess, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"GoAccess - (\d+(?:\.\d+)*)", text)
    return match.group(1) if match else text.strip().splitlines()[0] if text.strip() else "?"


def _has_jobs(goaccess: str) -> bool:
    return "--jobs" in subprocess.run([goaccess, "--help"], capture_output=True, text=True).stdout


def run(raw: Path, work: Path) -> dict | None:
    goaccess = ensure_goaccess()
    if goaccess is None:
        say("goaccess not available (not root?): comparison skipped")
        return None
    folder = work / "goaccess"
    if folder.exists():
        shutil.rmtree(folder)
    log_raw = folder / "raw"
    for sub in ("logs", "suppliers", "listings"):
        (log_raw / PLATFORM / sub).mkdir(parents=True)
    log = log_raw / PLATFORM / "logs" / "access.log"
    lines = cut_log(raw, log)
    result: dict = {
        "started": now_iso(),
        "lines": lines,
        "log_mb": round(log.stat().st_size / 1e6),
        "source": str(raw / PLATFORM / "logs"),
        "goaccess_version": _goaccess_version(goaccess),
    }
    say(f"goaccess comparison: {lines} lines, ETL load")
    etl = run_measured(
        [
            PYTHON,
            "-m",
            "etl",
            "load",
            "--rebuild",
            "--quiet",
            "--raw",
            str(log_raw),
            "--db",
            str(folder / "warehouse.duckdb"),
        ],
        folder / "etl.log",
    )
    etl.check(folder / "etl.log", ok=LOAD_FINISHED)
    result["etl"] = {
        "seconds": round(etl.seconds, 2),
        "cpu_s": round(etl.cpu_s, 1),
        "max_rss_mb": round(etl.max_rss_mb),
        "lines_per_s": round(lines / etl.seconds),
        "loadavg_before": loadavg_text(etl.load_before),
    }
    variants = [("goaccess", [])] + (
        [("goaccess_jobs2", ["--jobs=2"])] if _has_jobs(goaccess) else []
    )
    for name, extra in variants:
        say(f"goaccess comparison: {name}")
        report = folder / f"{name}.json"
        command = [
            goaccess,
            str(log),
            "--log-format=COMBINED",
            "--no-global-config",
            "-o",
            str(report),
            *extra,
        ]
        measured = run_measured(command, folder / f"{name}.log").check(folder / f"{name}.log")
        general = json.loads(report.read_text(errors="replace")).get("general", {})
        shown = ["goaccess", "access.log", *command[2:4], "-o", "report.json", *extra]
        result[name] = {
            "command": " ".join(shown),
            "seconds": round(measured.seconds, 2),
            "cpu_s": round(measured.cpu_s, 1),
            "max_rss_mb": round(measured.max_rss_mb),
            "lines_per_s": round(lines / measured.seconds),
            "total_requests": general.get("total_requests"),
            "valid_requests": general.get("valid_requests"),
            "failed_requests": general.get("failed_requests"),
            "loadavg_before": loadavg_text(measured.load_before),
        }
    say("goaccess comparison: DuckDB floor (its CSV reader alone)")
    floor_log = folder / "floor.log"
    floor = run_measured(
        [PYTHON, "-m", "bench.duckdb_floor", str(log), str(folder / "floor")], floor_log
    )
    floor.check(floor_log)
    result["duckdb_floor"] = {
        **json.loads(floor_log.read_text().strip().splitlines()[-1]),
        "max_rss_mb": round(floor.max_rss_mb),
        "loadavg_before": loadavg_text(floor.load_before),
    }
    fastest = min((result[name]["seconds"] for name, _ in variants))
    result["goaccess_over_etl"] = round(result["etl"]["seconds"] / fastest, 1)
    result["finished"] = now_iso()
    shutil.rmtree(folder)
    return result
