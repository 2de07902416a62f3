"""The colour system (app/charts/theme.py, docs/dashboard.md "Colours"): one colour per
platform on every page, one colour per category wherever it is drawn, status colours for
statuses only, and enough contrast for a projector and for colour-blind readers.

The page checks read the figures every page draws (AppTest, the small warehouse), so a page
that picks a colour of its own fails here."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from streamlit.testing.v1 import AppTest

from app import queries
from app.charts import theme
from app.overview import VERDICT_COLOURS
from tests.test_pages_apptest import DASHBOARD, PAGES, TIMEOUT

PLATFORMS = tuple(theme.PLATFORM_COLORS)


def test_platform_colours_are_distinct_from_categories_and_statuses():
    platform = {c.lower() for c in theme.PLATFORM_COLORS.values()}
    platform |= {c.lower() for c in theme.PLATFORM_LIGHT_COLORS.values()}
    status = {c.lower() for pair in theme.STATUS_COLORS.values() for c in pair}
    palette = {c.lower() for c in theme.CATEGORY_PALETTE}
    assert len(palette) == len(theme.CATEGORY_PALETTE), "a category colour twice"
    assert not platform & palette
    assert not platform & status
    assert not palette & status
    assert theme.NEUTRAL.lower() not in platform | palette | status


@pytest.mark.parametrize(
    "colour",
    [
        *theme.PLATFORM_COLORS.values(),
        theme.NEUTRAL,
        theme.SECOND_SERIES,
        theme.KEY_DATE_COLOR,
        theme.COMPARISON_COLOR,
        theme.ANNOTATION_COLOR,
        *(border for _, border in theme.STATUS_COLORS.values()),
    ],
)
def test_single_series_colours_hold_3_to_1_on_white(colour):
    # WCAG 1.4.11: a bar or a line is a graphical object needed to read the chart.
    assert theme.contrast_ratio(colour) >= 3.0, colour


@pytest.mark.parametrize("status", sorted(theme.STATUS_COLORS))
def test_status_text_is_readable_on_its_tint(status):
    background, _ = theme.STATUS_COLORS[status]
    assert theme.contrast_ratio(theme.STATUS_TEXT_COLOR, background) >= 4.5


def test_the_verdict_box_takes_the_status_colours():
    assert VERDICT_COLOURS == theme.STATUS_COLORS


def test_a_category_keeps_its_colour_whatever_else_is_shown():
    vocabulary = {"a": "Blouses", "b": "Masques", "c": "Parois", "d": "Visières"}
    everything = theme.category_colors(vocabulary, list(vocabulary))
    assert len(set(everything)) == len(everything)
    # By code: a label that happens to equal a code or another label changes nothing.
    assert theme.category_colors(vocabulary, ["d", "b"]) == [everything[3], everything[1]]
    assert theme.category_colors(vocabulary, ["Masques"]) == [theme.UNCLASSIFIED_COLOR]
    assert theme.category_colors(vocabulary, ["non_classe_gants"]) == [theme.UNCLASSIFIED_COLOR]


def test_both_platforms_together_are_drawn_in_neutral():
    assert theme.platform_palette(None).main == theme.NEUTRAL
    for platform, colour in theme.PLATFORM_COLORS.items():
        assert theme.platform_palette(platform).main == colour


# --- what the pages draw ---------------------------------------------------------------------------


def _colours(value) -> list[str]:
    if isinstance(value, str) and value.startswith("#"):
        return [value.lower()]
    if isinstance(value, list):
        return [v.lower() for v in value if isinstance(v, str) and v.startswith("#")]
    return []


def trace_colours(trace: dict) -> set[str]:
    """Every `#rrggbb` a trace fills or strokes its marks with."""
    found = _colours((trace.get("marker") or {}).get("color"))
    found += _colours((trace.get("line") or {}).get("color"))
    return set(found)


def drawn_traces(at: AppTest) -> list[tuple[str, dict]]:
    """(chart key, trace) of every Plotly chart on the page, and of every Vega-Lite chart
    (the landing page's, `app.charts.light`): each layer's marks as a trace whose marker
    colours are the layer's `color` values."""
    out = []
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        for trace in spec.get("data", []):
            out.append((element.proto.id, trace))
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        for layer in spec.get("layer", [spec]):
            rows = (layer.get("data") or {}).get("values") or []
            colours = [row.get("color") or row.get("fill") for row in rows]
            out.append(
                (element.proto.id, {"name": layer["mark"]["type"], "marker": {"color": colours}})
            )
    return out


@pytest.fixture(scope="module")
def drawn(module_warehouse_env):
    """{platform: {page: [(chart, trace)]}} for every page under each platform filter."""
    result: dict[str, dict[str, list]] = {}
    for platform in PLATFORMS:
        result[platform] = {}
        for page in PAGES:
            at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
            at.query_params["platform"] = platform
            at.run()
            at.switch_page(page).run()
            assert not at.exception, [e.message for e in at.exception]
            result[platform][page] = drawn_traces(at)
    return result


# Pages that draw one platform whatever the sidebar's: the equipment page, and the local
# sourcing page (the food platform's producers, app/queries/sourcing.py).
OWN_PLATFORM = {
    "app_pages/equipements.py": "equipements-protection",
    "app_pages/approvisionnement.py": queries.SOURCING_PLATFORM,
}


def test_no_page_draws_the_other_platform_in_its_colour(drawn):
    for platform, pages in drawn.items():
        for page, traces in pages.items():
            if page.endswith("vue_ensemble.py"):
                continue  # both platforms side by side
            shown = OWN_PLATFORM.get(page, platform)
            foreign = {
                colour.lower()
                for other in PLATFORMS
                if other != shown
                for colour in (theme.PLATFORM_COLORS[other], theme.PLATFORM_LIGHT_COLORS[other])
            }
            wrong = [t.get("name") for _, t in traces if trace_colours(t) & foreign]
            assert not wrong, (platform, page, wrong)


def test_each_platform_is_drawn_in_its_colour_on_the_overview(drawn):
    traces = drawn[PLATFORMS[0]]["app_pages/vue_ensemble.py"]
    seen = set().union(*(trace_colours(t) for _, t in traces))
    for colour in theme.PLATFORM_COLORS.values():
        assert colour.lower() in seen


def test_a_category_has_one_colour_on_every_page(drawn):
    """Traces named after a category (legends of stacked charts) keep one colour everywhere,
    and that colour is never given to anything else on the same page."""
    palette = {c.lower() for c in theme.CATEGORY_PALETTE}
    colour_of: dict[str, set[str]] = defaultdict(set)
    for pages in drawn.values():
        for page, traces in pages.items():
            by_colour: dict[str, set[str]] = defaultdict(set)
            for _, trace in traces:
                if isinstance((trace.get("marker") or {}).get("color"), list):
                    continue  # one bar per category, named by its axis, not by a legend
                for colour in trace_colours(trace):
                    by_colour[colour].add(trace.get("name") or "")
                    if colour in palette and trace.get("name"):
                        colour_of[trace["name"]].add(colour)
            for colour, names in by_colour.items():
                if colour in palette:
                    assert len(names - {""}) <= 1, (page, colour, names)
    assert colour_of, "no category drawn: the test would prove nothing"
    assert {name: c for name, c in colour_of.items() if len(c) > 1} == {}


def test_status_colours_stay_out_of_the_charts(drawn):
    status = {c.lower() for pair in theme.STATUS_COLORS.values() for c in pair}
    for pages in drawn.values():
        for page, traces in pages.items():
            wrong = [t.get("name") for _, t in traces if trace_colours(t) & status]
            assert not wrong, (page, wrong)


def test_no_chart_draws_an_unknown_category(drawn):
    """A "Non classé : …" category is a data-quality finding: named in a caption, never a bar,
    a line or a legend entry."""
    for pages in drawn.values():
        for page, traces in pages.items():
            for key, trace in traces:
                texts = [trace.get("name") or ""]
                for axis in ("x", "y"):
                    values = trace.get(axis)
                    if isinstance(values, list):
                        texts += [v for v in values if isinstance(v, str)]
                wrong = [t for t in texts if "Non classé" in t]
                assert not wrong, (page, key, wrong)


def test_heatmaps_and_the_map_use_their_platform_hue(drawn):
    """Blue never counts food suppliers: a colour scale is its platform's own hue."""
    for platform, pages in drawn.items():
        for page, traces in pages.items():
            for key, trace in traces:
                scale = trace.get("colorscale") or (trace.get("marker") or {}).get("colorscale")
                if not scale or page.endswith("vue_ensemble.py"):
                    continue
                expected = theme.platform_palette(OWN_PLATFORM.get(page, platform)).scale
                if isinstance(scale, str):
                    assert scale == expected, (page, key, scale)
                else:  # a scale spelled out (the map's): its darkest stop is the platform hue's
                    from plotly.colors import sample_colorscale

                    darkest = sample_colorscale(expected, [1.0])[0]
                    assert scale[-1][1].replace(" ", "") == darkest.replace(" ", ""), (page, key)
