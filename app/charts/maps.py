"""The map of the departments with supplier points (offline: no tiles, no CDN, no glyphs).

Drawn as plain shapes on a cartesian plot, not a Plotly map: a map trace cannot write text
without fetching glyphs from the internet, and a map a director reads in a meeting names its
departments. Longitude is scaled by the cosine of the region's latitude, so shapes keep their
proportions (an equirectangular projection, exact enough for a region 300 km across).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from app import labels
from app.charts.layout import french_layout
from app.charts.text import _data, _escape
from app.charts.theme import SECOND_SERIES, SEQUENTIAL_SCALE, ink_on
from app.fmt import fr_int

NO_VALUE_COLOR = "#e0e0e0"
# The lightest end of the sequential scale is almost white: the fills start further in, so
# that the smallest value still shows against the page and the white borders.
SCALE_FLOOR = 0.18


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
    scale: str = SEQUENTIAL_SCALE,
    mid_latitude: float = 47.45,  # the region's, for the longitude scale
    height: int = 600,
    width: str = "half",
) -> go.Figure:
    """The departments (GeoJSON, `properties.code`) filled by `value_col` on a scale fitted
    to the values, each named with its value, and supplier points per commune (marker area
    proportional to the count). A department without a value is grey and says so."""
    codes = departments["department_code"].tolist()
    names = departments["department_name"].tolist()
    values = [float(v) if v is not None and v == v else None for v in departments[value_col]]
    extras = (
        departments["hover_extra"].tolist() if "hover_extra" in departments else [[]] * len(codes)
    )
    low, high = value_range([v for v in values if v is not None])
    shapes = {
        str(f.get("properties", {}).get("code")): f.get("geometry") or {}
        for f in geojson.get("features", [])
    }
    fig = go.Figure()
    label_x, label_y, label_text, label_hover, label_colors = [], [], [], [], []
    for code, name, value, extra in zip(codes, names, values, extras):
        hover = (
            f"{_data(code)} — {_data(name)}<br>{value_label} : "
            + (value_format(value) if value is not None else labels.NOT_AVAILABLE)
            + "".join(f"<br>{_escape(label)} : {_data(text)}" for label, text in extra)
        )
        fill = fill_color(value, low, high, scale)
        rings = outer_rings(shapes.get(str(code), {}))
        if rings:
            xs, ys = [], []
            for ring in rings:
                xs += [lon for lon, _ in ring] + [None]
                ys += [lat for _, lat in ring] + [None]
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=fill,
                    line={"color": "white", "width": 2},
                    hoveron="fills",
                    name=f"{_data(code)} — {_data(name)}",
                    hoverinfo="name",
                )
            )
            x, y = label_point(max(rings, key=lambda r: abs(ring_area(r))))
            label_x.append(x)
            label_y.append(y)
            label_text.append(
                f"{_data(name)}<br>{value_format(value) if value is not None else labels.NOT_AVAILABLE}"
            )
            label_hover.append(hover)
            label_colors.append(ink_on(fill))  # black or white: one always holds 4.5:1
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
            go.Scatter(
                x=points["longitude"],
                y=points["latitude"],
                mode="markers",
                name=points_label,
                marker={
                    "size": size,
                    "color": SECOND_SERIES,
                    "opacity": 0.55,
                    "line": {"color": "white", "width": 0.5},
                },
                hovertext=point_hover,
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    # Names last, over the points: a department is read before its communes.
    if label_x:
        fig.add_trace(
            go.Scatter(
                x=label_x,
                y=label_y,
                mode="text",
                text=label_text,
                texttemplate="%{text}",
                textfont={"color": label_colors, "size": 13},
                hovertext=label_hover,
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
            )
        )
    # The colour bar, on an invisible trace: its ticks are the range the fills use.
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "color": [low, high],
                "cmin": low,
                "cmax": high,
                "colorscale": scale_from_floor(scale),
                "showscale": True,
                "colorbar": {"title": {"text": colorbar_title}, "tickformat": ",.1~f"},
            },
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
    hidden = {
        "visible": False,
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "rangemode": "normal",  # french_layout starts value axes at zero
    }
    fig.update_xaxes(**hidden)
    fig.update_yaxes(
        **hidden,
        scaleanchor="x",
        scaleratio=1 / math.cos(math.radians(mid_latitude)),
    )
    fig.update_layout(plot_bgcolor="white", dragmode=False)
    return fig


def value_range(values: list[float]) -> tuple[float, float]:
    """The colour scale's bounds: the values' own range (31 against 21 must show), widened
    to whole units; one value, or none, gets a range around it."""
    if not values:
        return 0.0, 1.0
    low, high = math.floor(min(values)), math.ceil(max(values))
    if high <= low:
        return float(max(low - 1, 0)), float(low + 1)
    return float(low), float(high)


def scale_from_floor(scale: str = SEQUENTIAL_SCALE) -> list[list]:
    """The sequential scale from SCALE_FLOOR to its dark end, as a Plotly colour scale."""
    steps = [i / 10 for i in range(11)]
    colors = sample_colorscale(scale, [SCALE_FLOOR + (1 - SCALE_FLOOR) * t for t in steps])
    return [[t, c] for t, c in zip(steps, colors)]


def fill_color(value: float | None, low: float, high: float, scale: str = SEQUENTIAL_SCALE) -> str:
    """The fill of a department: its place between `low` and `high` on the scale."""
    if value is None:
        return NO_VALUE_COLOR
    position = 0.0 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)
    rgb = sample_colorscale(scale, [SCALE_FLOOR + (1 - SCALE_FLOOR) * position])[0]
    return _hex(rgb)


def _hex(rgb: str) -> str:
    """`rgb(r, g, b)` (Plotly's sampled colours) as `#rrggbb`."""
    parts = [round(float(p)) for p in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    return "#" + "".join(f"{p:02x}" for p in parts)


def outer_rings(geometry: dict) -> list[list[tuple[float, float]]]:
    """The outer ring of each polygon of a GeoJSON Polygon or MultiPolygon (holes ignored:
    no department of the region has one)."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates
    else:
        return []
    return [[(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in polygons if polygon]


def ring_area(ring: list[tuple[float, float]]) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))


def label_point(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """The centroid of a ring (the shoelace formula), where the department's name goes."""
    area = ring_area(ring)
    if not area:
        xs, ys = zip(*ring)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    pairs = list(zip(ring, ring[1:] + ring[:1]))
    cx = sum((x0 + x1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * area)
    cy = sum((y0 + y1) * (x0 * y1 - x1 * y0) for (x0, y0), (x1, y1) in pairs) / (6 * area)
    return cx, cy
