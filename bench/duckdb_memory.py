"""How much of the dashboard's memory is DuckDB's buffer pool (a diagnosis, not a step of
bench/run).

    python -m bench.duckdb_memory --db WAREHOUSE [--limit 256MB]

Runs every page once with the default filters and once with the narrow one (caches cleared
before each) through AppTest in this process, then prints its VmRSS and VmHWM. With `--limit`,
the app's read-only connection is opened with DuckDB's `memory_limit` set: `duckdb.connect` is
wrapped here, since the app has no such setting (DuckDB's default is 80 % of the RAM).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from bench.browser import PAGE_FILES
from bench.pages_bench import _one_run, narrow_filter


def _memory_mb() -> dict:
    status = Path("/proc/self/status").read_text()
    values = {
        line.split(":")[0]: int(line.split()[1])
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }
    return {"rss_mb": round(values["VmRSS"] / 1024), "peak_rss_mb": round(values["VmHWM"] / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--limit", help="DuckDB memory_limit of the app's connection, e.g. 256MB")
    args = parser.parse_args()
    os.environ["OBSERVATOIRE_DB"] = str(args.db.resolve())
    narrow = narrow_filter(args.db)
    if args.limit:
        import duckdb

        connect = duckdb.connect

        def limited(database=":memory:", read_only=False, config=None, **kwargs):
            return connect(
                database,
                read_only=read_only,
                config={**(config or {}), "memory_limit": args.limit},
                **kwargs,
            )

        duckdb.connect = limited
    import streamlit as st

    problems, seconds = [], 0.0
    for params in ({}, narrow):
        for page in PAGE_FILES:
            st.cache_data.clear()
            took, issues = _one_run(page, params)
            seconds += took
            problems += [f"{page}: {p}" for p in issues if f"{page}: {p}" not in problems]
    print(
        json.dumps(
            {
                "warehouse": str(args.db),
                "memory_limit": args.limit or "DuckDB default (80 % of RAM)",
                **_memory_mb(),
                "page_runs": 2 * len(PAGE_FILES),
                "seconds": round(seconds, 1),
                "problems": problems,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
