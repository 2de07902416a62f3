"""The usual view read by someone with weaker sight or a screen reader (issue #17): every chart
text and every caption holds 4.5:1 against what lies behind it, and every chart is named by a
French summary of what it shows."""

from __future__ import annotations

import pytest

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

# Each chart's title and the text alternative written right after it (charts.show), with
# the box it takes on screen (none: screen readers only).
CHART_NAMES_JS = """selector => [...document.querySelectorAll(selector)].map(box => {
  const container = box.closest('[data-testid="stElementContainer"]');
  let next = container ? container.nextElementSibling : null;
  const alt = next ? next.querySelector('.chart-alt') : null;
  const shown = next ? next.getBoundingClientRect() : {width: 0, height: 0};
  const title = box.querySelector('.gtitle, .role-title-text text');
  return {title: (title || {}).textContent || '',
          name: alt ? alt.textContent : "", height: shown.height};
})"""


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
    charts = app.page.evaluate(CHART_NAMES_JS, ui.CHARTS)
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
        "charts without a French text alternative": [
            c
            for c in charts
            if not c["name"].startswith(labels.CHART_ALT_TITLE.split("{")[0])
            or c["title"].split(" ")[0] not in c["name"]
        ],
        # One pixel high and clipped (SCREEN_CSS): nothing drawn, no gap.
        "text alternatives drawn on screen": [c["name"][:60] for c in charts if c["height"] > 1],
    }
    assert not any(problems.values()), {kind: found for kind, found in problems.items() if found}
    app.assert_clean()
