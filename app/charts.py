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
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from app import inert, labels
from app.fmt import fr_date, fr_day_month, fr_int, fr_month, fr_month_short, fr_pct

SEPARATORS = (
    ",\u202f"  # decimal comma, narrow no-break space as thousands separator (as app/fmt.py)
)
FONT_FAMILY = "Source Sans, Source Sans Pro, Arial, sans-serif"
PRIMARY = "#1f5fa8"
PRIMARY_LIGHT = "#a9c4e6"
SECONDARY = "#e07b39"
KEY_DATE_COLOR = "#6b6b6b"
PLATFORM_COLORS = {"produits-frais": "#2e7d32", "equipements-protection": "#1f5fa8"}
QUALITATIVE = [
    "#1f5fa8",
    "#e07b39",
    "#2e7d32",
    "#b8336a",
    "#7b5ea7",
    "#c9a227",
    "#3aa6a0",
    "#8c564b",
    "#5a5a5a",
    "#9bbb59",
]


# --- config and naming -------------------------------------------------------------------------


def slugify(text: str) -> str:
    """'Visites par semaine — Produits frais' -> 'visites-par-semaine-produits-frais'."""
    text = text.replace("Œ", "Oe").replace("œ", "oe")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def png_filename(title: str, platform: str | None, start: date, end: date) -> str:
    """Meaningful file name for the toolbar's PNG download (no extension)."""
    parts = [slugify(title)]
    if platform:
        parts.append(platform)
    parts.append(f"{start:%Y-%m-%d}_{end:%Y-%m-%d}")
    return "_".join(parts)


def plotly_config(filename: str) -> dict:
    """Chart config: French strings, PNG download with `filename`, a minimal toolbar."""
    return {
        "locale": "fr",
        "locales": {"fr": labels.PLOTLY_LOCALE_FR},
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": [
            "zoom2d",
            "pan2d",
            "select2d",
            "lasso2d",
            "zoomIn2d",
            "zoomOut2d",
            "autoScale2d",
            "toggleSpikelines",
            "hoverClosestCartesian",
            "hoverCompareCartesian",
        ],
    }


# --- layout ------------------------------------------------------------------------------------


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
        fig.update_yaxes(range=[0, y_max * 1.38], autorange=False)
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


# --- builders ---------------------------------------------------------------------------------


GRAIN_DAYS = {"day": 1, "week": 7}


def bucket_label(bucket: date, grain: str) -> str:
    """French name of a time bucket for hover texts."""
    if grain == "week":
        return labels.WEEK_OF.format(date=fr_date(bucket))
    if grain == "month":
        return fr_month(bucket)
    return fr_date(bucket)


def _bucket_span(bucket: date, grain: str) -> int:
    if grain == "month":
        return calendar.monthrange(bucket.year, bucket.month)[1]
    return GRAIN_DAYS[grain]


def time_bars(
    frame: pd.DataFrame,
    *,
    value_col: str,
    grain: str,
    value_label: str,
    start: date,
    end: date,
    title: str,
    subtitle: str,
    x_title: str,
    y_title: str,
    key_dates: pd.DataFrame | None = None,
    color: str = PRIMARY,
    light_color: str = PRIMARY_LIGHT,
    height: int = 420,
    width: str = "full",
) -> go.Figure:
    """Bars per day/week/month spanning their period; incomplete periods in a lighter colour.

    `frame` has `bucket` (date), `value_col` and optionally `is_partial`.
    """
    buckets = [_as_date(b) for b in frame["bucket"]]
    spans = [_bucket_span(b, grain) for b in buckets]
    # Each bar covers its whole period so key dates fall at their place inside it.
    x = [
        datetime.combine(b, datetime.min.time()) + timedelta(days=s / 2)
        for b, s in zip(buckets, spans)
    ]
    widths = [s * 86_400_000 * 0.85 for s in spans]
    partial = frame["is_partial"].tolist() if "is_partial" in frame else [False] * len(frame)
    hover = [
        f"{bucket_label(b, grain)}"
        + (f" ({labels.PARTIAL_PERIOD.lower()})" if p else "")
        + f"<br>{value_label} : {fr_int(v)}"
        for b, v, p in zip(buckets, frame[value_col], partial)
    ]
    fig = go.Figure(
        go.Bar(
            x=x,
            y=frame[value_col],
            width=widths,
            name=value_label,
            marker_color=[light_color if p else color for p in partial],
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=x_title,
        y_title=y_title,
        height=height,
        show_legend=False,
        width=width,
    )
    range_start = min([_as_date(start)] + buckets) if buckets else _as_date(start)
    range_end = max([_as_date(end)] + [b + timedelta(days=s - 1) for b, s in zip(buckets, spans)])
    french_date_axis(fig, range_start, range_end, max_ticks=7 if width == "half" else 14)
    fig.update_yaxes(tickformat=",d")
    y_max = float(frame[value_col].max()) if len(frame) else None
    add_key_dates(fig, key_dates, range_start, range_end, y_max=y_max)
    return fig


def time_lines(
    frame: pd.DataFrame,
    *,
    x_col: str,
    series: dict[str, str],
    start: date,
    end: date,
    title: str,
    subtitle: str,
    x_title: str,
    y_title: str,
    colors: Sequence[str] = (PRIMARY, SECONDARY),
    height: int = 420,
    key_dates: pd.DataFrame | None = None,
) -> go.Figure:
    """One line per column of `series` ({column: French name}) against a date column."""
    fig = go.Figure()
    days = [_as_date(d) for d in frame[x_col]]
    for (column, name), color in zip(series.items(), colors):
        hover = [f"{fr_date(d)}<br>{name} : {fr_int(v)}" for d, v in zip(days, frame[column])]
        fig.add_trace(
            go.Scatter(
                x=[datetime.combine(d, datetime.min.time()) for d in days],
                y=frame[column],
                name=name,
                mode="lines",
                line={"color": color, "width": 2},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=x_title,
        y_title=y_title,
        height=height,
        show_legend=True,
    )
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"}
    )
    french_date_axis(fig, start, end)
    fig.update_yaxes(tickformat=",d")
    y_max = float(frame[list(series)].max().max()) if len(frame) else None
    add_key_dates(fig, key_dates, _as_date(start), _as_date(end), y_max=y_max)
    return fig


def horizontal_bars(
    frame: pd.DataFrame,
    *,
    category_col: str,
    value_col: str,
    value_label: str,
    title: str,
    subtitle: str,
    x_title: str,
    y_title: str,
    share_col: str | None = None,
    color: str = PRIMARY,
    height: int | None = None,
    value_format=fr_int,
    text: Sequence[str] | None = None,
    width: str = "full",
) -> go.Figure:
    """Horizontal bars, first row of `frame` on top, value (and share) as bar labels."""
    frame = frame.iloc[::-1]  # Plotly draws the first category at the bottom
    values = frame[value_col].tolist()
    shares = frame[share_col].tolist() if share_col else [None] * len(frame)
    if text is not None:
        text = [_data(t) for t in list(text)[::-1]]
    else:
        text = [
            value_format(v) + (f" ({fr_pct(s)})" if s is not None else "")
            for v, s in zip(values, shares)
        ]
    hover = [f"{_data(c)}<br>{value_label} : {t}" for c, t in zip(frame[category_col], text)]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=[_data_lines(c, 28) for c in frame[category_col]],
            orientation="h",
            name=value_label,
            marker_color=color,
            text=text,
            # A zero-length bar has no room inside: write its label next to the axis.
            textposition=["outside" if not v else "auto" for v in values],
            cliponaxis=False,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=x_title,
        y_title=y_title,
        height=height or max(260, 110 + 38 * len(frame)),
        show_legend=False,
        width=width,
    )
    fig.update_xaxes(tickformat=",d", tickangle=0)
    return fig


def vertical_bars(
    frame: pd.DataFrame,
    *,
    x_col: str,
    y_col: str,
    value_label: str,
    title: str,
    subtitle: str,
    x_title: str,
    y_title: str,
    hover_x: Iterable[str] | None = None,
    text: Iterable[str] | None = None,
    color: str = PRIMARY,
    height: int = 400,
    value_format=fr_int,
    width: str = "full",
) -> go.Figure:
    """Vertical bars of categories or small integers (histograms)."""
    xs = frame[x_col].tolist()
    ys = frame[y_col].tolist()
    hover_x = [_data(x) for x in (hover_x if hover_x is not None else xs)]
    labels_text = [_data(t) for t in text] if text is not None else [value_format(y) for y in ys]
    fig = go.Figure(
        go.Bar(
            x=[_data(x) if isinstance(x, str) else x for x in xs],
            y=ys,
            name=value_label,
            marker_color=color,
            text=labels_text,
            textposition="outside",
            cliponaxis=False,
            hovertext=[f"{hx}<br>{value_label} : {t}" for hx, t in zip(hover_x, labels_text)],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=x_title,
        y_title=y_title,
        height=height,
        show_legend=False,
        width=width,
    )
    return fig


def stacked_month_bars(
    frame: pd.DataFrame,
    *,
    value_col: str,
    value_label: str,
    start: date,
    end: date,
    title: str,
    subtitle: str,
    y_title: str,
    categories: Sequence[str],
    mode: str = "stack",
    height: int = 460,
    width: str = "full",
) -> go.Figure:
    """Per month (`month` column) and category (`category`), stacked bars or lines."""
    fig = go.Figure()
    for i, category in enumerate(categories):
        part = frame[frame["category"] == category]
        months = [_as_date(m) for m in part["month"]]
        x = [
            datetime.combine(m, datetime.min.time()) + timedelta(days=_bucket_span(m, "month") / 2)
            for m in months
        ]
        name = _data(category)
        hover = [
            f"{fr_month(m)} — {name}<br>{value_label} : {fr_int(v)}"
            for m, v in zip(months, part[value_col])
        ]
        color = QUALITATIVE[i % len(QUALITATIVE)]
        if mode == "stack":
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=part[value_col],
                    name=name,
                    marker_color=color,
                    width=[_bucket_span(m, "month") * 86_400_000 * 0.85 for m in months],
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=part[value_col],
                    name=name,
                    mode="lines+markers",
                    line={"color": color, "width": 2},
                    hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                )
            )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=labels.X_MONTH,
        y_title=y_title,
        height=height,
        legend_title=labels.LEGEND_CATEGORY,
        show_legend=True,
        width=width,
    )
    # Legend in the categories' order (Plotly reverses it for stacked bars by default).
    fig.update_layout(barmode="stack")
    _legend_clear_of_plot(fig, width, len(categories))
    first = date(_as_date(start).year, _as_date(start).month, 1)
    last_month = date(_as_date(end).year, _as_date(end).month, 1)
    last = last_month + timedelta(days=_bucket_span(last_month, "month") - 1)
    french_date_axis(fig, first, last, max_ticks=7 if width == "half" else 14)
    fig.update_yaxes(tickformat=",d")
    return fig


def heatmap(
    grid: pd.DataFrame,
    *,
    x_col: str,
    y_col: str,
    z_col: str,
    title: str,
    subtitle: str,
    x_title: str,
    y_title: str,
    colorbar_title: str,
    z_label: str,
    x_order: Sequence[str],
    y_order: Sequence[str],
    highlight_below: int | None = None,
    highlight_col: str | None = None,
    value_format=fr_int,
    colorbar_tickformat: str = ",d",
) -> go.Figure:
    """Heatmap with the value written in each cell (`value_format`); cells below a threshold
    (`highlight_below` on the value) or flagged (`highlight_col`, booleans) are outlined."""
    pivot = grid.pivot_table(
        index=y_col, columns=x_col, values=z_col, aggfunc="sum", fill_value=0
    ).reindex(index=list(y_order), columns=list(x_order), fill_value=0)
    z = pivot.to_numpy()
    hover = [
        [
            f"{_data(y)} × {_data(x)}<br>{z_label} : {value_format(z[i][j])}"
            for j, x in enumerate(pivot.columns)
        ]
        for i, y in enumerate(pivot.index)
    ]
    text = [[value_format(v) for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_data_lines(c, 16) for c in pivot.columns],
            y=[_data(y) for y in pivot.index],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14},
            colorscale="Blues",
            # Both bounds: with zmin alone Plotly keeps its automatic range.
            zmin=0,
            zmax=max(float(z.max()) if z.size else 0.0, 1.0),
            colorbar=_colorbar(
                colorbar_title, colorbar_tickformat, float(z.max()) if z.size else 0.0
            ),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=x_title,
        y_title=y_title,
        height=140 + 62 * len(pivot.index) + 60,
        show_legend=False,
    )
    fig.update_yaxes(autorange="reversed", rangemode=None)
    fig.update_xaxes(side="bottom", tickangle=0)
    if highlight_col is not None:
        flags = (
            grid.pivot_table(
                index=y_col, columns=x_col, values=highlight_col, aggfunc="max", fill_value=False
            )
            .reindex(index=list(y_order), columns=list(x_order), fill_value=False)
            .to_numpy()
        )
    elif highlight_below is not None:
        flags = z < highlight_below
    else:
        flags = None
    if flags is not None:
        for i in range(len(pivot.index)):
            for j in range(len(pivot.columns)):
                if flags[i][j]:
                    fig.add_shape(
                        type="rect",
                        x0=j - 0.5,
                        x1=j + 0.5,
                        y0=i - 0.5,
                        y1=i + 0.5,
                        xref="x",
                        yref="y",
                        line={"color": SECONDARY, "width": 2, "dash": "dot"},
                    )
    return fig


def weekday_hour_heatmap(
    frame: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    value_label: str,
    colorbar_title: str,
) -> go.Figure:
    """Visits by weekday (rows, Monday on top, French names) and hour (columns, 0 h … 23 h).

    `frame` has `weekday` (ISO 1-7), `hour` (0-23), `visits` and `days_in_period` (how many
    of that weekday the period holds); the hover gives the total and the daily average.
    """
    from app.fmt import WEEKDAYS, fr_num

    pivot = frame.pivot_table(
        index="weekday", columns="hour", values="visits", aggfunc="sum", fill_value=0
    ).reindex(index=range(1, 8), columns=range(24), fill_value=0)
    days = frame.groupby("weekday")["days_in_period"].max().reindex(range(1, 8), fill_value=0)
    z = pivot.to_numpy()
    rows = [WEEKDAYS[i - 1].capitalize() for i in pivot.index]
    columns = [f"{h}{NNBSP_H}h" for h in pivot.columns]
    hover = [
        [
            labels.WEEKDAY_HOUR_HOVER.format(
                day=rows[i],
                start=f"{h}{NNBSP_H}h",
                end=f"{h + 1}{NNBSP_H}h",
                label=value_label,
                value=fr_int(z[i][j]),
            )
            + (
                labels.WEEKDAY_HOUR_HOVER_AVERAGE.format(
                    value=fr_num(z[i][j] / days.iloc[i], 1), weekday=WEEKDAYS[i]
                )
                if days.iloc[i]
                else ""
            )
            for j, h in enumerate(pivot.columns)
        ]
        for i in range(len(rows))
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=rows,
            colorscale="Blues",
            zmin=0,
            zmax=max(float(z.max()) if z.size else 0.0, 1.0),
            colorbar=_colorbar(colorbar_title, ",d", float(z.max()) if z.size else 0.0),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=labels.X_HOUR,
        y_title=labels.Y_WEEKDAY,
        height=380,
        show_legend=False,
    )
    fig.update_yaxes(autorange="reversed", rangemode=None)
    fig.update_xaxes(tickangle=0)
    return fig


NNBSP_H = "\u202f"  # narrow no-break space between an hour and "h"


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


def bars(
    frame: pd.DataFrame,
    *,
    category_col: str,
    series: dict[str, str],
    title: str,
    subtitle: str,
    x_title: str,
    y_title: str,
    mode: str = "stack",
    colors: Sequence[str] | None = None,
    value_format=fr_int,
    height: int | None = None,
    legend_title: str | None = None,
    width: str = "full",
    show_text: bool = False,
    tickformat: str | None = ",d",
) -> go.Figure:
    """Horizontal bars of several series ({column: French name}), stacked or grouped, first
    row of `frame` on top; hover texts formatted with `value_format`."""
    frame = frame.iloc[::-1]
    colors = list(colors or QUALITATIVE)
    y = [_data_lines(c, 30) for c in frame[category_col]]
    fig = go.Figure()
    items = list(enumerate(series.items()))
    if mode == "group":
        # Plotly stacks grouped horizontal bars bottom-up: add them in reverse so the first
        # series sits on top of each group, and list the legend in reverse to match.
        items = items[::-1]
    for i, (column, series_name) in items:
        name = _data(series_name)
        values = frame[column].tolist()
        texts = [value_format(v) if v == v else "" for v in values]
        fig.add_trace(
            go.Bar(
                x=values,
                y=y,
                orientation="h",
                name=name,
                marker_color=colors[i % len(colors)],
                text=texts if show_text else None,
                textposition="outside" if show_text else None,
                textfont={"size": 11} if show_text else None,
                cliponaxis=False,
                hovertext=[
                    f"{_data(c)}<br>{name} : {t}" for c, t in zip(frame[category_col], texts)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    n_rows = len(frame) * (len(series) if mode == "group" else 1)
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=x_title,
        y_title=y_title,
        height=height or max(230, 150 + (24 if mode == "group" else 34) * n_rows),
        legend_title=legend_title,
        show_legend=len(series) > 1,
        width=width,
    )
    fig.update_layout(
        barmode=mode,
        bargap=0.25,
        legend={
            "orientation": "v",
            "yanchor": "top",
            "y": 1,
            "x": 1.02,
            "xanchor": "left",
            "traceorder": "reversed" if mode == "group" else "normal",
        },
    )
    fig.update_xaxes(tickformat=tickformat, tickangle=0)
    return fig


def month_balance_bars(
    frame: pd.DataFrame,
    *,
    in_col: str,
    out_col: str,
    in_label: str,
    out_label: str,
    start: date,
    end: date,
    title: str,
    subtitle: str,
    y_title: str,
    in_color: str = "#2e7d32",
    out_color: str = "#c0392b",
    height: int = 380,
    width: str = "full",
) -> go.Figure:
    """Arrivals (up) and departures (down) per month (`month` column), with the balance in
    the hover; months cut by the period (`is_partial`) in lighter colours."""
    months = [_as_date(m) for m in frame["month"]]
    x = [
        datetime.combine(m, datetime.min.time()) + timedelta(days=_bucket_span(m, "month") / 2)
        for m in months
    ]
    bar_width = [_bucket_span(m, "month") * 86_400_000 * 0.8 for m in months]
    partial = frame["is_partial"].tolist() if "is_partial" in frame else [False] * len(frame)
    ins, outs = frame[in_col].tolist(), frame[out_col].tolist()
    hover = [
        f"{fr_month(m)}"
        + (f" ({labels.PARTIAL_PERIOD.lower()})" if p else "")
        + f"<br>{in_label} : {fr_int(a)}<br>{out_label} : {fr_int(b)}"
        + f"<br>{labels.BALANCE} : {'+' if a - b > 0 else ''}{fr_int(a - b)}"
        for m, a, b, p in zip(months, ins, outs, partial)
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=x,
            y=ins,
            width=bar_width,
            name=in_label,
            showlegend=False,
            marker_color=[in_color if not p else "#a5d6a7" for p in partial],
            text=[fr_int(v) if v else "" for v in ins],
            textposition="outside",
            textfont={"size": 10, "color": "#333"},
            cliponaxis=False,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=x,
            y=[-v for v in outs],
            width=bar_width,
            name=out_label,
            showlegend=False,
            marker_color=[out_color if not p else "#f1a9a0" for p in partial],
            text=[fr_int(v) if v else "" for v in outs],
            textposition="outside",
            textfont={"size": 10, "color": "#333"},
            cliponaxis=False,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    # Legend entries in the full colours (the bars of incomplete months are lighter).
    for name, color in ((in_label, in_color), (out_label, out_color)):
        fig.add_trace(
            go.Bar(
                x=[None], y=[None], name=name, marker_color=color, hoverinfo="skip", showlegend=True
            )
        )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=labels.X_MONTH,
        y_title=y_title,
        height=height,
        show_legend=True,
        width=width,
    )
    fig.update_layout(
        barmode="relative",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
    )
    first = date(_as_date(start).year, _as_date(start).month, 1)
    last_month = date(_as_date(end).year, _as_date(end).month, 1)
    last = last_month + timedelta(days=_bucket_span(last_month, "month") - 1)
    french_date_axis(fig, first, last, max_ticks=7 if width == "half" else 14)
    # Departures are drawn downwards but counted positively: tick labels without sign.
    top = max(ins + [1])
    bottom = max(outs + [1])
    step = _nice_step(max(top, bottom) / 3)
    ticks = [-k * step for k in range(int(bottom // step) + 1, 0, -1)] + [
        k * step for k in range(int(top // step) + 2)
    ]
    fig.update_yaxes(
        tickmode="array",
        tickvals=ticks,
        ticktext=[fr_int(abs(t)) for t in ticks],
        range=[-max(bottom, top * 0.12) * 1.25, top * 1.15],
        rangemode=None,
        zeroline=True,
        zerolinecolor="#888",
    )
    return fig


def _nice_step(raw: float) -> float:
    """1, 2, 5 × 10^k just above `raw` (axis tick step)."""
    import math

    if raw <= 0:
        return 1
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def department_map(
    departments: pd.DataFrame,
    points: pd.DataFrame,
    geojson: dict,
    *,
    value_col: str,
    value_label: str,
    value_format,
    title: str,
    subtitle: str,
    colorbar_title: str,
    points_label: str,
    center: tuple[float, float] = (47.45, 1.68),
    zoom: float = 6.3,
    height: int = 600,
    width: str = "half",
) -> go.Figure:
    """Choropleth of the departments (GeoJSON, `properties.code`) with supplier points per
    commune (marker area proportional to the count).

    Offline by design: `choropleth_map` on the "white-bg" style draws the GeoJSON alone — no
    tiles, no base map (a `go.Choropleth` on `geo` would fetch Plotly's world topojson from
    its CDN even with the base map hidden), and markers only (map text would fetch glyphs).
    """
    codes = departments["department_code"].tolist()
    names = departments["department_name"].tolist()
    values = departments[value_col].tolist()
    extras = (
        departments["hover_extra"].tolist() if "hover_extra" in departments else [[]] * len(codes)
    )
    hover = [
        f"{_data(code)} — {_data(name)}<br>{value_label} : {value_format(v)}"
        + "".join(f"<br>{_escape(label)} : {_data(text)}" for label, text in extra)
        for code, name, v, extra in zip(codes, names, values, extras)
    ]
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            featureidkey="properties.code",
            locations=codes,
            z=values,
            # From 0, so that colour differences stay proportional to the figures.
            colorscale="Blues",
            zauto=False,
            zmin=0,
            zmax=max([v for v in values if v == v] + [1]),
            marker={"line": {"color": "white", "width": 2}},
            colorbar={"title": {"text": colorbar_title}, "tickformat": ",.2~f"},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            name=value_label,
        )
    )
    if len(points):
        counts = points["suppliers"].tolist()
        size = [5 + 3 * (c**0.5) for c in counts]
        point_hover = [
            f"{_data(commune)} ({_data(dep)})<br>{points_label} : {fr_int(n)}"
            + (
                "<br>" + "<br>".join(f"· {_data(name)}" for name in names_list)
                if len(names_list)
                else ""
            )
            + (
                "<br>"
                + labels.MAP_MORE_NAMES[n - len(names_list) > 1].format(
                    n=fr_int(n - len(names_list))
                )
                if n > len(names_list)
                else ""
            )
            for commune, dep, n, names_list in zip(
                points["commune"], points["department_code"], counts, points["names"]
            )
        ]
        fig.add_trace(
            go.Scattermap(
                lat=points["latitude"],
                lon=points["longitude"],
                mode="markers",
                name=points_label,
                marker={"size": size, "color": SECONDARY, "opacity": 0.6},
                hovertext=point_hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    french_layout(
        fig,
        title=title,
        subtitle=subtitle,
        x_title=None,
        y_title=None,
        height=height,
        show_legend=False,
        width=width,
    )
    fig.update_layout(
        map={"style": "white-bg", "center": {"lat": center[0], "lon": center[1]}, "zoom": zoom}
    )
    return fig


# --- helpers -----------------------------------------------------------------------------------


def _data(value) -> str:
    """A data string for a figure: shortened, `&`, `<`, `>` as entities (`app.inert`)."""
    return inert.plotly(value)


def _escape(text) -> str:
    """One of our own texts (a label, a formatted figure) for a figure, escaped like data but
    never shortened: it may hold a `&`, and it may hold a name."""
    return inert.plotly(text, limit=None)


def _data_lines(value, width: int) -> str:
    """A data string (shortened) broken over lines of about `width` characters."""
    return _wrap(inert.shorten(value), width)


def _wrap(text: str, width: int) -> str:
    """Break a long label over several lines, each escaped (Plotly understands <br>)."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(_escape(line) for line in lines)


def _wrap_parts(text: str, width: int, separator: str = " · ") -> list[str]:
    """Lines of a ' · '-separated subtitle, breaking between parts when possible."""
    lines, line = [], ""
    for part in text.split(separator):
        candidate = f"{line}{separator}{part}" if line else part
        if line and len(candidate) > width:
            lines.append(line)
            line = part
        else:
            line = candidate
    lines.append(line)
    return [wrapped for chunk in lines for wrapped in _wrap(chunk, width).split("<br>")]


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


# Presentation mode: every text of a figure 40 % larger, so that 12 px tick labels become
# 17 px and a 17 px title 24 px, legible from the back of a meeting room on a projector.
PROJECTOR_SCALE = 1.4
PROJECTOR_PLOT_SCALE = 1.2  # plot area: larger, but a chart still fits a 1080-pixel screen
# Plotly's own sizes where the figure sets none (its defaults).
_PLOTLY_FONT_SIZE = 12
_PLOTLY_HOVER_FONT_SIZE = 13


def for_projector(fig: go.Figure, scale: float = PROJECTOR_SCALE) -> go.Figure:
    """A copy of `fig` with every font size multiplied by `scale` (titles, axes, legend,
    colour bars, annotations, bar and cell labels, hover), a title band grown to hold the
    larger title and a plot area grown by `PROJECTOR_PLOT_SCALE`."""
    fig = go.Figure(fig)
    layout = fig.layout

    def bigger(size) -> int:
        return round((size or _PLOTLY_FONT_SIZE) * scale)

    base = bigger(layout.font.size)
    fig.update_layout(
        font_size=base,
        title_font_size=bigger(layout.title.font.size),
        title_subtitle_font_size=bigger(layout.title.subtitle.font.size),
        legend_font_size=bigger(layout.legend.font.size),
        legend_title_font_size=bigger(layout.legend.title.font.size),
        hoverlabel_font_size=round(
            (layout.hoverlabel.font.size or _PLOTLY_HOVER_FONT_SIZE) * scale
        ),
    )
    # Axis and colour-bar fonts are set too, not only inherited from the global font, so that
    # no size a theme template gives them keeps them small.
    fig.update_xaxes(tickfont_size=base, title_font_size=base)
    fig.update_yaxes(tickfont_size=base, title_font_size=base)
    for annotation in layout.annotations:
        annotation.font.size = bigger(annotation.font.size)
        if annotation.yshift:
            annotation.yshift = annotation.yshift * scale
    for trace in fig.data:
        if getattr(trace, "textfont", None) is not None and trace.textfont.size:
            trace.textfont.size = bigger(trace.textfont.size)
        colorbar = getattr(trace, "colorbar", None)
        if colorbar is not None:
            colorbar.tickfont.size = base
            colorbar.title.font.size = base
    # The title band (top margin) and a bottom legend band grow with their text; the plot
    # area grows too, so that bars stay thick enough for their larger labels.
    top, bottom = layout.margin.t or 0, layout.margin.b or 0
    plot = (layout.height or 450) - top - bottom
    fig.update_layout(
        margin_t=round(top * scale),
        margin_b=round(bottom * scale),
        height=round(plot * PROJECTOR_PLOT_SCALE) + round(top * scale) + round(bottom * scale),
    )
    return fig


def show(fig: go.Figure, filename: str, *, key: str | None = None) -> None:
    """Draw a figure with the French config (Streamlit); larger texts in presentation mode."""
    import streamlit as st

    from app.context import presenting

    if presenting():
        fig = for_projector(fig)
    st.plotly_chart(
        fig, config=plotly_config(filename), width="stretch", key=key, theme="streamlit"
    )
