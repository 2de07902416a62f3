"""A real dashboard server and headless Chromium, for the memory and concurrency benchmarks.

The server is started as the browser tests start it (tests/browser/ui.py): `python -m
app.serve` (`streamlit run dashboard.py` and its background cache warm-up; set
`OBSERVATOIRE_WARMUP=0` to measure without it) on a free loopback port, file watcher off, an empty secrets file (no login
prompt), `OBSERVATOIRE_DB` pointing at the warehouse under test. The browser is Debian's
Chromium with the flags the tests use.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import REPO_ROOT
from tests.browser import ui

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1440, "height": 900}

# URL path of each page (Streamlit derives it from the file name); the default page is "/".
DEFAULT_PAGE = "vue_ensemble"
PAGE_FILES = sorted(
    p.stem for p in (REPO_ROOT / "app_pages").glob("*.py") if not p.name.startswith("_")
)
PAGE_PATHS = {stem: ("" if stem == DEFAULT_PAGE else stem) for stem in PAGE_FILES}

# Fully drawn: the script run is over (Streamlit's own `data-test-script-state` marker and no
# running indicator `stStatusWidget`), nothing stale or still a skeleton, every Plotly chart
# has drawn its SVG and every Vega-Lite chart (the landing page's, the metrics' sparklines)
# its marks (and, when `charts` is true, there is at least one chart with bars or lines:
# Plotly, or the landing page's Vega-Lite bars), and the page has held
# that shape for 300 ms. Returns `{at}`: performance.now() when that state was first reached,
# i.e. milliseconds since the navigation started; or `{error}` on a Streamlit exception.
READY_JS = """(charts) => {
  const exception = document.querySelector('[data-testid="stException"]');
  if (exception) return {error: exception.innerText.slice(0, 500), at: performance.now()};
  const app = document.querySelector('[data-testid="stApp"]');
  const plots = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const light = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  const drawn = !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')
    && !!document.querySelector('[data-testid="stMetricValue"]')
    && (!charts || !!document.querySelector('.js-plotly-plot, .stVegaLiteChart .mark-rect path'))
    && plots.every(chart => chart.querySelector('.main-svg'))
    && light.every(chart => chart.querySelector('svg.marks, canvas'));
  const shape = [location.href, plots.length, light.length,
    document.querySelectorAll('[data-testid="stElementContainer"]').length,
    document.querySelectorAll('.js-plotly-plot .main-svg').length,
    document.querySelectorAll('.stVegaLiteChart .mark-rect path').length].join('|');
  const now = performance.now();
  if (!drawn || window.__benchShape !== shape) {
    window.__benchShape = shape;
    window.__benchSince = now;
    return false;
  }
  return now - window.__benchSince >= 300 ? {at: window.__benchSince} : false;
}"""


def _processes() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds of the process and of its children it has reaped)."""
    table = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        # After the name: state, ppid, …, utime (12th), stime, cutime, cstime.
        table[int(stat.parent.name)] = (int(fields[1]), sum(int(v) for v in fields[11:15]) / tick)
    return table


def tree_cpu_seconds(root: int, exclude: int | None = None) -> float:
    """CPU seconds used so far by `root` and its descendants (without `exclude`'s subtree)."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid == exclude or pid not in table:
            continue
        total += table[pid][1]
        todo += children.get(pid, [])
    return total


@dataclass
class Server(ui.Server):
    """The test suite's server (tests/browser/ui.py), plus what the benchmarks read of it."""

    def memory_mb(self) -> dict:
        """VmRSS (now) and VmHWM (peak) of the server process, from /proc/PID/status."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        values = {
            line.split(":")[0]: int(line.split()[1])
            for line in status.splitlines()
            if line.startswith(("VmRSS", "VmHWM"))
        }
        return {
            "rss_mb": round(values["VmRSS"] / 1024),
            "peak_rss_mb": round(values["VmHWM"] / 1024),
        }

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.process.pid)


def start_server(warehouse: Path, log_path: Path) -> Server:
    """The dashboard (`python -m app.serve`) on a free port, started as the browser tests
    start it."""
    started = ui.start_server(warehouse, log_path)
    return Server(started.process, started.base_url, started.log_path)


async def new_context(browser, base_url: str):
    """A fresh profile (French, Paris time) that cannot reach anything but the server."""
    context = await browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport=VIEWPORT
    )

    async def block(route, request):
        await route.abort("blockedbyclient")

    await context.route(lambda url: not url.startswith(base_url), block)
    return context


async def visit(page, url: str, timeout_ms: float, charts: bool = True) -> dict:
    """Open `url` in `page` and wait until it is fully drawn (READY_JS).

    Returns `drawn_ms` (navigation start → first fully drawn state, measured by the browser),
    `wall_ms` (Python's clock from `goto` until the 300 ms hold was seen) and `error`.
    """
    started = time.monotonic()
    result = {"url": url, "drawn_ms": None, "wall_ms": None, "error": None}
    try:
        await page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
        handle = await page.wait_for_function(READY_JS, arg=charts, polling=50, timeout=timeout_ms)
        state = await handle.json_value()
        result["drawn_ms"] = round(state["at"])
        result["error"] = state.get("error")
    except Exception as exc:  # a timeout or a crashed page is a result, not a stop
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    result["wall_ms"] = round((time.monotonic() - started) * 1000)
    return result
