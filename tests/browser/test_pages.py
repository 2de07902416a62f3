"""Every page of the navigation in Chromium: it renders, its charts are drawn with sensible
scales, its key figure is the warehouse's, and screenshots at two screen sizes land in
screenshots/ (git-ignored) for a human look."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app import labels
from tests.browser import ui


@dataclass
class LoadedPage:
    spec: ui.PageSpec
    app: ui.AppPage
    legends_over_plots_after_widening: dict[str, int]


@pytest.fixture(scope="module", params=ui.PAGES, ids=[spec.name for spec in ui.PAGES])
def loaded_page(request, browser, dashboard_server) -> Iterator[LoadedPage]:
    """Each page opened once in a fresh context and shared by the checks of this module.

    Screenshots come first (a failing page still leaves its pictures): the page loaded at
    1440x900, then the window widened to 1920x1080 (what a user resizing sees is recorded),
    then the page reloaded at 1920x1080 for the second screenshot. The checks run on that
    last state.
    """
    spec: ui.PageSpec = request.param
    app = ui.AppPage.open(browser, dashboard_server.base_url)
    try:
        app.goto(spec.path)
        app.screenshot(spec.name, *ui.SCREEN_SIZES[0])
        width, height = ui.SCREEN_SIZES[1]
        app.page.set_viewport_size({"width": width, "height": height})
        app.page.wait_for_timeout(200)
        app.wait_ready()
        app.page.wait_for_timeout(500)  # Plotly's relayout after Streamlit's resize
        after_widening = app.legends_over_plots()
        app.reload()
        app.screenshot(spec.name, width, height)
        yield LoadedPage(spec, app, after_widening)
    finally:
        app.close()


def test_page_renders_its_chart_and_key_figure(loaded_page, figures):
    spec, app = loaded_page.spec, loaded_page.app
    assert app.page.locator("h1").first.inner_text().strip() == spec.title
    drawing = app.chart_drawing(spec.chart_key)
    assert drawing["svg"] >= 1, drawing
    assert drawing["marks"] >= 1, f"chart {spec.chart_key!r} has no visible trace: {drawing}"
    assert drawing["title"], f"chart {spec.chart_key!r} has no title"
    assert app.metric(spec.metric_label, spec.metric_index) == spec.expected(figures), (
        app.metric_labels()
    )
    for label, index, expected in spec.more_metrics:
        assert app.metric(label, index) == expected(figures), (label, index)
    assert app.undrawn_charts() == []  # the page's other charts too
    app.assert_clean()


def test_navigation_lists_every_page_in_french(loaded_page):
    app = loaded_page.app
    assert app.sidebar_nav() == [(spec.title, app.url_of(spec.path)) for spec in ui.PAGES]
    assert app.page.title() == labels.APP_TITLE
    sidebar = app.page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("heading", name=labels.FILTERS_HEADER).is_visible()
    # The document says it is French (Streamlit serves lang="en"), for screen readers.
    assert app.page.evaluate("document.documentElement.lang") == "fr"


def test_streamlit_interface_strings_are_french(loaded_page):
    """Streamlit writes its sidebar, toolbar and screen-reader labels in English
    (« Help for Période », « Collapse sidebar »): none is left on the page."""
    assert loaded_page.app.english_interface_texts() == []


def test_table_toolbar_column_menu_and_date_picker_speak_french(browser, dashboard_server):
    """What appears only on hover or click: the table toolbar's tooltips, a column's menu and
    its statistics, the custom period's calendar."""
    app = ui.AppPage.open(browser, dashboard_server.base_url)
    try:
        app.goto("producteurs")
        table = app.page.locator('[data-testid="stDataFrame"]').first
        table.scroll_into_view_if_needed()
        table.hover()
        tooltips = []
        for button in app.page.locator('[data-testid="stElementToolbarButton"]:visible').all()[:4]:
            button.hover()
            tooltip = app.page.locator('[data-testid="stTooltipContent"]').last
            tooltip.wait_for(timeout=ui.ACTION_TIMEOUT_MS)
            tooltips.append(tooltip.inner_text().strip())
            assert app.english_interface_texts() == [], tooltips
        # No « Exporter en CSV »: the grid's export is switched off (dashboard.py).
        assert tooltips == ["Afficher ou masquer des colonnes", "Rechercher", "Plein écran"]

        box = table.bounding_box()
        # The table is drawn on a canvas: the menu button of the name column (195 px wide,
        # app_pages/producteurs.py) appears at the right end of its header on hover.
        # The button is drawn only once the hover reached the grid: on a loaded machine a click
        # 300 ms after the move can land before it (seen in CI at load 12), so hover again.
        menu_button = (box["x"] + 195 - 14, box["y"] + 18)
        menu = app.page.get_by_label("Menu de la colonne")
        for attempt in range(1, 4):
            app.page.mouse.move(*menu_button)
            app.page.wait_for_timeout(300 * attempt)
            app.page.mouse.click(*menu_button)
            try:
                menu.wait_for(timeout=ui.ACTION_TIMEOUT_MS // 3)
                break
            except PlaywrightTimeout:
                if attempt == 3:
                    raise
        app.page.get_by_role("menuitem", name="Tri croissant").wait_for(
            timeout=ui.ACTION_TIMEOUT_MS
        )
        app.page.get_by_role("menuitem").filter(has_text="Statistiques").hover()
        app.page.get_by_text("Valeurs distinctes").first.wait_for(timeout=ui.ACTION_TIMEOUT_MS)
        assert app.english_interface_texts() == []
        app.page.keyboard.press("Escape")

        app.choose_period("Personnalisée")
        app.wait_ready()
        app.page.get_by_label("Choisir les dates", exact=False).first.click()
        app.page.get_by_role("dialog").wait_for(timeout=ui.ACTION_TIMEOUT_MS)
        assert app.page.get_by_label("Mois suivant").count() == 1
        assert app.english_interface_texts() == []
        app.assert_clean()
    finally:
        app.close()


def test_no_chart_scale_repeats_a_tick_label(loaded_page):
    """A scale reading "0, 1, 1, 2, 2, 3, 3" misleads: each tick label appears once."""
    app = loaded_page.app
    repeated = app.repeated_tick_labels()
    assert not repeated, f"tick labels shown twice on a scale: {repeated}"


def test_a_series_keeps_its_colour_across_the_page_charts(loaded_page):
    """ "Masques" green in one chart and orange in the next one misleads the reader."""
    app = loaded_page.app
    changing = {
        label: by_chart
        for label, by_chart in app.legend_colours().items()
        if len(set(by_chart.values())) > 1
    }
    assert not changing, f"legend entries drawn in different colours: {changing}"


def test_legends_stay_clear_of_the_plots(loaded_page):
    """Legend entries drawn over bars hide data: not on load, not after widening the window."""
    assert loaded_page.app.legends_over_plots() == {}, "legend over the plot on load"
    assert loaded_page.legends_over_plots_after_widening == {}, (
        "legend over the plot after widening the window from 1440 to 1920 px (px² covered)"
    )
