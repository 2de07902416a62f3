"""Presentation mode (`?presentation=1`): the address parameter, its round trip through the
filters' address rewrite and page switches, the French notice for an unusable value, and the
charts' larger fonts."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import charts, inert, labels, tables
from app.filtering import (
    PRESENTATION_KEY,
    FilterContext,
    Filters,
    presentation_from_query_params,
    presentation_to_query_params,
)
from app.filters import PRESENTATION_STATE, W_CATEGORIES, W_PERIOD, W_PLATFORM
from tests.test_pages_apptest import DASHBOARD, TIMEOUT

HOSTILE = ["<script>alert(1)</script>", "' OR 1=1 --", "true", "oui", "2", "", "1" * 10_000]

CTX = FilterContext(
    data_start=date(2020, 3, 30),
    data_end=date(2020, 12, 31),
    departments={"18": "Cher", "45": "Loiret"},
    categories={"produits-frais": {"oeufs": "Œufs"}, "equipements-protection": {}},
)


# --- the address parameter (pure) ------------------------------------------------------------


def test_presentation_is_off_without_the_parameter():
    assert presentation_from_query_params({}) == (False, ())
    assert presentation_from_query_params({"platform": "produits-frais"}) == (False, ())


def test_presentation_one_turns_it_on_and_zero_off_without_notice():
    assert presentation_from_query_params({"presentation": "1"}) == (True, ())
    assert presentation_from_query_params({"presentation": ["1"]}) == (True, ())
    assert presentation_from_query_params({"presentation": "0"}) == (False, ())


@pytest.mark.parametrize("value", HOSTILE + [["1", "1"], ["0", "1"]])
def test_an_unusable_value_falls_back_to_off_with_a_notice_never_echoed(value):
    presenting, notices = presentation_from_query_params({"presentation": value})
    assert presenting is False
    # A fixed sentence: the value itself is never echoed back.
    assert notices == (labels.NOTICE_PRESENTATION,)


@pytest.mark.parametrize("presenting", [True, False])
def test_round_trip(presenting):
    assert presentation_from_query_params(presentation_to_query_params(presenting)) == (
        presenting,
        (),
    )


def test_the_parameter_is_no_unknown_parameter_for_the_filters():
    parsed = Filters.from_url({"period": "avril-mai-2020", "presentation": "1"}, CTX)
    assert not parsed.has_notice
    assert parsed.filters.period == "avril-mai-2020"


# --- the charts' fonts ------------------------------------------------------------------------


def sample_figure():
    frame = pd.DataFrame({"name": ["Marché", "Drive"], "visits": [120, 80], "share": [0.6, 0.4]})
    return charts.horizontal_bars(
        frame,
        category_col="name",
        value_col="visits",
        share_col="share",
        value_label="Visites",
        title="Visites par canal d'arrivée",
        subtitle="Produits frais locaux · du 30 mars 2020 au 31 décembre 2020",
        x_title="Visites (nombre)",
        y_title="Canal",
        width="half",
    )


def test_projector_fonts_are_larger_and_the_figure_is_left_as_built():
    figure = sample_figure()
    before = figure.to_plotly_json()
    bigger = charts.for_projector(figure)
    assert figure.to_plotly_json() == before, "the figure given must not change"
    scale = charts.PROJECTOR_SCALE

    def projected(size):  # 40 % larger, and never under 20 px
        return max(round(size * scale), charts.PROJECTOR_MIN_FONT)

    assert bigger.layout.title.font.size == projected(figure.layout.title.font.size) == 24
    assert bigger.layout.title.subtitle.font.size == projected(13) == 20
    assert bigger.layout.font.size == projected(12)
    assert bigger.layout.xaxis.tickfont.size == projected(12)
    assert bigger.layout.yaxis.title.font.size == projected(12)
    assert bigger.layout.hoverlabel.font.size > 13
    # The title band grows with the title, the plot area a little too.
    assert bigger.layout.margin.t == round(figure.layout.margin.t * scale)

    def plot_height(fig):
        return fig.layout.height - fig.layout.margin.t - fig.layout.margin.b

    assert plot_height(bigger) == round(plot_height(figure) * charts.PROJECTOR_PLOT_SCALE)


def test_projector_enlarges_annotations_and_trace_labels():
    figure = charts.add_key_dates(
        sample_figure(), pd.DataFrame({"date": [date(2020, 5, 11)], "label": ["Fin"]})
    )
    figure.data[0].textfont.size = 11
    bigger = charts.for_projector(figure)
    assert bigger.layout.annotations[0].font.size == charts.PROJECTOR_MIN_FONT
    figure.data[0].textfont.size = 16
    assert charts.for_projector(figure).data[0].textfont.size == round(16 * charts.PROJECTOR_SCALE)


def test_projector_texts_are_at_least_20_px_and_dark():
    figure = charts.add_key_dates(
        sample_figure(),
        pd.DataFrame({"date": [date(2020, 4, 6), date(2020, 5, 11)], "label": ["A", "B"]}),
    )
    bigger = charts.for_projector(figure)
    layout = bigger.layout
    sizes = [
        layout.font.size,
        layout.title.font.size,
        layout.title.subtitle.font.size,
        layout.legend.font.size,
        layout.xaxis.tickfont.size,
        layout.yaxis.title.font.size,
        *(a.font.size for a in layout.annotations),
    ]
    assert min(sizes) >= charts.PROJECTOR_MIN_FONT == 20, sizes
    assert layout.xaxis.tickfont.color == layout.font.color == charts.PROJECTOR_INK
    assert layout.uniformtext.minsize == 20  # bar labels are not shrunk to fit their bar


def test_projected_key_date_labels_take_as_many_rows_as_they_need():
    frame = pd.DataFrame(
        {"bucket": pd.date_range("2020-03-30", "2020-12-31", freq="W-MON"), "visits": 100}
    )
    key_dates = pd.DataFrame(
        {
            "date": [date(2020, 3, 30), date(2020, 4, 6), date(2020, 4, 13), date(2020, 9, 1)],
            "label": ["Ouverture de la plateforme", "Premier", "Deuxième", "Rentrée"],
        }
    )
    figure = charts.time_bars(
        frame,
        value_col="visits",
        grain="week",
        value_label="Visites",
        start=date(2020, 3, 30),
        end=date(2020, 12, 31),
        title="Visites",
        subtitle="Produits frais",
        x_title="Semaine",
        y_title="Visites",
        key_dates=key_dates,
    )
    projected = charts.for_projector(figure)
    shifts = [a.yshift or 0 for a in projected.layout.annotations]
    # Three labels a week apart need three rows; September's fits on the first again.
    assert shifts[0] == 0 and shifts[1] < 0 and shifts[2] < shifts[1] and shifts[3] == 0
    line = -shifts[1]
    assert line >= projected.layout.annotations[0].font.size
    # The axis reaches higher, so that the three rows stay above the bars.
    assert projected.layout.yaxis.range[1] > figure.layout.yaxis.range[1]


def test_labels_on_marks_take_the_ink_that_stands_out_from_their_mark():
    figure = sample_figure()
    figure.data[0].marker.color = ["#e07b39", "#1f5fa8"]  # orange, then dark blue
    bar = charts.for_projector(figure).data[0]
    assert list(bar.insidetextfont.color) == ["#000000", "#ffffff"]
    assert bar.outsidetextfont.color == charts.PROJECTOR_INK

    grid = pd.DataFrame(
        {"dep": ["18", "18", "45", "45"], "cat": ["a", "b", "a", "b"], "n": [0, 2, 3, 9]}
    )
    heat = charts.heatmap(
        grid,
        x_col="cat",
        y_col="dep",
        z_col="n",
        title="Fournisseurs",
        subtitle="Produits frais",
        x_title="Catégorie",
        y_title="Département",
        colorbar_title="Fournisseurs",
        z_label="Fournisseurs",
        x_order=["a", "b"],
        y_order=["18", "45"],
    )
    projected = charts.for_projector(heat)
    # Plotly writes a heatmap's labels in one colour: they move to a text trace, one ink per
    # cell (black on the palest cell, white on the darkest).
    [cells] = [t for t in projected.data if t.type == "heatmap"]
    [labels_trace] = [t for t in projected.data if t.type == "scatter"]
    assert not cells.texttemplate and heat.data[0].texttemplate
    assert list(labels_trace.text) == ["0", "2", "3", "9"]
    assert labels_trace.textfont.color[0] == "#000000"
    assert labels_trace.textfont.color[-1] == "#ffffff"
    assert labels_trace.textfont.size >= charts.PROJECTOR_MIN_FONT


def test_a_tall_figure_is_cut_to_the_screen():
    frame = pd.DataFrame({"name": [f"Catégorie {i}" for i in range(30)], "visits": range(30)})
    tall = charts.horizontal_bars(
        frame,
        category_col="name",
        value_col="visits",
        value_label="Visites",
        title="Visites",
        subtitle="Produits frais",
        x_title="Visites (nombre)",
        y_title="Catégorie",
    )
    assert tall.layout.height * charts.PROJECTOR_PLOT_SCALE > charts.PROJECTOR_MAX_HEIGHT
    assert charts.for_projector(tall).layout.height == charts.PROJECTOR_MAX_HEIGHT <= 1080 - 60


# --- in the app (AppTest) -------------------------------------------------------------------


def start_app(query_params: dict) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at.run()


def quit_links(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "presentation-note" in m.value]


def chart_title_sizes(at: AppTest) -> list[int]:
    return [
        json.loads(chart.proto.spec)["layout"]["title"]["font"]["size"]
        for chart in at.get("plotly_chart")
    ]


def test_presentation_survives_the_address_rewrite_filter_changes_and_page_switches(warehouse_env):
    at = start_app({"period": "avril-mai-2020", PRESENTATION_KEY: "1"})
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert at.session_state[PRESENTATION_STATE] is True
    assert at.query_params.get(PRESENTATION_KEY) == "1"
    assert at.query_params.get("period") == "avril-mai-2020"
    # A filter change rewrites the address from the canonical filters: the mode stays.
    at.selectbox(key=W_PERIOD).set_value("annee-2020").run()
    assert at.query_params.get(PRESENTATION_KEY) == "1"
    for page in ("app_pages/frequentation.py", "app_pages/qualite.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert at.query_params.get(PRESENTATION_KEY) == "1"
        assert at.query_params.get("period") == "annee-2020"
        # The note links to the same view without the presentation mode.
        [note] = quit_links(at)
        assert labels.PRESENTATION_NOTE in note
        assert 'href="?platform=produits-frais&amp;period=annee-2020"' in note
        assert 'target="_self"' in note
        assert chart_title_sizes(at)
        assert all(size == round(17 * charts.PROJECTOR_SCALE) for size in chart_title_sizes(at))


def test_projected_tables_show_their_first_rows_as_plain_tables(warehouse_env):
    # The grid's canvas text cannot be enlarged: in presentation mode a table is a plain table
    # of its first rows (enlarged by the projector stylesheet), with a note and no download.
    at = start_app({PRESENTATION_KEY: "1"})
    at.switch_page("app_pages/producteurs.py").run()
    assert not at.exception
    assert not at.dataframe
    # st.table renders Markdown: headers and text come escaped (`\\(` shows as `(`).
    suppliers = next(
        t for t in at.table if inert.markdown("Commune (département)") in t.value.columns
    )
    assert len(suppliers.value) == tables.PROJECTOR_ROWS
    assert suppliers.value.columns[0] == "Nom"
    notes = [c.value for c in at.caption if "premières lignes sur" in c.value]
    assert notes and notes[0].startswith(f"{tables.PROJECTOR_ROWS} premières lignes sur ")
    # Dates as the grid draws them (JJ/MM/AAAA, Markdown-escaped like every cell), numbers in
    # French.
    assert all(
        re.fullmatch(r"\d{2}\\/\d{2}\\/\d{4}", str(v)) for v in suppliers.value["Inscription"]
    )
    # A slide offers no download: the whole table and its files are in the usual view.
    assert not at.get("download_button")

    usual = start_app({})
    usual.switch_page("app_pages/producteurs.py").run()
    assert usual.dataframe and not any(
        "Commune (département)" in t.value.columns for t in usual.table
    )
    assert [b.label for b in usual.get("download_button")][:2] == [
        labels.DOWNLOAD_CSV,
        labels.DOWNLOAD_XLSX,
    ]


def test_usual_view_has_no_presentation_note_and_usual_fonts(warehouse_env):
    at = start_app({})
    at.switch_page("app_pages/frequentation.py").run()
    assert at.session_state[PRESENTATION_STATE] is False
    assert not quit_links(at)
    assert PRESENTATION_KEY not in at.query_params
    assert set(chart_title_sizes(at)) == {17}


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "' OR 1=1 --", "oui"])
def test_an_unusable_value_in_the_app_gives_the_usual_view_and_a_french_notice(
    warehouse_env, value
):
    at = start_app({PRESENTATION_KEY: value, "period": "avril-mai-2020"})
    assert not at.exception
    assert [w.value for w in at.warning] == [labels.NOTICE_PRESENTATION]
    assert at.session_state[PRESENTATION_STATE] is False
    assert not quit_links(at)
    # The address is rewritten without the parameter; the filters stay.
    assert PRESENTATION_KEY not in at.query_params
    assert at.query_params.get("period") == "avril-mai-2020"
    # The notice is shown once, like the filters' notices.
    at.run()
    assert not at.warning


def test_presentation_has_a_filter_bar_and_no_download(warehouse_env):
    # The period and the categories are drawn in the page (the sidebar is hidden), as the
    # same widgets: one state for the bar, the sidebar and the address.
    at = start_app({PRESENTATION_KEY: "1"})
    assert not at.exception
    assert at.main.selectbox(key=W_PERIOD)
    assert at.main.multiselect(key=W_CATEGORIES)
    assert at.main.radio(key=W_PLATFORM)
    assert not at.sidebar.get("selectbox") or all(
        box.key != W_PERIOD for box in at.sidebar.selectbox
    )
    assert not at.get("download_button"), "no report button on the overview slide"
    at.main.selectbox(key=W_PERIOD).set_value("avril-mai-2020").run()
    assert at.query_params.get("period") == "avril-mai-2020"
    assert at.query_params.get(PRESENTATION_KEY) == "1"

    usual = start_app({})
    assert usual.sidebar.selectbox(key=W_PERIOD)
    assert {"report-html", "report-pdf"} <= {b.key for b in usual.get("download_button")}
