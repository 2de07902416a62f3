"""Where a page's cold server time goes, query by query, run through Streamlit's AppTest.

    python -m bench.page_queries --db WAREHOUSE --page frequentation
                                 [--filters '{"departments": "18"}'] [--runs 4]

The page is run as `bench/pages_bench.py` runs it (the sidebar and the page, filters as
page-address parameters), once to warm up and then `runs` times cold: `st.cache_data` and
the kept scope tables (`app/queries/engine.py`) cleared before each run, the read-only
connection kept open. Each call of `engine.run` (`q:` + the SQL file's name) and of
`engine.kept_table` (`k:` + the kept table's name) is timed; a query's time includes the
kept tables it computed first, so the lines overlap. Prints the page's wall times and each
line's median, slowest first (ms), and the process's CPU time per run: above the wall time
when the page's figures overlap (`app.db.ahead`). The figures of docs/performance.md's
per-query tables.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from bench.common import REPO_ROOT


def _timed(times: dict[str, float], prefix: str, fn):
    def wrapper(conn, name, params=None):
        started = time.perf_counter()
        try:
            return fn(conn, name, params)
        finally:
            label = name if len(name) < 40 else name[:30].replace("\n", " ")
            times[prefix + label] += time.perf_counter() - started

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--page", required=True, help="a file name of app_pages/, no suffix")
    parser.add_argument("--filters", default="{}", help="page-address parameters, as JSON")
    parser.add_argument("--runs", type=int, default=4)
    args = parser.parse_args()
    # Read by the app when it opens the warehouse; no background warm-up in this process.
    os.environ["OBSERVATOIRE_DB"] = str(args.db)
    os.environ["OBSERVATOIRE_WARMUP"] = "0"

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from app.queries import engine

    current: dict[str, float] = collections.defaultdict(float)
    real_run = engine.run
    engine.run = _timed(current, "q:", real_run)
    engine.kept_table = _timed(current, "k:", engine.kept_table)
    # The query modules imported `run` by name: theirs is replaced too.
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("app.queries") and (
            getattr(module, "run", None) is real_run
        ):
            module.run = engine.run

    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=300)
    for key, value in json.loads(args.filters).items():
        app.query_params[key] = value
    app.run()
    walls: list[float] = []
    cpus: list[float] = []  # the process's CPU seconds: more than the wall when figures overlap
    per_line: dict[str, list[float]] = collections.defaultdict(list)
    for run in range(args.runs + 1):
        st.cache_data.clear()
        engine.clear_scope_cache()
        current.clear()
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        app.switch_page(f"app_pages/{args.page}.py").run()
        wall = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu_started
        if app.exception:
            raise SystemExit(f"the page failed: {app.exception}")
        if run == 0:  # the warm-up: imports, first connection
            continue
        walls.append(wall)
        cpus.append(cpu)
        for label, seconds in current.items():
            per_line[label].append(seconds)
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(f"page wall, median {statistics.median(walls) * 1000:.0f} ms, runs", end=" ")
    print(", ".join(f"{w * 1000:.0f}" for w in walls))
    print(f"page CPU, median {statistics.median(cpus) * 1000:.0f} ms, runs", end=" ")
    print(", ".join(f"{c * 1000:.0f}" for c in cpus))
    for label, values in sorted(per_line.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"{statistics.median(values) * 1000:8.1f} ms  {label}")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
