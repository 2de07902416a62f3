"""Plotly figures with a French look.

* decimal comma and space thousands (`separators`), French month names on date axes (tick
  labels computed with babel, so they do not depend on the browser's Plotly locale),
* a title and a subtitle stating the period and filters, axis titles with units,
* hover texts pre-formatted in French (no raw `trace 0`, no English default labels),
* the toolbar reduced to a PNG download with a meaningful file name, and Plotly's own
  strings registered in French through the chart config (`locale`/`locales`),
* data made inert: Plotly reads a subset of HTML in every text (`<a href>`, `<b>`, `<br>`,
  entities), so every data string (category, name, commune, department, key date, filter in
  a subtitle) goes through `_data` or `_data_lines` (`app.inert.plotly`: shortened, `&`, `<`,
  `>` as entities) before our own `<br>` are put around it, and hover texts reach Plotly as
  `hovertext` values substituted into the fixed template `%{hovertext}<extra></extra>`, never
  as part of a template.

Figure builders are pure (no Streamlit); `show()` draws a figure with the French config.

Modules (callers use `from app import charts; charts.time_bars(...)`):

* `theme`: colours, fonts, number separators;
* `toolbar`: the chart config (French strings, buttons) and the PNG file name;
* `text`: data made inert (`_data`, `_data_lines`, `_escape`) and text wrapping;
* `layout`: title, subtitle and axes (`french_layout`), date axes, key dates, legend
  placement, colour bars, date helpers;
* `time_series`: bars and lines over time, stacked months, monthly arrivals and departures;
* `categorical`: horizontal and vertical bars, several series of bars, heatmaps;
* `maps`: the department map;
* `projector`: larger texts for presentation mode (`for_projector`);
* `light`: a bar-over-time figure as a Vega-Lite specification (the landing page's charts);
* `streamlit_draw`: `show()` and `show_light()`, the only part that imports Streamlit (lazily).
"""

from app.charts.categorical import (
    NNBSP_H,
    bars,
    heatmap,
    horizontal_bars,
    vertical_bars,
    weekday_hour_heatmap,
)
from app.charts.layout import WRAP, add_key_dates, french_date_axis, french_layout, share_axis
from app.charts.maps import department_map
from app.charts.projector import (
    PROJECTOR_INK,
    PROJECTOR_MAX_HEIGHT,
    PROJECTOR_MIN_FONT,
    PROJECTOR_PLOT_SCALE,
    PROJECTOR_SCALE,
    for_projector,
)
from app.charts.streamlit_draw import show, show_for, show_light
from app.charts.theme import (
    FONT_FAMILY,
    KEY_DATE_COLOR,
    NEUTRAL,
    PLATFORM_COLORS,
    SECOND_SERIES,
    SEPARATORS,
    STATUS_COLORS,
    STATUS_TEXT_COLOR,
    Palette,
    category_colors,
    platform_palette,
)
from app.charts.time_series import (
    GRAIN_DAYS,
    bucket_label,
    month_balance_bars,
    stacked_month_bars,
    time_bars,
    time_lines,
)
from app.charts.toolbar import plotly_config, png_filename, slugify

__all__ = [
    "FONT_FAMILY",
    "GRAIN_DAYS",
    "KEY_DATE_COLOR",
    "NNBSP_H",
    "NEUTRAL",
    "PLATFORM_COLORS",
    "PROJECTOR_INK",
    "PROJECTOR_MAX_HEIGHT",
    "PROJECTOR_MIN_FONT",
    "PROJECTOR_PLOT_SCALE",
    "PROJECTOR_SCALE",
    "SECOND_SERIES",
    "SEPARATORS",
    "STATUS_COLORS",
    "STATUS_TEXT_COLOR",
    "WRAP",
    "Palette",
    "add_key_dates",
    "bars",
    "bucket_label",
    "category_colors",
    "department_map",
    "for_projector",
    "french_date_axis",
    "french_layout",
    "share_axis",
    "heatmap",
    "horizontal_bars",
    "month_balance_bars",
    "platform_palette",
    "plotly_config",
    "png_filename",
    "show",
    "show_for",
    "show_light",
    "slugify",
    "stacked_month_bars",
    "time_bars",
    "time_lines",
    "vertical_bars",
    "weekday_hour_heatmap",
]
