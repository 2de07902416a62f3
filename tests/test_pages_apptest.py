"""Every page run with Streamlit's AppTest against the small warehouse.

Figures shown are compared with SQL run on the same warehouse file (never with values of a
particular data set), so the tests keep working when the fixture becomes the real pipeline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import labels
from app.filters import W_CATEGORIES, W_DEPARTMENTS, W_PERIOD, W_PLATFORM
from app.fmt import fr_int, fr_pct

REPO_ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO_ROOT / "dashboard.py")
PAGES = [
    "pages/vue_ensemble.py",
    "pages/frequentation.py",
    "pages/producteurs.py",
    "pages/couverture.py",
    "pages/equipements.py",
    "pages/qualite.py",
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
    return sql("""SELECT count(*) FROM visits WHERE platform = ?
                  AND CAST(started_at AS DATE) BETWEEN ? AND ?""", [platform, start, end])


def active_suppliers_sql(sql, platform, end, departments=()):
    query = """SELECT count(*) FROM suppliers WHERE platform = ? AND joined_on <= ?
               AND (left_on IS NULL OR left_on > ?)"""
    params = [platform, end, end]
    if departments:
        query += f" AND department_code IN ({', '.join('?' * len(departments))})"
        params += list(departments)
    return sql(query, params)


def active_listings_sql(sql, platform, end):
    return sql("""SELECT count(*) FROM listings WHERE platform = ? AND created_on <= ?
                  AND (withdrawn_on > ? OR (withdrawn_on IS NULL AND is_active))""",
               [platform, end, end])


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
        visits_sql(sql, "equipements-protection", *span))
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS, 0) == fr_int(
        active_suppliers_sql(sql, "produits-frais", span[1]))
    assert metric(at, labels.METRIC_ACTIVE_LISTINGS, 1) == fr_int(
        active_listings_sql(sql, "equipements-protection", span[1]))
    captions = " ".join(c.value for c in at.caption)
    assert "Données du " in captions and "chargées le " in captions


def test_traffic_figures(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("pages/frequentation.py").run()
    assert metric(at, labels.METRIC_VISITS) == fr_int(visits_sql(sql, "produits-frais", *span))
    bounce = sql("""SELECT avg(CASE WHEN is_bounce THEN 1 ELSE 0 END) FROM visits
                    WHERE platform = 'produits-frais'
                    AND CAST(started_at AS DATE) BETWEEN ? AND ?""", span)
    assert metric(at, labels.METRIC_BOUNCE_RATE) == fr_pct(bounce)
    for grain in ("day", "month"):
        at.radio(key="traffic_grain").set_value(grain).run()
        assert not at.exception


def test_suppliers_figures_follow_the_department_filter(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("pages/producteurs.py").run()
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS) == fr_int(
        active_suppliers_sql(sql, "produits-frais", span[1]))
    at.multiselect(key=W_DEPARTMENTS).set_value(["18", "45"]).run()
    assert not at.exception
    assert metric(at, labels.METRIC_ACTIVE_SUPPLIERS) == fr_int(
        active_suppliers_sql(sql, "produits-frais", span[1], ("18", "45")))
    assert at.query_params.get("departments") == ["18", "45"]


def test_coverage_figures(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("pages/couverture.py").run()
    at.number_input(key="coverage_min").set_value(2).run()
    below = sql("""
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
        WHERE c.platform = 'produits-frais' AND coalesce(n, 0) < 2""", [span[1]])
    cells = sql("""SELECT (SELECT count(*) FROM departments)
                          * (SELECT count(*) FROM categories WHERE platform = 'produits-frais')""")
    assert metric(at, labels.METRIC_GAPS) == f"{fr_int(below)} sur {fr_int(cells)}"
    assert metric(at, labels.METRIC_COVERAGE_RATE) == fr_pct((cells - below) / cells)


def test_equipment_page_always_shows_equipment(warehouse_env, sql, span):
    at = start_app()
    at.switch_page("pages/equipements.py").run()
    assert metric(at, labels.METRIC_ACTIVE_OFFERS) == fr_int(
        active_listings_sql(sql, "equipements-protection", span[1]))
    assert any(labels.EQUIPMENT_ONLY_NOTE in i.value for i in at.info)


def test_quality_figures(warehouse_env, sql):
    at = start_app()
    at.switch_page("pages/qualite.py").run()
    assert metric(at, labels.METRIC_REJECTED_ROWS) == fr_int(
        sql("SELECT count(*) FROM rejected_rows WHERE platform = 'produits-frais'"))


def test_filters_survive_page_switches_and_live_in_the_url(warehouse_env, sql, span):
    at = start_app()
    at.radio(key=W_PLATFORM).set_value("equipements-protection").run()
    at.selectbox(key=W_PERIOD).set_value("avril-mai-2020").run()
    at.multiselect(key=W_CATEGORIES).set_value(["Masques"]).run()
    for page in ("pages/frequentation.py", "pages/qualite.py", "pages/vue_ensemble.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert at.radio(key=W_PLATFORM).value == "equipements-protection"
        assert at.selectbox(key=W_PERIOD).value == "avril-mai-2020"
        assert at.multiselect(key=W_CATEGORIES).value == ["Masques"]
        assert at.query_params.get("platform") == "equipements-protection"
        assert at.query_params.get("period") == "avril-mai-2020"
        assert at.query_params.get("categories") == "masques"
    at.switch_page("pages/frequentation.py").run()
    assert metric(at, labels.METRIC_VISITS) == fr_int(
        visits_sql(sql, "equipements-protection", "2020-04-01", "2020-05-31"))


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
        visits_sql(sql, "produits-frais", "2020-05-01", "2020-05-10"))


def test_a_link_reproduces_a_view(warehouse_env, sql, span):
    at = start_app({"platform": "equipements-protection", "period": "personnalisee",
                    "start": "2020-06-01", "end": "2020-06-30", "departments": ["18", "45"]})
    assert not at.exception and not at.warning
    assert at.radio(key=W_PLATFORM).value == "equipements-protection"
    assert at.multiselect(key=W_DEPARTMENTS).value == ["18", "45"]
    assert metric(at, labels.METRIC_VISITS, 1) == fr_int(
        visits_sql(sql, "equipements-protection", "2020-06-01", "2020-06-30"))


@pytest.mark.parametrize(
    "query_params",
    [
        {"period": "<script>alert(1)</script>"},
        {"platform": "' OR 1=1 --"},
        {"departement": "' OR 1=1 --"},
        {"departments": "' OR 1=1 --"},
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
    assert set(at.query_params) <= {"platform", "period", "start", "end", "departments",
                                    "categories"}
    assert at.query_params.get("platform") == "produits-frais"


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
