"""The French look of a figure: title and subtitle, axis titles, separators, date axes
with babel month names, key dates, legend placement and colour bars."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from app.charts.text import _data, _escape, _wrap, _wrap_parts
from app.charts.theme import FONT_FAMILY, KEY_DATE_COLOR, SEPARATORS
from app.fmt import fr_day_month, fr_month_short

# Characters per line of title / subtitle before wrapping, by the chart's share of the page.
WRAP = {"full": (95, 150), "half": (48, 72)}
# The y axis of a chart with key dates reaches this multiple of the data's maximum: the room
# above the data holds the key-date labels (`charts.for_projector` widens it for its rows).
KEY_DATE_HEADROOM = 1.38


def french_layout(
    fig: go.Figure,
    *,
    title: str,
    subtitle: str,
    x_title: str | None,
    y_title: str | None,
    height: int = 420,
    legend_title: str | None = None,
    show_legend: bool | None = None,
    width: str = "full",
) -> go.Figure:
    """Title + subtitle (wrapped to the chart's width), axis titles, French separators."""
    title_chars, subtitle_chars = WRAP[width]
    title_lines = _wrap(title, title_chars).split("<br>")
    subtitle_lines = _wrap_parts(subtitle, subtitle_chars)
    top = 40 + 22 * len(title_lines) + 18 * len(subtitle_lines)
    fig.update_layout(
        title={
            "text": "<br>".join(title_lines),
            "subtitle": {
                "text": "<br>".join(subtitle_lines),
                "font": {"size": 13, "color": "#555"},
            },
            "x": 0,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
            "font": {"size": 17},
        },
        separators=SEPARATORS,
        font={"family": FONT_FAMILY},
        height=height + top - 92,
        margin={"t": top, "l": 10, "r": 10, "b": 10},
        hoverlabel={"namelength": -1},
        legend={"title": {"text": _escape(legend_title or "")}},
    )
    if show_legend is not None:
        fig.update_layout(showlegend=show_legend)
    fig.update_xaxes(title_text=_escape(x_title or ""), automargin=True)
    fig.update_yaxes(title_text=_escape(y_title or ""), automargin=True, rangemode="tozero")
    return fig


def french_date_axis(
    fig: go.Figure, start: date, end: date, *, max_ticks: int = 14, row=None, col=None
) -> go.Figure:
    """Date tick labels from babel: weekly ticks up to ~10 weeks, monthly ticks beyond
    (every 2nd or 3rd month when more than `max_ticks` would not fit)."""
    start, end = _as_date(start), _as_date(end)
    span = (end - start).days
    if span <= 70:
        first = start + timedelta(days=(7 - start.weekday()) % 7)  # next Monday
        ticks = [first + timedelta(days=7 * i) for i in range((end - first).days // 7 + 1)]
        text = [fr_day_month(day) for day in ticks]
    else:
        ticks, month = [], date(start.year, start.month, 1)
        if month < start:
            month = _add_months(month, 1)
        while month <= end:
            ticks.append(month)
            month = _add_months(month, 1)
        step = next(k for k in range(1, 13) if len(ticks) <= max_ticks * k)
        ticks = ticks[::step]
        text = [
            fr_month_short(m) if (i == 0 or m.month == 1) else fr_month_short(m).split(" ")[0]
            for i, m in enumerate(ticks)
        ]
    fig.update_xaxes(
        type="date",
        tickangle=0,
        tickmode="array",
        tickvals=[datetime.combine(day, datetime.min.time()) for day in ticks],
        ticktext=text,
        range=[
            datetime.combine(start, datetime.min.time()),
            datetime.combine(end + timedelta(days=1), datetime.min.time()),
        ],
        row=row,
        col=col,
    )
    return fig


def add_key_dates(
    fig: go.Figure,
    key_dates: pd.DataFrame | None,
    start: date | None = None,
    end: date | None = None,
    *,
    y_max: float | None = None,
) -> go.Figure:
    """Dotted vertical line and French label for each key date (`date`, `label` columns).

    Labels sit horizontally on three staggered rows in headroom added above the data, so they
    never hide a bar or a line; labels in the right quarter of the axis are right-aligned.
    """
    if key_dates is None or key_dates.empty:
        return fig
    rows = 3
    if y_max is not None and y_max > 0:
        fig.update_yaxes(range=[0, y_max * KEY_DATE_HEADROOM], autorange=False)
    span = ((end - start).days or 1) if start and end else None
    for i, row in enumerate(key_dates.itertuples(index=False)):
        day = _as_date(row.date)
        x = datetime.combine(day, datetime.min.time())
        right_side = span is not None and (day - start).days > 0.72 * span
        fig.add_shape(
            type="line",
            x0=x,
            x1=x,
            y0=0,
            y1=1,
            xref="x",
            yref="paper",
            line={"color": KEY_DATE_COLOR, "width": 1, "dash": "dot"},
        )
        fig.add_annotation(
            x=x,
            y=1,
            xref="x",
            yref="paper",
            yanchor="top",
            xanchor="right" if right_side else "left",
            yshift=-17 * (i % rows),
            xshift=-3 if right_side else 3,
            text=f"{_data(row.label)} ({fr_day_month(day)})",
            showarrow=False,
            font={"size": 11, "color": "#444"},
            bgcolor="rgba(255,255,255,0.85)",
        )
    return fig


def _legend_clear_of_plot(fig: go.Figure, width: str, entries: int) -> None:
    """Place the legend where it can never cover the plot, whatever the window width.

    Full width: on the right, where Plotly widens the margin for it. Half width (too narrow
    for that): pinned to the bottom of the figure (`yref="container"`) under a bottom margin
    sized for its rows, so a resize cannot push it into the plot (a paper-relative legend did).
    """
    if width == "half":
        rows = math.ceil(entries / 2)
        fig.update_layout(
            legend={
                "orientation": "h",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
                "x": 0,
                "xanchor": "left",
                "traceorder": "normal",
            },
            margin={"b": 95 + 22 * rows},
            height=(fig.layout.height or 460) + 22 * rows,
        )
    else:
        fig.update_layout(
            legend={
                "orientation": "v",
                "yanchor": "top",
                "y": 1,
                "x": 1.02,
                "xanchor": "left",
                "traceorder": "normal",
            }
        )


def _colorbar(title: str, tickformat: str, z_max: float) -> dict:
    """Colour bar; with integer labels, ticks on whole steps only (else "1" shows twice)."""
    bar = {"title": {"text": title}, "tickformat": tickformat}
    if tickformat == ",d":
        raw = max(z_max / 5, 1.0)
        magnitude = 10 ** math.floor(math.log10(raw))
        step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
        bar.update(tickmode="linear", tick0=0, dtick=step)
    return bar


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()
