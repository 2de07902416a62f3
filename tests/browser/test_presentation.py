"""Presentation mode in the browser: `?presentation=1` hides the sidebar (the filters still
apply from the address), enlarges figures, titles and chart texts, keeps the page links in a
top bar, and its note leads back to the usual view; a hostile value is harmless."""

from __future__ import annotations

import io
import time
from urllib.parse import quote

import pytest
from PIL import Image  # a Streamlit dependency

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


# --- the slides: every page at full HD (issue #17) ---------------------------------------------

SLIDE = (1920, 1080)
MIN_CHART_TEXT_PX = 20  # read from the back of a meeting room
MIN_CONTRAST = 4.5  # WCAG AA for normal text

# The visible SVG texts of one chart (hover labels excepted: they appear on demand), with
# their size as drawn and their fill, and their box relative to the chart; the texts are then
# hidden, so that a screenshot shows what lies behind each one (`show_texts` puts them back).
CHART_TEXTS_JS = """chart => {
  const rgba = value => {
    const m = (value || '').match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 1];
    const p = m[1].split(',').map(s => parseFloat(s));
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const origin = chart.getBoundingClientRect();
  const out = [];
  chart.querySelectorAll('svg text').forEach(text => {
    const content = text.textContent.trim();
    if (!content || text.closest('.hoverlayer')) return;
    const box = text.getBoundingClientRect();
    const style = getComputedStyle(text);
    if (box.width === 0 || style.visibility === 'hidden' || style.display === 'none'
        || parseFloat(style.opacity) === 0) return;
    const fill = rgba(style.fill);
    fill[3] *= parseFloat(style.fillOpacity || '1') * parseFloat(style.opacity || '1');
    // The size drawn: Plotly shrinks a bar label to fit its bar by a scale() transform.
    const ctm = text.getScreenCTM();
    const drawn = parseFloat(style.fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1);
    out.push({text: content.slice(0, 40), size: Math.round(drawn * 10) / 10, fill,
              box: [box.left - origin.left, box.top - origin.top,
                    box.right - origin.left, box.bottom - origin.top]});
    text.setAttribute('data-measured', '1');
    text.style.visibility = 'hidden';
  });
  return out;
}"""
SHOW_TEXTS_JS = """chart => chart.querySelectorAll('text[data-measured]').forEach(text => {
  text.style.visibility = ''; text.removeAttribute('data-measured'); })"""


def chart_texts(app: ui.AppPage) -> list[dict]:
    """Every text of every chart of the page: its size in px, and its contrast with what is
    painted behind it — the plot or paper background, or the bar, heatmap cell or label box
    it sits on — read as the most frequent colour of its box once the text is hidden."""
    measured = []
    charts = app.page.locator(ui.CHARTS)
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        key = chart.evaluate(
            """c => ((c.closest('[class*="st-key-"]') || c).className.toString()
                     .match(/st-key-(\\S+)/) || [null, '?'])[1]"""
        )
        texts = chart.evaluate(CHART_TEXTS_JS)
        try:
            shot = Image.open(io.BytesIO(chart.screenshot(animations="disabled"))).convert("RGB")
        finally:
            chart.evaluate(SHOW_TEXTS_JS)
        for text in texts:
            left, top, right, bottom = (round(v) for v in text["box"])
            crop = shot.crop(
                (max(left, 0), max(top, 0), min(right, shot.width), min(bottom, shot.height))
            )
            colours = crop.getcolors(maxcolors=crop.width * crop.height + 1) or [(1, (255,) * 3)]
            background = max(colours)[1]
            ink = over(text["fill"], background)
            measured.append(
                {
                    "key": key,
                    "text": text["text"],
                    "size": text["size"],
                    "contrast": contrast(ink, background),
                }
            )
    return measured


def over(colour: list[float], under: tuple[int, ...]) -> list[float]:
    """`colour` (r, g, b, alpha) painted over the opaque `under`."""
    alpha = colour[3]
    return [colour[i] * alpha + under[i] * (1 - alpha) for i in range(3)]


SLIDE_LAYOUT_JS = """() => {
  const header = document.querySelector('[data-testid="stHeader"]');
  const headerHeight = header ? header.getBoundingClientRect().height : 0;
  const key = el => ((el.closest('[class*="st-key-"]') || el).className.toString()
                     .match(/st-key-(\\S+)/) || [null, '?'])[1];
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  return {
    room: window.innerHeight - headerHeight,
    charts: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => ({
      key: key(chart), height: chart.getBoundingClientRect().height})),
    downloads: [...document.querySelectorAll('[data-testid="stDownloadButton"], .modebar-btn')]
      .filter(visible).map(el => el.innerText.trim() || el.getAttribute('data-title') || '?'),
  };
}"""


def luminance(colour: list[float]) -> float:
    """WCAG relative luminance of an sRGB colour (0–255 channels)."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_of_black_on_white_is_21_and_grey_fails():
    # The measure itself: WCAG's own reference values.
    assert round(contrast([0, 0, 0], [255, 255, 255]), 1) == 21.0
    assert round(contrast([118, 118, 118], [255, 255, 255]), 2) == 4.54
    assert contrast([128, 128, 128], [255, 255, 255]) < MIN_CONTRAST


def open_slide(open_app, spec: ui.PageSpec) -> ui.AppPage:
    app = open_app()
    app.page.set_viewport_size({"width": SLIDE[0], "height": SLIDE[1]})
    return app.goto(spec.path, "presentation=1")


@pytest.mark.parametrize("spec", ui.PAGES, ids=[spec.name for spec in ui.PAGES])
def test_every_slide_is_legible_fits_the_screen_and_offers_no_download(open_app, spec):
    app = open_slide(open_app, spec)
    texts = chart_texts(app)
    assert texts, "no chart text measured"
    layout = app.page.evaluate(SLIDE_LAYOUT_JS)
    assert layout["charts"], "no chart on the slide"
    # Every kind of problem is listed before failing, so one run shows them all.
    problems = {
        f"chart texts under {MIN_CHART_TEXT_PX} px": [
            (t["key"], t["text"], t["size"]) for t in texts if t["size"] < MIN_CHART_TEXT_PX
        ],
        f"chart texts under {MIN_CONTRAST}:1 contrast": [
            (t["key"], t["text"], round(t["contrast"], 2))
            for t in texts
            if t["contrast"] < MIN_CONTRAST
        ],
        f"charts taller than the {layout['room']} px under the header": [
            (c["key"], c["height"]) for c in layout["charts"] if c["height"] > layout["room"]
        ],
        "download buttons or chart toolbars": layout["downloads"],
    }
    app.screenshot(f"presenter/{spec.name}", *SLIDE)
    assert not any(problems.values()), {kind: found for kind, found in problems.items() if found}
    app.assert_clean()


@pytest.mark.parametrize("spec", ui.PAGES, ids=[spec.name for spec in ui.PAGES])
def test_every_slide_has_a_filter_bar_that_changes_the_period(open_app, spec):
    app = open_slide(open_app, spec)
    main = app.page.locator('[data-testid="stMain"]')
    for widget in ("filter_platform", "filter_period", "filter_categories"):
        assert main.locator(f".st-key-{widget}").is_visible(), widget
    bar = main.locator(".st-key-filter_period").bounding_box()
    assert bar["y"] + bar["height"] <= SLIDE[1] / 3, "the bar sits at the top of the slide"

    app.choose_period(labels.PERIOD_PRESETS["avril-mai-2020"])
    expected = {"platform": ["produits-frais"], "period": ["avril-mai-2020"]}
    app.wait_query_params({**expected, "presentation": ["1"]})
    app.wait_ready()
    assert app.chosen_period() == labels.PERIOD_PRESETS["avril-mai-2020"]
    assert not app.page.locator('[data-testid="stSidebar"]').is_visible()
    app.assert_clean()


def test_the_filter_bar_filters_the_figures_and_a_category_reaches_the_address(open_app, figures):
    app = open_slide(open_app, ui.PAGES[1])  # Fréquentation
    app.wait_metric(labels.METRIC_VISITS, figures.visits())
    app.choose_period(labels.PERIOD_PRESETS["avril-mai-2020"])
    app.wait_metric(labels.METRIC_VISITS, figures.visits(period="avril-mai-2020"))

    app.page.locator('.st-key-filter_categories input[role="combobox"]').click()
    option = app.page.get_by_role("option").first
    name = option.inner_text().strip()
    option.click()
    app.page.keyboard.press("Escape")
    deadline = time.monotonic() + ui.FIGURE_TIMEOUT_S
    while "categories" not in app.query_params() and time.monotonic() < deadline:
        app.page.wait_for_timeout(100)
    assert len(app.query_params().get("categories", [])) == 1, (name, app.page.url)
    assert app.query_params()["presentation"] == ["1"]
    app.wait_ready()
    app.assert_clean()
