"""The meeting report: HTML that opens offline and holds the figures; PDF printed by Chromium."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from app import labels, queries, report, scorecard
from app.filtering import PLATFORMS, default_filters
from app.fmt import fr_int
from tests.conftest import REPO_ROOT

HOSTILE = "<script>alert(1)</script> **gras**"


def _content(notices=()) -> report.ReportContent:
    figure = go.Figure(go.Bar(x=["2020-04-06", "2020-04-13"], y=[1500, 1200]))
    figure.update_layout(title="Visites par semaine")
    platform = report.ReportPlatform(
        name="Produits frais locaux",
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
        filters_text=f"du 30 mars 2020 au 31 mai 2020 · catégories : {HOSTILE}",
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


def test_pdf_without_chromium_says_so(monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    with pytest.raises(report.ReportError, match="Chromium n'est pas installé"):
        report.render_pdf("<html></html>")


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
    assert len(app.get("plotly_chart")) >= 2, "the weekly charts are gone"
    assert not [e for e in app.get("html") if "évalué" in e.proto.body]
