"""Presentation mode in the browser: `?presentation=1` hides the sidebar (the filters still
apply from the address), enlarges figures, titles and chart texts, keeps the page links in a
top bar, and its note leads back to the usual view; a hostile value is harmless."""

from __future__ import annotations

from urllib.parse import quote

from app import labels
from tests.browser import ui

# Projector resolutions: full HD, and the common WXGA of older meeting-room projectors.
PROJECTOR_SIZES = [(1920, 1080), (1280, 800)]


def text_sizes(app: ui.AppPage) -> dict[str, float]:
    """Font sizes in px of the page title, the first metric's value and label, and the first
    chart's title and x tick labels."""
    return app.page.evaluate(
        """() => {
            const px = (selector, style = false) => {
              const element = document.querySelector(selector);
              if (!element) return null;
              return parseFloat(style ? element.style.fontSize : getComputedStyle(element).fontSize);
            };
            return {
              title: px('[data-testid="stMain"] h1'),
              metric: px('[data-testid="stMetricValue"] p'),
              metric_label: px('[data-testid="stMetricLabel"] p'),
              chart_title: px('.js-plotly-plot .gtitle', true),
              chart_ticks: px('.js-plotly-plot .xtick text', true),
            };
        }"""
    )


def test_presentation_hides_the_sidebar_and_enlarges_the_figures(app, open_app, figures):
    usual = open_app().goto("frequentation", "period=avril-mai-2020")
    assert usual.page.locator('[data-testid="stSidebar"]').is_visible()
    usual_sizes = text_sizes(usual)

    app.goto("frequentation", "period=avril-mai-2020&presentation=1")
    # The filters of the address apply, the sidebar that holds them is hidden, and nothing
    # offers to open it.
    app.wait_metric(labels.METRIC_VISITS, figures.visits(period="avril-mai-2020"))
    assert not app.page.locator('[data-testid="stSidebar"]').is_visible()
    for toggle in ("stExpandSidebarButton", "stSidebarCollapsedControl", "stSidebarCollapseButton"):
        assert not app.page.locator(f'[data-testid="{toggle}"]').is_visible(), toggle
    main = app.page.locator('[data-testid="stMain"]').bounding_box()
    assert main["x"] < 5, "the page uses the whole width"

    sizes = text_sizes(app)
    for name, usual_size in usual_sizes.items():
        assert sizes[name] >= usual_size * 1.25, (name, sizes[name], usual_size)
    assert sizes["chart_ticks"] >= 16 and sizes["metric"] >= 48, sizes

    note = app.page.locator(".presentation-note")
    assert note.inner_text().strip() == f"{labels.PRESENTATION_NOTE} — {labels.PRESENTATION_QUIT}"
    for width, height in PROJECTOR_SIZES:
        app.screenshot("presentation-frequentation", width, height)
    app.assert_clean()

    # The page links sit in a bar at the top; a page switch keeps the mode and the filters.
    app.page.locator('[data-testid="stTopNavLink"]').filter(has_text=labels.PAGE_SUPPLIERS).click()
    # The filters are the same on both pages: wait for the page itself to change first, or
    # the old page, still drawn, passes for the new one on a busy machine.
    app.page.wait_for_url("**/producteurs?*")
    app.wait_query_params(
        {"platform": ["produits-frais"], "period": ["avril-mai-2020"], "presentation": ["1"]}
    )
    app.wait_ready()
    assert app.page.url.startswith(app.url_of("producteurs"))
    assert not app.page.locator('[data-testid="stSidebar"]').is_visible()
    app.screenshot("presentation-producteurs", 1920, 1080)

    # "quitter": the same page and filters, in the usual view, in the same tab.
    note.locator("a").click()
    app.page.wait_for_url("**/producteurs?platform=produits-frais&period=avril-mai-2020")
    app.wait_ready()
    assert app.page.locator('[data-testid="stSidebar"]').is_visible()
    assert len(app.page.context.pages) == 1
    assert app.chosen_period() == labels.PERIOD_PRESETS["avril-mai-2020"]
    app.assert_clean()


def test_hostile_presentation_value_gives_the_usual_view_with_a_notice(app):
    app.goto("", "presentation=" + quote("<script>alert(1)</script>"))
    assert app.alerts("Warning") == [labels.NOTICE_PRESENTATION]
    assert app.page.locator('[data-testid="stSidebar"]').is_visible()
    assert app.page.locator(".presentation-note").count() == 0
    app.wait_query_params({"platform": ["produits-frais"], "period": ["depuis-ouverture"]})
    app.assert_clean()  # no dialog: the value never reached the page as HTML
