"""Server capacity (issue #18): page views per second one server sustains with p95 ≤ 2 s.

    python -m bench.capacity --db WAREHOUSE [--rates 0.5,1,2,4,8] [--duration 60] [--out F]

No browser: the load comes from light clients in this one asyncio process that speak
Streamlit's own WebSocket protocol (`/_stcore/stream`, the `streamlit.proto` messages), so
the server's 2 cores are not shared with 20 Chromiums (the 20-session bench's 84 s p50
measures the browsers). Each client is one analyst's session, as a browser tab would be:

* it connects and sends a `rerun_script` BackMsg whose ClientState holds the page and the
  query string, as Streamlit's frontend does on a first load (`page_name` = the address's
  path, e.g. `frequentation`, and the address's query string, e.g.
  `platform=produits-frais&period=annee-2020&departments=45&categories=fruits_legumes`);
* later views are a *page switch* (the page's `page_script_hash`, read from the server's
  `navigation` message, and an empty query string: the session keeps its filters, as after a
  click in the sidebar) or a *filter change* (the same page, a query string with one control
  changed: a department added or replaced, a category, a preset period — values drawn from
  the warehouse's vocabulary, as `bench/fluent.py` clicks them; the app reads an address that
  differs from the one it wrote as the Back button's, so it applies the new filters);
* a view lasts from sending the BackMsg to the `script_finished` ForwardMsg of that run:
  **the server's time for a page view**, transfer over loopback included, browser drawing
  excluded. It is an error when the run does not finish successfully, when it draws a
  Streamlit exception or an `st.error` box, when the server runs another page than the one
  asked for (or answers `page_not_found`), or when it takes over `VIEW_TIMEOUT_S`.

Arrivals are open-loop: page views arrive at `rate` per second (Poisson, seeded) for
`--duration` seconds whatever the server's speed; each goes to an idle analyst of a pool
sized `rate × --pool-think` (about one view every `--pool-think` seconds each), a new analyst
(session) when none is idle. Each rate gets a fresh server (`python -m app.serve`, warm-up on,
as `make run` starts it) on one private copy of the warehouse, measured once its warm-up pass
is over (its CPU idle). Recorded per rate: p50/p95/max per kind and overall, errors, the
server's CPU seconds (process tree) and this process's (the load generator: it must stay
small beside the server's), the load averages before and after, the server's memory.

`--check-browser` first opens a few views both ways — this client and headless Chromium —
and compares what was drawn (Plotly charts, metrics): a client timing empty runs would
measure nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from app.filtering import CUSTOM_PERIOD, DEFAULT_PERIOD, PERIODS
from bench import browser as bb
from bench.common import filter_context, loadavg_text, machine, now_iso

VIEW_TIMEOUT_S = 60  # one page view; an overloaded server fails it rather than hang the bench
DRAIN_S = 60  # after the arrivals stop, how long the views in flight may still finish
CONNECT_TIMEOUT_S = 30
CLOSE_TIMEOUT_S = 5  # closing every session after a rate
WARMUP_SETTLE_MAX_S = 120  # waiting for the server's warm-up pass to end
P95_TARGET_MS = 2000  # issue #18


@dataclass(frozen=True)
class Mix:
    """What analysts do. `page_switch`: share of a session's later views that switch pages,
    the rest change a filter (bench/fluent.py clicks 14 switches for 10 changes: 0.6).
    `deep_link`: share of sessions that open a page with filters, the rest the landing page
    as it is. `Mix(1, 0)` never leaves the default filters: every view is one the warm-up
    computed (cached figures only)."""

    page_switch: float = 0.6
    deep_link: float = 0.5


MIXES = {"mixed": Mix(), "cached": Mix(page_switch=1.0, deep_link=0.0)}
PLATFORM = "produits-frais"

# Streamlit's frontend sends these with every rerun (ClientState.context_info).
CONTEXT = {"timezone": "Europe/Paris", "timezone_offset": -60, "locale": "fr-FR"}


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest), as the other benches."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


# --- one page view over Streamlit's protocol ---------------------------------------------------


@dataclass
class Run:
    """What one script run sent back."""

    ms: float | None = None
    error: str | None = None
    page_hashes: set[str] = field(default_factory=set)  # active_script_hash of the deltas
    elements: dict[str, int] = field(default_factory=dict)  # element type -> count
    messages: int = 0
    bytes: int = 0


def rerun_message(query_string: str, page_script_hash: str = "", page_name: str = "") -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query_string
    state.page_script_hash = page_script_hash
    state.page_name = page_name
    state.context_info.timezone = CONTEXT["timezone"]
    state.context_info.timezone_offset = CONTEXT["timezone_offset"]
    state.context_info.locale = CONTEXT["locale"]
    state.widget_states.SetInParent()
    return msg.SerializeToString()


class Session:
    """One WebSocket session on the server: what a browser tab holds."""

    def __init__(self, ws: ClientConnection):
        self.ws = ws
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash (navigation message)

    @classmethod
    async def open(cls, base_url: str) -> Session:
        url = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        ws = await connect(
            url,
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,  # a figure's JSON may exceed the library's 1 MiB default
            ping_interval=None,  # a busy server must not lose a session to a missed ping
            open_timeout=CONNECT_TIMEOUT_S,
            close_timeout=CLOSE_TIMEOUT_S,
        )
        return cls(ws)

    async def close(self) -> None:
        await self.ws.close()

    async def view(self, path: str, query_string: str, first: bool = False) -> Run:
        """Run page `path` (its url_pathname, "" for the default page) with `query_string`.
        `first`: as a browser's first load (the page by name); later, by its hash."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if first:
            payload = rerun_message(query_string, page_name=path)
        else:
            payload = rerun_message(query_string, page_script_hash=self.pages[path])
        run = Run()
        started = time.perf_counter()
        await self.ws.send(payload)
        seen: dict[tuple, str] = {}
        in_run = False
        try:
            async with asyncio.timeout(VIEW_TIMEOUT_S):
                while True:
                    raw = await self.ws.recv(decode=False)
                    msg = ForwardMsg()
                    msg.ParseFromString(raw)
                    kind = msg.WhichOneof("type")
                    if kind == "new_session":  # every script run starts with one
                        in_run, seen = True, {}
                        run.page_hashes, run.messages, run.bytes = set(), 0, 0
                        continue
                    if not in_run:
                        continue  # the tail of an earlier run
                    run.messages += 1
                    run.bytes += len(raw)
                    if kind == "navigation":
                        self.pages = {
                            p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages
                        }
                    elif kind == "page_not_found":
                        run.error = f"page not found: {msg.page_not_found.page_name!r}"
                    elif kind == "delta":
                        _record_delta(msg, seen, run)
                    elif kind == "script_finished":
                        status = msg.script_finished
                        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            in_run = False  # the app asked for a rerun: wait for it
                            continue
                        if status not in (
                            ForwardMsg.FINISHED_SUCCESSFULLY,
                            ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                        ):
                            run.error = run.error or (
                                f"script finished with {ForwardMsg.ScriptFinishedStatus.Name(status)}"
                            )
                        break
        except TimeoutError:
            run.error = f"no script_finished within {VIEW_TIMEOUT_S} s"
        except Exception as exc:  # a closed connection is a result, not a stop
            run.error = f"{type(exc).__name__}: {str(exc)[:200]}"
        run.ms = round((time.perf_counter() - started) * 1000, 1)
        counts: dict[str, int] = {}
        for element in seen.values():
            counts[element] = counts.get(element, 0) + 1
        run.elements = counts
        wanted = self.pages.get(path)
        # The page's deltas carry its hash (those of dashboard.py, the sidebar, the main
        # script's): a page name the server does not know runs the default page instead.
        if run.error is None and wanted and wanted not in run.page_hashes:
            run.error = f"the server ran another page than {path or '(default)'!r}"
        if run.error is None and not counts:
            run.error = "the run drew nothing"
        return run


def chart_count(elements: dict[str, int]) -> int:
    """Charts of a view: Plotly's, and Vega-Lite's (a lighter landing page may draw those)."""
    return elements.get("plotly_chart", 0) + elements.get("vega_lite_chart", 0)


def _record_delta(msg, seen: dict[tuple, str], run: Run) -> None:
    """Keep the last element sent at each position (a later delta at the same path replaces
    an earlier one: spinners, placeholders); errors on screen make the view an error."""
    delta = msg.delta
    path = tuple(msg.metadata.delta_path)
    run.page_hashes.add(msg.metadata.active_script_hash)
    which = delta.WhichOneof("type")
    if which == "add_block":
        seen[path] = "block"
        return
    if which not in ("new_element", "new_transient"):
        return
    element = delta.new_element
    kind = element.WhichOneof("type")
    seen[path] = kind or "?"
    if kind == "exception":
        run.error = run.error or (
            f"exception: {element.exception.type}: {element.exception.message[:200]}"
        )
    elif kind == "alert" and element.alert.format == element.alert.ERROR:
        run.error = run.error or f"st.error: {element.alert.body[:200]}"


# --- analysts ---------------------------------------------------------------------------------


@dataclass
class Vocabulary:
    pages: list[str]  # url_pathname of each page ("" = the default page)
    departments: list[str]
    categories: list[str]
    periods: list[str]


def vocabulary(warehouse: Path) -> Vocabulary:
    ctx = filter_context(warehouse)
    return Vocabulary(
        pages=[bb.PAGE_PATHS[stem] for stem in bb.PAGE_FILES],
        departments=list(ctx.departments),
        categories=list(ctx.categories.get(PLATFORM, {})),
        periods=[p for p in PERIODS if p != CUSTOM_PERIOD],
    )


def query_string(filters: dict) -> str:
    """The address's query string, in the order `Filters.to_url` writes it."""
    params: list[tuple[str, str]] = [("platform", PLATFORM), ("period", filters["period"])]
    params += [("departments", d) for d in filters["departments"]]
    params += [("categories", c) for c in filters["categories"]]
    return urlencode(params)


class Analyst:
    """One person's session: a page and filters, changed one control at a time."""

    def __init__(self, number: int, words: Vocabulary, rng: random.Random, mix: Mix = Mix()):
        self.mix = mix
        self.number = number
        self.words = words
        self.rng = rng
        self.session: Session | None = None
        self.busy = False
        self.page = ""
        self.filters = {"period": DEFAULT_PERIOD, "departments": [], "categories": []}

    def next_action(self) -> tuple[str, str, str, bool]:
        """(kind, page, query string, first load) of the next view."""
        rng, words = self.rng, self.words
        if self.session is None:
            # Half open the landing page as it is, half a link to a page with filters.
            if rng.random() >= self.mix.deep_link:
                return "open", "", "", True
            self.page = rng.choice(words.pages)
            self.filters = {
                "period": rng.choice(words.periods),
                "departments": [rng.choice(words.departments)],
                "categories": [rng.choice(words.categories)] if words.categories else [],
            }
            return "open", self.page, query_string(self.filters), True
        if rng.random() < self.mix.page_switch:
            self.page = rng.choice([p for p in words.pages if p != self.page])
            return "page_switch", self.page, "", False
        filters = {
            key: list(value) if isinstance(value, list) else value
            for key, value in self.filters.items()
        }
        control = rng.choice(["departments", "categories", "period"])
        if control == "departments":
            other = [d for d in words.departments if d not in filters["departments"]]
            if len(filters["departments"]) >= 2 or not other:
                filters["departments"] = [rng.choice(words.departments)]
            else:
                filters["departments"].append(rng.choice(other))
        elif control == "categories" and words.categories:
            filters["categories"] = [rng.choice(words.categories)]
        else:
            filters["period"] = rng.choice([p for p in words.periods if p != filters["period"]])
        self.filters = filters
        return "filter_change", self.page, query_string(filters), False


def view_key(page: str, filters: dict) -> tuple:
    """What the server computes a view from: its figures are cached under these filters."""
    return (
        page,
        filters["period"],
        tuple(sorted(filters["departments"])),
        tuple(sorted(filters["categories"])),
    )


async def _view(analyst: Analyst, base_url: str, rows: list, t0: float, seen: set) -> None:
    kind, page, qs, first = analyst.next_action()
    key = view_key(page, analyst.filters)
    row = {
        "analyst": analyst.number,
        "kind": kind,
        "page": page,
        "query": qs,
        "at_s": round(time.monotonic() - t0, 2),
        # First time this server is asked for this page and these filters (the warm-up has
        # computed every page's default view): its figures are computed, not read from cache.
        "new_to_server": key not in seen,
    }
    seen.add(key)
    try:
        if analyst.session is None:
            started = time.perf_counter()
            analyst.session = await Session.open(base_url)
            row["connect_ms"] = round((time.perf_counter() - started) * 1000, 1)
        run = await analyst.session.view(page, qs, first=first)
        row.update(ms=run.ms, error=run.error, elements=run.elements, bytes=run.bytes)
    except Exception as exc:  # a refused connection is a result
        row.update(ms=None, error=f"{type(exc).__name__}: {str(exc)[:200]}", elements={})
    finally:
        analyst.busy = False
    rows.append(row)


async def load(
    base_url: str,
    words: Vocabulary,
    rate: float,
    duration: float,
    pool_think: float,
    seed: int,
    mix: Mix = Mix(),
) -> dict:
    """Open-loop arrivals at `rate` views/s for `duration` s; returns every view's row."""
    rng = random.Random(seed)
    pool_size = max(2, math.ceil(rate * pool_think))
    analysts = [Analyst(n, words, random.Random(seed * 1000 + n), mix) for n in range(pool_size)]
    rows: list[dict] = []
    seen = {
        view_key(page, {"period": DEFAULT_PERIOD, "departments": [], "categories": []})
        for page in words.pages
    }
    tasks: set[asyncio.Task] = set()
    t0 = time.monotonic()
    next_at = rng.expovariate(rate)
    late = 0.0
    while next_at < duration:
        delay = t0 + next_at - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            late = max(late, -delay)  # the generator itself fell behind its schedule
        idle = [a for a in analysts if not a.busy]
        if not idle:  # open loop: every analyst busy, so a new one arrives
            analysts.append(
                Analyst(len(analysts), words, random.Random(seed * 1000 + len(analysts)), mix)
            )
            idle = [analysts[-1]]
        analyst = rng.choice(idle)
        analyst.busy = True
        task = asyncio.create_task(_view(analyst, base_url, rows, t0, seen))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        next_at += rng.expovariate(rate)
    arrivals_end = time.monotonic()
    if tasks:
        _, pending = await asyncio.wait(set(tasks), timeout=DRAIN_S)
        for task in pending:
            task.cancel()
        unfinished = len(pending)
    else:
        unfinished = 0
    # All at once, bounded: an overloaded server answers a close handshake late.
    closing = [asyncio.create_task(a.session.close()) for a in analysts if a.session is not None]
    if closing:
        await asyncio.wait(closing, timeout=CLOSE_TIMEOUT_S)
    return {
        "rows": rows,
        "unfinished": unfinished,
        "sessions": sum(1 for a in analysts if a.session is not None),
        "pool_size": pool_size,
        "generator_late_max_ms": round(late * 1000, 1),
        "drain_s": round(time.monotonic() - arrivals_end, 1),
    }


# --- a measured rate on a fresh server -------------------------------------------------------


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def wait_warmup(server: bb.Server, idle_cpu_s: float = 0.1, window_s: float = 2.0) -> float:
    """Seconds until the server's CPU is idle (< `idle_cpu_s` over `window_s`): its warm-up
    pass is over. Bounded by WARMUP_SETTLE_MAX_S."""
    began = time.monotonic()
    before = server.cpu_seconds()
    while time.monotonic() - began < WARMUP_SETTLE_MAX_S:
        time.sleep(window_s)
        now = server.cpu_seconds()
        if now - before < idle_cpu_s:
            break
        before = now
    return round(time.monotonic() - began, 1)


def summarise(rows: list[dict], duration: float) -> dict:
    done = [r for r in rows if r["ms"] is not None and not r["error"]]
    times = [r["ms"] for r in done]
    by_kind = {}
    for kind in ("open", "page_switch", "filter_change"):
        kt = [r["ms"] for r in done if r["kind"] == kind]
        by_kind[kind] = {
            "views": sum(1 for r in rows if r["kind"] == kind),
            "p50_ms": percentile(kt, 0.5),
            "p95_ms": percentile(kt, 0.95),
            "max_ms": max(kt) if kt else None,
        }
    for new in (True, False):
        kt = [r["ms"] for r in done if r["new_to_server"] is new]
        by_kind["new_to_server" if new else "seen_before"] = {
            "views": sum(1 for r in rows if r["new_to_server"] is new),
            "p50_ms": percentile(kt, 0.5),
            "p95_ms": percentile(kt, 0.95),
            "max_ms": max(kt) if kt else None,
        }
    charts = [chart_count(r["elements"]) for r in done]
    return {
        "views": len(rows),
        "ok": len(done),
        "errors": len(rows) - len(done),
        "throughput_per_s": round(len(done) / duration, 2),
        "p50_ms": percentile(times, 0.5),
        "p95_ms": percentile(times, 0.95),
        "max_ms": max(times) if times else None,
        "mean_ms": round(statistics.mean(times), 1) if times else None,
        "by_kind": by_kind,
        "charts_per_view_mean": round(statistics.mean(charts), 2) if charts else None,
        "views_without_chart": sum(1 for c in charts if c == 0),
    }


def measure_rate(
    served: Path,
    words: Vocabulary,
    rate: float,
    duration: float,
    pool_think: float,
    seed: int,
    log: Path,
    mix: Mix = Mix(),
) -> dict:
    server = bb.start_server(served, log)
    try:
        settle = wait_warmup(server)
        result: dict = {
            "rate_per_s": rate,
            "duration_s": duration,
            "warmup_settle_s": settle,
            "loadavg_before": loadavg_text(),
            "started": now_iso(),
            "server_before": server.memory_mb(),
        }
        server_cpu, own_cpu = server.cpu_seconds(), _self_cpu()
        began = time.monotonic()
        outcome = asyncio.run(load(server.base_url, words, rate, duration, pool_think, seed, mix))
        wall = time.monotonic() - began
        result["wall_s"] = round(wall, 1)
        result["server_cpu_s"] = round(server.cpu_seconds() - server_cpu, 2)
        result["server_cpu_share_of_2_cores"] = round(result["server_cpu_s"] / (2 * wall), 3)
        result["client_cpu_s"] = round(_self_cpu() - own_cpu, 2)
        result["loadavg_after"] = loadavg_text()
        result["server_after"] = server.memory_mb()
        result["server_log_tail"] = server.log_tail(5)
    finally:
        server.stop()
    rows = outcome.pop("rows")
    result.update(outcome)
    result.update(summarise(rows, duration))
    result["errors_first"] = [r for r in rows if r["error"]][:10]
    result["unfinished_counted_as_errors"] = outcome["unfinished"]
    result["errors"] += outcome["unfinished"]
    result["server_cpu_per_view_s"] = round(result["server_cpu_s"] / len(rows), 3) if rows else None
    result["rows"] = rows
    return result


# --- the client checked against a browser ------------------------------------------------------

COUNTED = ("plotly_chart", "vega_lite_chart", "metric", "dataframe")
BROWSER_COUNT_JS = """() => ({
  plotly_chart: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
  vega_lite_chart: document.querySelectorAll('[data-testid="stVegaLiteChart"]').length,
  metric: document.querySelectorAll('[data-testid="stMetric"]').length,
  dataframe: document.querySelectorAll('[data-testid="stDataFrame"]').length,
})"""

CHECKS = [  # (url path, query string): the landing page, and a narrow filter on two pages
    ("", ""),
    ("frequentation", "departments=45&categories=fruits_legumes"),
    ("producteurs", "departments=45&categories=fruits_legumes"),
]


async def _client_counts(base_url: str, path: str, qs: str) -> Run:
    session = await Session.open(base_url)
    try:
        return await session.view(path, qs, first=True)
    finally:
        await session.close()


async def _browser_counts(base_url: str, path: str, qs: str) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=bb.CHROMIUM, args=bb.CHROMIUM_ARGS)
        try:
            context = await bb.new_context(chromium, base_url)
            page = await context.new_page()
            url = f"{base_url}/{path}" + (f"?{qs}" if qs else "")
            visit = await bb.visit(page, url, 60_000)
            counts = await page.evaluate(BROWSER_COUNT_JS)
            await context.close()
        finally:
            await chromium.close()
    return {**counts, "error": visit["error"], "drawn_ms": visit["drawn_ms"]}


def check_browser(served: Path, log: Path) -> list[dict]:
    server = bb.start_server(served, log)
    checks = []
    try:
        wait_warmup(server)
        for path, qs in CHECKS:
            run = asyncio.run(_client_counts(server.base_url, path, qs))
            shown = asyncio.run(_browser_counts(server.base_url, path, qs))
            client = {k: run.elements.get(k, 0) for k in COUNTED}
            browser = {k: shown[k] for k in COUNTED}
            checks.append(
                {
                    "page": path or "(default)",
                    "query": qs,
                    "client": client,
                    "client_error": run.error,
                    "client_ms": run.ms,
                    "client_elements": run.elements,
                    "browser": browser,
                    "browser_error": shown["error"],
                    "browser_drawn_ms": shown["drawn_ms"],
                    "same": client == browser and not run.error and not shown["error"],
                }
            )
            print(
                f"  check {path or '/'}?{qs}: client {client}, browser {browser}",
                file=sys.stderr,
                flush=True,
            )
    finally:
        server.stop()
    return checks


# --- command line ------------------------------------------------------------------------------


def capacity(rates: list[dict]) -> float | None:
    """The highest rate whose p95 ≤ 2 s without error, every lower rate meeting it too."""
    best = None
    for row in sorted(rates, key=lambda r: r["rate_per_s"]):
        if row["errors"] == 0 and row["p95_ms"] is not None and row["p95_ms"] <= P95_TARGET_MS:
            best = row["rate_per_s"]
        else:
            break
    return best


def run(
    warehouse: Path,
    rates: list[float],
    duration: float,
    pool_think: float,
    seed: int,
    browser_check: bool,
    logs: Path | None = None,
    stop_over: bool = True,
    mix: Mix = Mix(),
    save=None,
) -> dict:
    """Every rate on a fresh server; `save(result)` is called after each rate (a long run
    cut short keeps the rates it measured)."""
    result: dict = {
        **machine(),
        "warehouse": str(warehouse),
        "started": now_iso(),
        "loadavg_start": loadavg_text(),
        "duration_s": duration,
        "pool_think_s": pool_think,
        "mix": mix.__dict__,
        "seed": seed,
        "warmup_env": os.environ.get("OBSERVATOIRE_WARMUP", ""),
    }
    with tempfile.TemporaryDirectory(prefix="bench-capacity-") as folder:
        work = Path(folder)
        served = work / "warehouse.duckdb"
        shutil.copyfile(warehouse, served)  # never the caller's file
        words = vocabulary(served)
        result["vocabulary"] = words.__dict__
        if browser_check:
            result["browser_check"] = check_browser(served, work / "server-check.log")
        result["rates"] = []
        for number, rate in enumerate(rates):
            log = work / f"server-{rate:g}.log"
            print(f"rate {rate:g}/s for {duration:g} s …", file=sys.stderr, flush=True)
            row = measure_rate(served, words, rate, duration, pool_think, seed + number, log, mix)
            result["rates"].append(row)
            if save is not None:
                save(result)
            print(
                f"  {row['views']} views, {row['errors']} errors, p50 {row['p50_ms']} ms, "
                f"p95 {row['p95_ms']} ms, max {row['max_ms']} ms; server CPU "
                f"{row['server_cpu_s']} s, client CPU {row['client_cpu_s']} s; load "
                f"{row['loadavg_before']} → {row['loadavg_after']}",
                file=sys.stderr,
                flush=True,
            )
            if logs is not None:
                shutil.copyfile(log, logs / log.name)
            if stop_over and (row["errors"] or (row["p95_ms"] or 0) > P95_TARGET_MS):
                print("  over the target: higher rates not run", file=sys.stderr, flush=True)
                break
    result["loadavg_end"] = loadavg_text()
    result["finished"] = now_iso()
    result["capacity_views_per_s"] = capacity(result["rates"])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="warehouse (copied, never written)")
    parser.add_argument("--rates", default="0.5,1,2,4,8", help="page views per second, in order")
    parser.add_argument("--duration", type=float, default=60, help="seconds of arrivals per rate")
    parser.add_argument(
        "--pool-think",
        type=float,
        default=10,
        help="analysts per rate = rate × this (mean seconds between one analyst's views)",
    )
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument(
        "--mix",
        choices=sorted(MIXES),
        default="mixed",
        help="mixed: page switches and filter changes (default); cached: default filters only",
    )
    parser.add_argument(
        "--check-browser",
        action="store_true",
        help="first compare a few views drawn by this client and by Chromium",
    )
    parser.add_argument(
        "--all-rates",
        action="store_true",
        help="run every rate (default: stop after the first rate over p95 2 s or with errors)",
    )
    parser.add_argument("--logs", type=Path, help="folder to keep the servers' logs in")
    parser.add_argument("--out", type=Path, help="write the JSON result there (default: stdout)")
    args = parser.parse_args()
    rates = [float(v) for v in args.rates.split(",") if v.strip()]
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)

    def save(result: dict) -> None:
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"
            args.out.write_text(text, encoding="utf-8")

    result = run(
        args.db.resolve(),
        rates,
        args.duration,
        args.pool_think,
        args.seed,
        args.check_browser,
        args.logs,
        stop_over=not args.all_rates,
        mix=MIXES[args.mix],
        save=save,
    )
    if args.out:
        save(result)
    else:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    print(
        f"capacity: {result['capacity_views_per_s']} page views/s with p95 ≤ 2 s", file=sys.stderr
    )
    checks = result.get("browser_check", [])
    return 1 if any(not c["same"] for c in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
