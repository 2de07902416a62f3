"""Driving the dashboard in a real browser: server start, page helpers, expected figures.

Plain functions and classes used by `tests/browser/conftest.py` and the browser tests; the
fixtures themselves live in the conftest.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
from PIL import Image  # a Streamlit dependency
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    Route,
)

from app import labels, queries, scorecard
from app.filtering import Filters, resolve_period
from app.fmt import fr_int, fr_pct
from app.french_ui import STREAMLIT_STRINGS

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "screenshots"  # git-ignored; rewritten on every run

# Debian's Chromium (installed by `make browser`); never Playwright's own download.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Bounds so that a hang fails the run instead of blocking CI.
SERVER_START_TIMEOUT_S = 60
SERVER_STOP_TIMEOUT_S = 10
ACTION_TIMEOUT_MS = 15_000  # one click, one locator
NAVIGATION_TIMEOUT_MS = 30_000  # page.goto / reload
READY_TIMEOUT_MS = 45_000  # a page's first complete run (cold caches on a 2-core runner)
FIGURE_TIMEOUT_S = 30  # a figure reaching its expected value after a filter change

# Streamlit's English strings with a varying part (the fixed ones: app.french_ui).
ENGLISH_PATTERN = re.compile(
    r"^Help for |^Choose date|start date$|end date$|options? available\.$|^Selected Date"
    r"|\b(January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)

VIEWPORT = {"width": 1440, "height": 900}
SCREEN_SIZES = [(1440, 900), (1920, 1080)]


# --- the Streamlit server -------------------------------------------------------------------------


# The page's charts: Plotly's, and the Vega-Lite charts drawn instead on the landing page
# (`app.charts.light`; the sparklines of `st.metric` are another element).
CHARTS = '[data-testid="stPlotlyChart"], [data-testid="stVegaLiteChart"]'

# What a Vega-Lite chart (SVG) has drawn: its sized bars and lines, its title.
VEGA_DRAWING_JS = """root => {
  const sized = [...root.querySelectorAll('.mark-rect path, .mark-line path')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  });
  const title = root.querySelector('.role-title-text text');
  return {svg: root.querySelectorAll('svg.marks').length, marks: sized.length,
          title: title ? title.textContent : ''};
}"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop this server process (and only it)."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=SERVER_STOP_TIMEOUT_S)


def start_server(warehouse: Path, log_path: Path) -> Server:
    """The dashboard on a free local port, started as `make run` starts it (`python -m
    app.serve`: `streamlit run dashboard.py` plus the background warm-up of its caches),
    returned once `/_stcore/health` is ok."""
    port = free_port()
    env = {**os.environ, "OBSERVATOIRE_DB": str(warehouse)}
    # An empty secrets file: a developer's `.streamlit/secrets.toml` with an `[auth]` section
    # would otherwise put the dashboard behind its login prompt (app/access.py).
    secrets = log_path.with_name("secrets.toml")
    secrets.write_text("", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "app.serve",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--secrets.files",
        str(secrets),
    ]
    log = log_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    log.close()  # the child keeps its own descriptor
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200 and answer.read().strip() == b"ok":
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(
        f"streamlit did not answer /_stcore/health within "
        f"{SERVER_START_TIMEOUT_S} s:\n{server.log_tail()}"
    )


# --- the browser side --------------------------------------------------------------------------------

# Streamlit sets the page icon `:material/storefront:` as favicon URL on Google's font CDN.
FAVICON_URL = re.compile(
    r"^https://fonts\.gstatic\.com/s/i/short-term/release/materialsymbolsrounded/[a-z_]+/"
)


def is_benign_console_error(text: str, url: str, base_url: str) -> bool:
    """The only console errors that do not mean a broken page. Everything else fails a test.

    1. A page address with a path (`/frequentation`) opened directly: the Streamlit frontend
       cannot tell the page from a `server.baseUrlPath`, so it first probes
       `/frequentation/_stcore/health` and `/frequentation/_stcore/host-config` (404), then
       the root, which answers (streamlit/streamlit#7074, by design since PR #4574).
    2. The favicon: `page_icon=":material/storefront:"` makes the browser fetch the icon from
       fonts.gstatic.com. The tests block every request leaving the test server (CI has no
       internet, and the dashboard must work without it), so the browser logs this blocked
       request; `external_requests` checks it is the only request that leaves the server.
    """
    if re.fullmatch(re.escape(base_url) + r"/[^/?#]+/_stcore/(health|host-config)", url):
        return "404" in text
    return bool(FAVICON_URL.match(url))


@dataclass
class AppPage:
    """A browser tab on the dashboard, with what went wrong in it recorded."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Browser, base_url: str) -> AppPage:
        """A new tab in a fresh browser context (its own profile: no cookies, no storage)."""
        external_requests: list[str] = []
        context = new_context(browser, base_url, external_requests)
        page = context.new_page()
        app = cls(page, base_url, external_requests=external_requests)
        page.on("console", app._on_console)
        page.on("pageerror", lambda error: app.page_errors.append(str(error)))
        page.on("dialog", app._on_dialog)
        return app

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if not is_benign_console_error(message.text, url, self.base_url):
            self.console_errors.append(f"{message.text} ({url})")

    def _on_dialog(self, dialog: Dialog) -> None:
        # alert(), confirm(), prompt(): none is expected, any is an injection that ran.
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        self.page.context.close()

    # --- navigation -------------------------------------------------------------------

    def url_of(self, path: str, query: str = "") -> str:
        return f"{self.base_url}/{path}" + (f"?{query}" if query else "")

    def goto(self, path: str = "", query: str = "") -> AppPage:
        self.page.goto(self.url_of(path, query), wait_until="domcontentloaded")
        self.wait_ready()
        return self

    def reload(self) -> AppPage:
        self.page.reload(wait_until="domcontentloaded")
        self.wait_ready()
        return self

    def wait_ready(self, timeout_ms: int = READY_TIMEOUT_MS) -> None:
        """Wait until the script run is over and every element, chart included, is drawn.

        `data-test-script-state` is Streamlit's own marker of a finished run, but the run ends
        before the frontend has drawn what it sent: lazily loaded elements (charts, tables)
        show an `stSkeleton` placeholder meanwhile. Stale elements (`data-stale="true"`) are
        those of the previous run still on screen. The page must then hold still for 300 ms.
        """
        self.page.wait_for_function(
            """() => {
                const app = document.querySelector('[data-testid="stApp"]');
                const ready = (() => {
                  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
                  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
                  if (document.querySelector('[data-testid="stException"]')) return true;
                  if (!document.querySelector('[data-testid="stMetricValue"]')) return false;
                  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
                  const light = document.querySelectorAll('[data-testid="stVegaLiteChart"]');
                  return [...charts].every(chart => chart.querySelector('.main-svg'))
                    && [...light].every(chart => chart.querySelector('svg.marks, canvas'));
                })();
                const shape = [location.href,
                  document.querySelectorAll('[data-testid="stElementContainer"]').length,
                  document.querySelectorAll('.js-plotly-plot .main-svg').length,
                  document.querySelectorAll('.stVegaLiteChart .mark-rect path').length,
                  document.querySelector('[data-testid="stMain"]')?.scrollHeight].join('|');
                const now = performance.now();
                if (!ready || window.__readyShape !== shape) {
                  window.__readyShape = shape;
                  window.__readySince = now;
                  return false;
                }
                return now - window.__readySince >= 300;
            }""",
            timeout=timeout_ms,
            polling=50,
        )
        exceptions = self.page.locator('[data-testid="stException"]').all_inner_texts()
        assert not exceptions, f"Streamlit exception on {self.page.url}:\n{exceptions[0]}"
        # `document.fonts.ready` is a promise, which `evaluate` would await without a bound.
        self.page.wait_for_function(
            "document.fonts.status === 'loaded'", timeout=ACTION_TIMEOUT_MS, polling=50
        )

    def query_params(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.page.url).query)

    def wait_query_params(
        self, expected: dict[str, list[str]], timeout_s: float = FIGURE_TIMEOUT_S
    ) -> None:
        deadline = time.monotonic() + timeout_s
        while self.query_params() != expected and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
        assert self.query_params() == expected, self.page.url

    # --- reading the page -----------------------------------------------------------------

    def metric(self, label: str, index: int = 0) -> str:
        """Text of the `index`-th `st.metric` labelled `label` (exact, narrow spaces kept)."""
        return self.page.evaluate(
            """([label, index]) => {
                const found = [...document.querySelectorAll('[data-testid="stMetric"]')]
                  .filter(m => {
                    const l = m.querySelector('[data-testid="stMetricLabel"]');
                    return l && l.innerText.trim() === label;
                  });
                if (found.length <= index) return null;
                return found[index].querySelector('[data-testid="stMetricValue"]').innerText.trim();
            }""",
            [label, index],
        )

    def metric_labels(self) -> list[str]:
        return [
            text.strip()
            for text in self.page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
        ]

    def wait_metric(
        self, label: str, expected: str, index: int = 0, timeout_s: float = FIGURE_TIMEOUT_S
    ) -> None:
        """Wait until the metric shows exactly `expected` after a finished run."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.wait_ready()
            shown = self.metric(label, index)
            if shown == expected or time.monotonic() > deadline:
                break
            self.page.wait_for_timeout(150)
        assert shown == expected, (
            f"{label!r}: {shown!r} shown, {expected!r} expected; labels: {self.metric_labels()}"
        )

    def chart_drawing(self, key: str) -> dict:
        """What the chart of `st.plotly_chart(..., key=key)` has drawn — or of
        `st.vega_lite_chart` (the landing page's, `app.charts.light`, drawn in SVG)."""
        chart = self.page.locator(f".st-key-{key} .js-plotly-plot, .st-key-{key} .stVegaLiteChart")
        chart.wait_for(state="attached")
        if "stVegaLiteChart" in (chart.get_attribute("class") or ""):
            return chart.evaluate(VEGA_DRAWING_JS)
        return chart.evaluate(
            """root => {
                const marks = '.barlayer .point path, .scatterlayer .trace path.js-line, '
                  + '.heatmaplayer image, .pielayer .slice path';
                const sized = [...root.querySelectorAll(marks)].filter(e => {
                  const r = e.getBoundingClientRect();
                  return r.width > 0 && r.height > 0;
                });
                const title = root.querySelector('.gtitle');
                return {
                  svg: root.querySelectorAll('.main-svg').length,
                  marks: sized.length,
                  title: title ? title.textContent : '',
                };
            }"""
        )

    def _charts(self) -> list[dict]:
        return self.page.evaluate(
            """selector => [...document.querySelectorAll(selector)].map(chart => {
                const key = ((chart.closest('[class*="st-key-"]') || chart).className.toString()
                             .match(/st-key-(\\S+)/) || [null, '?'])[1];
                const marks = '.barlayer .point path, .scatterlayer .trace path.js-line, '
                  + '.scatterlayer .point, .heatmaplayer image, .pielayer .slice path, '
                  + '.mark-rect path, .mark-line path';
                const sized = [...chart.querySelectorAll(marks)].filter(e => {
                  const r = e.getBoundingClientRect();
                  return r.width > 0 && r.height > 0;
                }).length;
                return {key, sized, map: !!chart.querySelector('.maplibregl-canvas')};
            })""",
            CHARTS,
        )

    def _map_painted(self, key: str) -> bool:
        """A MapLibre map draws in a WebGL canvas, invisible to the DOM: look at its pixels
        (a blank or failed map is one flat colour)."""
        canvas = self.page.locator(f".st-key-{key} .maplibregl-canvas")
        image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
        colours = image.getcolors(maxcolors=1 << 16)
        return colours is None or len(colours) >= 10

    def unpainted_maps(self, timeout_s: float = 10) -> list[str]:
        """Keys of maps still blank after `timeout_s` (a map renders asynchronously, again
        after every resize: a few hundred ms, more on a busy runner)."""
        keys = [chart["key"] for chart in self._charts() if chart["map"]]
        deadline = time.monotonic() + timeout_s
        while True:
            keys = [key for key in keys if not self._map_painted(key)]
            if not keys or time.monotonic() > deadline:
                return keys
            self.page.wait_for_timeout(250)

    def undrawn_charts(self) -> list[str]:
        """Keys of the page's Plotly charts showing nothing: no sized trace mark, or for a map
        a blank canvas."""
        undrawn = [
            chart["key"] for chart in self._charts() if not chart["map"] and chart["sized"] == 0
        ]
        return undrawn + self.unpainted_maps()

    def repeated_tick_labels(self) -> dict[str, dict[str, list[str]]]:
        """{chart key: {axis: tick labels}} for every axis or colour bar of the page's charts
        that shows the same tick label twice (e.g. "1, 1, 2, 2" when fractional ticks are
        rounded by an integer format): a misleading scale."""
        axes = self.page.evaluate(
            """selector => [...document.querySelectorAll(selector)].map(chart => {
                const key = ((chart.closest('[class*="st-key-"]') || chart).className.toString()
                             .match(/st-key-(\\S+)/) || [null, '?'])[1];
                const groups = {};
                // Vega-Lite: one group of labels per axis.
                chart.querySelectorAll('.role-axis').forEach((axis, index) => {
                  groups['axis ' + index] = [...axis.querySelectorAll('.role-axis-label text')]
                    .map(t => t.textContent);
                });
                chart.querySelectorAll('g.xtick > text, g.ytick > text, g.colorbar text').forEach(t => {
                  if (t.closest('.cbtitle')) return;
                  const bar = t.closest('g.colorbar');
                  const subplot = t.closest('g[class*="subplot"]');
                  const axis = bar ? 'colour bar'
                    : t.parentElement.getAttribute('class').replace('tick', ' axis')
                      + (subplot ? ' ' + subplot.getAttribute('class') : '');
                  (groups[axis] = groups[axis] || []).push(t.textContent);
                });
                return {key, groups};
            })""",
            CHARTS,
        )
        repeated: dict[str, dict[str, list[str]]] = {}
        for chart in axes:
            for axis, texts in chart["groups"].items():
                ticks = [t for t in texts if t.strip()]
                if len(set(ticks)) < len(ticks):
                    repeated.setdefault(chart["key"], {})[axis.strip()] = ticks
        return repeated

    def legend_colours(self) -> dict[str, dict[str, str]]:
        """{legend label: {chart key: colour}} over the page's charts."""
        entries = self.page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].flatMap(chart => {
                const key = ((chart.closest('[class*="st-key-"]') || chart).className.toString()
                             .match(/st-key-(\\S+)/) || [null, '?'])[1];
                return [...chart.querySelectorAll('g.legend g.traces')].map(item => {
                  const mark = item.querySelector(
                    '.legendpoints path.legendundefined, .legendpoints path.legendbar, '
                    + '.legendpoints path.scatterpts, .legendlines path.js-line');
                  const colour = !mark ? '' : (mark.classList.contains('js-line')
                    ? mark.style.stroke : mark.style.fill);
                  return {key, label: item.querySelector('text.legendtext').textContent, colour};
                });
            })"""
        )
        colours: dict[str, dict[str, str]] = {}
        for entry in entries:
            colours.setdefault(entry["label"], {})[entry["key"]] = entry["colour"]
        return colours

    def legends_over_plots(self) -> dict[str, int]:
        """{chart key: overlapping area in px²} for charts whose legend covers the plotting
        area (bars or lines hidden behind legend entries)."""
        overlaps = self.page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
                const key = ((chart.closest('[class*="st-key-"]') || chart).className.toString()
                             .match(/st-key-(\\S+)/) || [null, '?'])[1];
                const legend = chart.querySelector('g.legend');
                const areas = [...chart.querySelectorAll('.draglayer .nsewdrag')];
                if (!legend) return {key, area: 0};
                const a = legend.getBoundingClientRect();
                const area = areas.reduce((sum, plot) => {
                  const b = plot.getBoundingClientRect();
                  const w = Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left));
                  const h = Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
                  return sum + w * h;
                }, 0);
                return {key, area: Math.round(area)};
            })"""
        )
        return {o["key"]: o["area"] for o in overlaps if o["area"] > 0}

    def alerts(self, kind: str) -> list[str]:
        """Texts of `st.warning` ("Warning"), `st.error` ("Error") … boxes."""
        return [
            text.strip()
            for text in self.page.locator(
                f'[data-testid="stAlertContent{kind}"] [data-testid="stMarkdownContainer"]'
            ).all_inner_texts()
        ]

    def verdicts(self) -> list[str]:
        """The verdict box of each platform on *Vue d'ensemble*."""
        return [
            text.strip()
            for text in self.page.locator('[class*="st-key-verdict-"]').all_inner_texts()
        ]

    def sidebar_nav(self) -> list[tuple[str, str]]:
        """(title, href) of each navigation link; the icon's ligature name is dropped."""
        links = self.page.locator('[data-testid="stSidebarNav"] a')
        links.first.wait_for()
        return [
            (link.inner_text().strip().splitlines()[-1].strip(), link.get_attribute("href"))
            for link in links.all()
        ]

    # --- sidebar filters ----------------------------------------------------------------------

    def chosen_platform(self) -> str:
        return (
            self.page.locator(".st-key-filter_platform label")
            .filter(has=self.page.locator("input:checked"))
            .inner_text()
            .strip()
        )

    def chosen_period(self) -> str:
        return self.page.locator('.st-key-filter_period input[role="combobox"]').input_value()

    def chosen_departments(self) -> list[str]:
        return [
            t.strip()
            for t in self.page.locator(
                ".st-key-filter_departments [data-tag] > span[title]"
            ).all_inner_texts()
        ]

    def choose_platform(self, name: str) -> None:
        self.page.locator(".st-key-filter_platform label").filter(has_text=name).click()

    def choose_period(self, name: str) -> None:
        self.page.locator('.st-key-filter_period input[role="combobox"]').click()
        self.page.get_by_role("option", name=name, exact=True).click()

    def add_department(self, name: str) -> None:
        self.page.locator('.st-key-filter_departments input[role="combobox"]').click()
        self.page.get_by_role("option", name=name, exact=True).click()
        self.page.keyboard.press("Escape")

    def interface_texts(self) -> list[str]:
        """Every text a person can see or hear: the visible text, line by line, the
        `aria-label`, `aria-valuetext`, `title` and `placeholder` attributes (tooltips, screen
        readers), and the hidden descriptions a screen reader reads (`aria-describedby`)."""
        return self.page.evaluate(
            """() => {
                const texts = document.body.innerText.split("\\n");
                for (const element of document.querySelectorAll("[aria-describedby]")) {
                    for (const id of element.getAttribute("aria-describedby").split(" ")) {
                        const description = document.getElementById(id);
                        if (description) texts.push(description.textContent);
                    }
                }
                const named = "[aria-label], [aria-valuetext], [title], [placeholder]";
                for (const element of document.querySelectorAll(named)) {
                    for (const name of ["aria-label", "aria-valuetext", "title", "placeholder"]) {
                        const value = element.getAttribute(name);
                        if (value) texts.push(value);
                    }
                }
                return texts.map((text) => text.trim()).filter(Boolean);
            }"""
        )

    def english_interface_texts(self) -> list[str]:
        """Streamlit's own English strings still on screen (app/french_ui.py translates them)."""
        english = {en for en, fr in STREAMLIT_STRINGS.items() if en != fr}
        return sorted(
            {
                text
                for text in self.interface_texts()
                if text in english or ENGLISH_PATTERN.search(text)
            }
        )

    # --- checks and screenshots --------------------------------------------------------------

    def assert_clean(self) -> None:
        """No Streamlit exception or error box, no console error, no uncaught error, no dialog,
        and no request leaving the test server except the favicon."""
        exceptions = self.page.locator('[data-testid="stException"]').all_inner_texts()
        assert not exceptions, exceptions
        assert not self.alerts("Error"), self.alerts("Error")
        assert not self.page_errors, self.page_errors
        assert not self.console_errors, self.console_errors
        assert not self.dialogs, self.dialogs
        unexpected = [url for url in self.external_requests if not FAVICON_URL.match(url)]
        assert not unexpected, f"the dashboard needs the internet: {unexpected}"

    def screenshot(self, name: str, width: int, height: int) -> Path:
        """Full-page screenshot laid out at width x height, as `screenshots/<name>_<w>x<h>.png`.

        Streamlit scrolls inside `stMain`, not the document, so "full page" means growing the
        window to the content's height for the shot (the width, which decides the layout,
        stays), then going back to the screen size.
        """
        self.page.set_viewport_size({"width": width, "height": height})
        self.page.wait_for_timeout(200)  # Plotly redraws on resize, debounced by Streamlit
        self.wait_ready()
        content = self.page.evaluate(
            "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
        )
        self.page.set_viewport_size({"width": width, "height": max(height, content)})
        self.page.wait_for_timeout(200)
        self.unpainted_maps()  # maps redraw after the resize; a map still blank shows as such
        path = SCREENSHOTS / f"{name}_{width}x{height}.png"
        path.parent.mkdir(parents=True, exist_ok=True)  # a name may hold a folder
        self.page.screenshot(path=str(path), full_page=True, timeout=ACTION_TIMEOUT_MS)
        self.page.set_viewport_size({"width": width, "height": height})
        return path


def new_context(browser: Browser, base_url: str, external_requests: list[str]) -> BrowserContext:
    """A fresh, isolated browser profile: French, Paris time, downloads allowed, offline."""
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport=VIEWPORT, accept_downloads=True
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)

    def block(route: Route, request: Request) -> None:
        external_requests.append(request.url)
        route.abort("blockedbyclient")

    context.route(lambda url: not url.startswith(base_url), block)
    return context


# --- figures the warehouse holds ------------------------------------------------------------------


class Figures:
    """Expected key figures, computed with the app's query functions on the same warehouse
    and formatted with app/fmt.py, as the page should show them."""

    def __init__(self, warehouse: Path):
        self.conn = duckdb.connect(str(warehouse), read_only=True)
        self.ctx = queries.filter_context(self.conn)

    def close(self) -> None:
        self.conn.close()

    def filters(
        self,
        platform: str = "produits-frais",
        period: str = "depuis-ouverture",
        departments: tuple[str, ...] = (),
    ) -> Filters:
        start, end = resolve_period(period, self.ctx)
        return Filters(
            platform=platform, start=start, end=end, departments=tuple(departments), period=period
        )

    def visits(self, **filters) -> str:
        return fr_int(queries.visits_summary(self.conn, self.filters(**filters))["visits"])

    def active_suppliers(self, **filters) -> str:
        summary = queries.catalogue_summary(self.conn, self.filters(**filters))
        return fr_int(summary["active_suppliers"])

    def coverage_rate(self, min_suppliers: int | None = None, **filters) -> str:
        # The page's default threshold: the targets file's (app/scorecard.toml).
        if min_suppliers is None:
            min_suppliers = scorecard.default_min_suppliers()
        grid = queries.coverage_grid(self.conn, self.filters(**filters), min_suppliers)
        return fr_pct(grid["is_covered"].mean() if len(grid) else None)

    def _sourcing_area(self, **filters):
        rows = queries.canteen_territories(
            self.conn, self.filters(**filters), queries.SOURCING_LEVELS[0]
        )
        return rows[rows["territory_code"].isna()].iloc[0]

    def canteens(self, **filters) -> str:
        return fr_int(self._sourcing_area(**filters)["canteens"])

    def declared_organic_share(self, **filters) -> str:
        return fr_pct(self._sourcing_area(**filters)["organic_share"])

    def hits(self, **filters) -> str:
        return fr_int(queries.hits_summary(self.conn, self.filters(**filters))["hits"])


@dataclass(frozen=True)
class PageSpec:
    """A page of the navigation, its key figure and its main chart."""

    name: str  # screenshot name
    path: str  # URL path Streamlit derives from the file name ("" for the default page)
    title: str
    metric_label: str
    expected: Callable[[Figures], str]
    chart_key: str  # key= of its main st.plotly_chart
    metric_index: int = 0
    # Further (label, index, expected) figures the page must show.
    more_metrics: tuple[tuple[str, int, Callable[[Figures], str]], ...] = ()


PAGES = [
    PageSpec(
        "vue-ensemble",
        "",
        labels.PAGE_OVERVIEW,
        labels.METRIC_VISITS,
        lambda f: f.visits(platform="produits-frais"),
        "overview-weekly-produits-frais",
        more_metrics=(  # the second platform's column
            (labels.METRIC_VISITS, 1, lambda f: f.visits(platform="equipements-protection")),
            (
                labels.METRIC_ACTIVE_SUPPLIERS,
                1,
                lambda f: f.active_suppliers(platform="equipements-protection"),
            ),
        ),
    ),
    PageSpec(
        "frequentation",
        "frequentation",
        labels.PAGE_TRAFFIC,
        labels.METRIC_VISITS,
        lambda f: f.visits(),
        "traffic-series",
    ),
    PageSpec(
        "parcours",
        "parcours",
        labels.PAGE_JOURNEYS,
        labels.METRIC_VISITS,
        lambda f: f.visits(),
        "page-types-chart",
    ),
    PageSpec(
        "producteurs",
        "producteurs",
        labels.PAGE_SUPPLIERS,
        labels.METRIC_ACTIVE_SUPPLIERS,
        lambda f: f.active_suppliers(),
        "catalogue-series",
    ),
    PageSpec(
        "couverture",
        "couverture",
        labels.PAGE_COVERAGE,
        labels.METRIC_COVERAGE_RATE,
        lambda f: f.coverage_rate(),
        "coverage-heatmap",
    ),
    PageSpec(
        "approvisionnement",
        "approvisionnement",
        labels.PAGE_SOURCING,
        labels.METRIC_CANTEENS,
        lambda f: f.canteens(),
        "sourcing-families",
        more_metrics=((labels.METRIC_ORGANIC_SHARE, 0, lambda f: f.declared_organic_share()),),
    ),
    PageSpec(
        "equipements",
        "equipements",
        labels.PAGE_EQUIPMENT,
        labels.METRIC_ACTIVE_COMPANIES,
        lambda f: f.active_suppliers(platform="equipements-protection"),
        "offers-month",
    ),
    PageSpec(
        "qualite",
        "qualite",
        labels.PAGE_QUALITY,
        labels.METRIC_HITS,
        lambda f: f.hits(),
        "exclusions",
    ),
]
