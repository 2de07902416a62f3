"""Colours, fonts and number separators shared by every figure, table and report.

The colour system (docs/dashboard.md, "Colours"), each colour meaning one thing:

* a platform has one colour on every page, chart and report (`platform_palette`); a chart
  of both platforms together is drawn in a neutral slate;
* a category has one colour wherever it is drawn, taken by its rank in its platform's
  vocabulary (`category_colors`); the palette holds no platform colour and no status colour;
* a scorecard status (atteint, à surveiller, non atteint, non évaluable) has its own tint and
  border (`STATUS_COLORS`), used only for statuses and always written out in words;
* the pairs a chart contrasts (arrivals and departures, a period and its comparison) differ in
  lightness as well as hue, so they stay apart without colour vision (no red against green).

Every colour a single series is drawn in keeps at least 3:1 against the white background
(WCAG 1.4.11) and text colours 4.5:1, checked by tests/test_colours.py; category colours are
told apart by their legend and hover texts as well.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.colors

# Decimal comma and a no-break space between thousands. Not the narrow one app/fmt.py writes
# in text: in chart fonts it is drawn 1.4 px wide at 12 px, and "40 000" read as "40000".
SEPARATORS = ",\u00a0"
FONT_FAMILY = "Source Sans, Source Sans Pro, Arial, sans-serif"

# Platforms: a dark orange (food) and a blue (equipment), the pair that stays apart for every
# form of colour blindness. The light tint marks an incomplete period of the same series.
PLATFORM_COLORS = {"produits-frais": "#b85c00", "equipements-protection": "#1f5fa8"}
PLATFORM_LIGHT_COLORS = {"produits-frais": "#f2c9a0", "equipements-protection": "#a9c4e6"}
# Both platforms together, or no platform: slate, neither platform's colour.
NEUTRAL = "#455a64"
NEUTRAL_LIGHT = "#b0bec5"

# The second series of a chart about one platform (a departure, the withdrawn listings, the
# capacity beside the offers): grey, darker or lighter than any platform colour.
SECOND_SERIES = "#6e6e6e"
KEY_DATE_COLOR = "#5c5c5c"
KEY_DATE_TEXT_COLOR = "#444444"  # labels of key dates and of the span before the data
NO_DATA_FILL = "#ececec"  # a time axis before the first day of data
COMPARISON_COLOR = "#1b1b1b"  # the comparison period's dashed line over the bars
ANNOTATION_COLOR = "#8e24aa"  # analysts' annotations (diamonds)

# Categories (Paul Tol's "muted" scheme without its blue, green and red, plus two darks):
# none is a platform colour or a status colour.
# Ordered so that the first seven (the equipment platform's categories) are far apart.
CATEGORY_PALETTE = (
    "#44aa99",  # teal
    "#882255",  # wine
    "#999933",  # olive
    "#88ccee",  # cyan
    "#ddcc77",  # sand
    "#6b4c2a",  # brown
    "#2f4b7c",  # navy
    "#aa4499",  # purple
    "#cc6677",  # rose
    "#c7b9e0",  # lavender
)
UNCLASSIFIED_COLOR = "#bdbdbd"  # a "Non classé : …" category: a data-quality finding

# Scorecard statuses: (background, border). Text on each background is #1f2933 (over 12:1).
STATUS_COLORS = {
    "met": ("#e6f4ea", "#1e7d32"),
    "watch": ("#fff8d6", "#8a6d00"),
    "not_met": ("#fdecea", "#b3261e"),
    "not_evaluable": ("#f1f1f1", "#6b6b6b"),
}
STATUS_TEXT_COLOR = "#1f2933"

# Sequential scales of heatmaps and the map: the platform's own hue, light to dark, so that
# blue never counts food suppliers; grey for both platforms together.
SEQUENTIAL_SCALE = "Greys"
PLATFORM_SCALES = {"produits-frais": "Oranges", "equipements-protection": "Blues"}


@dataclass(frozen=True)
class Palette:
    """The colours of a chart about one platform (or both, in neutral slate)."""

    main: str
    light: str  # the same series over an incomplete period
    second: str = SECOND_SERIES
    scale: str = SEQUENTIAL_SCALE  # heatmaps and the map


def platform_palette(platform: str | None) -> Palette:
    """The platform's colours; `None` (both platforms) gets the neutral slate."""
    if platform in PLATFORM_COLORS:
        return Palette(
            PLATFORM_COLORS[platform],
            PLATFORM_LIGHT_COLORS[platform],
            scale=PLATFORM_SCALES[platform],
        )
    return Palette(NEUTRAL, NEUTRAL_LIGHT)


def category_colors(vocabulary: Mapping[str, str], shown: Sequence[str]) -> list[str]:
    """The colour of each category code in `shown`, by its rank in the platform's vocabulary
    ({code: label}, the filter's order): the same on every page whatever subset is shown. A
    code outside the vocabulary (`non_classe_…`) is grey."""
    rank = {code: i for i, code in enumerate(vocabulary)}
    return [
        CATEGORY_PALETTE[rank[code] % len(CATEGORY_PALETTE)] if code in rank else UNCLASSIFIED_COLOR
        for code in shown
    ]


# Labels drawn on a mark (inside a bar, on a heatmap cell, on a department) are black or white,
# whichever stands out more from that mark: the better of the two always holds 4.5:1.
INK_ON_LIGHT, INK_ON_DARK = "#000000", "#ffffff"


def luminance(colour: str) -> float | None:
    """WCAG relative luminance of a `#rrggbb` or `rgb(…)` colour; None for anything else."""
    try:
        if colour.startswith("#"):
            channels = plotly.colors.hex_to_rgb(colour)
        else:
            channels = plotly.colors.unlabel_rgb(colour)[:3]
    except (AttributeError, ValueError, TypeError, IndexError):
        return None
    linear = [
        c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str = "#ffffff") -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(colour) -> str | None:
    """Black or white, whichever contrasts more with `colour` (None if unknown)."""
    value = luminance(colour) if isinstance(colour, str) else None
    if value is None:
        return None
    return INK_ON_LIGHT if (value + 0.05) / 0.05 >= 1.05 / (value + 0.05) else INK_ON_DARK
