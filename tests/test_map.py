"""The department map (app/charts/maps.py): offline, named departments, a scale that fits."""

from __future__ import annotations

import json

import pandas as pd

from app import geo, labels
from app.charts import maps, theme

FIGURES = {"18": 29.3, "28": 25.9, "36": 30.6, "37": 21.4, "41": 26.5, "45": None}


def figure():
    departments = pd.DataFrame(
        {
            "department_code": list(FIGURES),
            "department_name": [
                "Cher",
                "Eure-et-Loir",
                "Indre",
                "Indre-et-Loire",
                "Loir-et-Cher",
                "Loiret",
            ],
            "value": [v if v is not None else float("nan") for v in FIGURES.values()],
        }
    )
    points = pd.DataFrame(
        {
            "commune": ["Tours"],
            "department_code": ["37"],
            "latitude": [47.39],
            "longitude": [0.69],
            "suppliers": [4],
            "names": [["A", "B"]],
        }
    )
    return maps.department_map(
        departments,
        points,
        geo.departments_geojson(),
        value_col="value",
        value_label="Fournisseurs pour 100 000 hab.",
        value_format=lambda v: f"{v:.1f}".replace(".", ","),
        title="Carte",
        subtitle="",
        colorbar_title="Fournisseurs",
        points_label="Fournisseurs",
    )


def test_every_department_is_named_with_its_value():
    spec = json.loads(figure().to_json())
    (names,) = [t for t in spec["data"] if t.get("mode") == "text"]
    text = " ".join(names["text"])
    for name in ("Cher", "Indre-et-Loire", "Loiret"):
        assert name in text
    assert "21,4" in text and "30,6" in text
    assert labels.NOT_AVAILABLE in text  # the Loiret has no value here


def test_no_map_trace_fetches_tiles_or_glyphs():
    spec = json.loads(figure().to_json())
    assert {t["type"] for t in spec["data"]} == {"scatter"}


def test_the_scale_spans_the_values_not_zero():
    spec = json.loads(figure().to_json())
    (bar,) = [t for t in spec["data"] if (t.get("marker") or {}).get("showscale")]
    assert (bar["marker"]["cmin"], bar["marker"]["cmax"]) == (21, 31)
    fills = {t["name"].split(" — ")[0]: t["fillcolor"] for t in spec["data"] if t.get("fill")}
    # The smallest and the largest value get visibly different fills; no value is grey.
    assert theme.contrast_ratio(fills["37"], fills["36"]) > 3
    assert fills["45"] == maps.NO_VALUE_COLOR
    assert len({fills[c] for c in ("18", "28", "36", "37", "41")}) == 5


def test_department_names_are_readable_on_their_fill():
    spec = json.loads(figure().to_json())
    (names,) = [t for t in spec["data"] if t.get("mode") == "text"]
    fills = [t["fillcolor"] for t in spec["data"] if t.get("fill")]
    for colour, fill in zip(names["textfont"]["color"], fills):
        assert theme.contrast_ratio(colour, fill) >= 4.5, (colour, fill)


def test_a_single_value_still_gets_a_range():
    assert maps.value_range([12.0]) == (11.0, 13.0)
    assert maps.value_range([]) == (0.0, 1.0)
