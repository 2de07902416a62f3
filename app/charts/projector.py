"""Presentation mode: a copy of a figure with larger, darker texts that fits the screen."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from app.charts.layout import key_date_headroom, key_date_rows
from app.charts.theme import INK_ON_LIGHT, ink_on

# Presentation mode: every text of a figure 40 % larger, so that a 17 px title becomes 24 px,
# and never under `PROJECTOR_MIN_FONT`: 12 px tick labels would only reach 17 px.
PROJECTOR_SCALE = 1.4
PROJECTOR_MIN_FONT = 20  # px: legible from the back of a meeting room (issue #17)
PROJECTOR_PLOT_SCALE = 1.2  # plot area: larger, but a chart still fits a 1080-pixel screen
# A chart at most this tall: a 1080-pixel screen less Streamlit's header (60 px) and a margin,
# so that no chart needs scrolling to be seen whole.
PROJECTOR_MAX_HEIGHT = 940
# Texts in near-black on a projector, whose washed-out greys can fall under a 4.5:1 contrast
# (the Streamlit theme draws tick labels in a mid grey). Only text: the marks keep their colours.
PROJECTOR_INK = "#1a1a1a"
PROJECTOR_SOFT_INK = "#333333"  # subtitles and key-date labels: still 12.6:1 on white
# Key-date labels are laid out for a plot this wide (a full-width chart on a 1280-pixel
# projector; a 1920-pixel screen gives ~1650): wider, they only get more room.
PROJECTOR_PLOT_WIDTH = 1150
# Plotly's own sizes where the figure sets none (its defaults).
_PLOTLY_FONT_SIZE = 12
_PLOTLY_HOVER_FONT_SIZE = 13


def for_projector(fig: go.Figure, scale: float = PROJECTOR_SCALE) -> go.Figure:
    """A copy of `fig` with every font size multiplied by `scale` and at least
    `PROJECTOR_MIN_FONT` (titles, axes, legend, colour bars, annotations, bar and cell
    labels, hover), texts in dark ink, a title band grown to hold the larger title and a plot
    area grown by `PROJECTOR_PLOT_SCALE`, the whole at most `PROJECTOR_MAX_HEIGHT` tall."""
    fig = go.Figure(fig)
    layout = fig.layout
    key_rows = key_date_rows(fig)  # counted before the labels are enlarged and moved

    def bigger(size) -> int:
        return max(round((size or _PLOTLY_FONT_SIZE) * scale), PROJECTOR_MIN_FONT)

    base = bigger(layout.font.size)
    fig.update_layout(
        font={"size": base, "color": PROJECTOR_INK},
        title_font={"size": bigger(layout.title.font.size), "color": PROJECTOR_INK},
        title_subtitle_font={
            "size": bigger(layout.title.subtitle.font.size),
            "color": PROJECTOR_SOFT_INK,
        },
        legend_font={"size": bigger(layout.legend.font.size), "color": PROJECTOR_INK},
        legend_title_font={"size": bigger(layout.legend.title.font.size), "color": PROJECTOR_INK},
        # Plotly shrinks a label to fit inside its bar: never under the projector minimum.
        uniformtext={"minsize": PROJECTOR_MIN_FONT, "mode": "show"},
        hoverlabel_font_size=round(
            (layout.hoverlabel.font.size or _PLOTLY_HOVER_FONT_SIZE) * scale
        ),
    )
    # Axis and colour-bar fonts are set too, not only inherited from the global font, so that
    # no size or colour a theme template gives them keeps them small or faint.
    axis_font = {"size": base, "color": PROJECTOR_INK}
    fig.update_xaxes(tickfont=axis_font, title_font=axis_font)
    fig.update_yaxes(tickfont=axis_font, title_font=axis_font)
    for annotation in layout.annotations:
        size = annotation.font.size or _PLOTLY_FONT_SIZE
        annotation.font.size = bigger(size)
        annotation.font.color = PROJECTOR_SOFT_INK
        if annotation.yshift:  # stacked labels (key dates) keep one line apart
            annotation.yshift = annotation.yshift * annotation.font.size / size
    for trace in list(fig.data):
        if getattr(trace, "textfont", None) is not None and trace.textfont.size:
            trace.textfont.size = bigger(trace.textfont.size)
        if trace.type == "bar" and trace.text is not None:
            _bar_label_inks(trace)
        if trace.type == "heatmap" and trace.texttemplate and trace.text is not None:
            _heatmap_labels_as_text_trace(fig, trace, bigger(trace.textfont.size))
        colorbar = getattr(trace, "colorbar", None)
        if colorbar is not None:
            colorbar.tickfont = axis_font
            colorbar.title.font = axis_font
        marker = getattr(trace, "marker", None)
        if marker is not None and getattr(marker, "showscale", False):
            marker.colorbar.tickfont = axis_font  # the department map's scale
            marker.colorbar.title.font = axis_font
    # The title band (top margin) and a bottom legend band grow with their text; the plot
    # area grows too, so that bars stay thick enough for their larger labels, unless the
    # whole would no longer fit the screen.
    top, bottom = round((layout.margin.t or 0) * scale), round((layout.margin.b or 0) * scale)
    plot = round(
        ((layout.height or 450) - (layout.margin.t or 0) - (layout.margin.b or 0))
        * PROJECTOR_PLOT_SCALE
    )
    plot = min(plot, PROJECTOR_MAX_HEIGHT - top - bottom)
    fig.update_layout(margin_t=top, margin_b=bottom, height=plot + top + bottom)
    _stack_key_dates(fig, plot, key_rows)
    return fig


# The usual view: texts a little softer than on a projector, still far above 4.5:1 on white
# (the Streamlit theme draws tick labels and colour bars in a grey at 3.7:1).
SCREEN_INK = "#3d3d3d"  # 11:1 on white
SCREEN_SOFT_INK = "#555555"  # subtitles and annotations: 7.5:1


def with_legible_text(fig: go.Figure) -> go.Figure:
    """A copy of `fig` whose every text holds 4.5:1 against what lies behind it, at its own
    size: axes, legend, colour bars and annotations in dark ink, a label inside a bar or on
    a heatmap cell in black or white, whichever stands out more from that mark."""
    fig = go.Figure(fig)
    layout = fig.layout
    fig.update_layout(
        font_color=SCREEN_INK,
        title_font_color=SCREEN_INK,
        title_subtitle_font_color=SCREEN_SOFT_INK,
        legend_font_color=SCREEN_INK,
        legend_title_font_color=SCREEN_INK,
    )
    fig.update_xaxes(tickfont_color=SCREEN_INK, title_font_color=SCREEN_INK)
    fig.update_yaxes(tickfont_color=SCREEN_INK, title_font_color=SCREEN_INK)
    for annotation in layout.annotations:
        if not annotation.font.color:
            annotation.font.color = SCREEN_SOFT_INK
    for trace in list(fig.data):
        if trace.type == "bar" and trace.text is not None:
            _bar_label_inks(trace, outside=SCREEN_INK)
        if trace.type == "heatmap" and trace.texttemplate and trace.text is not None:
            _heatmap_labels_as_text_trace(fig, trace, trace.textfont.size or _PLOTLY_FONT_SIZE)
        colorbar = getattr(trace, "colorbar", None)
        if colorbar is not None:
            colorbar.tickfont.color = SCREEN_INK
            colorbar.title.font.color = SCREEN_INK
        marker_bar = getattr(getattr(trace, "marker", None), "colorbar", None)
        if marker_bar is not None and getattr(trace.marker, "showscale", False):
            marker_bar.tickfont.color = SCREEN_INK
            marker_bar.title.font.color = SCREEN_INK
    return fig


def _bar_label_inks(trace: go.Bar, outside: str = PROJECTOR_INK) -> None:
    """A bar's labels: inside, in the ink of its bar's colour; outside, in the text ink."""
    colours = trace.marker.color
    if isinstance(colours, (list, tuple, np.ndarray)):
        inks = [ink_on(c) for c in colours]
        if all(inks):
            trace.insidetextfont.color = inks
    elif ink_on(colours):
        trace.insidetextfont.color = ink_on(colours)
    trace.outsidetextfont.color = outside


def _heatmap_labels_as_text_trace(fig: go.Figure, trace: go.Heatmap, size: int) -> None:
    """Plotly writes a heatmap's cell labels in one colour for the whole trace, which falls
    under 4.5:1 on mid-tone cells: the labels move to a text trace laid over the cells, each
    in the ink of its cell's colour."""
    z = np.asarray(trace.z, dtype=float)
    text = np.asarray(trace.text, dtype=object)
    if z.ndim != 2 or text.shape != z.shape or trace.x is None or trace.y is None:
        return
    low = trace.zmin if trace.zmin is not None else np.nanmin(z)
    high = trace.zmax if trace.zmax is not None else np.nanmax(z)
    scale = [[stop, colour] for stop, colour in trace.colorscale]
    xs, ys, labels, inks = [], [], [], []
    for i, y in enumerate(trace.y):
        for j, x in enumerate(trace.x):
            if np.isnan(z[i, j]) or not text[i, j]:
                continue
            where = 0.0 if high <= low else min(max((z[i, j] - low) / (high - low), 0.0), 1.0)
            xs.append(x)
            ys.append(y)
            labels.append(text[i, j])
            inks.append(ink_on(plotly.colors.sample_colorscale(scale, where)[0]) or INK_ON_LIGHT)
    trace.texttemplate = None
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="text",
            text=labels,
            textfont={"size": size, "color": inks},
            hoverinfo="skip",
            showlegend=False,
            xaxis=trace.xaxis,
            yaxis=trace.yaxis,
        )
    )


def _stack_key_dates(fig: go.Figure, plot_height: int, key_rows: int) -> None:
    """Key-date labels (`layout.add_key_dates`) on as many rows as they need at their
    projector size, so that none covers another: each goes on the first row where it clears
    the previous label, its width estimated from its length. The y axis then reaches high
    enough that the rows stay above the data and the annotation diamonds (at 1.05 × the
    maximum, `time_series._add_annotation_markers`)."""
    labels = [
        a
        for a in fig.layout.annotations
        if a.xref == "x" and a.yref == "paper" and a.y == 1 and a.yanchor == "top"
    ]
    x_range = fig.layout.xaxis.range
    if not labels or not x_range or None in x_range:
        return
    start, end = (pd.Timestamp(x) for x in x_range)
    span = (end - start) / pd.Timedelta(days=1) or 1.0
    size = labels[0].font.size or PROJECTOR_MIN_FONT
    line = round(size * 1.35)  # a line of text and its box
    spans = []
    for label in labels:
        x = (pd.Timestamp(label.x) - start) / pd.Timedelta(days=1) / span * PROJECTOR_PLOT_WIDTH
        lines = str(label.text).split("<br>")  # a long label is wrapped (layout.add_key_dates)
        # Source Sans averages half an em per character; the box adds a few pixels.
        width = 0.52 * size * max(len(text) for text in lines) + 10
        left = x - width if label.xanchor == "right" else x
        spans.append((left, left + width, len(lines), label))
    row_ends: list[float] = []
    for left, right, height, label in sorted(spans, key=lambda item: item[0]):
        # The first rows, as many as the label has lines, all free where it starts.
        row = 0
        while any(r < len(row_ends) and row_ends[r] + 8 > left for r in range(row, row + height)):
            row += 1
        row_ends.extend([float("-inf")] * (row + height - len(row_ends)))
        for r in range(row, row + height):
            row_ends[r] = right
        label.yshift = -line * row
    y_range = fig.layout.yaxis.range
    if y_range and y_range[1]:
        data_top = y_range[1] / key_date_headroom(key_rows)
        # The plot area Plotly leaves: less the x tick labels and title, and a legend laid
        # above the plot (`time_lines`), each about two lines of text taller at this size.
        legend = fig.layout.legend
        on_top = legend.orientation == "h" and (legend.y or 0) >= 1
        plot = max(plot_height - (3 + 2 * on_top) * size, 1)
        free = 1 - (len(row_ends) * line + 16) / plot
        fig.update_yaxes(range=[0, max(y_range[1], 1.05 * data_top / max(free, 0.2))])
