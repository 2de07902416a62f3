"""Every page run with Streamlit's AppTest against the small warehouse.

Figures shown are compared with SQL run on the same warehouse file (never with values of a
particular data set), so the tests keep working when the fixture becomes the real pipeline.
"""

from __future__ import annotations

import base64
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from app import labels
from app.filters import (
    W_CATEGORIES,
    W_COMPARE_RANGE,
    W_COMPARISON,
    W_DEPARTMENTS,
    W_KINDS,
    W_PERIOD,
    W_PLATFORM,
)
from app.fmt import fr_date, fr_int, fr_num, fr_pct, fr_signed_pct, fr_signed_points

REPO_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO_ROOT / "dashboard.py")
PAGES = [
    "app_pages/vue_ensemble.py",
    "app_pages/frequentation.py",
    "app_pages/parcours.py",
    "app_pages/producteurs.py",
    "app_pages/couverture.py",
    "app_pages/approvisionnement.py",
    "app_pages/equipements.py",
    "app_pages/qualite.py",
]
TIMEOUT = 60


@pytest.fixture(scope="module")
def sql(small_warehouse):
    connection = duckdb.connect(str(small_warehouse), read_only=True)

    def run(query, params=()):
        return connection.execute(query, list(params)).fetchone()[0]

    yield run
    connection.close()


@pytest.fixture(scope="module")
def span(sql):
    return sql("SELECT data_start FROM load_info"), sql("SELECT data_end FROM load_info")


def start_app(query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    return at.run()


def metric(at: AppTest, label: str, index: int = 0) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[index]


def visits_sql(sql, platform, start, end):
    return sql(
        """SELECT count(*) FROM visits WHERE platform = ?
                  AND CAST(started_at AS DATE) BETWEEN ? AND ?""",
        [platform, start, end],
    )


def scoped_visits_sql(sql, platform, start, end, departments=(), categories=()):
    """Visits of the period that viewed a page of the filtered catalogue (product of a
    listing, page of a supplier, category page), written independently of app/sql."""
    pages = []
    if departments and categories:
        pages.append("""p.page_type = 'produit' AND p.entity_id IN (
            SELECT listing_id FROM listings l JOIN suppliers s USING (platform, supplier_id)
            WHERE l.platform = $1 AND s.department_code IN (SELECT unnest($4))
              AND l.category IN (SELECT unnest($5)))""")
        pages.append("""p.page_type = 'fournisseur' AND p.entity_id IN (
            SELECT supplier_id FROM suppliers WHERE platform = $1
              AND department_code IN (SELECT unnest($4)) AND supplier_id IN (
                SELECT supplier_id FROM listings WHERE platform = $1
                  AND category IN (SELECT unnest($5))))""")
    elif departments:
        pages.append("""p.page_type = 'produit' AND p.entity_id IN (
            SELECT listing_id FROM listings l JOIN suppliers s USING (platform, supplier_id)
            WHERE l.platform = $1 AND s.department_code IN (SELECT unnest($4)))""")
        pages.append("""p.page_type = 'fournisseur' AND p.entity_id IN (
            SELECT supplier_id FROM suppliers WHERE platform = $1
              AND department_code IN (SELECT unnest($4)))""")
    else:
        pages.append("""p.page_type = 'produit' AND p.entity_id IN (
            SELECT listing_id FROM listings WHERE platform = $1 AND category IN (SELECT unnest($5)))""")
        pages.append("""p.page_type = 'fournisseur' AND p.entity_id IN (
            SELECT supplier_id FROM listings WHERE platform = $1 AND category IN (SELECT unnest($5)))""")
        pages.append("""p.page_type = 'categorie' AND p.entity_id IN (
            SELECT slug FROM categories WHERE platform = $1 AND category IN (SELECT unnest($5)))""")
    return sql(
        f"""SELECT count(*) FROM visits WHERE platform = $1
                   AND CAST(started_at AS DATE) BETWEEN $2 AND $3
                   AND len($4) > 0 AND len($5) > 0
                   AND visit_id IN (SELECT visit_id FROM pageviews p WHERE p.platform = $1
                                    AND ({" OR ".join(f"({c})" for c in pages)}))""",
        [platform, start, end, list(departments) or [""], list(categories) or [""]],
    )


def active_suppliers_sql(sql, platform, end, departments=()):
    query = """SELECT count(*) FROM suppliers WHERE platform = ? AND joined_on <= ?
               AND (left_on IS NULL OR left_on > ?)"""
    params = [platform, end, end]
    if departments:
        query += f" AND department_code IN ({', '.join('?' * len(departments))})"
        params += list(departments)
    return sql(query, params)


def active_listings_sql(sql, platform, end):
    return sql(
        """SELECT count(*) FROM listings WHERE platform = ? AND created_on <= ?
                  AND (withdrawn_on > ? OR (withdrawn_on IS NULL AND is_active))""",
        [platform, end, end],
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(warehouse_env, page):
    at = start_app()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "page without title"
    assert at.metric, "page without headline figures"
    assert not at.warning, [w.value for w in at.warning]


def test_overview_figures(warehouse_env, sql, span):
    at = start_app()
    assert at.title[0].value == labels.PAGE_OVERVIEW
    assert metric(at, labels.METRIC_VISITS, 0) == fr_int(visits_sql(sql, "produits-frais", *span))
    assert metric(at, labels.METRIC_VISITS, 1) == fr_int(
        visits_sql(sql, "equipements-protection", *span)
    )
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS, 0) == fr_int(
        active_suppliers_sql(sql, "produits-frais", span[1])
    )
    assert metric(at, labels.METRIC_ACTIVE_LISTINGS, 1) == fr_int(
        active_listings_sql(sql, "equipements-protection", span[1])
    )
    captions = " ".join(c.value for c in at.caption)
    assert "Données du " in captions and "chargées le " in captions


def _overview_with_outbox(outbox: Path, monkeypatch) -> AppTest:
    """Vue d'ensemble with `outbox` as the brief's outbox (app/delivery.py DEFAULT_OUTBOX)."""
    from app import delivery  # the page runs in this process: it reads the patched module

    monkeypatch.setattr(delivery, "DEFAULT_OUTBOX", outbox)
    at = start_app()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == labels.PAGE_OVERVIEW
    return at


def _identity(start: str, end: str, platform: str = "produits-frais") -> str:
    return f"platform={platform};start={start};end={end};departments=;categories="


def test_vue_ensemble_says_when_the_last_brief_was_sent_and_to_how_many(
    warehouse_env, tmp_path, monkeypatch
):
    sent = {
        # The latest send wins, whatever its place in the file; the time is shown in Paris.
        _identity("2020-12-28", "2021-01-03"): {
            "fingerprint": "generation=b",
            "sent_at": "2021-01-11T06:00:05+00:00",
            "recipients": 2,
            "files": ["brief.pdf", "brief.csv"],
        },
        _identity("2020-12-21", "2020-12-27", "deux-plateformes"): {
            "fingerprint": "generation=a",
            "sent_at": "2021-01-04T06:30:12+00:00",
            "recipients": 5,
            "files": [],
        },
        _identity("2021-05-03", "2021-05-09"): {"sent_at": "pas une date", "recipients": 9},
    }
    (tmp_path / ".brief-state.json").write_text(
        json.dumps({"version": 1, "sent": sent}), encoding="utf-8"
    )
    at = _overview_with_outbox(tmp_path, monkeypatch)
    captions = [c.value for c in at.caption]
    assert (
        "Dernière note de synthèse envoyée par courriel le 11 janvier 2021 à 07:00 (heure de "
        "Paris), à 2 destinataires, pour la période du 28 décembre 2020 au 3 janvier 2021."
    ) in captions
    assert labels.REPORT_NEVER_SENT not in captions


def test_vue_ensemble_brief_note_in_summer_time_to_one_recipient(
    warehouse_env, tmp_path, monkeypatch
):
    state = {
        "sent": {
            _identity("2020-06-22", "2020-06-28"): {
                "sent_at": "2020-06-29T05:00:00+00:00",
                "recipients": 1,
            }
        }
    }
    (tmp_path / ".brief-state.json").write_text(json.dumps(state), encoding="utf-8")
    captions = [c.value for c in _overview_with_outbox(tmp_path, monkeypatch).caption]
    assert (
        "Dernière note de synthèse envoyée par courriel le 29 juin 2020 à 07:00 (heure de "
        "Paris), à 1 destinataire, pour la période du 22 juin 2020 au 28 juin 2020."
    ) in captions


@pytest.mark.parametrize(
    "content",
    [
        None,  # no state file: no brief was ever sent from this outbox
        b"",
        b"\x00\xff garbage {",
        b"[1, 2]",
        b'{"version": 1, "sent": {"x": 3}}',
        b'{"sent": {"platform=p;start=2021-01-04;end=nope": {"sent_at": "2021-01-11T06:00:05+00:00", "recipients": 2}}}',
        b'{"sent": {"platform=p;start=2021-01-04;end=2021-01-10": {"sent_at": "2021-01-11T06:00:05+00:00", "recipients": "2"}}}',
    ],
    ids=["missing", "empty", "garbage", "list", "bad-entry", "bad-period", "bad-count"],
)
def test_vue_ensemble_brief_note_without_a_usable_state_is_neutral(
    warehouse_env, tmp_path, monkeypatch, content
):
    if content is not None:
        (tmp_path / ".brief-state.json").write_bytes(content)
    at = _overview_with_outbox(tmp_path, monkeypatch)
    captions = [c.value for c in at.caption]
    assert labels.REPORT_NEVER_SENT in captions
    assert not any(c.startswith("Dernière note de synthèse") for c in captions)
    assert not at.error, [e.value for e in at.error]


def test_traffic_figures(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/frequentation.py").run()
    assert metric(at, labels.METRIC_VISITS) == fr_int(visits_sql(sql, "produits-frais", *span))
    bounce = sql(
        """SELECT avg(CASE WHEN is_bounce THEN 1 ELSE 0 END) FROM visits
                    WHERE platform = 'produits-frais'
                    AND CAST(started_at AS DATE) BETWEEN ? AND ?""",
        span,
    )
    assert metric(at, labels.METRIC_BOUNCE_RATE) == fr_pct(bounce)
    for grain in ("day", "month"):
        at.radio(key="traffic_grain").set_value(grain).run()
        assert not at.exception


def test_suppliers_figures_follow_the_department_filter(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/producteurs.py").run()
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS) == fr_int(
        active_suppliers_sql(sql, "produits-frais", span[1])
    )
    at.multiselect(key=W_DEPARTMENTS).set_value(["18", "45"]).run()
    assert not at.exception
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS) == fr_int(
        active_suppliers_sql(sql, "produits-frais", span[1], ("18", "45"))
    )
    assert at.query_params.get("departments") == ["18", "45"]


def test_coverage_figures(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/couverture.py").run()
    at.number_input(key="coverage_min").set_value(2).run()
    below = sql(
        """
        WITH counts AS (
            SELECT s.department_code, l.category, count(DISTINCT s.supplier_id) AS n
            FROM listings l JOIN suppliers s USING (platform, supplier_id)
            WHERE l.platform = 'produits-frais' AND l.created_on <= $1
              AND (l.withdrawn_on > $1 OR (l.withdrawn_on IS NULL AND l.is_active))
              AND s.joined_on <= $1 AND (s.left_on IS NULL OR s.left_on > $1)
            GROUP BY ALL)
        SELECT count(*) FROM departments d CROSS JOIN categories c
        LEFT JOIN counts ON counts.department_code = d.department_code
                        AND counts.category = c.category
        WHERE c.platform = 'produits-frais' AND coalesce(n, 0) < 2""",
        [span[1]],
    )
    cells = sql("""SELECT (SELECT count(*) FROM departments)
                          * (SELECT count(*) FROM categories WHERE platform = 'produits-frais')""")
    assert metric(at, labels.METRIC_GAPS) == f"{fr_int(below)} sur {fr_int(cells)}"
    assert metric(at, labels.METRIC_COVERAGE_RATE) == fr_pct((cells - below) / cells)
    # The grid's columns: every category of the vocabulary, in its French order (labels
    # wrapped on two lines for the axis).
    (heatmap,) = [
        trace
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace["type"] == "heatmap"
    ]
    assert [x.replace("<br>", " ") for x in heatmap["x"]] == sql(
        """SELECT list(category ORDER BY fr_sort_key(category)) FROM categories
           WHERE platform = 'produits-frais'"""
    )


def test_equipment_page_always_shows_equipment(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/equipements.py").run()
    assert metric(at, labels.METRIC_ACTIVE_OFFERS) == fr_int(
        active_listings_sql(sql, "equipements-protection", span[1])
    )
    assert any(labels.EQUIPMENT_ONLY_NOTE in i.value for i in at.info)


def test_quality_figures(warehouse_env, sql):
    at = start_app()
    at.switch_page("app_pages/qualite.py").run()
    # Rows of no platform (the shared canteen files, annotations of every platform) count on
    # each platform's page: quarantined, never out of sight.
    assert sql("SELECT count(*) FROM rejected_rows WHERE source = 'canteens'") > 0
    assert metric(at, labels.METRIC_REJECTED_ROWS) == fr_int(
        sql(
            "SELECT count(*) FROM rejected_rows WHERE platform = 'produits-frais' "
            "OR platform IS NULL"
        )
    )
    # The register's rows add up on screen, those of other regions included.
    names = labels.LOAD_SUMMARY_COLUMNS
    summary = at.dataframe[0].value
    register = summary[summary[names["source"]] == labels.SOURCES["canteens"]].iloc[0]
    assert register[names["platform"]] == labels.ALL_PLATFORMS_NAMES["toutes"]
    assert register[names["rows_out_of_scope"]] > 0
    assert register[names["lines_read"]] == (
        register[names["rows_loaded"]]
        + register[names["rows_rejected"]]
        + register[names["rows_out_of_scope"]]
    )


def test_filters_survive_page_switches_and_live_in_the_url(warehouse_env, sql, span):
    at = start_app()
    at.radio(key=W_PLATFORM).set_value("equipements-protection").run()
    at.selectbox(key=W_PERIOD).set_value("avril-mai-2020").run()
    at.multiselect(key=W_CATEGORIES).set_value(["masques"]).run()
    for page in ("app_pages/frequentation.py", "app_pages/qualite.py", "app_pages/vue_ensemble.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert at.radio(key=W_PLATFORM).value == "equipements-protection"
        assert at.selectbox(key=W_PERIOD).value == "avril-mai-2020"
        assert at.multiselect(key=W_CATEGORIES).value == ["masques"]
        assert at.query_params.get("platform") == "equipements-protection"
        assert at.query_params.get("period") == "avril-mai-2020"
        assert at.query_params.get("categories") == "masques"
    at.switch_page("app_pages/frequentation.py").run()
    # The category filter applies to visits through the catalogue: visits that viewed a
    # "Masques" product, company or category page.
    assert metric(at, labels.METRIC_VISITS) == fr_int(
        scoped_visits_sql(
            sql, "equipements-protection", "2020-04-01", "2020-05-31", categories=["Masques"]
        )
    )


def test_custom_period_after_a_preset_starting_before_the_data(warehouse_env, sql, span):
    at = start_app()
    at.selectbox(key=W_PERIOD).set_value("annee-2020").run()
    at.selectbox(key=W_PERIOD).set_value("personnalisee").run()
    assert not at.exception
    assert at.date_input(key="filter_range").value == span
    at.date_input(key="filter_range").set_value((date(2020, 5, 1), date(2020, 5, 10))).run()
    assert not at.exception
    assert at.query_params.get("start") == "2020-05-01"
    assert at.query_params.get("end") == "2020-05-10"
    assert metric(at, labels.METRIC_VISITS, 0) == fr_int(
        visits_sql(sql, "produits-frais", "2020-05-01", "2020-05-10")
    )


def test_a_link_reproduces_a_view(warehouse_env, sql, span):
    at = start_app(
        {
            "platform": "equipements-protection",
            "period": "personnalisee",
            "start": "2020-06-01",
            "end": "2020-06-30",
            "departments": ["18", "45"],
        }
    )
    assert not at.exception and not at.warning
    assert at.radio(key=W_PLATFORM).value == "equipements-protection"
    assert at.multiselect(key=W_DEPARTMENTS).value == ["18", "45"]
    assert metric(at, labels.METRIC_VISITS, 1) == fr_int(
        scoped_visits_sql(
            sql, "equipements-protection", "2020-06-01", "2020-06-30", departments=["18", "45"]
        )
    )


@pytest.mark.parametrize(
    "query_params",
    [
        {"period": "<script>alert(1)</script>"},
        {"platform": "' OR 1=1 --"},
        {"departement": "' OR 1=1 --"},
        {"departments": "' OR 1=1 --"},
        {"kinds": "<script>alert(1)</script>"},
        {"kinds": ["' OR 1=1 --", "producteurs"]},
        {"period": "personnalisee", "start": "2020-02-31", "end": "x"},
    ],
)
def test_hostile_links_fall_back_with_a_french_notice(warehouse_env, sql, span, query_params):
    at = start_app(query_params)
    assert not at.exception
    assert at.warning, "no notice shown"
    assert all("OR 1=1" not in w.value and "<script>" not in w.value for w in at.warning)
    assert at.radio(key=W_PLATFORM).value == "produits-frais"
    assert metric(at, labels.METRIC_VISITS, 0) == fr_int(visits_sql(sql, "produits-frais", *span))
    # The address is rewritten to the canonical, clean one.
    assert set(at.query_params) <= {
        "platform",
        "period",
        "start",
        "end",
        "departments",
        "categories",
        "kinds",
    }
    assert at.query_params.get("platform") == "produits-frais"


def kind_and_code(small_warehouse, rank=1):
    """A supplier kind of produits-frais (the `rank`-th most frequent) and its address code."""
    from app import queries

    connection = duckdb.connect(str(small_warehouse), read_only=True)
    try:
        kind = connection.execute("""SELECT kind FROM suppliers WHERE platform = 'produits-frais'
                                     GROUP BY kind ORDER BY count(*) DESC, kind""").fetchall()[
            rank
        ][0]
        codes = queries.filter_context(connection).kinds["produits-frais"]
    finally:
        connection.close()
    return kind, next(code for code, label in codes.items() if label == kind)


def test_kind_filter_widget_filters_pages_and_lives_in_the_url(warehouse_env, sql, span):
    kind, code = kind_and_code(warehouse_env)
    at = start_app()
    widget = at.multiselect(key=W_KINDS)
    assert widget.label == labels.FILTER_KINDS
    assert widget.placeholder == labels.PLACEHOLDER_KINDS
    assert kind in widget.options and widget.value == []
    at.switch_page("app_pages/producteurs.py").run()
    at.multiselect(key=W_KINDS).set_value([code]).run()
    assert not at.exception
    n_kind = sql(
        """SELECT count(*) FROM suppliers WHERE platform = 'produits-frais'
                    AND kind = $2 AND joined_on <= $1 AND (left_on IS NULL OR left_on > $1)""",
        [span[1], kind],
    )
    assert 0 < n_kind < active_suppliers_sql(sql, "produits-frais", span[1])
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS) == fr_int(n_kind)
    assert at.query_params.get("kinds") == code
    # The choice survives a page switch; the traffic follows it through the catalogue.
    at.switch_page("app_pages/frequentation.py").run()
    assert not at.exception
    assert at.multiselect(key=W_KINDS).value == [code]
    visits = sql(
        """SELECT count(*) FROM visits WHERE platform = 'produits-frais'
                    AND CAST(started_at AS DATE) BETWEEN $1 AND $2
                    AND visit_id IN (SELECT p.visit_id FROM pageviews p WHERE p.platform = 'produits-frais'
                        AND ((p.page_type = 'produit' AND p.entity_id IN (
                                SELECT listing_id FROM listings l JOIN suppliers s USING (platform, supplier_id)
                                WHERE l.platform = 'produits-frais' AND s.kind = $3))
                          OR (p.page_type = 'fournisseur' AND p.entity_id IN (
                                SELECT supplier_id FROM suppliers
                                WHERE platform = 'produits-frais' AND kind = $3))))""",
        [*span, kind],
    )
    assert metric(at, labels.METRIC_VISITS) == fr_int(visits)
    assert any(labels.TRAFFIC_SCOPE_FILTERED in c.value for c in at.caption)
    assert any(labels.CATEGORY_PAGES_NO_DEPARTMENT in c.value for c in at.caption)
    # A platform without that kind drops it (the equipment platform lists companies only: its
    # kind filter, of one option, is not shown).
    at.radio(key=W_PLATFORM).set_value("equipements-protection").run()
    assert not at.exception
    assert not [w for w in at.multiselect if w.label == labels.FILTER_KINDS]
    assert "kinds" not in at.query_params


def test_a_link_with_a_kind_reproduces_the_view(warehouse_env, sql, span):
    kind, code = kind_and_code(warehouse_env)
    at = start_app({"kinds": code, "departments": "37"})
    assert not at.exception and not at.warning
    assert at.multiselect(key=W_KINDS).value == [code]
    at.switch_page("app_pages/producteurs.py").run()
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS) == fr_int(
        sql(
            """SELECT count(*) FROM suppliers WHERE platform = 'produits-frais' AND kind = $2
           AND department_code = '37' AND joined_on <= $1 AND (left_on IS NULL OR left_on > $1)""",
            [span[1], kind],
        )
    )


def test_missing_warehouse_shows_a_french_message(tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(tmp_path / "absent.duckdb"))
    at = start_app()
    assert not at.exception
    assert at.error and "Aucun entrepôt de données" in at.error[0].value
    assert "make run" in at.error[0].value and "python -m etl load" in at.error[0].value


def test_multiselect_placeholders_are_french(warehouse_env):
    at = start_app()
    assert at.multiselect(key=W_DEPARTMENTS).placeholder == labels.PLACEHOLDER_DEPARTMENTS
    assert at.multiselect(key=W_CATEGORIES).placeholder == labels.PLACEHOLDER_CATEGORIES
    assert at.multiselect(key=W_KINDS).placeholder == labels.PLACEHOLDER_KINDS


# --- New figures of the pages -----------------------------------------------------------------


def metric_element(at: AppTest, label: str, index: int = 0):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return found[index]


def test_traffic_changes_against_the_previous_period(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/frequentation.py").run()
    # "Depuis l'ouverture": the previous period lies before the data, no change is shown.
    assert not metric_element(at, labels.METRIC_VISITS).delta
    assert any("Pas d'évolution affichée" in c.value for c in at.caption)
    at.selectbox(key=W_PERIOD).set_value("30-derniers-jours").run()
    assert not at.exception
    end = span[1]
    start = end - timedelta(days=29)
    current = visits_sql(sql, "produits-frais", start, end)
    previous = visits_sql(
        sql, "produits-frais", start - timedelta(days=30), start - timedelta(days=1)
    )
    visits = metric_element(at, labels.METRIC_VISITS)
    assert visits.value == fr_int(current)
    # The change names its base: the previous period's visits, as shown.
    assert visits.delta == f"{fr_signed_pct(current / previous - 1)} (contre {fr_int(previous)})"
    bounce = sql(
        """SELECT avg(CASE WHEN is_bounce THEN 1 ELSE 0 END) FROM visits
                    WHERE platform = 'produits-frais' AND CAST(started_at AS DATE) BETWEEN ? AND ?""",
        [start, end],
    )
    bounce_before = sql(
        """SELECT avg(CASE WHEN is_bounce THEN 1 ELSE 0 END) FROM visits
                           WHERE platform = 'produits-frais'
                           AND CAST(started_at AS DATE) BETWEEN ? AND ?""",
        [start - timedelta(days=30), start - timedelta(days=1)],
    )
    rate = metric_element(at, labels.METRIC_BOUNCE_RATE)
    expected = fr_signed_points(bounce - bounce_before)
    expected = expected.lstrip("+-") if expected.lstrip("+-").startswith("0,0") else expected
    assert rate.delta == f"{expected} (contre {fr_pct(bounce_before)})"
    visitors = metric_element(at, labels.METRIC_VISITORS)
    assert visitors.value == fr_int(
        sql(
            """SELECT sum(n) FROM (SELECT count(DISTINCT visitor_id) n FROM visits
           WHERE platform = 'produits-frais' AND CAST(started_at AS DATE) BETWEEN ? AND ?
           GROUP BY CAST(started_at AS DATE))""",
            [start, end],
        )
    )
    assert "somme" in visitors.help.lower()


def test_traffic_page_follows_the_department_filter(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/frequentation.py").run()
    at.multiselect(key=W_DEPARTMENTS).set_value(["37"]).run()
    assert not at.exception
    assert metric(at, labels.METRIC_VISITS) == fr_int(
        scoped_visits_sql(sql, "produits-frais", *span, departments=["37"])
    )
    assert any(labels.TRAFFIC_SCOPE_FILTERED in c.value for c in at.caption)
    searches = sql("""SELECT count(*) FROM pageviews WHERE platform = 'produits-frais'
                      AND page_type = 'recherche' AND search_terms IS NOT NULL""")
    at.multiselect(key=W_DEPARTMENTS).set_value([]).run()
    assert metric(at, labels.METRIC_SEARCHES) == fr_int(searches)


def test_suppliers_audience_table(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/producteurs.py").run()
    unseen = sql(
        """
        SELECT count(*) FROM suppliers s WHERE platform = 'produits-frais' AND joined_on <= $1
        AND (left_on IS NULL OR left_on > $1)
        AND NOT EXISTS (SELECT 1 FROM pageviews p WHERE p.platform = s.platform
                        AND p.page_type = 'fournisseur' AND p.entity_id = s.supplier_id)
        AND NOT EXISTS (SELECT 1 FROM pageviews p JOIN listings l ON l.platform = p.platform
                        AND l.listing_id = p.entity_id WHERE p.platform = s.platform
                        AND p.page_type = 'produit' AND l.supplier_id = s.supplier_id)""",
        [span[1]],
    )
    assert metric(at, labels.METRIC_UNSEEN_SUPPLIERS["produits-frais"]) == fr_int(unseen)
    assert at.dataframe, "no table"
    for text in ["%", "_", "' OR 1=1 --", "zzzz-introuvable"]:
        at.text_input(key="supplier_search").set_value(text).run()
        assert not at.exception, text
        assert any(c.value.startswith("0 fournisseurs affichés") for c in at.caption), text
    at.text_input(key="supplier_search").set_value("").run()
    for sort in ("views_desc", "listings_desc", "name"):
        at.selectbox(key="supplier_sort").set_value(sort).run()
        assert not at.exception


def test_coverage_controls(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/couverture.py").run()
    for measure in ("suppliers", "listings"):
        for scale in ("count", "per_100k"):
            at.radio(key="coverage_measure").set_value(measure).run()
            at.radio(key="coverage_scale").set_value(scale).run()
            assert not at.exception, (measure, scale)
    active_in_region = sql(
        """SELECT count(*) FROM suppliers WHERE platform = 'produits-frais'
                              AND joined_on <= $1 AND (left_on IS NULL OR left_on > $1)
                              AND department_code IN (SELECT department_code FROM departments)""",
        [span[1]],
    )
    assert metric(at, labels.METRIC_SUPPLIERS_IN_REGION) == fr_int(active_in_region)
    population = sql("SELECT sum(population) FROM departments")
    assert metric(at, labels.METRIC_SUPPLIERS_PER_100K) == fr_num(
        active_in_region * 100000 / population, 1
    )


def test_equipment_conversion_figures(warehouse_env, sql, span):
    from app import naf

    at = start_app()
    at.switch_page("app_pages/equipements.py").run()
    rows = (
        duckdb.connect(str(warehouse_env), read_only=True)
        .execute(
            """
        SELECT s.naf_code FROM listings l JOIN suppliers s USING (platform, supplier_id)
        WHERE l.platform = 'equipements-protection' AND l.created_on <= $1
        AND (l.withdrawn_on > $1 OR (l.withdrawn_on IS NULL AND l.is_active))""",
            [span[1]],
        )
        .fetchall()
    )
    groups = [naf.classify(code)[1] for (code,) in rows]
    classified = [g for g in groups if g != naf.UNKNOWN_GROUP]
    assert metric(at, labels.METRIC_CONVERTED_OFFERS) == fr_pct(
        classified.count("reconversion") / len(classified)
    )
    assert any("première offre le" in c.value for c in at.caption)


def test_quality_checks_are_listed(warehouse_env, sql):
    at = start_app()
    at.switch_page("app_pages/qualite.py").run()
    assert not at.exception
    assert any(s.value == labels.CHECKS_HEADER for s in at.subheader)
    titles = {e.label.split(" — ")[0] for e in at.expander}
    assert labels.CHECKS["unknown_categories"][0] in titles


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "query_params",
    [
        {
            "platform": "produits-frais",
            "period": "avril-mai-2020",
            "departments": "18",
            "categories": "oeufs",
        },
        {
            "platform": "equipements-protection",
            "period": "30-derniers-jours",
            "departments": "36,41",
            "categories": "cameras_thermometres",
        },
        # A period with little or no data: every page must still draw.
        {
            "platform": "equipements-protection",
            "period": "personnalisee",
            "start": "2020-03-30",
            "end": "2020-03-30",
            "departments": "36",
        },
    ],
)
def test_every_page_runs_with_narrow_filters(warehouse_env, page, query_params):
    at = start_app(query_params)
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.warning, [w.value for w in at.warning]
    assert at.metric


# What an earlier ETL's file lacks, dropped from a copy of a current one: the page asks for a
# load and names what is missing, instead of failing on the first query that needs it.
@pytest.mark.parametrize(
    "drop,missing",
    [
        ("DROP TABLE entity_views_daily", "entity_views_daily.pageviews"),
        ("DROP MACRO TABLE active_listings_on", "active_listings_on()"),
        (
            "DROP TABLE catalogue_visit_days",
            "catalogue_visit_days.category_code, catalogue_visit_days.visit_key",
        ),
        ("DROP TABLE visit_searches", "visit_searches.terms, visit_searches.visit_key"),
        ("ALTER TABLE visits DROP COLUMN visit_key", "visits.visit_key"),
    ],
)
def test_a_warehouse_from_an_earlier_version_asks_for_a_load(
    small_warehouse, tmp_path, monkeypatch, drop, missing
):
    old = tmp_path / "old.duckdb"
    shutil.copyfile(small_warehouse, old)
    with duckdb.connect(str(old)) as con:
        con.execute(drop)
    monkeypatch.setenv("OBSERVATOIRE_DB", str(old))
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        labels.WAREHOUSE_OUTDATED.format(path=str(old), tables=missing)
    ]


# --- The comparison period (issue #19) ----------------------------------------------------------


def traffic_figure(at: AppTest) -> dict:
    """The visits-over-time figure of *Fréquentation* (the first chart of the page)."""
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def values(array) -> list:
    """A figure array as numbers: Plotly writes numeric arrays as base64 (`bdata`, `dtype`)."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def comparison_trace(at: AppTest):
    traces = [t for t in traffic_figure(at)["data"] if t.get("type") == "scatter"]
    return [t for t in traces if t.get("mode") == "lines+markers"]


def test_the_comparison_choice_changes_the_caption_and_the_figures(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/frequentation.py").run()
    at.selectbox(key=W_PERIOD).set_value("30-derniers-jours").run()
    end = span[1]
    start = end - timedelta(days=29)
    current = visits_sql(sql, "produits-frais", start, end)
    before = (start - timedelta(days=30), start - timedelta(days=1))
    previous = visits_sql(sql, "produits-frais", *before)
    captions = " ".join(c.value for c in at.caption)
    assert labels.COMPARISON_WHAT["periode-precedente"] in captions
    assert metric_element(at, labels.METRIC_VISITS).delta.startswith(
        fr_signed_pct(current / previous - 1) + " (contre "
    )
    (line,) = comparison_trace(at)
    assert sum(values(line["y"])) == previous
    assert fr_date(before[0]) in line["name"] and fr_date(before[1]) in line["name"]
    assert fr_date(before[0]) in line["hovertext"][0]  # the real dates, in French
    assert "comparison" not in at.query_params  # the default stays out of the address

    # A year earlier: the demo covers 2020 only, so no change and no line, and it says why.
    at.selectbox(key=W_COMPARISON).set_value("annee-precedente").run()
    assert not at.exception
    assert at.query_params.get("comparison") == "annee-precedente"
    assert not metric_element(at, labels.METRIC_VISITS).delta
    captions = " ".join(c.value for c in at.caption)
    assert labels.COMPARISON_WHAT["annee-precedente"] in captions
    assert "commence avant le début des données" in captions
    assert "Pas de ligne de comparaison" in captions
    assert not comparison_trace(at)

    # Custom dates: starts from the comparison shown until now, then the dates chosen.
    at.selectbox(key=W_COMPARISON).set_value("personnalisee").run()
    assert not at.exception
    custom = (start - timedelta(days=60), start - timedelta(days=31))
    at.date_input(key=W_COMPARE_RANGE).set_value(custom).run()
    assert not at.exception
    assert at.query_params.get("compare_start") == custom[0].isoformat()
    assert at.query_params.get("compare_end") == custom[1].isoformat()
    other = visits_sql(sql, "produits-frais", *custom)
    assert metric_element(at, labels.METRIC_VISITS).delta == (
        f"{fr_signed_pct(current / other - 1)} (contre {fr_int(other)})"
    )
    captions = " ".join(c.value for c in at.caption)
    assert labels.COMPARISON_WHAT["personnalisee"] in captions and fr_date(custom[0]) in captions
    (line,) = comparison_trace(at)
    assert sum(values(line["y"])) == other


def test_a_link_reproduces_the_comparison(warehouse_env, sql, span):
    custom = (date(2020, 5, 1), date(2020, 5, 31))
    at = start_app(
        {
            "period": "personnalisee",
            "start": "2020-06-01",
            "end": "2020-06-30",
            "comparison": "personnalisee",
            "compare_start": custom[0].isoformat(),
            "compare_end": custom[1].isoformat(),
        }
    )
    at.switch_page("app_pages/frequentation.py").run()
    assert not at.exception
    assert at.selectbox(key=W_COMPARISON).value == "personnalisee"
    assert tuple(at.date_input(key=W_COMPARE_RANGE).value) == custom
    current = visits_sql(sql, "produits-frais", "2020-06-01", "2020-06-30")
    other = visits_sql(sql, "produits-frais", *custom)
    assert metric_element(at, labels.METRIC_VISITS).delta == (
        f"{fr_signed_pct(current / other - 1)} (contre {fr_int(other)})"
    )
    # 31 days against 30: said.
    assert any("31 jours" in c.value for c in at.caption)
    # Another page keeps it in the address.
    at.switch_page("app_pages/producteurs.py").run()
    assert at.query_params.get("comparison") == "personnalisee"
    assert at.query_params.get("compare_start") == "2020-05-01"


def test_a_link_to_a_comparison_before_the_data_says_so(warehouse_env, span):
    # Kept as given (not clipped): the page says why there is no change rather than moving it.
    before = (span[0] - timedelta(days=40), span[0] - timedelta(days=20))
    at = start_app(
        {
            "period": "30-derniers-jours",
            "comparison": "personnalisee",
            "compare_start": before[0].isoformat(),
            "compare_end": before[1].isoformat(),
        }
    )
    at.switch_page("app_pages/frequentation.py").run()
    assert not at.exception
    assert not at.warning  # a valid address: no notice
    assert tuple(at.date_input(key=W_COMPARE_RANGE).value) == before
    assert not metric_element(at, labels.METRIC_VISITS).delta
    captions = " ".join(c.value for c in at.caption)
    assert "commence avant le début des données" in captions and fr_date(before[0]) in captions
    assert not comparison_trace(at)


def test_a_filter_with_one_option_is_not_shown_and_never_narrows(warehouse_env, sql, span):
    # The equipment platform lists companies only: a kind filter would offer one choice.
    kinds = sql(
        "SELECT count(DISTINCT kind_code) FROM suppliers WHERE platform = 'equipements-protection'"
    )
    assert kinds == 1
    at = start_app(query_params={"platform": "equipements-protection", "kinds": "entreprise"})
    assert not at.exception
    assert not [w for w in at.multiselect if w.label == labels.FILTER_KINDS]
    # The kind in the address is dropped, not applied: the visits are all the platform's.
    assert "kinds" not in at.query_params
    at.switch_page("app_pages/frequentation.py").run()
    assert not at.exception
    start, end = span
    visits = visits_sql(sql, "equipements-protection", start, end)
    assert metric(at, labels.METRIC_VISITS) == fr_int(visits)


def origin_share_sql(sql, span, origin):
    """Share of the period's visits of one origin, written apart from app/sql."""
    region = "SELECT department_code FROM departments"
    rule = {
        "region": f"country_code = 'FR' AND geo_department_code IN ({region})",
        "france_other": f"country_code = 'FR' AND geo_department_code NOT IN ({region})",
        "france_unlocated": "country_code = 'FR' AND geo_department_code IS NULL",
        "abroad": "country_code <> 'FR'",
        "unknown": "country_code IS NULL",
    }[origin]
    return sql(
        f"""SELECT avg(CASE WHEN {rule} THEN 1.0 ELSE 0.0 END) FROM visits
            WHERE platform = 'produits-frais' AND CAST(started_at AS DATE) BETWEEN ? AND ?""",
        span,
    )


def test_visitor_origin_section_ends_the_traffic_page(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("app_pages/frequentation.py").run()
    assert not at.exception
    assert at.subheader[-1].value == labels.ORIGIN_HEADER
    has_city = sql("SELECT count(*) FROM geo_sources WHERE role = 'department'")
    origins = (
        ("region", "france_other", "france_unlocated", "abroad", "unknown")
        if has_city
        else ("abroad", "unknown")
    )
    for origin in origins:
        assert metric(at, labels.ORIGIN_METRICS[origin]) == fr_pct(
            origin_share_sql(sql, span, origin)
        )
    if has_city:  # the cards cover every visit once
        total = sum(origin_share_sql(sql, span, origin) for origin in origins)
        assert total == pytest.approx(1.0)
    texts = " ".join(str(e.value) for e in [*at.caption, *at.markdown, *at.info])
    assert labels.COUNTRIES_ORIGIN_TITLE in texts
    assert (labels.NO_CITY_DB in texts) == (not has_city)


def test_without_a_city_database_the_page_says_so(
    small_warehouse, tmp_path, monkeypatch, sql, span
):
    copy = tmp_path / "sans_villes.duckdb"
    shutil.copyfile(small_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DELETE FROM geo_sources WHERE role = 'department'")
        con.execute("UPDATE visits SET geo_department_code = NULL")
    monkeypatch.setenv("OBSERVATOIRE_DB", str(copy))
    at = start_app()
    at.switch_page("app_pages/frequentation.py").run()
    assert not at.exception
    assert labels.NO_CITY_DB in [i.value for i in at.info]
    assert labels.ORIGIN_METRICS["region"] not in [m.label for m in at.metric]
    assert metric(at, labels.ORIGIN_METRIC_FRANCE) == fr_pct(
        1 - origin_share_sql(sql, span, "abroad") - origin_share_sql(sql, span, "unknown")
    )


# --- Empty states ----------------------------------------------------------------------------

NO_VISIT_FILTERS = {
    "platform": "produits-frais",
    "period": "30-derniers-jours",
    "departments": "36",
    "categories": "poissons",
    "kinds": "cooperative",
}


@pytest.mark.parametrize("page", ["app_pages/frequentation.py", "app_pages/parcours.py"])
def test_a_page_without_visits_says_why_once_instead_of_empty_charts(warehouse_env, page):
    at = start_app(NO_VISIT_FILTERS)
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert metric(at, labels.METRIC_VISITS) == "0", "the filters must select no visit"
    notices = [i.value for i in at.info]
    assert any("Élargissez la période ou retirez un filtre" in n for n in notices), notices
    assert not at.get("plotly_chart"), "empty charts drawn"
    assert not [n for n in notices if n == labels.NO_VISITS], notices


def test_suppliers_page_without_suppliers_says_why_once(warehouse_env):
    at = start_app(NO_VISIT_FILTERS)
    at.switch_page("app_pages/producteurs.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS) == "0", "the filters must select no supplier"
    notices = [i.value for i in at.info]
    assert any("Élargissez la période ou retirez un filtre" in n for n in notices), notices
    assert not at.get("plotly_chart"), "empty charts drawn"


# --- Approvisionnement local: organic producers to recruit (issue #31) -------------------------


def test_approvisionnement_lists_the_organic_producers_to_recruit(warehouse_env, sql):
    at = start_app()
    at.switch_page("app_pages/approvisionnement.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert labels.SOURCING_RECRUITS_TITLE in [h.value for h in at.subheader]
    # Written apart from app/sql: certified producers whose SIRET no food supplier has.
    recruits = sql(
        """SELECT count(*) FROM organic_operators WHERE is_producer AND is_certified
           AND siret NOT IN (SELECT siret FROM suppliers
                             WHERE platform = 'produits-frais' AND siret IS NOT NULL)"""
    )
    on_platform = sql(
        """SELECT count(*) FROM organic_operators WHERE is_producer AND is_certified
           AND siret IN (SELECT siret FROM suppliers WHERE platform = 'produits-frais')"""
    )
    assert recruits > 0 and on_platform > 0  # the demo makes the rule visible
    captions = [c.value for c in at.caption]
    assert labels.SOURCING_RECRUITS_COUNTS_NOTE.format(n=fr_int(recruits)) in captions
    assert (
        labels.SOURCING_RECRUITS_LIST_NOTE.format(
            n=fr_int(recruits), group=labels.SOURCING_WHOLE_AREA
        )
        in captions
    )


def test_approvisionnement_says_where_to_drop_the_agence_bio_file(
    small_warehouse, tmp_path, monkeypatch
):
    copy = tmp_path / "no_bio.duckdb"
    shutil.copyfile(small_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("DELETE FROM organic_operators")
    monkeypatch.setenv("OBSERVATOIRE_DB", str(copy))
    at = start_app()
    at.switch_page("app_pages/approvisionnement.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert labels.SOURCING_RECRUITS_NO_FILE in [i.value for i in at.info]
    assert not [c for c in at.caption if "Agence BIO" in c.value]
