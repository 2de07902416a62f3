"""Data made inert, piece by piece: the escaping helpers (app/inert.py), every chart builder
(app/charts/), the tables (app/tables.py), the downloads (app/exports.py) and the grid's own
export switched off (dashboard.py)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from app import charts, exports, inert, tables
from tests.figure_text import strings_in
from tests.test_injection_pages import (
    AFTER_PARSING,
    FORMULAS,
    HOSTILE,
    LONG_SEARCH,
    RAW_IN_PLOTLY,
    markdown_leaks,
)
from tests.test_pages_apptest import DASHBOARD, TIMEOUT

# --- inert.markdown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    HOSTILE
    + ["Non classé : Gel", "www.evil.example", "a@b.fr", ":+1: :-1: :material_home: :streamlit:"],
)
def test_markdown_leaves_nothing_for_markdown_or_streamlit_to_read(text):
    escaped = inert.markdown(text)
    assert not markdown_leaks(escaped), markdown_leaks(escaped)
    # Every ASCII punctuation mark comes escaped …
    assert not re.search(r"(?<!\\)[!-/:-@\[-`{-~]", re.sub(r"\\\\|\\.", "", escaped))
    # … and reads back as typed once the escapes and word joiners are gone.
    assert re.sub(r"\\(.)", r"\1", escaped).replace(inert.WORD_JOINER, "") == text


def test_markdown_breaks_shortcodes_directives_and_addresses():
    escaped = inert.markdown(
        ":material/home: :red[x] :smile: https://e.example www.e.example x@e.example"
    )
    assert ":material/" not in escaped  # Streamlit rewrites this exact text before parsing
    parsed = re.sub(r"\\(.)", r"\1", escaped)  # what Markdown hands over as text
    assert not AFTER_PARSING.search(parsed), AFTER_PARSING.findall(parsed)
    assert re.sub(r"\\(.)", r"\1", inert.markdown("Non classé : Gel")) == "Non classé : Gel"


def test_markdown_keeps_to_one_line():
    assert inert.markdown("a\n\n# titre\r\n- point\u2028b") == r"a \# titre \- point b"


# --- inert.plotly and inert.shorten ----------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_plotly_escapes_tags_and_entities(text):
    escaped = inert.plotly(text)
    assert "<" not in escaped and ">" not in escaped
    assert "&" not in escaped.replace("&lt;", "").replace("&gt;", "").replace("&amp;", "")


def test_plotly_escapes_an_entity_so_that_it_shows_as_typed():
    assert inert.plotly("&lt;b&gt; & Cie") == "&amp;lt;b&amp;gt; &amp; Cie"


def test_long_texts_are_cut_with_an_ellipsis():
    assert inert.shorten(LONG_SEARCH) == LONG_SEARCH[: inert.MAX_CHARS - 1] + "…"
    assert len(inert.markdown(LONG_SEARCH)) == inert.MAX_CHARS
    assert len(inert.plotly(LONG_SEARCH)) == inert.MAX_CHARS
    assert inert.shorten("court") == "court"
    assert inert.shorten(LONG_SEARCH, limit=None) == LONG_SEARCH


# --- every chart builder ------------------------------------------------------------------


def figure_strings(figure: go.Figure):
    spec = json.loads(figure.to_json())
    spec["layout"].pop("template", None)
    yield from strings_in({"data": spec["data"], "layout": spec["layout"]})


NAMES = HOSTILE + [LONG_SEARCH]
START, END = date(2020, 3, 30), date(2020, 12, 31)
TEXTS = dict(title="Titre", subtitle="Produits frais · catégories : " + ", ".join(HOSTILE))


def hostile_figures() -> dict[str, go.Figure]:
    n = len(NAMES)
    frame = pd.DataFrame(
        {"name": NAMES, "value": range(1, n + 1), "share": [0.1] * n, "other": range(n)}
    )
    codes = [f"categorie_{i}" for i in range(n)]
    months = pd.DataFrame(
        {
            "month": [date(2020, 4, 1)] * n,
            "category_code": codes,
            "category": NAMES,
            "value": range(n),
        }
    )
    grid = pd.DataFrame({"category": NAMES, "department": ["18 — Cher"] * n, "value": range(n)})
    departments = pd.DataFrame(
        {
            "department_code": ["18"],
            "department_name": ["<b>Cher</b>"],
            "value": [1.0],
            "hover_extra": [[("<i>x</i>", "<b>2</b>")]],
        }
    )
    points = pd.DataFrame(
        {
            "commune": ['<a href="https://evil.example">Tours</a>'],
            "department_code": ["37"],
            "latitude": [47.4],
            "longitude": [0.7],
            "suppliers": [len(NAMES)],
            "names": [NAMES[:5]],
        }
    )
    key_dates = pd.DataFrame({"date": [date(2020, 5, 11)], "label": ["<b>Déconfinement</b>"]})
    weekly = pd.DataFrame({"bucket": [date(2020, 4, 6)], "value": [3]})
    return {
        "horizontal_bars": charts.horizontal_bars(
            frame,
            category_col="name",
            value_col="value",
            share_col="share",
            value_label="Visites",
            x_title="x",
            y_title="y",
            **TEXTS,
        ),
        "horizontal_bars_text": charts.horizontal_bars(
            frame,
            category_col="name",
            value_col="value",
            value_label="Visites",
            x_title="x",
            y_title="y",
            text=NAMES,
            **TEXTS,
        ),
        "vertical_bars": charts.vertical_bars(
            frame,
            x_col="name",
            y_col="value",
            value_label="Visites",
            x_title="x",
            y_title="y",
            hover_x=NAMES,
            **TEXTS,
        ),
        "stacked_month_bars": charts.stacked_month_bars(
            months,
            value_col="value",
            value_label="Offres",
            start=START,
            end=END,
            y_title="y",
            categories=codes,
            category_names=dict(zip(codes, NAMES)),
            **TEXTS,
        ),
        "stacked_month_lines": charts.stacked_month_bars(
            months,
            value_col="value",
            value_label="Offres",
            start=START,
            end=END,
            y_title="y",
            categories=codes,
            category_names=dict(zip(codes, NAMES)),
            mode="lines",
            **TEXTS,
        ),
        "heatmap": charts.heatmap(
            grid,
            x_col="category",
            y_col="department",
            z_col="value",
            x_title="x",
            y_title="y",
            colorbar_title="c",
            z_label="z",
            x_order=NAMES,
            y_order=["18 — Cher"],
            highlight_below=1,
            **TEXTS,
        ),
        "bars": charts.bars(
            frame,
            category_col="name",
            series={"value": NAMES[0], "other": NAMES[3]},
            x_title="x",
            y_title="y",
            legend_title="<b>Catégorie</b>",
            show_text=True,
            **TEXTS,
        ),
        "department_map": charts.department_map(
            departments,
            points,
            {"type": "FeatureCollection", "features": []},
            value_col="value",
            value_label="v",
            value_format=str,
            colorbar_title="c",
            points_label="p",
            **TEXTS,
        ),
        "time_bars_key_dates": charts.time_bars(
            weekly,
            value_col="value",
            grain="week",
            value_label="Visites",
            start=START,
            end=END,
            x_title="x",
            y_title="y",
            key_dates=key_dates,
            **TEXTS,
        ),
        # Analysts' annotations and a comparison line, names and notes hostile.
        "time_bars_comparison_annotations": charts.time_bars(
            weekly,
            value_col="value",
            grain="week",
            value_label="Visites",
            start=START,
            end=END,
            x_title="x",
            y_title="y",
            comparison=pd.DataFrame(
                {
                    "bucket": [date(2020, 4, 6)],
                    "value": [2],
                    "first_day": [date(2019, 4, 6)],
                    "last_day": [date(2019, 4, 12)],
                }
            ),
            names=("<b>Période</b>", '<a href="https://evil.example">Comparaison</a>'),
            annotations=pd.DataFrame(
                {"date": [date(2020, 4, 8)], "label": ['<a href="https://evil.example">x</a> %{x}']}
            ),
            **TEXTS,
        ),
    }


@pytest.mark.parametrize("name", list(hostile_figures()))
def test_no_data_string_reaches_plotly_as_markup(name):
    figure = hostile_figures()[name]
    strings = list(figure_strings(figure))
    leaks = [
        (path, text[:120])
        for path, text in strings
        for piece in RAW_IN_PLOTLY + ["<i>"]
        if piece in text
    ]
    assert not leaks, leaks
    # Data reaches the hover as values of one fixed template, never inside a template.
    templates = {text for path, text in strings if path.endswith(("hovertemplate", "texttemplate"))}
    assert templates <= {"%{hovertext}<extra></extra>", "%{text}"}, templates
    # The 5 MB name is cut (a hover holds a few names and labels at most).
    assert max(len(text) for _path, text in strings) < 2000
    assert any("&lt;" in text for _path, text in strings), "the hostile names are shown"


def test_the_subtitle_is_escaped_whole():
    figure = hostile_figures()["horizontal_bars"]
    subtitle = figure.layout.title.subtitle.text
    assert "&lt;a href=" in subtitle and "<a" not in subtitle


# --- tables --------------------------------------------------------------------------------


@pytest.fixture
def shown(monkeypatch):
    calls = {}
    monkeypatch.setattr(tables.st, "dataframe", lambda data, **kw: calls.setdefault("grid", data))
    monkeypatch.setattr(tables.st, "table", lambda data, **kw: calls.setdefault("table", data))
    monkeypatch.setattr(tables.st, "caption", lambda text, **kw: calls.setdefault("caption", text))
    monkeypatch.setattr(
        tables, "download_buttons", lambda columns, **kw: calls.setdefault("downloads", columns)
    )
    return calls


FRAME = pd.DataFrame({"name": NAMES, "views": range(len(NAMES))})


def test_grid_cells_are_cut_and_downloads_whole(shown, monkeypatch):
    monkeypatch.setattr(tables, "presenting", lambda: False)
    tables.show_table(
        FRAME, columns={"name": "Nom", "views": "Pages vues"}, int_columns=["views"], key="t"
    )
    cells = shown["grid"].data["Nom"].tolist()
    assert cells[:-1] == HOSTILE  # the grid draws text as typed
    assert cells[-1] == inert.shorten(LONG_SEARCH)
    assert shown["downloads"][0].values[-1] == LONG_SEARCH  # the files keep the whole text


def test_presentation_tables_get_inert_markdown(shown, monkeypatch):
    monkeypatch.setattr(tables, "presenting", lambda: True)
    tables.show_table(
        FRAME,
        columns={"name": "Nom [x](https://evil.example)", "views": "Pages vues"},
        int_columns=["views"],
        key="t",
    )
    table = shown["table"].data
    assert table.iloc[:, 0].tolist() == [inert.markdown(n) for n in NAMES[: tables.PROJECTOR_ROWS]]
    assert list(table.columns) == [
        inert.markdown("Nom [x](https://evil.example)"),
        inert.markdown("Pages vues"),
    ]


# --- downloads -----------------------------------------------------------------------------


def test_downloads_neutralise_every_formula():
    columns = exports.export_columns(pd.DataFrame({"name": FORMULAS}), {"name": "Nom"})
    csv = pd.read_csv(io.BytesIO(exports.to_csv(columns)), sep=";", encoding="utf-8-sig")
    assert csv["Nom"].tolist() == ["'" + f for f in FORMULAS]
    data = exports.to_xlsx(columns, title="t", subtitle="s")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [
        sheet.cell(exports.HEADER_ROW + 2 + i, 1).value for i in range(len(FORMULAS))
    ] == FORMULAS
    assert all(
        sheet.cell(exports.HEADER_ROW + 2 + i, 1).data_type == "s" for i in range(len(FORMULAS))
    )


def test_the_grids_own_export_is_switched_off(warehouse_env):
    """The grid's « Exporter en CSV » (and cell copy) would write `=HYPERLINK(…)` as it is:
    .streamlit/config.toml switches Streamlit's data export off, and a server that did not read
    it draws no figure (in French) instead of setting it and rerunning."""
    import streamlit as st

    from app import labels

    st.set_option("client.disableDataExport", False)  # Streamlit's default: no config read
    try:
        at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT).run()
        assert not at.exception
        assert [e.value for e in at.error] == [labels.DATA_EXPORT_NOT_DISABLED]
        assert not at.sidebar.selectbox and not at.metric  # no filter, no figure
        assert st.get_option("client.disableDataExport") is False  # not set behind our back
    finally:
        st.set_option("client.disableDataExport", True)
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT).run()
    assert not at.exception and not at.error and at.sidebar.selectbox


def test_the_server_refuses_to_start_without_the_export_switch(tmp_path, monkeypatch):
    """`python -m app.serve` reads the option where Streamlit would (the working folder's
    .streamlit/config.toml, then the user's, the command line first) and stops before serving."""
    from app import serve

    assert serve.data_export_disabled([])  # the project's own config.toml, tests run from root
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert not serve.data_export_disabled([])
    assert serve.data_export_disabled(["--client.disableDataExport", "true"])
    assert not serve.data_export_disabled(["--client.disableDataExport=false"])
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text("[client]\ndisableDataExport = true\n")
    assert serve.data_export_disabled([])
    (tmp_path / ".streamlit" / "config.toml").write_text("[client]\ntoolbarMode = 'minimal'\n")
    with pytest.raises(SystemExit) as stopped:
        serve.main(["--server.port", "1"])
    assert "disableDataExport" in str(stopped.value.code)
