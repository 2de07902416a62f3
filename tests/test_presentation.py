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
    filters_from_query_params,
    presentation_from_query_params,
    presentation_to_query_params,
)
from app.filters import PRESENTATION_STATE, W_PERIOD
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
    parsed = filters_from_query_params({"period": "avril-mai-2020", "presentation": "1"}, CTX)
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
    assert bigger.layout.title.font.size == round(figure.layout.title.font.size * scale)
    assert bigger.layout.title.subtitle.font.size == round(13 * scale)
    assert bigger.layout.font.size == round(12 * scale)
    assert bigger.layout.xaxis.tickfont.size == round(12 * scale)
    assert bigger.layout.yaxis.title.font.size == round(12 * scale)
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
    assert bigger.layout.annotations[0].font.size == round(11 * charts.PROJECTOR_SCALE)
    assert bigger.data[0].textfont.size == round(11 * charts.PROJECTOR_SCALE)


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
    # of its first rows (enlarged by the projector stylesheet), with a note and the downloads.
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
    assert [b.label for b in at.get("download_button")][:2] == [
        labels.DOWNLOAD_CSV,
        labels.DOWNLOAD_XLSX,
    ]

    usual = start_app({})
    usual.switch_page("app_pages/producteurs.py").run()
    assert usual.dataframe and not any(
        "Commune (département)" in t.value.columns for t in usual.table
    )


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
