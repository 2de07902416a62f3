"""The landing page's weekly charts, drawn by Vega-Lite so that a first visit does not load
Plotly (issue #18; `app.charts.light`): they are drawn, read in French (ticks, numbers,
hover, name for screen readers), and the page fetches no Plotly code at all."""

from __future__ import annotations

import re
from pathlib import Path

from babel.dates import get_month_names

from app import labels
from tests.browser import ui

PLATFORM_KEYS = ("overview-weekly-produits-frais", "overview-weekly-equipements-protection")
ENGLISH_MONTHS = [
    name
    for width in ("wide", "abbreviated")
    for name in get_month_names(width, locale="en").values()
]
# A French whole number on an axis: « 0 », « 250 », « 10 000 » (no-break space).
FRENCH_INTEGER = re.compile(r"\d{1,3}(\xa0\d{3})*")


def test_the_weekly_charts_are_drawn_in_french_without_plotly(app: ui.AppPage):
    app.goto("")
    for key in PLATFORM_KEYS:
        drawing = app.chart_drawing(key)
        assert drawing["marks"] >= 20, (key, drawing)  # about 40 weeks from 30 March
        assert drawing["title"].startswith("Visites par semaine"), drawing
        chart = app.page.locator(f".st-key-{key} .stVegaLiteChart")
        # Its name for screen readers is its title, not Vega's "Vega visualization".
        assert chart.get_attribute("aria-label") == drawing["title"]
        ticks = chart.evaluate(
            "c => [...c.querySelectorAll('.role-axis-label text')].map(t => t.textContent)"
        )
        assert "avr. 2020" in ticks, ticks
        assert not [t for t in ticks if any(month in t for month in ENGLISH_MONTHS)], ticks
        # Thousands apart, no comma: « 10 000 », never « 10,000 » nor « 10000 ».
        numbers = [t for t in ticks if t[:1].isdigit()]
        assert numbers and all(FRENCH_INTEGER.fullmatch(t) for t in numbers), ticks
        chart.locator(".mark-rect path").nth(3).hover()
        tooltip = app.page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible")
        assert tooltip.inner_text().startswith("semaine du "), tooltip.inner_text()
        assert "Visites : " in tooltip.inner_text()
    assert app.undrawn_charts() == []
    assert app.repeated_tick_labels() == {}
    # The point of drawing them with Vega-Lite: the landing page loads no Plotly code.
    fetched = app.page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name.split('/').pop())"
    )
    assert not [name for name in fetched if "Plotly" in name], fetched
    assert [name for name in fetched if "VegaLite" in name], fetched
    app.assert_clean()


def test_each_weekly_chart_downloads_as_a_png(app: ui.AppPage, figures):
    # Vega's own menu is hidden: the button draws the same figure with Plotly on the server.
    app.goto("")
    filters = figures.filters()
    for key, platform in zip(PLATFORM_KEYS, ("produits-frais", "equipements-protection")):
        button = app.page.locator(f".st-key-{key}-png button")
        assert button.inner_text().strip().endswith(labels.PNG_BUTTON)
        with app.page.expect_download(timeout=ui.NAVIGATION_TIMEOUT_MS * 3) as download_info:
            button.click()
        download = download_info.value
        assert download.failure() is None
        # The name Plotly's button gave it: the title, the platform, the period.
        name = download.suggested_filename
        assert name.startswith("visites-par-semaine-"), name
        assert name.endswith(f"_{platform}_{filters.start:%Y-%m-%d}_{filters.end:%Y-%m-%d}.png")
        assert Path(download.path()).read_bytes().startswith(b"\x89PNG")
    app.assert_clean()


def test_a_slide_draws_the_weekly_charts_with_plotly(app: ui.AppPage):
    # On a projector the charts keep Plotly's larger texts and PNG button (a slide is
    # prepared ahead of the meeting: its first-visit time matters less).
    app.goto("", "presentation=1")
    for key in PLATFORM_KEYS:
        assert app.chart_drawing(key)["svg"] >= 1
        assert app.page.locator(f".st-key-{key} .js-plotly-plot").count() == 1
    app.assert_clean()
