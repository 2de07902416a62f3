"""The map of the departments with supplier points (offline: no tiles, no CDN)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from app import labels
from app.charts.layout import french_layout
from app.charts.text import _data, _escape
from app.charts.theme import SECONDARY
from app.fmt import fr_int


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
