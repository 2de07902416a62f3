"""Where the first visitor's time goes (issue #18), a diagnosis not run by `bench/run`.

    python -m bench.first_visit --db WAREHOUSE [--repeat 3]

1. Server side, in a fresh Python process each time (`--repeat` times), the steps the first
   script run of the landing page pays for, in the order it meets them: importing Streamlit,
   pandas, DuckDB, Plotly and the app's modules, compiling the page scripts, opening the
   warehouse, the landing page's queries (`app.warmup.default_calls`, up to the last
   *Vue d'ensemble* call) and building and serialising its Plotly figures.
2. Browser side, against one `streamlit run` server without warm-up: the home page in a fresh
   browser context (everything cold), again in a fresh context (server warm, browser cache
   cold), again in a new tab of that context (both warm); with the bytes the WebSocket carried
   to the browser and the number of Plotly charts drawn.

Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PYTHON, REPO_ROOT, loadavg_text

STEPS_CHILD = r"""
import json, sys, time
marks = []
t0 = time.perf_counter()
def mark(name):
    marks.append((name, time.perf_counter()))
import streamlit; mark("import streamlit")
import pandas; mark("import pandas")
import duckdb; mark("import duckdb")
import plotly.graph_objects; mark("import plotly.graph_objects")
from app import charts, overview, page, filters, tables, scorecard, report, queries, db, warmup
mark("import app modules (charts, overview, tables, ...)")
from pathlib import Path
for path in ["dashboard.py", *sorted(str(p) for p in Path("app_pages").glob("*.py"))]:
    compile(Path(path).read_text(encoding="utf-8"), path, "exec")
mark("compile dashboard.py and the 7 pages")
conn = duckdb.connect(sys.argv[1], read_only=True)
conn.execute("SET disabled_optimizers = 'build_side_probe_side'")
mark("open the warehouse (read-only)")
ctx = queries.filter_context(conn)
calls = list(warmup.default_calls(ctx))
last = max(i for i, c in enumerate(calls) if c.fn is queries.catalogue_timeseries)
for call in calls[: last + 1]:
    call.fn(conn, *call.args)
queries.load_info(conn)
mark(f"landing page queries ({last + 2} calls)")
from app.filtering import default_filters
config = scorecard.load_config()
f = default_filters(ctx)
memo = {}
def db_cached(fn, *args):  # the queries ran above: here they are the cache's hits
    key = (fn.__name__, repr(args))
    if key not in memo:
        memo[key] = fn(conn, *args)
    return memo[key]
db.cached = db_cached
items = overview.build(f, ctx, config)
mark("overview.build (its queries: again, uncached)")
items = overview.build(f, ctx, config)
mark("overview.build again (cached)")
figures = [overview.weekly_figure(item, ctx) for item in items]
mark("overview figures built (first Plotly figures)")
payload = sum(len(fig.to_json()) for fig in figures)
mark("figures serialised to JSON")
out, prev = [], t0
for name, at in marks:
    out.append({"step": name, "ms": round((at - prev) * 1000)})
    prev = at
print(json.dumps({"steps": out, "total_ms": round((prev - t0) * 1000),
                  "figure_json_bytes": payload}))
"""


def server_side(warehouse: Path, repeat: int) -> list[dict]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [PYTHON, "-c", STEPS_CHILD, str(warehouse)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        )
        runs.append({**json.loads(out.stdout.strip().splitlines()[-1]), "loadavg": loadavg_text()})
    return runs


WS_JS = """() => ({bytes: window.__wsBytes || 0, frames: window.__wsFrames || 0,
  charts: document.querySelectorAll('.js-plotly-plot').length,
  light_charts: document.querySelectorAll('.stVegaLiteChart .mark-rect path').length,
  points: document.querySelectorAll('.js-plotly-plot .point, .js-plotly-plot .js-line').length})"""


def browser_side(warehouse: Path, folder: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from bench import browser as bb

    os.environ["OBSERVATOIRE_WARMUP"] = "0"  # the cold server run is what is measured
    served = folder / "warehouse.duckdb"
    shutil.copyfile(warehouse, served)
    server = bb.start_server(served, folder / "server.log")
    visits = []
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=bb.CHROMIUM, args=bb.CHROMIUM_ARGS)
            context = None
            for label, fresh in (
                ("server cold, browser cache cold", True),
                ("server warm, browser cache cold", True),
                ("server warm, browser cache warm", False),
            ):
                if fresh:
                    if context is not None:
                        context.close()
                    context = chromium.new_context(
                        locale="fr-FR", timezone_id="Europe/Paris", viewport=bb.VIEWPORT
                    )
                page = context.new_page()
                received = {"bytes": 0, "frames": 0}

                def on_socket(socket, received=received):
                    def count(payload):
                        received["bytes"] += len(payload)
                        received["frames"] += 1

                    socket.on("framereceived", count)

                page.on("websocket", on_socket)
                started = time.monotonic()
                page.goto(server.base_url + "/", wait_until="domcontentloaded")
                state = page.wait_for_function(
                    bb.READY_JS, arg=True, polling=50, timeout=120_000
                ).json_value()
                shape = page.evaluate(WS_JS)
                visits.append(
                    {
                        "visit": label,
                        "drawn_ms": round(state["at"]),
                        "wall_ms": round((time.monotonic() - started) * 1000),
                        "ws_bytes": received["bytes"],
                        "ws_frames": received["frames"],
                        "plotly_charts": shape["charts"],
                        "vega_bars": shape["light_charts"],
                        "error": state.get("error"),
                        "loadavg": loadavg_text(),
                    }
                )
                page.close()
            chromium.close()
    finally:
        server.stop()
    return visits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warehouse = args.db.resolve()
    runs = server_side(warehouse, args.repeat)
    steps = {}
    for run in runs:
        for step in run["steps"]:
            steps.setdefault(step["step"], []).append(step["ms"])
    with tempfile.TemporaryDirectory(prefix="bench-first-visit-") as folder:
        visits = browser_side(warehouse, Path(folder))
    print(
        json.dumps(
            {
                "server_side_median_ms": {k: statistics.median(v) for k, v in steps.items()},
                "server_side_runs": runs,
                "browser": visits,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
