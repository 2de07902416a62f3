"""Drawing a figure in Streamlit, the only part of the charts that touches Streamlit
(imported lazily, so the report builds figures without it)."""

from __future__ import annotations

import plotly.graph_objects as go

from app.charts.projector import for_projector
from app.charts.toolbar import plotly_config, png_filename


def show(fig: go.Figure, filename: str, *, key: str | None = None) -> None:
    """Draw a figure with the French config (Streamlit); larger texts in presentation mode."""
    import streamlit as st

    from app.context import presenting

    config = plotly_config(filename)
    if presenting():
        fig = for_projector(fig)
        # No toolbar on a slide: its PNG download is a button like the tables' ones.
        config["displayModeBar"] = False
    st.plotly_chart(fig, config=config, width="stretch", key=key, theme="streamlit")


def show_for(fig: go.Figure, title: str, filters, *, key: str | None = None) -> None:
    """`show`, the PNG download named from the chart's title and `filters`' platform and
    period (the name every page gives its charts)."""
    show(fig, png_filename(title, filters.platform, filters.start, filters.end), key=key)
