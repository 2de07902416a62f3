"""A chart's text alternative: a short French summary of what it shows, for screen readers.

Built from the figure itself, so that it always says what is drawn: the title and subtitle,
then for each series its name, how many values, and its highest and lowest points as their
hover texts already say them in French (« Semaine du 6 avril — Visites : 25 678 »). Pure (no
Streamlit); `streamlit_draw.show` writes it right after the chart, in a paragraph only
screen readers reach (`app/page.py SCREEN_CSS`, class `chart-alt`).
"""

from __future__ import annotations

import html
import math
import re

import plotly.graph_objects as go

from app import labels
from app.fmt import fr_num

_TAG = re.compile(r"<[^>]+>")


def _plain(text) -> str:
    """Plotly text as a reader hears it: line breaks as dashes, tags dropped, entities read."""
    text = str(text or "").replace("<br>", " — ")
    return html.unescape(_TAG.sub("", text)).strip(" —")


def _numbers(values) -> list[float | None]:
    out = []
    for value in values if values is not None else ():
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        out.append(number if number is not None and math.isfinite(number) else None)
    return out


def _series_summary(trace) -> str | None:
    """« Visites : 40 valeurs ; la plus haute : …, la plus basse : … » for one series."""
    if trace.type in ("bar", "scatter"):
        horizontal = getattr(trace, "orientation", None) == "h"
        values = _numbers(trace.x if horizontal else trace.y)
    elif trace.type == "heatmap":
        rows = trace.z if trace.z is not None else ()
        values = _numbers([v for row in rows for v in row])
    else:
        return None
    known = [(v, i) for i, v in enumerate(values) if v is not None]
    if not known:
        return None
    hover = trace.hovertext
    if trace.type == "heatmap" and hover is not None:
        hover = [h for row in hover for h in row]

    def said(index: int) -> str:
        if hover is not None and not isinstance(hover, str) and index < len(hover):
            return _plain(hover[index])
        value = values[index]
        return fr_num(value, 0 if float(value).is_integer() else 1)

    name = _plain(trace.name) or labels.CHART_ALT_SERIES
    high, low = max(known), min(known)
    if high[0] == low[0]:
        return labels.CHART_ALT_FLAT.format(name=name, n=len(known), point=said(high[1]))
    return labels.CHART_ALT_SERIES_SUMMARY.format(
        name=name, n=len(known), high=said(high[1]), low=said(low[1])
    )


def describe_figure(fig: go.Figure) -> str:
    """The French text alternative of `fig` (title, subtitle, each series' extremes)."""
    title = _plain(fig.layout.title.text)
    subtitle = _plain(fig.layout.title.subtitle.text) if fig.layout.title.subtitle else ""
    parts = [labels.CHART_ALT_TITLE.format(title=title or labels.CHART_ALT_UNTITLED)]
    if subtitle:
        parts.append(subtitle + ".")
    shown = [t for t in fig.data if t.visible in (None, True)]
    series = [s for s in (_series_summary(t) for t in shown) if s]
    parts.extend(series[:6])
    if not series:
        parts.append(labels.CHART_ALT_EMPTY)
    return " ".join(parts)
