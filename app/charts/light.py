"""A bar-over-time Plotly figure redrawn by Vega-Lite (Streamlit's `st.vega_lite_chart`,
whose code the landing page loads anyway for its metrics' sparklines), for the landing page.

Why: the first chart Plotly draws in a tab costs its 4.7 MB library (downloaded, compiled,
run): about 1.2–1.4 s of a first visit on two cores, against 0.1–0.2 s for Vega-Lite
(docs/performance.md, "A lighter landing page"). The figure is still built once by the Plotly
builders (`app.charts.time_series.time_bars`), which the report, the projector view and the
other pages draw with Plotly; this module only translates what that figure holds — bars with
their span, colour and hover text, title and subtitle, axis titles and tick labels, the grey
span before the first day of data and its label — into a Vega-Lite specification. A figure
with anything else raises `UnsupportedFigure`: a chart must never lose a layer silently.

Vega-Lite draws text as text (no HTML), so the figure's inert entities (`&lt;`, `&amp;`) are
read back into characters. Vega's menu (PNG export) is hidden by Streamlit: this chart's PNG
is the slide's (`?presentation=1`, drawn by Plotly) and the meeting report has it too.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timedelta

import plotly.graph_objects as go

from app.charts.theme import FONT_FAMILY

_TAG = re.compile(r"<[^>]+>")

# French numbers on the value axis: « 25 743 », decimal comma. A no-break space: the
# narrow one the rest of the app writes showed no visible gap in Vega's SVG text.
FRENCH_NUMBERS = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", ""],  # required by d3-format; no amount is drawn
}


class UnsupportedFigure(ValueError):
    """The figure holds something this translation does not draw."""


def _lines(text) -> list[str]:
    """Plotly text as Vega-Lite lines: `<br>` splits, other tags dropped, entities read."""
    if not text:
        return []
    return [html.unescape(_TAG.sub("", part)).strip() for part in str(text).split("<br>")]


def _instant(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _iso(moment: datetime) -> str:
    # "Z": a date without a zone is read in the browser's time zone; the axis is UTC.
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _milliseconds(value) -> int:
    """A naive (UTC) instant as Vega's time value, milliseconds since 1970."""
    return round((_instant(value) - datetime(1970, 1, 1)).total_seconds() * 1000)


def _datetime_object(value) -> dict:
    moment = _instant(value)
    return {
        "year": moment.year,
        "month": moment.month,
        "date": moment.day,
        "hours": moment.hour,
        "minutes": moment.minute,
        "utc": True,
    }


def _label_expression(values: list, texts: list[str]) -> str:
    """A Vega expression giving each tick its French label (computed by babel in the figure),
    by its time in milliseconds; JSON strings are valid Vega string literals."""
    expression = json.dumps("")
    for value, text in reversed(list(zip(values, texts))):
        expression = (
            f"time(datum.value) == {_milliseconds(value)} ? {json.dumps(text)} : ({expression})"
        )
    return expression


def _bars(trace) -> list[dict]:
    if trace.type != "bar" or getattr(trace, "orientation", None) == "h":
        raise UnsupportedFigure(f"trace {trace.type!r} ({trace.orientation!r})")
    count = len(trace.x)
    widths = trace.width if trace.width is not None else ()
    colors = trace.marker.color
    hovers = trace.hovertext if trace.hovertext is not None else ()
    if len(widths) != count:
        raise UnsupportedFigure("bars without a width each (a span of days)")
    rows = []
    for i, (x, y) in enumerate(zip(trace.x, trace.y)):
        middle, half = _instant(x), timedelta(milliseconds=float(widths[i]) / 2)
        color = colors if isinstance(colors, str) else colors[i]
        hover = " — ".join(_lines(hovers[i])) if i < len(hovers) else ""
        rows.append(
            {
                "start": _iso(middle - half),
                "end": _iso(middle + half),
                "value": None if y is None else float(y),
                "color": color,
                "hover": hover,
            }
        )
    return rows


def _shaded_spans(fig: go.Figure) -> list[dict]:
    spans = []
    for shape in fig.layout.shapes:
        if shape.type != "rect" or shape.xref != "x" or shape.yref not in ("y domain", "paper"):
            raise UnsupportedFigure(f"shape {shape.type!r} on {shape.xref!r}/{shape.yref!r}")
        spans.append(
            {
                "start": _iso(_instant(shape.x0)),
                "end": _iso(_instant(shape.x1)),
                "fill": shape.fillcolor,
            }
        )
    return spans


def _notes(fig: go.Figure) -> list[dict]:
    notes = []
    for note in fig.layout.annotations:
        if note.xref != "x" or note.yref != "paper":
            raise UnsupportedFigure(f"annotation on {note.xref!r}/{note.yref!r}")
        notes.append(
            {
                "at": _iso(_instant(note.x)),
                "text": _lines(note.text),  # a list: one line each, as in the figure
                "color": note.font.color or "#555",
                "align": {"right": "right", "left": "left"}.get(note.xanchor, "center"),
            }
        )
    return notes


def vega_spec(fig: go.Figure) -> dict:
    """The Vega-Lite specification drawing `fig` (bars over a date axis, as `time_bars`
    builds them): same bars, colours, hover texts, titles, ticks and shaded span."""
    if len(fig.data) != 1:
        raise UnsupportedFigure(f"{len(fig.data)} traces, one bar trace expected")
    bars = _bars(fig.data[0])
    layout = fig.layout
    xaxis, yaxis = layout.xaxis, layout.yaxis
    if xaxis.type != "date" or xaxis.range is None:
        raise UnsupportedFigure("no date axis with a range")
    domain = [_iso(_instant(value)) for value in xaxis.range]
    x_scale = {"type": "utc", "domain": domain}
    x_axis = {
        "title": " ".join(_lines(xaxis.title.text)),
        "labelAngle": 0,
        "grid": False,
    }
    if xaxis.tickvals is not None:
        # Vega-Lite reads a temporal axis' values as its DateTime objects.
        x_axis["values"] = [_datetime_object(v) for v in xaxis.tickvals]
        x_axis["labelExpr"] = _label_expression(list(xaxis.tickvals), list(xaxis.ticktext))
    y_axis = {"title": " ".join(_lines(yaxis.title.text)), "format": ",d", "tickMinStep": 1}
    layers: list[dict] = []
    shaded = _shaded_spans(fig)
    if shaded:
        layers.append(
            {
                "data": {"values": shaded},
                "mark": {"type": "rect", "tooltip": False},
                "encoding": {
                    "x": {"field": "start", "type": "temporal", "scale": x_scale},
                    "x2": {"field": "end"},
                    "color": {"field": "fill", "type": "nominal", "scale": None},
                },
            }
        )
    layers.append(
        {
            "data": {"values": bars},
            "mark": {"type": "bar"},
            "encoding": {
                "x": {"field": "start", "type": "temporal", "scale": x_scale, "axis": x_axis},
                "x2": {"field": "end"},
                "y": {"field": "value", "type": "quantitative", "axis": y_axis},
                "y2": {"datum": 0},
                "color": {"field": "color", "type": "nominal", "scale": None},
                "tooltip": {"field": "hover", "type": "nominal"},
            },
        }
    )
    notes = _notes(fig)
    if notes:
        layers.append(
            {
                "data": {"values": notes},
                "mark": {"type": "text", "baseline": "middle", "dx": -4, "fontSize": 12},
                "encoding": {
                    "x": {"field": "at", "type": "temporal", "scale": x_scale},
                    "y": {"value": {"expr": "height / 2"}},
                    "text": {"field": "text"},
                    "align": {"field": "align", "type": "nominal", "scale": None},
                    "color": {"field": "color", "type": "nominal", "scale": None},
                },
            }
        )
    title = layout.title
    subtitle = _lines(title.subtitle.text) if title.subtitle else []
    title_lines = _lines(title.text)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        # The chart's name for screen readers (Vega's own is "Vega visualization"); the
        # summary of its values follows it in the page (`show_light`).
        "description": " ".join(title_lines),
        "title": {
            "text": title_lines,
            "subtitle": subtitle,
            "anchor": "start",
            "fontSize": 17,
            "fontWeight": "normal",
            "subtitleFontSize": 13,
            "subtitleColor": "#555",
            "offset": 12,
        },
        # The whole chart's height, title and axes included: Streamlit fits the
        # specification into it (autosize "fit"), as Plotly does with the figure's.
        "height": layout.height or 420,
        "layer": layers,
        "config": {
            # Vega writes an English description on every axis and mark for screen readers
            # ("X-axis titled … for a utc scale"); the chart's French name and summary say it.
            "aria": False,
            "font": FONT_FAMILY,
            "locale": {"number": FRENCH_NUMBERS},
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": "normal"},
        },
    }
