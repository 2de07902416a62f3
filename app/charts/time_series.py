"""Figures over time: bars per day, week or month, lines, stacked months, arrivals and
departures per month."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go

from app import labels
from app.charts.layout import (
    _as_date,
    _legend_clear_of_plot,
    add_key_dates,
    french_date_axis,
    french_layout,
    integer_ticks,
    shade_before_data,
)
from app.charts.text import _data, _data_lines, _escape
from app.charts.theme import (
    ANNOTATION_COLOR,
    CATEGORY_PALETTE,
    COMPARISON_COLOR,
    NEUTRAL,
    NEUTRAL_LIGHT,
    SECOND_SERIES,
)
from app.fmt import fr_date, fr_int, fr_month

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
    color: str = NEUTRAL,
    light_color: str = NEUTRAL_LIGHT,
    height: int = 420,
    width: str = "full",
    comparison: pd.DataFrame | None = None,
    names: tuple[str, str] | None = None,
    annotations: pd.DataFrame | None = None,
    data_start: date | None = None,
) -> go.Figure:
    """Bars per day/week/month spanning their period; incomplete periods in a lighter colour;
    the span before `data_start` (the first day of data) greyed and labelled.

    `frame` has `bucket` (date), `value_col` and optionally `is_partial`.
    `comparison` (optional; `bucket`, `value_col`, `first_day`, `last_day`): another period
    already laid over this axis (`queries.visits_comparison_series`), drawn as a line over the
    bars with its real dates in the hover; `names` = (legend name of the bars, of the line).
    `annotations` (optional; `date`, `label`): analysts' notes, diamonds above the bars with
    their text in the hover. Each bar carries its first and last day (ISO) as `customdata`,
    for a click that zooms into it (`app.filters.drill_to_period`).
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
            customdata=[
                ["period", b.isoformat(), (b + timedelta(days=s - 1)).isoformat()]
                for b, s in zip(buckets, spans)
            ],
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
    if comparison is not None and len(comparison):
        _add_comparison_line(fig, comparison, value_col, grain, value_label, names)
    range_start = min([_as_date(start)] + buckets) if buckets else _as_date(start)
    range_end = max([_as_date(end)] + [b + timedelta(days=s - 1) for b, s in zip(buckets, spans)])
    french_date_axis(fig, range_start, range_end, max_ticks=7 if width == "half" else 14)
    y_max = float(frame[value_col].max()) if len(frame) else None
    if comparison is not None and len(comparison):
        y_max = max(y_max or 0.0, float(comparison[value_col].max()))
    fig.update_yaxes(**integer_ticks(y_max))
    shade_before_data(fig, range_start, range_end, data_start, width=width)
    add_key_dates(fig, key_dates, range_start, range_end, y_max=y_max, width=width)
    if annotations is not None and len(annotations):
        _add_annotation_markers(fig, annotations, range_start, range_end, y_max)
    if len(fig.data) > 1:
        # A legend once a line or diamonds join the bars (the bars named only beside a line).
        # Under the plot, pinned to the figure's bottom: long period names above it ran into
        # the subtitle, and on the right they squeezed the plot.
        fig.data[0].showlegend = bool(comparison is not None and len(comparison))
        fig.update_layout(showlegend=True)
        _legend_clear_of_plot(fig, "half", sum(1 for t in fig.data if t.showlegend is not False))
    return fig


def _add_comparison_line(
    fig: go.Figure,
    comparison: pd.DataFrame,
    value_col: str,
    grain: str,
    value_label: str,
    names: tuple[str, str] | None,
) -> None:
    """The comparison period as a line through the middle of the bars of the same buckets."""
    buckets = [_as_date(b) for b in comparison["bucket"]]
    x = [
        datetime.combine(b, datetime.min.time()) + timedelta(days=_bucket_span(b, grain) / 2)
        for b in buckets
    ]
    hover = []
    for first, last, value in zip(
        comparison["first_day"], comparison["last_day"], comparison[value_col]
    ):
        first, last = _as_date(first), _as_date(last)
        span = (
            fr_date(first)
            if first == last
            else labels.COMPARISON_HOVER_SPAN.format(start=fr_date(first), end=fr_date(last))
        )
        hover.append(
            f"{_escape(names[1] if names else '')}<br>{span}<br>{value_label} : {fr_int(value)}"
        )
    bars_name, line_name = names or ("", "")
    fig.data[0].name = _escape(bars_name)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=comparison[value_col],
            name=_escape(line_name),
            mode="lines+markers",
            line={"color": COMPARISON_COLOR, "width": 2, "dash": "dash"},
            marker={"size": 5 if grain == "day" else 7, "color": COMPARISON_COLOR},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )


def _add_annotation_markers(
    fig: go.Figure,
    annotations: pd.DataFrame,
    start: date,
    end: date,
    y_max: float | None,
) -> None:
    """Analysts' notes: a diamond per note at the top of the data area, its text in the hover
    (the plot keeps no room for many written labels; key dates keep theirs)."""
    days = [_as_date(d) for d in annotations["date"]]
    keep = [i for i, d in enumerate(days) if start <= d <= end]
    if not keep:
        return
    top = (y_max or 1.0) * 1.05
    hover = [
        f"{_escape(labels.ANNOTATION_HOVER.format(date=fr_date(days[i])))}<br>"
        f"{_data_lines(annotations['label'].iloc[i], 60)}"
        for i in keep
    ]
    fig.add_trace(
        go.Scatter(
            x=[datetime.combine(days[i], datetime.min.time()) + timedelta(hours=12) for i in keep],
            y=[top] * len(keep),
            name=_escape(labels.ANNOTATION_SERIES_NAME),
            mode="markers",
            marker={
                "symbol": "diamond",
                "size": 11,
                "color": ANNOTATION_COLOR,
                "line": {"color": "white", "width": 1},
            },
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=True,
        )
    )
    if y_max is None or y_max <= 0:
        return
    # Room for the diamonds when no key date made headroom above the bars.
    current = fig.layout.yaxis.range
    if current is None or current[1] is None or current[1] < top * 1.04:
        fig.update_yaxes(range=[0, top * 1.08], autorange=False)


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
    colors: Sequence[str] = (NEUTRAL, SECOND_SERIES),
    height: int = 420,
    key_dates: pd.DataFrame | None = None,
    data_start: date | None = None,
) -> go.Figure:
    """One line per column of `series` ({column: French name}) against a date column; the
    span before `data_start` greyed and labelled."""
    fig = go.Figure()
    days = [_as_date(d) for d in frame[x_col]]
    for i, ((column, name), color) in enumerate(zip(series.items(), colors)):
        hover = [f"{fr_date(d)}<br>{name} : {fr_int(v)}" for d, v in zip(days, frame[column])]
        fig.add_trace(
            go.Scatter(
                x=[datetime.combine(d, datetime.min.time()) for d in days],
                y=frame[column],
                name=name,
                mode="lines",
                # The second line dashed: told apart without colour vision too.
                line={"color": color, "width": 2, "dash": "dash" if i else "solid"},
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
    y_max = float(frame[list(series)].max().max()) if len(frame) else None
    fig.update_yaxes(**integer_ticks(y_max))
    shade_before_data(fig, start, end, data_start)
    add_key_dates(fig, key_dates, _as_date(start), _as_date(end), y_max=y_max)
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
    category_names: Mapping[str, str],
    colors: Sequence[str] = CATEGORY_PALETTE,
    mode: str = "stack",
    height: int = 460,
    width: str = "full",
) -> go.Figure:
    """Per month (`month` column) and category (`category_code`), stacked bars or lines, one
    per code of `categories`, named from `category_names`."""
    fig = go.Figure()
    for i, code in enumerate(categories):
        category = category_names.get(code, code)
        part = frame[frame["category_code"] == code]
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
        color = colors[i % len(colors)]
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
    shown = frame[frame["category"].isin(categories)]
    if shown.empty:
        highest = None
    elif mode == "lines":
        highest = float(shown[value_col].max())
    else:
        highest = float(shown.groupby("month")[value_col].sum().max())
    fig.update_yaxes(**integer_ticks(highest))
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
    in_color: str = NEUTRAL,
    in_light: str = NEUTRAL_LIGHT,
    out_color: str = SECOND_SERIES,
    out_light: str = "#cfcfcf",
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
            marker_color=[in_light if p else in_color for p in partial],
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
            marker_color=[out_light if p else out_color for p in partial],
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
    step = max(_nice_step(max(top, bottom) / 3), 1)  # counts: never a tick at 0.5
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
