"""Presentation mode: a copy of a figure with larger texts and plot area."""

from __future__ import annotations

import plotly.graph_objects as go

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
