"""The usual view read by someone with weaker sight or a screen reader (issue #17): every chart
text and every caption holds 4.5:1 against what lies behind it, and every chart is named by a
French summary of what it shows."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app import labels
from tests.browser import ui
from tests.browser.test_presentation import MIN_CONTRAST, chart_texts, contrast

SCREEN = (1440, 900)

# Each caption's text colour (its alpha times every opacity on the way up) and the first
# opaque background behind it.
CAPTION_COLOURS_JS = """() => {
  const rgb = value => (value.match(/[\\d.]+/g) || []).map(Number);
  const behind = element => {
    for (let e = element; e; e = e.parentElement) {
      const colour = rgb(getComputedStyle(e).backgroundColor);
      if (colour.length === 3 || (colour.length === 4 && colour[3] === 1)) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll('[data-testid="stCaptionContainer"] p')]
    .filter(p => p.innerText.trim())
    .map(p => {
      // Streamlit fades captions with `opacity` on a parent, not in the colour itself.
      let opacity = 1;
      for (let e = p; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
      const [r, g, b, a] = [...rgb(getComputedStyle(p).color), 1];
      return {text: p.innerText.slice(0, 60), ink: [r, g, b, (a ?? 1) * opacity],
              background: behind(p)};
    });
}"""

CHART_NAMES_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(box => ({
  role: box.getAttribute('role'), name: box.getAttribute('aria-label') || '',
  title: (box.querySelector('.gtitle') || {}).textContent || ''}))"""


def ink_over(ink: list[float], background: list[float]) -> list[float]:
    alpha = ink[3] if len(ink) > 3 else 1.0
    return [ink[i] * alpha + background[i] * (1 - alpha) for i in range(3)]


@pytest.mark.parametrize("spec", ui.PAGES, ids=[spec.name for spec in ui.PAGES])
def test_every_text_holds_4_5_to_1_and_every_chart_is_named(open_app, spec):
    app = open_app()
    app.page.set_viewport_size({"width": SCREEN[0], "height": SCREEN[1]})
    app.goto(spec.path)
    texts = chart_texts(app)
    assert texts, "no chart text measured"
    captions = app.page.evaluate(CAPTION_COLOURS_JS)
    assert captions, "no caption on the page"
    # The names are set once Plotly has drawn; a missing one is reported below.
    with contextlib.suppress(PlaywrightTimeout):
        app.page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                       .every(box => box.getAttribute('aria-label'))""",
            timeout=5_000,
        )
    charts = app.page.evaluate(CHART_NAMES_JS)
    problems = {
        "chart texts under 4.5:1": [
            (t["key"], t["text"], round(t["contrast"], 2))
            for t in texts
            if t["contrast"] < MIN_CONTRAST
        ],
        "captions under 4.5:1": [
            (c["text"], round(contrast(ink_over(c["ink"], c["background"]), c["background"]), 2))
            for c in captions
            if contrast(ink_over(c["ink"], c["background"]), c["background"]) < MIN_CONTRAST
        ],
        "charts without a French name": [
            c
            for c in charts
            if c["role"] != "figure"
            or not c["name"].startswith(labels.CHART_ALT_TITLE.split("{")[0])
            or c["title"].split(" ")[0] not in c["name"]
        ],
    }
    assert not any(problems.values()), {kind: found for kind, found in problems.items() if found}
    app.assert_clean()
