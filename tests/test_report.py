"""The meeting report: HTML that opens offline and holds the figures; PDF printed by Chromium."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import date, datetime

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from app import labels, queries, report, scorecard
from app.filtering import PLATFORMS, default_filters
from app.fmt import fr_date, fr_int
from tests import pdf_text
from tests.conftest import REPO_ROOT

HOSTILE = "<script>alert(1)</script> **gras**"


def _content(notices=()) -> report.ReportContent:
    figure = go.Figure(go.Bar(x=["2020-04-06", "2020-04-13"], y=[15_000, 12_000]))
    # As the app's figures (app/charts): French separators, integer ticks.
    figure.update_layout(title="Visites par semaine", separators=",\u202f")
    figure.update_yaxes(tickformat=",d")
    platform = report.ReportPlatform(
        name="Produits frais locaux",
        filters_text=f"du 30 mars 2020 au 31 mai 2020 · catégories : {HOSTILE}",
        verdict=f"Verdict avec {HOSTILE}",
        headlines=(
            report.headline_cells("Visites", 180_000, 150_000, "count"),
            report.headline_cells("Taux de couverture", 0.6, 0.5, "share"),
        ),
        scorecard=(
            {
                "criterion": "Visites par semaine",
                "value": "7 976",
                "target": "≥ 5 000",
                "trend": "non disponible",
                "status": "atteint",
                "status_key": scorecard.MET,
            },
        ),
        figure=figure,
    )
    return report.ReportContent(
        start=date(2020, 3, 30),
        end=date(2020, 5, 31),
        data_end=date(2020, 12, 31),
        loaded_at=datetime(2020, 12, 31, 23, 0),
        generated_at=datetime(2021, 1, 4, 9, 30),
        platforms=(platform, platform),
        notices=tuple(notices),
    )


def test_html_holds_the_figures_in_french_and_escapes_data():
    page = report.render_html(_content(notices=["Les données s'arrêtent au 31 mai 2020."]))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "180\u202f000" in page  # the visits, French grouping
    assert "+20,0\u202f%" in page  # their change against the previous period
    assert "+10,0\u202fpt" in page  # the coverage change, in points
    assert "60,0\u202f%" in page
    assert html.escape("Données jusqu'au 31 décembre 2020") in page
    assert html.escape("Les données s'arrêtent au 31 mai 2020.") in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **gras**" in page


def test_html_opens_offline():
    page = report.render_html(_content())
    # plotly.js is inline (once): no script or stylesheet is fetched from anywhere.
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=\"?https?:", page)
    assert page.count("Plotly.newPlot") == 2
    assert len(page) > 1_000_000  # plotly.js itself


def test_pdf_has_a_summary_page_and_one_page_per_platform():
    pdf = report.render_pdf(report.render_html(_content()))
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 3


# A developer's path in what readers get: a folder of the repository, a config or data file.
DEVELOPER_PATH = re.compile(
    r"(?<![\w.])(?:app|app_pages|etl|data|tests|docs|tmp|work|home)/|"
    r"\.(?:toml|py|duckdb|csv|sql)\b|file:/",
    re.I,
)


def _readable(page: str) -> str:
    """The report without its scripts (plotly.js and the figures' JSON), as readers get it."""
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S)


def test_report_is_marked_internal_with_its_data_date_and_no_developer_path():
    page = report.render_html(_content())
    readable = _readable(page)
    assert labels.REPORT_INTERNAL in readable
    assert "données jusqu'au 31 décembre 2020" in readable  # the footer of every page
    assert not DEVELOPER_PATH.search(readable), DEVELOPER_PATH.search(readable)
    assert "app/" not in page and ".toml" not in page  # scripts included


def test_report_charts_keep_a_visible_thousands_separator():
    page = report.render_html(_content())
    # The app's figures use a narrow no-break space, which the fonts Chromium finds on a server
    # lack ("12000" in the PDF): the report's use a no-break space, every font has one
    # (tests/browser/test_report_download.py measures it), and keep their integer ticks.
    separators = [json.loads(f'"{text}"') for text in re.findall(r'"separators":"([^"]*)"', page)]
    assert separators == [",\u00a0", ",\u00a0"]
    assert page.count('"tickformat":",d"') == 2


def test_pdf_pages_are_numbered_and_marked_internal():
    pdf = report.render_pdf(report.render_html(_content()))
    pages = [re.sub(r"\s+", " ", text) for text in pdf_text.pages(pdf)]
    assert len(pages) == 3
    numbers = set()
    for text in pages:
        found = re.search(r"Page (\d+) sur (\d+)", text)
        assert found, text[:200]
        numbers.add((int(found[1]), int(found[2])))
        assert "Document interne · données jusqu'au 31 décembre 2020" in text
        assert not DEVELOPER_PATH.search(text), text
    assert numbers == {(1, 3), (2, 3), (3, 3)}


def test_pdf_without_chromium_says_so(monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    with pytest.raises(report.ReportError, match="Chromium n'est pas installé"):
        report.render_pdf("<html></html>")


def test_a_chart_png_is_the_figure_drawn_at_twice_its_size():
    from PIL import Image  # a Streamlit dependency

    from tests.test_light_chart import weekly_figure  # the landing page's kind of chart

    figure = weekly_figure()
    png = report.render_png(figure)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (
        report.PNG_WIDTH * report.PNG_SCALE,
        figure.layout.height * report.PNG_SCALE,
    )
    # The bars were drawn (a blank page would be white): a good share of it is their colour.
    colours = dict((colour, count) for count, colour in image.getcolors(1 << 20))
    assert colours.get((0xB8, 0x5C, 0x00), 0) > 0.05 * image.width * image.height
    # White margins on both sides: the title and the axis do not touch the edges.
    side = report.PNG_SIDE_MARGIN * report.PNG_SCALE
    for band in ((0, side), (image.width - side, image.width)):
        strip = image.crop((band[0], 0, band[1], image.height))
        assert strip.getcolors(1 << 20) == [(strip.width * strip.height, (255, 255, 255))]
    # The title is drawn: dark pixels near the top, just right of the margin.
    top_left = image.crop((side, 0, side + 200, 80)).convert("L")
    assert min(top_left.getdata()) < 128


def test_png_without_chromium_says_so(monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    with pytest.raises(report.ReportError, match="graphique en PNG n'est pas disponible"):
        report.render_png(go.Figure())


def test_overview_page_and_its_report_show_the_warehouse_figures(warehouse_env):
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120).run()
    assert not app.exception
    verdicts = [e.proto.body for e in app.get("html") if "évalué" in e.proto.body]
    assert len(verdicts) == 2
    assert [e.label for e in app.get("download_button") if "Rapport" in e.label] == [
        labels.REPORT_HTML_BUTTON,
        labels.REPORT_PDF_BUTTON,
    ]
    shown = [m.value for m in app.metric if m.label == labels.METRIC_VISITS]
    # The figures come from the warehouse: compare with the query on the same file.
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        ctx = queries.filter_context(conn)
        filters = default_filters(ctx)
        expected = [
            fr_int(queries.visits_summary(conn, filters.for_platform(p))["visits"])
            for p in PLATFORMS
        ]
    assert shown == expected


def test_report_built_from_the_overview_matches_the_queries(warehouse_env):
    from app import db, overview

    ctx = db.cached(queries.filter_context)
    filters = default_filters(ctx)
    config = scorecard.load_config()
    platforms = overview.build(filters, ctx, config)
    page = report.render_html(
        overview.report_content(platforms, filters, ctx, config, db.cached(queries.load_info))
    )
    with duckdb.connect(str(warehouse_env), read_only=True) as conn:
        for item in platforms:
            visits = queries.visits_summary(conn, item.filters)["visits"]
            assert f'<td class="num">{fr_int(visits)}</td>' in page
            health = queries.catalogue_health(conn, item.filters, config.settings.fresh_days)
            assert f'<td class="num">{fr_int(health["active_listings"])}</td>' in page
            assert html.escape(item.verdict) in page
    assert isinstance(platforms[0].weekly, pd.DataFrame)


def test_report_header_names_the_platform_each_filter_applies_to(warehouse_env):
    from dataclasses import replace

    from app import db, overview

    ctx = db.cached(queries.filter_context)
    filters = default_filters(ctx)
    category, category_name = next(iter(ctx.categories[filters.platform].items()))
    filters = replace(filters, categories=(category,))
    config = scorecard.load_config()
    platforms = overview.build(filters, ctx, config)
    page = report.render_html(
        overview.report_content(platforms, filters, ctx, config, db.cached(queries.load_info))
    )
    chosen, other = (labels.PLATFORM_NAMES[p] for p in PLATFORMS)
    assert filters.platform == PLATFORMS[0]
    period = labels.PERIOD_TEXT.format(start=fr_date(filters.start), end=fr_date(filters.end))
    # Each platform with the filters its figures follow: the category for the chosen one only.
    chosen_filters = (
        f"{period} · {labels.ALL_DEPARTMENTS} · {labels.CATEGORIES_PREFIX}{category_name}"
    )
    other_filters = f"{period} · {labels.ALL_DEPARTMENTS} · {labels.ALL_CATEGORIES}"
    assert f"<strong>{html.escape(chosen)}</strong> : {html.escape(chosen_filters)}" in page
    assert f"<strong>{html.escape(other)}</strong> : {html.escape(other_filters)}" in page
    assert html.escape(overview.scope_note(filters, platforms)) in page
    assert chosen in overview.scope_note(filters, platforms)
    readable = _readable(page)
    assert not DEVELOPER_PATH.search(readable), DEVELOPER_PATH.search(readable)
    assert labels.REPORT_INTERNAL in readable


def test_a_broken_targets_file_keeps_the_figures_and_charts(warehouse_env, tmp_path, monkeypatch):
    from app import scorecard

    broken = tmp_path / "scorecard.toml"
    broken.write_text("[settings]\nrecent_weeks = 8\n[targets.produits-frais\n", encoding="utf-8")
    monkeypatch.setattr(scorecard, "TARGETS_FILE", broken)
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120).run()
    assert not app.exception
    errors = [box.value for box in app.error]
    assert errors and all(
        e.startswith("Fichier des cibles scorecard.toml inutilisable") for e in errors
    )
    assert "ligne 3" in errors[0]
    assert app.metric, "the headline figures are gone"
    # Drawn by Vega-Lite on the page (app/charts/light.py), by Plotly on a slide.
    charts = app.get("plotly_chart") + app.get("vega_lite_chart")
    assert len(charts) >= 2, "the weekly charts are gone"
    assert not [e for e in app.get("html") if "évalué" in e.proto.body]


def test_a_change_names_its_base_and_a_small_base_is_grey():
    from app.compare import delta

    large = delta(120, 100, previous_label="100")
    assert (large.text, large.color) == ("+20,0\u202f% (contre 100)", "normal")
    # « 1 against 11 »: −90,9 % says little; grey, with its base and a note.
    small = delta(1, 11, previous_label="11")
    assert small.text == "-90,9\u202f% (contre 11, petit effectif)"
    assert small.color == "off"
    # Points (a rate) have no small-base rule; without a label, the change alone.
    assert delta(0.5, 0.4, kind="points", previous_label="40,0\u202f%").text.endswith(
        "(contre 40,0\u202f%)"
    )
    assert delta(120, 100).text == "+20,0\u202f%"
