"""A bookmarked sub-page opened first after a server start renders the whole app.

Two Streamlit pitfalls met here: a folder named `pages/` next to the entry script puts the
first request of a server's life into the legacy "pages directory" mode (navigation made of
file names, no `set_page_config`, no sidebar filters) — hence `app_pages/`; and an option set
at run time with a rerun on a server's first run (`client.disableDataExport`, now in
`.streamlit/config.toml`) loses the sub-page, landing on the home page. Only a fresh server
shows either, so this test starts its own and makes the deep link its very first request.
"""

from __future__ import annotations

from app import labels
from tests.browser import ui


def test_deep_link_on_a_fresh_server_renders_the_full_app(
    open_app, figures, small_warehouse, tmp_path
):
    server = ui.start_server(small_warehouse, tmp_path / "server.log")
    try:
        app = open_app(server)
        app.goto("producteurs", "platform=equipements-protection&period=avril-mai-2020")

        assert app.page.locator("h1").first.inner_text().strip() == labels.PAGE_SUPPLIERS
        assert app.sidebar_nav() == [(spec.title, app.url_of(spec.path)) for spec in ui.PAGES]
        sidebar = app.page.locator('[data-testid="stSidebar"]')
        assert sidebar.get_by_role("heading", name=labels.FILTERS_HEADER).is_visible()
        assert app.chosen_platform() == labels.PLATFORM_NAMES["equipements-protection"]
        assert app.chosen_period() == labels.PERIOD_PRESETS["avril-mai-2020"]
        assert app.page.title() == labels.APP_TITLE  # set_page_config ran
        app.wait_metric(
            labels.METRIC_ACTIVE_SUPPLIERS,
            figures.active_suppliers(platform="equipements-protection", period="avril-mai-2020"),
        )
        drawing = app.chart_drawing("catalogue-series")
        assert drawing["marks"] >= 1, drawing
        app.assert_clean()
    finally:
        server.stop()
    assert "Traceback" not in server.log_tail(200), server.log_tail(200)


def test_an_old_bookmark_lands_on_the_home_page_with_a_french_dialog(app):
    # /vue_ensemble was the overview's address before the pages had their own paths.
    app.page.goto(app.url_of("vue_ensemble"), wait_until="domcontentloaded")
    dialog = app.page.get_by_role("dialog")
    dialog.wait_for(timeout=ui.NAVIGATION_TIMEOUT_MS)
    # The translation runs as the dialog appears: wait for its French body.
    dialog.get_by_text("La page demandée n'existe pas", exact=False).wait_for(
        timeout=ui.NAVIGATION_TIMEOUT_MS
    )
    text = dialog.inner_text()
    assert "Page introuvable" in text
    assert "does not seem to exist" not in text and "Running the app" not in text
