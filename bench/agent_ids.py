"""Issue #20, first slice: two checkouts' loads, interleaved in one run (before, after, before,
after…), on the bench's 2,000,000-line file and on the scale-1 demo; wall time, CPU, peak
memory and the size of both database files of each load.

    python -m bench.agent_ids --before DIR --after DIR --work DIR [--runs 3]

`--before` and `--after` are source trees (a `git archive` of each commit); each load runs
`python -m etl load --rebuild --quiet` from its tree with this interpreter. The demo raw folder
(`--scale 1 --seed 2020`) is generated once, by the `--after` tree, and the 2M-line file cut
from it as `bench/goaccess_bench.py` does. Prints one JSON line per load and writes them all
to `<work>/agent_ids.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.goaccess_bench import PLATFORM, cut_log

LOAD_TIMEOUT_S = 900
BLOCK_BYTES = 262144  # DuckDB's storage block


def agent_column_mb(db: Path) -> dict:
    """Approximate bytes of the agent's column of `hits` (`user_agent` or `agent_id`) and of
    all its columns: from `pragma_storage_info`, a segment spans from its offset to the next
    segment's in the same block (DuckDB packs small segments together), plus its extra blocks."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select column_name, block_id, block_offset, len(additional_block_ids) "
            "from pragma_storage_info('hits') where persistent and block_id >= 0"
        ).fetchall()
    by_block: dict[int, list] = {}
    for name, block, offset, extra in rows:
        by_block.setdefault(block, []).append((offset, name, extra))
    sizes: dict[str, int] = {}
    for segments in by_block.values():
        segments.sort()
        for i, (offset, name, extra) in enumerate(segments):
            end = segments[i + 1][0] if i + 1 < len(segments) else BLOCK_BYTES
            sizes[name] = sizes.get(name, 0) + end - offset + extra * BLOCK_BYTES
    agent = sum(v for k, v in sizes.items() if k in ("user_agent", "agent_id"))
    return {
        "hits_columns_mb": round(sum(sizes.values()) / 1e6, 2),
        "agent_column_mb": round(agent / 1e6, 2),
    }


def _load(tree: Path, raw: Path, db: Path) -> dict:
    for stale in db.parent.glob(db.name.split(".")[0] + "*"):
        stale.unlink()
    loadavg = os.getloadavg()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "etl", "load", "--rebuild", "--quiet", "--raw", str(raw)]
        + ["--db", str(db)],
        cwd=tree,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = started + LOAD_TIMEOUT_S
    while True:  # wait4, not poll: the child's own CPU time and peak RSS
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            raise TimeoutError(f"load over {LOAD_TIMEOUT_S} s: {tree}")
        time.sleep(0.05)
    seconds = time.monotonic() - started
    # 1: loaded, with lines quarantined (the demo has some on purpose).
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(process.stderr.read().decode()[-2000:])
    etl_db = db.with_name(db.stem + ".etl.duckdb")
    return {
        "seconds": round(seconds, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "max_rss_mb": round(usage.ru_maxrss / 1024),
        "loadavg_before": [round(x, 2) for x in loadavg],
        "etl_db_mb": round(etl_db.stat().st_size / 1e6, 1),
        "dashboard_db_mb": round(db.stat().st_size / 1e6, 1),
        **agent_column_mb(etl_db),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--inputs", default="2m,scale1", help="comma separated: 2m, scale1")
    args = parser.parse_args()
    raw = args.work / "raw"
    if not raw.exists():
        subprocess.run(
            [sys.executable, "-m", "etl", "demo", "--raw", str(raw), "--scale", "1"]
            + ["--seed", "2020"],
            cwd=args.after,
            check=True,
            timeout=LOAD_TIMEOUT_S,
        )
    raw_2m = args.work / "raw-2m"
    if not raw_2m.exists():
        for sub in ("logs", "suppliers", "listings"):
            (raw_2m / PLATFORM / sub).mkdir(parents=True)
        cut_log(raw, raw_2m / PLATFORM / "logs" / "access.log")
    inputs = {"2m": raw_2m, "scale1": raw}
    results = []
    for name in args.inputs.split(","):
        for run in range(1, args.runs + 1):
            for label, tree in (("before", args.before), ("after", args.after)):
                measured = _load(tree, inputs[name], args.work / f"w-{label}.duckdb")
                row = {"input": name, "run": run, "code": label, **measured}
                print(json.dumps(row), flush=True)
                results.append(row)
    (args.work / "agent_ids.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
