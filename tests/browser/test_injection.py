"""Hostile data in a real browser: on a warehouse whose supplier names, product titles,
categories (the unknown one too), kinds, communes, rejected lines and search terms carry
Markdown, HTML, Plotly markup, Streamlit shortcodes and spreadsheet formulas
(tests/test_injection_pages.py), every page, a chart's hover and the presentation mode show
them as text: no link or image pointing at evil.example anywhere in the DOM (Plotly's SVG
included), no request leaving the test server, and every download neutralises formulas.
Screenshots: screenshots/injection-*.png."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app import inert, labels
from tests.browser import ui
from tests.test_injection_pages import (
    CATEGORIES,
    EVIL,
    FORMULAS,
    UNKNOWN_CATEGORY,
    hostile_warehouse,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Every attribute that makes the browser fetch or open an address.
EVIL_ADDRESSES = """() => {
  const found = [];
  const fetching = /^(href|xlink:href|src|srcset|action|formaction|poster|data|background)$/i;
  for (const element of document.querySelectorAll('*')) {
    for (const name of element.getAttributeNames()) {
      const value = element.getAttribute(name) || '';
      if ((fetching.test(name) || (name === 'style' && value.includes('url(')))
          && value.includes('evil.example')) {
        found.push(`<${element.tagName.toLowerCase()} ${name}="${value}">`);
      }
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_server(small_warehouse, tmp_path_factory) -> Iterator[ui.Server]:
    folder = tmp_path_factory.mktemp("hostile-browser")
    server = ui.start_server(
        hostile_warehouse(small_warehouse, folder / "warehouse.duckdb"), folder / "server.log"
    )
    yield server
    server.stop()


def visible_text(app: ui.AppPage, selector: str = "body") -> str:
    """What the page shows in `selector`, word joiners (app.inert) removed."""
    texts = app.page.locator(selector).all_inner_texts()
    return "\n".join(texts).replace(inert.WORD_JOINER, "")


def settled_text(app: ui.AppPage, selector: str, timeout_s: float = 20) -> str:
    """`visible_text` once two reads half a second apart agree (bounded): a page's tables
    can still be drawn just after its run ends."""
    deadline = time.monotonic() + timeout_s
    text = visible_text(app, selector)
    while time.monotonic() < deadline:
        app.page.wait_for_timeout(500)
        again = visible_text(app, selector)
        if again == text:
            break
        text = again
    return text


def svg_texts(app: ui.AppPage, selector: str) -> list[str]:
    return [
        text.replace(inert.WORD_JOINER, "")
        for text in app.page.evaluate(
            "(selector) => [...document.querySelectorAll(selector)].map(e => e.textContent)",
            selector,
        )
    ]


def hover_texts(app: ui.AppPage, key: str) -> list[str]:
    """Hover each bar of the chart `key`; the hover labels shown."""
    chart = app.page.locator(f".st-key-{key} .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    texts = []
    for bar in chart.locator(".barlayer .point path").all():
        box = bar.bounding_box()
        if not box or box["width"] < 2 or box["height"] < 2:
            continue
        app.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        label = chart.locator(".hoverlayer .hovertext")
        try:
            label.first.wait_for(state="attached", timeout=2000)
        except Exception:  # noqa: BLE001 — no hover at that point
            continue
        texts += [t.replace(inert.WORD_JOINER, "") for t in label.all_text_contents()]
    return texts


def download_all(app: ui.AppPage) -> list[tuple[str, bytes]]:
    """Every visible « Télécharger en CSV / Excel (XLSX) » button of the page, clicked."""
    files = []
    for name in (labels.DOWNLOAD_CSV, labels.DOWNLOAD_XLSX):
        for button in app.page.get_by_role("button", name=name, exact=True).all():
            if not button.is_visible():
                continue  # inside a closed expander
            button.scroll_into_view_if_needed()
            with app.page.expect_download(timeout=ui.NAVIGATION_TIMEOUT_MS) as info:
                button.click()
            assert info.value.failure() is None
            files.append((info.value.suggested_filename, Path(info.value.path()).read_bytes()))
    return files


def csv_cells(data: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    return [cell for row in rows for cell in row]


def xlsx_cells(data: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        ]
    assert not any("<f>" in sheet or "<f " in sheet for sheet in sheets), "a formula cell"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]


def is_number(cell: str) -> bool:
    return cell.lstrip("-").replace(",", "").replace(" ", "").isdigit()


def test_hostile_data_stays_text_everywhere(browser, hostile_server):
    app = ui.AppPage.open(browser, hostile_server.base_url)
    requests: list[str] = []
    app.page.context.on("request", lambda request: requests.append(request.url))
    downloads: list[tuple[str, bytes]] = []
    try:
        for spec in ui.PAGES:
            app.goto(spec.path, "period=annee-2020")
            assert app.page.evaluate(EVIL_ADDRESSES) == [], spec.name
            downloads += download_all(app)
            app.assert_clean()

            if spec.name == "equipements":
                # The reviewer's first case: the unknown category in a caption, as typed.
                captions = visible_text(app, '[data-testid="stCaptionContainer"]')
                assert UNKNOWN_CATEGORY in captions
                # Category labels in legends and hover texts, as typed.
                legend = svg_texts(app, ".st-key-offers-month .legendtext")
                assert set(CATEGORIES["equipements-protection"].values()) <= set(legend), legend
                hovers = [
                    t
                    for key in ("standards", "capacity", "offers-month")
                    for t in hover_texts(app, key)
                ]
                assert any('<a href="https://evil.example">Masques</a>' in t for t in hovers), (
                    hovers
                )
                assert any("**Blouses** <b>b</b> %{x}" in t for t in hovers), hovers
                assert app.page.evaluate(EVIL_ADDRESSES) == []
                app.screenshot("injection-equipements", 1440, 900)
            if spec.name == "frequentation":
                ticks = " ".join(svg_texts(app, ".st-key-top-categories .ytick text"))
                assert "Œufs</a>" in ticks and "<a" in ticks, ticks
            if spec.name == "couverture":
                ticks = svg_texts(app, ".st-key-coverage-heatmap .xtick text")
                assert any("%{x}" in t for t in ticks), ticks

        # Presentation mode: st.table renders Markdown; names, bare addresses included, stay
        # text.
        shown = ""
        for path in ("producteurs", "frequentation", "qualite"):
            app.goto(path, "period=annee-2020&presentation=1")
            assert app.page.locator('[data-testid="stTable"]').count() >= 1
            assert (
                app.page.locator(
                    '[data-testid="stTable"] a, [data-testid="stTable"] img, '
                    '[data-testid="stTable"] strong'
                ).count()
                == 0
            )
            assert app.page.evaluate(EVIL_ADDRESSES) == [], path
            shown += settled_text(app, '[data-testid="stTable"]')
            if path == "producteurs":
                app.screenshot("injection-producteurs-presentation", 1440, 900)
            app.assert_clean()
        for name in (
            "[x](https://evil.example/a)",
            '<a href="https://evil.example">a</a>',
            "https://evil.example/nu www.evil.example contact@evil.example",
            ":material/home: :red[rouge] :smile: $x^2$",
            "x<br>y",
        ):
            assert name in shown, name
    finally:
        app.close()

    # No request left the server: no remote pixel, image, font or link prefetch.
    assert requests
    outside = [
        url
        for url in requests
        if not url.startswith(
            (hostile_server.base_url, "http://127.0.0.1", "http://localhost", "data:", "blob:")
        )
    ]
    assert not outside, outside
    assert not app.external_requests

    # Every download: formulas neutralised (the grid's own export is switched off).
    assert downloads
    written = set()
    for file_name, data in downloads:
        if file_name.endswith(".csv"):
            cells = csv_cells(data)
            assert not [c for c in cells if c.startswith(FORMULA_START) and not is_number(c)], (
                file_name
            )
            written |= {c for c in cells if c.startswith("'")}
        else:
            written |= {c for c in xlsx_cells(data) if isinstance(c, str)}
    assert {"'" + f for f in FORMULAS} & written, "the hostile names were downloaded"
    assert set(FORMULAS) & written, "XLSX keeps them as typed text"
    assert EVIL in " ".join(written)
