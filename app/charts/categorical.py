"""Figures over categories: horizontal and vertical bars, several series of bars, heatmaps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from app import labels
from app.charts.layout import _colorbar, french_layout, integer_ticks
from app.charts.text import _data, _data_lines
from app.charts.theme import CATEGORY_PALETTE, KEY_DATE_COLOR, NEUTRAL, SEQUENTIAL_SCALE
from app.fmt import fr_int, fr_pct


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
    color: str | Sequence[str] = NEUTRAL,
    height: int | None = None,
    value_format=fr_int,
    text: Sequence[str] | None = None,
    width: str = "full",
    filter_codes: Sequence[tuple[str, str]] | None = None,
) -> go.Figure:
    """Horizontal bars, first row of `frame` on top, value (and share) as bar labels.

    `filter_codes`: per row, the (department code, category code) a click on the bar applies
    as filters ("" for none), carried as the bars' `customdata` (`app.filters.drill_down`).
    """
    frame = frame.iloc[::-1]  # Plotly draws the first category at the bottom
    if not isinstance(color, str):
        color = list(color)[::-1]  # one colour per row, in the rows' order
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
            customdata=[list(c) for c in filter_codes][::-1] if filter_codes else None,
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
    known = [v for v in values if v == v and v is not None]
    fig.update_xaxes(**integer_ticks(float(max(known)) if known else None), tickangle=0)
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
    color: str | Sequence[str] = NEUTRAL,
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
    scale: str = SEQUENTIAL_SCALE,
    z_label: str,
    x_order: Sequence[str],
    y_order: Sequence[str],
    highlight_below: int | None = None,
    highlight_col: str | None = None,
    value_format=fr_int,
    colorbar_tickformat: str = ",d",
    filter_codes: tuple[str, str] | None = None,
) -> go.Figure:
    """Heatmap with the value written in each cell (`value_format`); cells below a threshold
    (`highlight_below` on the value) or flagged (`highlight_col`, booleans) are outlined.

    `filter_codes`: the columns of `grid` holding the codes a click on a cell applies as
    filters (y's code, x's code: the department and the category). Plotly selects no heatmap
    cell, so an invisible marker over each cell carries them as `customdata`
    (`app.filters.drill_down`) and its hover."""
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
            # 12 characters a line: a 16-character name ran into its neighbours at ten columns.
            x=[_data_lines(c, 12) for c in pivot.columns],
            y=[_data(y) for y in pivot.index],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14},
            colorscale=scale,
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
        # At least 320 px: one department alone still gets a colour bar long enough to read.
        height=max(140 + 62 * len(pivot.index) + 60, 320),
        show_legend=False,
    )
    fig.update_yaxes(autorange="reversed", rangemode=None)
    fig.update_xaxes(side="bottom", tickangle=0)
    if filter_codes is not None:
        _add_cell_targets(fig, grid, x_col, y_col, filter_codes, pivot.index, pivot.columns)
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
                        line={"color": KEY_DATE_COLOR, "width": 2, "dash": "dot"},
                    )
    return fig


def _add_cell_targets(
    fig: go.Figure,
    grid: pd.DataFrame,
    x_col: str,
    y_col: str,
    codes: tuple[str, str],
    rows: Sequence[str],
    columns: Sequence[str],
) -> None:
    """One invisible, clickable marker the size of a cell at the centre of each cell, with
    the cell's codes and hover; the heatmap then shows no hover of its own."""
    y_code, x_code = codes
    code_of_x = dict(zip(grid[x_col], grid[x_code]))
    code_of_y = dict(zip(grid[y_col], grid[y_code]))
    heat = fig.data[0]
    cells = [(i, j) for i in range(len(rows)) for j in range(len(columns))]
    fig.add_trace(
        go.Scatter(
            x=[heat.x[j] for _, j in cells],
            y=[heat.y[i] for i, _ in cells],
            mode="markers",
            marker={"symbol": "square", "size": 40, "opacity": 0},
            customdata=[
                [code_of_y.get(rows[i], ""), code_of_x.get(columns[j], "")] for i, j in cells
            ],
            hovertext=[heat.hovertext[i][j] for i, j in cells],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    heat.hoverinfo = "skip"
    heat.hovertemplate = None


def weekday_hour_heatmap(
    frame: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    value_label: str,
    colorbar_title: str,
    scale: str = SEQUENTIAL_SCALE,
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
            colorscale=scale,
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
    colors = list(colors or CATEGORY_PALETTE)
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
    if tickformat == ",d":
        values = frame[list(series)]
        highest = values.sum(axis=1).max() if mode == "stack" else values.max().max()
        fig.update_xaxes(**integer_ticks(float(highest) if len(frame) else None), tickangle=0)
    else:
        fig.update_xaxes(tickformat=tickformat, tickangle=0)
    return fig
