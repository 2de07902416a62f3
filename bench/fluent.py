"""Fluent in the browser (issue #18): from a click to a fully drawn page, in headless Chromium.

    python -m bench.fluent --db WAREHOUSE [--rounds 5] [--start-delays 0,15] [--settle 10]

Each round starts a fresh `streamlit run` server (the way tests/browser/ui.py starts it) on
a private copy of the warehouse, and one headless Chromium measures, one action at a time:

* `first_after_start`: a new browser context opens the home page; navigation start → fully
  drawn. Rounds cycle through `--start-delays` (seconds between the health endpoint answering
  and that visit: 0 is a visitor arriving as the server comes up).
* `page_switch`: a click on each link of the sidebar navigation, twice round the pages (the
  first round is each page's first visit in that server); last pointer-down → fully drawn.
* `filter_change`: values that server has not seen: a new department, a new category, a new
  preset period, on *Fréquentation*, *Sources et parcours* then *Producteurs et produits*
  (two departments and two categories each, while the warehouse has enough); last
  pointer-down → fully drawn.
* `first_after_publish`: the warehouse copy is replaced atomically by a fresh copy (a new
  modification time, as `etl/publish.py` switches its file in), `--settle` seconds pass, and
  a new tab (same browser context: static files cached) opens the home page.

"Fully drawn" is bench/browser.py's READY_JS (script run over, no running indicator, nothing
stale, every Plotly chart drawn, shape steady for 300 ms). For a click, the page must also
have started a script run since that click. One browser context at a time and sequential
actions, so the browser takes as little of the 2 cores from the server as it can; the browser
still runs on the same machine (its drawing time is part of every figure).

Prints the JSON result; with `--label L` (or from `bench/run --only fluent`, labelled with the
commit) also adds it to results/fluent.json (every row, the conditions of every run) and
results/fluent.csv (p50, p95, max, runs, errors and 1-minute load averages per label, scale,
kind). Runs under one label accumulate, so before/after runs can be interleaved.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app import labels
from bench import browser as bb
from bench.common import (
    filter_context,
    loadavg_text,
    machine,
    now_iso,
    read_json,
    write_json,
    write_rows,
)
from tests.browser import ui

TIMEOUT_MS = 120_000  # one cold page on a busy 2-core machine

# Last pointer-down (or key press) before the page's rerun, and whether a script run started
# since: the MutationObserver sees every change of Streamlit's run-state marker, even a run
# shorter than one poll (its old value says "running").
CLICK_WATCH_JS = """
window.__lastDown = null;
window.__sawRun = false;
const __armed = () => { window.__lastDown = performance.now(); window.__sawRun = false;
                        window.__benchShape = null; };
document.addEventListener('pointerdown', __armed, true);
new MutationObserver(records => {
  for (const r of records) {
    if (r.oldValue === 'running' || r.target.getAttribute('data-test-script-state') === 'running')
      window.__sawRun = true;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""

CLICK_READY_JS = (
    "(charts) => { if (window.__lastDown === null || !window.__sawRun) return false;"
    f" const state = ({bb.READY_JS})(charts);"
    " if (!state) return false;"
    " return {at: state.at - window.__lastDown, error: state.error || null}; }"
)


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p95 of 5 values is the largest): no interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, int(-(-share * len(ordered) // 1)))  # ceil
    return ordered[min(rank, len(ordered)) - 1]


class Round:
    """One fresh server and the browser actions against it."""

    def __init__(self, browser, warehouse: Path, work: Path, number: int, results: list, logs=None):
        self.logs = logs
        self.browser = browser
        self.warehouse = warehouse
        self.work = work
        self.number = number
        self.results = results
        self.context = None
        self.page = None

    def record(self, kind: str, what: str, outcome: dict, **extra) -> None:
        row = {
            "round": self.number,
            "kind": kind,
            "what": what,
            "ms": outcome.get("ms"),
            "error": outcome.get("error"),
            "loadavg": loadavg_text(),
            **extra,
        }
        self.results.append(row)
        shown = f"{row['ms']} ms" + (f" ({row['error']})" if row["error"] else "")
        print(
            f"  round {self.number} {kind:20} {what[:40]:40} {shown}", file=sys.stderr, flush=True
        )

    def new_tab(self, fresh_context: bool):
        if fresh_context or self.context is None:
            if self.context is not None:
                self.context.close()
            self.context = self.browser.new_context(
                locale="fr-FR", timezone_id="Europe/Paris", viewport=bb.VIEWPORT
            )
            self.context.add_init_script(CLICK_WATCH_JS)
            base = self.base_url
            self.context.route(
                lambda url: not url.startswith(base), lambda route: route.abort("blockedbyclient")
            )
        page = self.context.new_page()
        page.set_default_timeout(ui.ACTION_TIMEOUT_MS)
        if self.page is not None and not self.page.is_closed():
            self.page.close()
        self.page = page
        return page

    def visit(self) -> dict:
        """Open the home page in the current tab: navigation start → fully drawn."""
        try:
            self.page.goto(self.base_url + "/", wait_until="domcontentloaded", timeout=TIMEOUT_MS)
            handle = self.page.wait_for_function(
                bb.READY_JS, arg=True, polling=50, timeout=TIMEOUT_MS
            )
            state = handle.json_value()
            return {"ms": round(state["at"]), "error": state.get("error")}
        except Exception as exc:  # a timeout is a result
            return {"ms": None, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}

    def timed_click(self, action, changes_url: bool = False) -> dict:
        """Run `action` (clicks), then wait until the page it triggered is fully drawn.
        `changes_url`: a filter change must show in the address, else it did not apply."""
        try:
            self.page.keyboard.press("Escape")  # no dropdown left open over the next control
            self.page.evaluate("window.__lastDown = null; window.__sawRun = false")
            before = self.page.url
            action()
            # No chart required: the run that started after the click has ended, and a page
            # may show none (*Approvisionnement local* without canteen files stops after its
            # metrics: waiting for a chart timed out at 2 minutes).
            handle = self.page.wait_for_function(
                CLICK_READY_JS, arg=False, polling=50, timeout=TIMEOUT_MS
            )
            state = handle.json_value()
            error = state.get("error")
            if changes_url and self.page.url == before:
                error = error or "the address did not change: filter not applied"
            return {"ms": round(state["at"]), "error": error}
        except Exception as exc:
            return {"ms": None, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}

    def run(self, start_delay: float, settle: float, choices: dict) -> None:
        served = self.work / f"round-{self.number}" / "warehouse.duckdb"
        served.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.warehouse, served)
        server = bb.start_server(served, served.parent / "server.log")
        self.base_url = server.base_url
        try:
            time.sleep(start_delay)
            self.new_tab(fresh_context=True)
            cpu = server.cpu_seconds()
            visit = self.visit()
            self.record(
                "first_after_start",
                "vue_ensemble",
                visit,
                delay_s=start_delay,
                server_cpu_ms=round((server.cpu_seconds() - cpu) * 1000),
            )
            app = ui.AppPage(self.page, self.base_url)
            nav = [title for title, _ in app.sidebar_nav()]
            for lap in (1, 2):
                for title in [*nav[1:], nav[0]]:
                    link = self.page.locator('[data-testid="stSidebarNav"] a').filter(
                        has_text=title
                    )
                    self.record(
                        "page_switch",
                        title,
                        self.timed_click(link.first.click),
                        first_in_server=lap == 1,
                    )
            # Not on the overview: with a department chosen there, main at 26a67c7 shows a
            # Streamlit exception (app/tables.py, no scorecard row flagged).
            for title in (labels.PAGE_TRAFFIC, labels.PAGE_JOURNEYS, labels.PAGE_SUPPLIERS):
                link = self.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title)
                self.timed_click(link.first.click)  # not recorded: a page switch seen above
                for department in choices["departments"][:2]:
                    self.record(
                        "filter_change",
                        f"{title}: +{department}",
                        self.timed_click(
                            lambda d=department: app.add_department(d), changes_url=True
                        ),
                    )
                for category in choices["categories"][:2]:
                    self.record(
                        "filter_change",
                        f"{title}: +{category}",
                        self.timed_click(
                            lambda c=category: self._choose("filter_categories", c),
                            changes_url=True,
                        ),
                    )
                period = choices["periods"].pop(0) if choices["periods"] else None
                if period:
                    self.record(
                        "filter_change",
                        f"{title}: {period}",
                        self.timed_click(
                            lambda p=period: self._choose("filter_period", p), changes_url=True
                        ),
                    )
                choices["departments"] = choices["departments"][2:]
                choices["categories"] = choices["categories"][2:]
            # Publication: a fresh copy switched in atomically (new inode, new mtime).
            fresh = served.with_name("warehouse.duckdb.new")
            shutil.copyfile(self.warehouse, fresh)
            os.replace(fresh, served)
            time.sleep(settle)
            self.new_tab(fresh_context=False)
            cpu = server.cpu_seconds()
            visit = self.visit()
            self.record(
                "first_after_publish",
                "vue_ensemble",
                visit,
                settle_s=settle,
                server_cpu_ms=round((server.cpu_seconds() - cpu) * 1000),
            )
        finally:
            if self.context is not None:
                self.context.close()
                self.context = None
            server.stop()
            if self.logs is not None:
                shutil.copyfile(
                    served.parent / "server.log", self.logs / f"server-{self.number}.log"
                )

    def _choose(self, widget: str, name: str) -> None:
        """Open the sidebar dropdown `widget` and click its option `name`. A click on a
        dropdown just after another one closed may leave it shut (seen after two department
        choices): then it is clicked again, before the option's click starts the timing."""
        box = self.page.locator(f'.st-key-{widget} input[role="combobox"]')
        option = self.page.get_by_role("option", name=name, exact=True)
        for _ in range(3):
            box.click()
            try:
                option.wait_for(state="visible", timeout=2_000)
                break
            except Exception:  # noqa: BLE001 — not open: try again
                self.page.keyboard.press("Escape")
        option.click()
        self.page.keyboard.press("Escape")


def filter_choices(warehouse: Path) -> dict:
    """Departments, categories (food platform, default) and presets to click, in order."""
    ctx = filter_context(warehouse)
    periods = [
        label
        for code, label in labels.PERIOD_PRESETS.items()
        if code not in ("depuis-ouverture", "personnalisee")
    ]
    return {
        "departments": [ctx.department_label(code) for code in ctx.departments],
        "categories": list(ctx.categories.get("produits-frais", {}).values()),
        "periods": periods,
    }


def summarise(rows: list[dict]) -> list[dict]:
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        key = (row["kind"], row.get("delay_s"), row.get("first_in_server"))
        groups.setdefault(key, []).append(row)
    summary = []
    for (kind, delay, first), members in sorted(groups.items(), key=str):
        times = [r["ms"] for r in members if r["ms"] is not None and not r["error"]]
        summary.append(
            {
                "kind": kind,
                "variant": (
                    f"{delay:g} s after start"
                    if delay is not None
                    else ("first visit of the page" if first else "page seen before")
                    if first is not None
                    else ""
                ),
                "runs": len(members),
                "errors": len(members) - len(times),
                "p50_ms": round(statistics.median(times)) if times else None,
                "p95_ms": percentile(times, 0.95),
                "max_ms": max(times) if times else None,
                # CPU the server process used during the visit (first visits only): less
                # sensitive than wall time to the other work on the machine.
                "server_cpu_p50_ms": (
                    round(statistics.median(cpus))
                    if (cpus := [r["server_cpu_ms"] for r in members if r.get("server_cpu_ms")])
                    else None
                ),
            }
        )
    return summary


def write_results(result: dict, label: str, scale: float) -> None:
    """Add this run to results/fluent.json (every row, and the conditions of each run) and
    rebuild the summary per label (`before` / `after` or a commit) and scale, also written
    as results/fluent.csv. Runs with the same label accumulate (interleaved runs)."""
    previous = read_json("fluent") or {}
    runs = previous.get("runs", [])
    rows = previous.get("rows", [])
    header = {key: value for key, value in result.items() if key not in ("rows", "summary")}
    runs.append({**header, "label": label, "scale": scale})
    rows += [{**row, "label": label, "scale": scale} for row in result["rows"]]
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["label"], row["scale"]), []).append(row)
    summary = []
    for (group_label, group_scale), members in groups.items():
        loads = [float(row["loadavg"].split()[0]) for row in members]
        for line in summarise(members):
            summary.append(
                {
                    "label": group_label,
                    "scale": group_scale,
                    **line,
                    "loadavg_1min_min": min(loads),
                    "loadavg_1min_max": max(loads),
                }
            )
    write_json("fluent", {"runs": runs, "summary": summary, "rows": rows})
    write_rows("fluent", summary)


def measure(
    warehouse: Path, rounds: int, start_delays: list[float], settle: float, logs=None
) -> dict:
    from playwright.sync_api import sync_playwright

    started = {"loadavg_start": loadavg_text(), "started": now_iso()}
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-fluent-") as folder, sync_playwright() as pw:
        work = Path(folder)
        chromium = pw.chromium.launch(executable_path=bb.CHROMIUM, args=bb.CHROMIUM_ARGS)
        try:
            for number in range(1, rounds + 1):
                delay = start_delays[(number - 1) % len(start_delays)]
                Round(chromium, warehouse, work, number, rows, logs).run(
                    delay, settle, filter_choices(warehouse)
                )
        finally:
            chromium.close()
    return {
        **machine(),
        **started,
        "loadavg_end": loadavg_text(),
        "finished": now_iso(),
        "warehouse": str(warehouse),
        "rounds": rounds,
        "start_delays_s": start_delays,
        "settle_s": settle,
        "warmup_env": os.environ.get("OBSERVATOIRE_WARMUP", ""),
        "summary": summarise(rows),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5, help="fresh servers (default 5)")
    parser.add_argument(
        "--start-delays",
        default="0,15",
        help="seconds between the server answering and its first visitor, cycled over rounds",
    )
    parser.add_argument(
        "--settle", type=float, default=10, help="seconds between a publication and the visit"
    )
    parser.add_argument("--logs", type=Path, help="folder to keep the servers' logs in")
    parser.add_argument(
        "--label", help="also add the run to results/fluent.json|csv under this label"
    )
    parser.add_argument("--scale", type=float, default=1, help="scale of WAREHOUSE (results)")
    args = parser.parse_args()
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
    delays = [float(v) for v in args.start_delays.split(",") if v.strip()]
    result = measure(args.db.resolve(), args.rounds, delays, args.settle, args.logs)
    if args.label:
        write_results(result, args.label, args.scale)
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
