"""The French look of a figure: title and subtitle, axis titles, separators, date axes
with babel month names, key dates, legend placement and colour bars."""

from __future__ import annotations

import math
import textwrap
from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from app import inert, labels
from app.charts.text import _escape, _wrap, _wrap_parts
from app.charts.theme import (
    FONT_FAMILY,
    KEY_DATE_COLOR,
    KEY_DATE_TEXT_COLOR,
    NO_DATA_FILL,
    SEPARATORS,
)
from app.fmt import fr_day_month, fr_month_short, fr_pct

# Characters per line of title / subtitle before wrapping, by the chart's share of the page.
WRAP = {"full": (95, 150), "half": (48, 72)}


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
    """Date tick labels from babel: daily ticks when every day fits (`max_ticks`), weekly
    ticks up to ~10 weeks, monthly ticks beyond (every 2nd or 3rd month when more than
    `max_ticks` would not fit). A tick marks its day's start, as a weekly one its Monday's."""
    start, end = _as_date(start), _as_date(end)
    span = (end - start).days
    if span < max_ticks:
        ticks = [start + timedelta(days=i) for i in range(span + 1)]
        text = [fr_day_month(day) for day in ticks]
    elif span <= 70:
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


# Plot widths (px) assumed to place key-date labels: the narrowest a chart of each width gets
# on a 1440 px screen, so that labels placed apart there stay apart on wider screens too.
PLOT_WIDTH_PX = {"full": 900, "half": 420}
LABEL_CHAR_PX = 6.2  # a character of an 11 px label, on average
LABEL_ROW_PX = 17


def add_key_dates(
    fig: go.Figure,
    key_dates: pd.DataFrame | None,
    start: date | None = None,
    end: date | None = None,
    *,
    y_max: float | None = None,
    width: str = "full",
) -> go.Figure:
    """Dotted vertical line and French label for each key date (`date`, `label` columns).

    Labels sit horizontally in headroom added above the data, so they never hide a bar or a
    line. A label starts at its line, or ends there when it would run past the plot's right
    edge; one too long for either side is broken over two lines or more. Each takes the first
    rows where it overlaps no label already placed (`label_rows`), so dates a few days apart
    stack instead of writing over each other.
    """
    if key_dates is None or key_dates.empty:
        return fig
    span = ((end - start).days or 1) if start and end else None
    plot_px = PLOT_WIDTH_PX.get(width, 900)
    days = [_as_date(d) for d in key_dates["date"]]
    raw = [
        f"{inert.shorten(str(label))} ({fr_day_month(day)})"
        for label, day in zip(key_dates["label"], days)
    ]
    placed = [_place_label(text, day, start, span, plot_px) for text, day in zip(raw, days)]
    rows = label_rows(days, placed, start, span, plot_px)
    used_rows = max((row + len(lines) for row, (lines, _) in zip(rows, placed)), default=3)
    if y_max is not None and y_max > 0:
        fig.update_yaxes(range=[0, y_max * key_date_headroom(used_rows)], autorange=False)
    for day, (lines, right_side), row in zip(days, placed, rows):
        x = datetime.combine(day, datetime.min.time())
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
            align="right" if right_side else "left",
            yshift=-LABEL_ROW_PX * row,
            xshift=-3 if right_side else 3,
            text="<br>".join(_escape(line) for line in lines),
            showarrow=False,
            font={"size": 11, "color": KEY_DATE_TEXT_COLOR},
            bgcolor="#ffffff",  # opaque: no other date's dotted line runs through the text
        )
    return fig


def key_date_headroom(rows: int) -> float:
    """The y axis top as a multiple of the data's maximum, leaving room for `rows` rows of
    key-date labels: 38 % more for three rows, more beyond. (Not stored in the figure:
    `layout.meta` would make Plotly read "%{…}" in every data name as a template.)"""
    return 1 + 0.127 * max(rows, 3)


def key_date_rows(fig: go.Figure) -> int:
    """The label rows `add_key_dates` used, counted back from its annotations."""
    rows = 0
    for note in fig.layout.annotations:
        if note.xref == "x" and note.yref == "paper" and note.y == 1 and note.yanchor == "top":
            first = round(-(note.yshift or 0) / LABEL_ROW_PX)
            rows = max(rows, first + str(note.text).count("<br>") + 1)
    return rows


def _place_label(
    text: str, day: date, start: date | None, span: int | None, plot_px: float
) -> tuple[list[str], bool]:
    """The lines of a key-date label and whether it ends at its line (right-aligned)."""
    if span is None or start is None:
        return [text], False
    anchor = (day - start).days / span * plot_px
    room_right, room_left = plot_px - anchor, anchor
    for side_right, room in ((False, room_right), (True, room_left)):
        if _label_px(text) + 8 <= room:
            return [text], side_right
    right_side = room_left > room_right
    chars = max(int(max(room_left, room_right) / LABEL_CHAR_PX) - 2, 12)
    return textwrap.wrap(text, chars) or [text], right_side


def label_rows(
    days: list[date],
    placed: list[tuple[list[str], bool]],
    start: date | None,
    span: int | None,
    plot_px: float,
) -> list[int]:
    """The first row of each key-date label ((lines, right-aligned) from `_place_label`): the
    first rows where its estimated extent along the axis (in pixels) clears by 8 px every
    label already there. Without an axis span, one label per row in turn."""
    if span is None or start is None:
        return [i % 3 for i in range(len(days))]
    taken: dict[int, list[tuple[float, float]]] = {}
    rows: dict[int, int] = {}
    for i in sorted(range(len(days)), key=lambda i: days[i]):
        lines, right_side = placed[i]
        anchor = (days[i] - start).days / span * plot_px
        extent = max(_label_px(line) for line in lines) + 8
        low, high = (anchor - extent, anchor) if right_side else (anchor, anchor + extent)
        row = 0
        while not all(
            high <= a or low >= b for r in range(row, row + len(lines)) for a, b in taken.get(r, [])
        ):
            row += 1
        for r in range(row, row + len(lines)):
            taken.setdefault(r, []).append((low, high))
        rows[i] = row
    return [rows[i] for i in range(len(days))]


def _label_px(text: str) -> float:
    """Estimated width in pixels of a key-date label's line (as typed, not escaped)."""
    return len(text) * LABEL_CHAR_PX


def shade_before_data(
    fig: go.Figure, start: date, end: date, data_start: date | None, *, width: str = "full"
) -> go.Figure:
    """Grey the part of a time axis before the first day of data, labelled when there is room:
    a month at zero there means "no platform yet", not "no visitor"."""
    start = _as_date(start)
    if data_start is None or start >= data_start:
        return fig
    shaded_px = (data_start - start).days / (((_as_date(end) - start).days) or 1)
    shaded_px *= PLOT_WIDTH_PX.get(width, 900)
    fig.add_vrect(
        x0=datetime.combine(_as_date(start), datetime.min.time()),
        x1=datetime.combine(data_start, datetime.min.time()),
        fillcolor=NO_DATA_FILL,
        line_width=0,
        layer="below",
    )
    if shaded_px < 95:  # too narrow for the label: the grey and the caption speak
        return fig
    fig.add_annotation(
        x=datetime.combine(data_start, datetime.min.time()),
        y=0.5,
        xref="x",
        yref="paper",
        xanchor="right",
        xshift=-4,
        text=labels.BEFORE_DATA.format(date=fr_day_month(data_start)),
        showarrow=False,
        font={"size": 11, "color": KEY_DATE_TEXT_COLOR},
        bgcolor=NO_DATA_FILL,  # opaque: a key date's dotted line passes behind, not through
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


def integer_ticks(max_value: float | None) -> dict:
    """Axis settings for counts: whole numbers only. Left to itself Plotly puts ticks at 0.2,
    0.4 … under a small maximum, and the integer format writes them "0, 0, 0, 1, 1, 1"."""
    ticks: dict = {"tickformat": ",d"}
    if max_value is not None and max_value == max_value and max_value < 10:
        ticks.update(tickmode="linear", tick0=0, dtick=1 if max_value <= 6 else 2)
    return ticks


def share_axis(fig: go.Figure, axis: str = "x", headroom: float = 1.05) -> go.Figure:
    """An axis of shares (values 0 to 1) read in French percentages, 0 % to 100 % every 20,
    with `headroom` past 100 % for the bars' labels."""
    ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
    settings = dict(
        range=[0, headroom],
        tickmode="array",
        tickvals=ticks,
        ticktext=[fr_pct(t, 0) for t in ticks],
        tickformat=None,
    )
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**settings)
    return fig


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
