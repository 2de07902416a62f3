"""Drawing a figure in Streamlit, the only part of the charts that touches Streamlit
(imported lazily, so the report builds figures without it)."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from app.charts.describe import describe_figure
from app.charts.light import vega_spec
from app.charts.projector import for_projector, with_legible_text
from app.charts.toolbar import plotly_config, png_filename


def show(fig: go.Figure, filename: str, *, key: str | None = None, on_click=None) -> None:
    """Draw a figure with the French config (Streamlit): texts that hold 4.5:1 (larger in
    presentation mode) and a French text alternative for screen readers. `on_click`: the
    callback of a click on a point (bar, cell), e.g. `app.filters.drill_down(key)`."""
    import streamlit as st

    from app.context import presenting

    config = plotly_config(filename)
    description = describe_figure(fig)
    if presenting():
        fig = for_projector(fig)
        # No toolbar on a slide: its PNG download is a button like the tables' ones.
        config["displayModeBar"] = False
    else:
        fig = with_legible_text(fig)
    selection = {"on_select": on_click, "selection_mode": "points"} if on_click else {}
    st.plotly_chart(fig, config=config, width="stretch", key=key, theme="streamlit", **selection)
    # The text alternative, right after the chart, for screen readers only (escaped: it
    # quotes data). Not in the figure: `layout.meta` makes Plotly read "%{…}" in names.
    st.html(f'<p class="chart-alt">{html.escape(description)}</p>')


def show_for(fig: go.Figure, title: str, filters, *, key: str | None = None, on_click=None) -> None:
    """`show`, the PNG download named from the chart's title and `filters`' platform and
    period (the name every page gives its charts)."""
    filename = png_filename(title, filters.platform, filters.start, filters.end)
    show(fig, filename, key=key, on_click=on_click)


def show_light(fig: go.Figure, filename: str, *, key: str) -> None:
    """`show` for the landing page: the same figure drawn by Vega-Lite (`app.charts.light`:
    Plotly's library is most of a first visit's time in the browser), with a button for its
    PNG (`filename`.png). On a slide it is drawn by Plotly as everywhere else."""
    import streamlit as st

    from app.context import presenting

    if presenting():
        show(fig, filename, key=key)
        return
    from app import labels, report

    # In a keyed container: Streamlit gives a Vega-Lite chart's own key no `st-key-` class.
    with st.container(key=key):
        st.vega_lite_chart(vega_spec(fig), width="stretch", theme=None)
        st.html(f'<p class="chart-alt">{html.escape(describe_figure(fig))}</p>')
        # Vega's menu is hidden: the PNG Plotly's toolbar gave, drawn on the server on a click.
        chromium = report.chromium_path() is not None
        st.download_button(
            labels.PNG_BUTTON,
            data=lambda: report.render_png(fig),
            file_name=f"{filename}.png",
            mime="image/png",
            on_click="ignore",
            icon=":material/image:",
            key=f"{key}-png",
            disabled=not chromium,
            help=None if chromium else labels.PNG_NO_CHROMIUM,
        )
