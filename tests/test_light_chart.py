"""The landing page's weekly chart redrawn by Vega-Lite (`app.charts.light`): the same bars,
colours, hover texts, titles, ticks and grey span as the Plotly figure it translates, and a
loud refusal of anything it cannot draw."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import pytest

from app import labels
from app.charts import time_bars
from app.charts.light import UnsupportedFigure, vega_spec

START, END = date(2020, 3, 1), date(2020, 12, 31)


def weekly_figure(
    data_start=None, subtitle="du 1er mars 2020 au 31 décembre 2020", start=START
) -> go.Figure:
    weeks = pd.date_range("2020-03-30", "2020-12-28", freq="W-MON")
    frame = pd.DataFrame(
        {
            "bucket": weeks.date,
            "visits": [1000 + 997 * i for i in range(len(weeks))],
            "is_partial": [i == len(weeks) - 1 for i in range(len(weeks))],
        }
    )
    return time_bars(
        frame,
        value_col="visits",
        grain="week",
        value_label="Visites",
        start=start,
        end=END,
        title="Visites par semaine — Produits frais locaux",
        subtitle=subtitle,
        x_title="Semaine (début le lundi)",
        y_title="Visites (nombre)",
        color="#b85c00",
        light_color="#f2c9a0",
        height=320,
        width="half",
        data_start=data_start,
    )


def layer(spec: dict, mark: str) -> dict:
    found = [one for one in spec["layer"] if one["mark"]["type"] == mark]
    assert len(found) == 1, [one["mark"]["type"] for one in spec["layer"]]
    return found[0]


def test_every_bar_keeps_its_span_value_colour_and_french_hover():
    fig = weekly_figure()
    bars = layer(vega_spec(fig), "bar")["data"]["values"]
    trace = fig.data[0]
    assert [row["value"] for row in bars] == [float(y) for y in trace.y]
    assert [row["color"] for row in bars] == list(trace.marker.color)
    assert bars[-1]["color"] == "#f2c9a0"  # the incomplete last week stays lighter
    # A week's bar spans 85 % of its 7 days around its middle, in UTC.
    first = bars[0]
    assert first["start"].endswith("Z") and first["end"].endswith("Z")
    start = datetime.fromisoformat(first["start"][:-1])
    end = datetime.fromisoformat(first["end"][:-1])
    assert start.date() == date(2020, 3, 30)
    assert round((end - start).total_seconds() / 86_400, 2) == round(7 * 0.85, 2)
    assert first["hover"] == "semaine du 30 mars 2020 — Visites : 1\u202f000"
    assert "(" + labels.PARTIAL_PERIOD.lower() + ")" in bars[-1]["hover"]


def test_titles_axes_and_ticks_are_the_figures_french_ones():
    fig = weekly_figure()
    spec = vega_spec(fig)
    assert spec["title"]["text"] == ["Visites par semaine — Produits frais locaux"]
    assert spec["description"] == "Visites par semaine — Produits frais locaux"
    assert spec["title"]["subtitle"] == ["du 1er mars 2020 au 31 décembre 2020"]
    encoding = layer(spec, "bar")["encoding"]
    axis = encoding["x"]["axis"]
    assert axis["title"] == "Semaine (début le lundi)"
    assert encoding["y"]["axis"]["title"] == "Visites (nombre)"
    assert len(axis["values"]) == len(fig.layout.xaxis.tickvals)
    assert axis["values"][0] == {
        "year": 2020,
        "month": 3,
        "date": 1,
        "hours": 0,
        "minutes": 0,
        "utc": True,
    }
    # Each tick's label is babel's French text, found by the tick's time (ms, UTC).
    for value, text in zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext):
        stamp = int((datetime.fromisoformat(str(value)) - datetime(1970, 1, 1)).total_seconds())
        assert f"time(datum.value) == {stamp * 1000} ? {json.dumps(text)}" in axis["labelExpr"]
    assert "mars 2020" in axis["labelExpr"]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["aria"] is False  # Vega's own descriptions are English
    assert encoding["y"]["axis"]["format"] == ",d"
    assert spec["height"] == fig.layout.height


def test_the_span_before_the_data_is_greyed_and_named():
    # Three months before the first day: wide enough for its label.
    fig = weekly_figure(data_start=date(2020, 3, 30), start=date(2020, 1, 1))
    spec = vega_spec(fig)
    grey = layer(spec, "rect")["data"]["values"]
    assert [(row["start"][:10], row["end"][:10]) for row in grey] == [("2020-01-01", "2020-03-30")]
    notes = layer(spec, "text")["data"]["values"]
    assert [note["text"] for note in notes] == [
        labels.BEFORE_DATA.format(date="30 mars").split("<br>")
    ]
    # The grey is drawn first, under the bars.
    assert [one["mark"]["type"] for one in spec["layer"]] == ["rect", "bar", "text"]


def test_data_text_reaches_vega_as_characters_not_entities():
    # The Plotly figure carries data made inert (`&lt;`, `&amp;`); Vega-Lite draws text as
    # text, so the characters come back, and no tag survives as markup.
    fig = weekly_figure(subtitle="Fruits & légumes <b>bio</b>")
    subtitle = " ".join(vega_spec(fig)["title"]["subtitle"])
    assert "&amp;" not in subtitle and "&lt;" not in subtitle
    assert "Fruits & légumes" in subtitle and "bio" in subtitle


def test_a_figure_it_cannot_draw_is_refused_not_drawn_in_part():
    two = weekly_figure()
    two.add_trace(go.Scatter(x=[datetime(2020, 4, 1)], y=[1]))
    with pytest.raises(UnsupportedFigure):
        vega_spec(two)
    sideways = go.Figure(go.Bar(x=[1, 2], y=["a", "b"], orientation="h"))
    with pytest.raises(UnsupportedFigure):
        vega_spec(sideways)
    noted = weekly_figure()
    noted.add_annotation(x=0.5, y=0.5, xref="paper", yref="paper", text="n")
    with pytest.raises(UnsupportedFigure):
        vega_spec(noted)
