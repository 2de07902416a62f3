"""Helpers shared by the benchmarks: timed child processes, machine conditions, result files."""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# BENCH_RESULTS: write elsewhere (a trial run) instead of the committed results.
RESULTS = Path(os.environ.get("BENCH_RESULTS") or REPO_ROOT / "bench" / "results")
PYTHON = sys.executable
DEFAULT_WORK = Path("/tmp/observatoire-bench")
# Exit codes of `python -m etl load` that mean the load finished: 1 says it finished with
# warnings, which the demo always has (its deliberately broken rows and common-format line).
LOAD_FINISHED = (0, 1)


@dataclass
class Measured:
    """A finished child process: wall time, peak resident memory, exit code."""

    command: list[str]
    seconds: float
    cpu_s: float  # user + system CPU time of the child: less sensitive than wall time to other work
    max_rss_mb: float
    returncode: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]

    def check(self, log: Path | None = None, ok: tuple[int, ...] = (0,)) -> Measured:
        if self.returncode not in ok:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{' '.join(self.command)} exited with {self.returncode}\n{tail}")
        return self


def run_measured(command: list[str], log: Path, env: dict | None = None) -> Measured:
    """Run `command` from the repo root, output to `log`; time it and read its peak RSS.

    `os.wait4` returns the rusage of that one child (`ru_maxrss`, KiB on Linux): the
    "Maximum resident set size" `/usr/bin/time -v` prints, without a shell in between.
    """
    load_before = os.getloadavg()
    with log.open("w", encoding="utf-8") as out:
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    return Measured(
        command,
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        process.returncode,
        load_before,
        os.getloadavg(),
    )


def loadavg_text(values: tuple[float, float, float] | None = None) -> str:
    """`uptime`'s three load averages (1, 5, 15 min), as it prints them."""
    one, five, fifteen = values or os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def machine() -> dict:
    """What the figures depend on: cores, memory, versions, current load."""
    meminfo = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import duckdb
    import streamlit

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout.strip()
    # Other engineers edit the app while benchmarks run: say which code was measured.
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "app", "app_pages", "dashboard.py", "etl"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(meminfo["MemTotal"].split()[0]) / 1024**2, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "streamlit": streamlit.__version__,
        "commit": commit,
        "uncommitted_app_etl_files": [line[3:] for line in dirty if line.strip()],
        "loadavg": loadavg_text(),
        "at": now_iso(),
    }


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def write_rows(name: str, rows: list[dict]) -> Path:
    """`bench/results/<name>.csv`, columns in first-seen order."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    path = RESULTS / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_json(name: str, data) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    return path


def read_json(name: str):
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def scale_name(scale: float) -> str:
    """1 -> "1", 0.5 -> "0.5": folder and file names."""
    return f"{scale:g}"


def say(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def filter_context(warehouse: Path):
    """The dashboard's filter vocabulary (`queries.filter_context`) of `warehouse`, read-only."""
    import duckdb

    from app import queries

    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        return queries.filter_context(conn)
    finally:
        conn.close()
