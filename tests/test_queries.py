"""Query functions against the small warehouse (compared with direct SQL), and on a tiny
hand-made warehouse whose figures are worked out by hand."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from app import labels, queries
from app.filtering import (
    CUSTOM_COMPARISON,
    PREVIOUS_PERIOD,
    YEAR_BEFORE,
    Comparison,
    Filters,
)
from app.queries import engine
from etl import derive
from tests.fake_warehouse import add_codes_and_macros, daily_aggregates, empty_warehouse

ORACLE_DIR = Path(__file__).parent / "oracle"


def oracle(conn, name: str, params: dict):
    """`tests/oracle/<name>.sql`: the figure of `app/sql/<name>.sql` computed from every visit,
    with the same includes (the visit scope), instead of from the visits per day."""
    return queries.run(
        conn, engine._expand_includes((ORACLE_DIR / f"{name}.sql").read_text()), params
    )


HOSTILE = ["' OR 1=1 --", "18' OR '1'='1", "'); DROP TABLE suppliers; --", "$departments"]


@pytest.fixture(scope="module")
def span(conn):
    return conn.execute("SELECT data_start, data_end FROM load_info").fetchone()


def all_filters(span, platform="produits-frais", **kwargs):
    return Filters(platform, span[0], span[1], **kwargs)


def scalar(conn, sql, params=()):
    return conn.execute(sql, list(params)).fetchone()[0]


# --- against the small warehouse: same figures as direct SQL ---------------------------------


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
def test_visits_summary_matches_sql(conn, span, platform):
    filters = all_filters(span, platform)
    summary = queries.visits_summary(conn, filters)
    visits, visitors, pageviews, bounces, duration = conn.execute(
        """SELECT count(*), count(DISTINCT visitor_id), sum(pageviews),
                  count(*) FILTER (WHERE is_bounce), sum(duration_s)
           FROM visits WHERE platform = ? AND CAST(started_at AS DATE) BETWEEN ? AND ?""",
        [platform, *span],
    ).fetchone()
    assert summary["visits"] == visits > 0
    assert summary["visitors"] == visitors
    assert summary["pageviews"] == pageviews
    assert summary["pages_per_visit"] == pytest.approx(pageviews / visits)
    assert summary["bounce_rate"] == pytest.approx(bounces / visits)
    assert summary["avg_duration_s"] == pytest.approx(duration / visits)


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
@pytest.mark.parametrize(
    "period", [None, (date(2020, 4, 1), date(2020, 5, 31)), (date(2020, 11, 2), date(2020, 11, 2))]
)
@pytest.mark.parametrize("departments", [(), ("37",), ("18", "45")])
def test_the_visits_per_day_give_the_figures_of_the_visits(
    conn, span, platform, period, departments
):
    # The headline figures and series read the visits per day: the load's visits_daily, or
    # the scoped visits added up per day under a catalogue filter. Both must equal the
    # figures computed from every visit in scope.
    filters = replace(Filters(platform, *(period or span)), departments=departments)
    fast = queries.run(conn, "visits_summary", filters.params())
    slow = oracle(conn, "visits_summary", filters.params())
    if platform == "produits-frais" and period != (date(2020, 11, 2), date(2020, 11, 2)):
        assert slow["visits"].iloc[0] > 0
    for column in slow.columns:
        assert fast[column].iloc[0] == pytest.approx(slow[column].iloc[0], nan_ok=True), column
    for grain in ("day", "week", "month"):
        params = {**filters.params(), "grain": grain}
        fast = queries.run(conn, "visits_timeseries", params)
        slow = oracle(conn, "visits_timeseries", params)
        assert fast.astype(str).equals(slow.astype(str)), grain


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
@pytest.mark.parametrize(
    "period", [None, (date(2020, 4, 1), date(2020, 5, 31)), (date(2020, 11, 2), date(2020, 11, 2))]
)
@pytest.mark.parametrize("departments", [(), ("37",)])
def test_the_journeys_figures_from_the_days_give_the_figures_of_the_visits(
    conn, span, platform, period, departments
):
    # Without a catalogue filter, the journeys page's page types, exit pages and conversion
    # per department and category add up the load's daily counts (page_type_views_daily,
    # entity_views_daily, catalogue_goals_daily); they must equal the figures counted on the
    # page views, or the catalogue pages, of every visit of the period.
    filters = replace(Filters(platform, *(period or span)), departments=departments)
    for name, extra in (
        ("page_types_report", {}),
        ("exit_pages", {}),
        ("goals_by_catalogue", {"dimension": "department"}),
        ("goals_by_catalogue", {"dimension": "category"}),
    ):
        params = {**filters.params(), "limit": 100_000, **extra}
        fast = queries.run(conn, name, params)
        slow = oracle(conn, name, params)
        if platform == "produits-frais" and period != (date(2020, 11, 2), date(2020, 11, 2)):
            assert len(slow) > 1, name
        key = list(slow.columns)
        fast = fast.sort_values(key).reset_index(drop=True).astype(str)
        slow = slow.sort_values(key).reset_index(drop=True).astype(str)
        pd.testing.assert_frame_equal(fast, slow, obj=name)


def test_the_scoped_visits_per_day_are_kept_per_filter_choice(conn, span):
    # The rows kept for a filter choice are those of every day (the figures apply their
    # period to them), and none without a catalogue filter.
    filters = all_filters(span, departments=("37",))
    daily = engine.kept_table(conn, engine.SCOPED_DAILY_TABLE, filters.params())
    ids = scoped_visit_ids_sql(conn, "produits-frais", *span, ("37",))
    assert 0 < sum(daily.column("visits").to_pylist()) == len(ids)
    assert (
        engine.kept_table(conn, engine.SCOPED_DAILY_TABLE, all_filters(span).params()).num_rows == 0
    )


def test_a_period_limits_visits_to_its_days(conn):
    filters = Filters("produits-frais", date(2020, 4, 1), date(2020, 5, 31))
    expected = scalar(
        conn,
        """SELECT count(*) FROM visits WHERE platform = 'produits-frais'
                               AND started_at >= '2020-04-01' AND started_at < '2020-06-01'""",
    )
    assert queries.visits_summary(conn, filters)["visits"] == expected


@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_time_series_adds_up_to_the_total(conn, span, grain):
    filters = Filters("produits-frais", date(2020, 4, 8), date(2020, 8, 20))
    series = queries.visits_timeseries(conn, filters, grain)
    assert series["visits"].sum() == queries.visits_summary(conn, filters)["visits"]
    assert series["bucket"].is_monotonic_increasing
    if grain == "day":
        assert len(series) == (filters.end - filters.start).days + 1
        assert not series["is_partial"].any()
    else:
        # The period starts and ends mid-week / mid-month: both ends are partial.
        assert series["is_partial"].iloc[0] and series["is_partial"].iloc[-1]
        assert not series["is_partial"].iloc[1:-1].any()


def test_time_series_rejects_an_unknown_grain(conn, span):
    with pytest.raises(ValueError):
        queries.visits_timeseries(conn, all_filters(span), "year; DROP TABLE visits")


def test_channels_and_devices_cover_every_visit(conn, span):
    filters = all_filters(span)
    total = queries.visits_summary(conn, filters)["visits"]
    for frame in (
        queries.visits_by_channel(conn, filters),
        queries.visits_by_device(conn, filters),
    ):
        assert frame["visits"].sum() == total
        assert frame["share"].sum() == pytest.approx(1.0)


def active_suppliers_sql(conn, platform, end, departments=None, kinds=None):
    sql = """SELECT count(*) FROM suppliers WHERE platform = ? AND joined_on <= ?
             AND (left_on IS NULL OR left_on > ?)"""
    params = [platform, end, end]
    if departments:
        sql += f" AND department_code IN ({', '.join('?' * len(departments))})"
        params += list(departments)
    if kinds:
        sql += f" AND kind_code IN ({', '.join('?' * len(kinds))})"
        params += list(kinds)
    return scalar(conn, sql, params)


def active_listings_sql(conn, platform, end, departments=None, categories=None, kinds=None):
    sql = """SELECT count(*) FROM listings l JOIN suppliers s USING (platform, supplier_id)
             WHERE l.platform = ? AND l.created_on <= ?
             AND (l.withdrawn_on > ? OR (l.withdrawn_on IS NULL AND l.is_active))
             AND s.joined_on <= ? AND (s.left_on IS NULL OR s.left_on > ?)"""
    # A listing is on offer only while its supplier is active (docs/metrics.md).
    params = [platform, end, end, end, end]
    if departments:
        sql += f" AND s.department_code IN ({', '.join('?' * len(departments))})"
        params += list(departments)
    if categories:
        sql += f" AND l.category_code IN ({', '.join('?' * len(categories))})"
        params += list(categories)
    if kinds:
        sql += f" AND s.kind_code IN ({', '.join('?' * len(kinds))})"
        params += list(kinds)
    return scalar(conn, sql, params)


@pytest.mark.parametrize("departments", [(), ("18",), ("28", "45")])
def test_catalogue_summary_matches_sql(conn, span, departments):
    for platform in ("produits-frais", "equipements-protection"):
        filters = all_filters(span, platform, departments=departments)
        summary = queries.catalogue_summary(conn, filters)
        assert summary["active_suppliers"] == active_suppliers_sql(
            conn, platform, span[1], departments
        )
        assert summary["active_listings"] == active_listings_sql(
            conn, platform, span[1], departments
        )


def test_category_filter_on_listings(conn, span):
    filters = all_filters(span, categories=("fruits_legumes", "oeufs"))
    assert queries.catalogue_summary(conn, filters)["active_listings"] == active_listings_sql(
        conn, "produits-frais", span[1], categories=["fruits_legumes", "oeufs"]
    )


def test_catalogue_timeseries_ends_on_the_summary(conn, span):
    filters = all_filters(span, departments=("37",))
    series = queries.catalogue_timeseries(conn, filters)
    summary = queries.catalogue_summary(conn, filters)
    assert len(series) == (span[1] - span[0]).days + 1
    last = series.iloc[-1]
    assert (last["active_suppliers"], last["active_listings"]) == (
        summary["active_suppliers"],
        summary["active_listings"],
    )


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
def test_catalogue_timeseries_equals_the_summary_on_every_sampled_day(conn, span, platform):
    # The series counts arrivals and departures; the summary counts who is active on a day.
    filters = Filters(platform, date(2020, 4, 20), span[1])
    series = queries.catalogue_timeseries(conn, filters).set_index("day")
    for offset in range(0, len(series), 23):
        day = filters.start + (series.index[offset] - series.index[0])
        summary = queries.catalogue_summary(conn, Filters(platform, filters.start, day))
        row = series.iloc[offset]
        assert (row["active_suppliers"], row["active_listings"]) == (
            summary["active_suppliers"],
            summary["active_listings"],
        ), day


def test_histogram_table_and_concentration_agree(conn, span):
    filters = all_filters(span)
    table = queries.supplier_listings(conn, filters)
    histogram = queries.listings_histogram(conn, filters)
    concentration = queries.listings_concentration(conn, filters)
    assert (
        len(table)
        == histogram["suppliers"].sum()
        == active_suppliers_sql(conn, "produits-frais", span[1])
    )
    counts = table["active_listings"].value_counts()
    assert dict(zip(histogram["active_listings"], histogram["suppliers"])) == counts.to_dict()
    holders = sorted((n for n in table["active_listings"] if n > 0), reverse=True)
    top = math.ceil(len(holders) * 0.1)
    assert concentration["suppliers_with_listing"] == len(holders)
    assert concentration["top_suppliers"] == top
    assert concentration["top_share"] == pytest.approx(sum(holders[:top]) / sum(holders))
    assert concentration["single_listing_suppliers"] == holders.count(1)


def coverage_grid_at_3(conn, filters):
    """`queries.coverage_grid` at the threshold the tests use (it has no default)."""
    return queries.coverage_grid(conn, filters, 3)


def test_coverage_grid_matches_sql(conn, span):
    filters = all_filters(span)
    grid = queries.coverage_grid(conn, filters, 3)
    n_departments = scalar(conn, "SELECT count(*) FROM departments")
    n_categories = scalar(conn, "SELECT count(*) FROM categories WHERE platform = 'produits-frais'")
    assert len(grid) == n_departments * n_categories
    for row in grid.sample(10, random_state=1).itertuples():
        expected = scalar(
            conn,
            """
            SELECT count(DISTINCT s.supplier_id) FROM listings l
            JOIN suppliers s USING (platform, supplier_id)
            WHERE l.platform = 'produits-frais' AND s.department_code = ? AND l.category_code = ?
              AND l.created_on <= ? AND (l.withdrawn_on > ? OR (l.withdrawn_on IS NULL AND l.is_active))
              AND s.joined_on <= ? AND (s.left_on IS NULL OR s.left_on > ?)""",
            [row.department_code, row.category_code, *[span[1]] * 4],
        )
        assert row.suppliers == expected
        assert row.is_covered == (expected >= 3)
    restricted = queries.coverage_grid(
        conn, all_filters(span, departments=("18",), categories=("oeufs",)), 1
    )
    assert len(restricted) == 1


def test_equipment_queries_match_sql(conn, span):
    filters = all_filters(span, "equipements-protection")
    by_category = queries.equipment_by_category(conn, filters)
    assert by_category["active_offers"].sum() == active_listings_sql(
        conn, "equipements-protection", span[1]
    )
    by_month = queries.equipment_by_month(conn, filters)
    assert by_month["offers_published"].sum() == scalar(
        conn,
        """SELECT count(*) FROM listings WHERE platform = 'equipements-protection'
                 AND created_on BETWEEN ? AND ?""",
        span,
    )
    last = by_month[by_month["month"] == by_month["month"].max()]
    assert last["companies_cumulative"].sum() == scalar(
        conn,
        """SELECT count(*) FROM (SELECT DISTINCT category, supplier_id FROM listings
                 WHERE platform = 'equipements-protection' AND created_on <= ?)""",
        [span[1]],
    )


def test_quarantine_reasons_are_counted_per_code_not_per_value():
    # Two invalid SIRETs and two unknown suppliers are two codes of fault, not four groups
    # (issue #29: grouped by the stored code, labelled in French by app/labels.py).
    con = duckdb.connect()
    empty_warehouse(con)
    add_codes_and_macros(con)
    con.executemany(
        "INSERT INTO rejected_rows (platform, source, source_file, line_no, reason_code, "
        "detail, raw_text) VALUES ('produits-frais', ?, 'f.csv', ?, ?, ?, 'x')",
        [
            ("suppliers", 2, "invalid_siret", "30726306100087"),
            ("suppliers", 3, "invalid_siret", "86247163800456"),
            ("listings", 4, "unknown_supplier", "P9999"),
            ("listings", 5, "unknown_supplier", "E9999"),
            ("listings", 6, "missing_field", "titre"),
            ("listings", 7, "missing_field", "date_creation"),
            ("listings", 8, "invalid_date", "date_creation : 31/02/2020"),
            ("suppliers", 9, "duplicate_id", "fournisseurs_1.csv : P12"),
        ],
    )
    con.execute(
        "INSERT INTO rejected_overflow VALUES "
        "('produits-frais', 'suppliers', 'f.csv', NULL, 'invalid_siret', NULL, 5)"
    )
    rows = queries.rejected_by_reason(con, tiny_filters())
    got = {(r.source, r.reason_code, r.reason): r.n_rows for r in rows.itertuples()}
    assert got == {
        ("suppliers", "invalid_siret", "SIRET invalide"): 7,
        ("listings", "unknown_supplier", "fournisseur inconnu"): 2,
        ("listings", "missing_field", "champ obligatoire manquant"): 2,
        ("listings", "invalid_date", "date invalide"): 1,
        ("suppliers", "duplicate_id", "identifiant déjà présent dans un autre fichier"): 1,
    }
    # The rows themselves keep the value, for the analyst fixing the file.
    sample = queries.rejected_sample(con, tiny_filters(), limit=10)
    assert ("SIRET invalide", "30726306100087") in set(zip(sample["reason"], sample["detail"]))
    con.close()


def test_quality_queries_match_sql(conn, span):
    filters = all_filters(span)
    rejected = queries.rejected_by_reason(conn, filters)
    # With the rows of no platform: the shared canteen files, annotations of every platform.
    assert rejected["n_rows"].sum() == scalar(
        conn,
        "SELECT count(*) FROM rejected_rows WHERE platform = 'produits-frais' OR platform IS NULL",
    )
    sample = queries.rejected_sample(conn, filters, limit=3)
    assert len(sample) == 3
    hits = queries.hits_summary(conn, filters)
    assert hits["hits"] == hits["pageview_hits"] + hits["excluded_hits"]
    assert hits["pageview_hits"] == scalar(
        conn,
        """SELECT count(*) FROM pageviews WHERE platform = 'produits-frais'
                 AND CAST(ts AS DATE) BETWEEN ? AND ?""",
        span,
    )
    assert queries.hits_excluded(conn, filters)["hits"].sum() == hits["excluded_hits"]
    summary = queries.load_summary(conn, filters)
    assert set(summary["platform"]) == {"produits-frais", "toutes"}


def test_key_dates_within_the_period(conn):
    filters = Filters("produits-frais", date(2020, 5, 1), date(2020, 6, 30))
    assert queries.key_dates(conn, filters)["label"].tolist() == [
        scalar(conn, "SELECT label FROM key_dates WHERE date = '2020-05-11'"),
        scalar(conn, "SELECT label FROM key_dates WHERE date = '2020-06-02'"),
    ]


# --- hostile values are bound, never interpreted ----------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_change_nothing_and_raise_nothing(conn, span, value):
    only_18 = all_filters(span, departments=("18",), categories=("oeufs",))
    with_hostile = all_filters(span, departments=("18", value), categories=("oeufs", value))
    nothing = all_filters(span, departments=(value,))
    for function in (queries.catalogue_summary, queries.listings_concentration):
        assert function(conn, with_hostile) == function(conn, only_18)
    assert queries.supplier_listings(conn, with_hostile).equals(
        queries.supplier_listings(conn, only_18)
    )
    assert queries.coverage_grid(conn, with_hostile, 3).equals(
        queries.coverage_grid(conn, only_18, 3)
    )
    assert queries.catalogue_summary(conn, nothing) == {"active_suppliers": 0, "active_listings": 0}
    hostile_platform = Filters(value, span[0], span[1])
    assert queries.visits_summary(conn, hostile_platform)["visits"] == 0
    # The warehouse is untouched.
    assert scalar(conn, "SELECT count(*) FROM suppliers") > 0


def test_every_query_binds_its_values():
    """No SQL file formats values in: only `$name` parameters, all known to the module."""
    known = {
        "platform",
        "start",
        "end",
        "departments",
        "categories",
        "kinds",
        "grain",
        "min_suppliers",
        "limit",
        "pattern",
        "naf_rules",
        "fresh_days",
        "dimension",
        "shift_days",
        "current_end",
        "level",
        "year",
        "organic_target",
        "quality_target",
        "radius_km",
        "territory",
    }  # fresh_days: the scorecard's catalogue_health.sql; dimension: goals_by_catalogue.sql;
    # shift_days, current_end: visits_comparison_series*.sql; level … territory: the local
    # sourcing queries (app/queries/sourcing.py)
    paths = list(queries.SQL_DIR.rglob("*.sql"))
    assert len(paths) > 30
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert "{" not in text, path.name
        assert set(re.findall(r"\$([A-Za-z_]\w*)", text)) <= known, path.name


def test_run_requires_every_parameter(conn):
    with pytest.raises(KeyError):
        queries.run(conn, "visits_summary", {"platform": "produits-frais"})


def test_connection_is_read_only(small_warehouse):
    connection = duckdb.connect(str(small_warehouse), read_only=True)
    with pytest.raises(duckdb.Error):
        connection.execute("DELETE FROM visits")
    connection.close()


# --- a tiny hand-made warehouse: figures worked out by hand --------------------------------


@pytest.fixture(scope="module")
def tiny():
    con = duckdb.connect()
    empty_warehouse(con)
    con.execute("""
        INSERT INTO departments VALUES ('18', 'Cher', 1), ('45', 'Loiret', 1);
        INSERT INTO categories VALUES
            ('produits-frais', 'miel', 'Miel', 'miel'),
            ('produits-frais', 'oeufs', 'Œufs', 'oeufs');
        INSERT INTO load_info VALUES ('2021-01-04 08:00', '2020-04-01', '2020-04-30');
    """)
    # Suppliers: S1..S10 in Cher, S11 in Loiret who left on 20 April.
    suppliers = [(f"S{i}", "18", date(2020, 4, 1), None) for i in range(1, 11)]
    suppliers.append(("S11", "45", date(2020, 4, 1), date(2020, 4, 20)))
    con.executemany(
        """INSERT INTO suppliers (platform, supplier_id, name, department_code, joined_on, left_on,
           is_active) VALUES ('produits-frais', ?, ?, ?, ?, ?, ?)""",
        [
            (sid, f"Ferme {sid}", dep, joined, left, left is None)
            for sid, dep, joined, left in suppliers
        ],
    )
    # Active listings on 30 April: S1 holds 11, S2..S9 one each (S10 none).
    listings = [(f"L1-{k}", "S1", "Miel", date(2020, 4, 2), None, True) for k in range(11)]
    listings += [(f"L{i}", f"S{i}", "Œufs", date(2020, 4, 3), None, True) for i in range(2, 10)]
    listings += [
        ("W1", "S10", "Miel", date(2020, 4, 2), date(2020, 4, 10), False),  # withdrawn 10/04
        ("W2", "S10", "Miel", date(2020, 4, 2), None, False),  # inactive, undated: never active
        ("F1", "S10", "Miel", date(2020, 5, 2), None, True),  # published after the period
        ("X1", "S11", "Œufs", date(2020, 4, 2), date(2020, 4, 20), False),
    ]
    con.executemany(
        """INSERT INTO listings (platform, listing_id, supplier_id, category, created_on,
           withdrawn_on, is_active) VALUES ('produits-frais', ?, ?, ?, ?, ?, ?)""",
        listings,
    )
    # Visits: three on 1 April (one bounce), one on 2 April; two share a visitor id.
    con.executemany(
        """INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at, pageviews,
           duration_s, is_bounce, channel, device_type, browser, os)
           VALUES ('produits-frais', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Firefox', 'Linux')""",
        [
            (visit, visitor, started, started + timedelta(seconds=duration), pages, duration, *rest)
            for visit, visitor, started, pages, duration, *rest in [
                ("v1", "a", datetime(2020, 4, 1, 9), 1, 0, True, "press", "smartphone"),
                ("v2", "a", datetime(2020, 4, 1, 18), 3, 120, False, "press", "smartphone"),
                ("v3", "b", datetime(2020, 4, 1, 23, 59), 2, 65, False, "direct", "desktop"),
                ("v4", "c", datetime(2020, 4, 2, 0, 1), 6, 415, False, "press", "tablet"),
            ]
        ],
    )
    daily_aggregates(con)
    add_codes_and_macros(con)
    yield con
    con.close()


def test_hand_computed_visits(tiny):
    summary = queries.visits_summary(
        tiny, Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 1))
    )
    assert summary["visits"] == 3
    assert summary["visitors"] == 2
    assert summary["pageviews"] == 6
    assert summary["pages_per_visit"] == 2
    assert summary["bounce_rate"] == pytest.approx(1 / 3)
    assert summary["avg_duration_s"] == pytest.approx(185 / 3)
    channels = queries.visits_by_channel(
        tiny, Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 2))
    )
    assert channels[["channel", "visits", "share"]].values.tolist() == [
        ["Presse", 3, 0.75],
        ["Accès direct", 1, 0.25],
    ]
    assert channels["bounce_rate"].tolist() == pytest.approx([1 / 3, 0.0])


def test_unknown_codes_are_shown_as_themselves(tiny):
    # A code a newer ETL writes, without a label yet, is shown as is instead of failing.
    tiny.execute(
        "UPDATE visits SET channel = 'newsletter', device_type = 'hologram' WHERE visit_id = 'v4'"
    )
    period = Filters("produits-frais", date(2020, 4, 2), date(2020, 4, 2))
    assert queries.visits_by_channel(tiny, period)["channel"].tolist() == ["newsletter"]
    assert queries.visits_by_device(tiny, period)["device_type"].tolist() == ["hologram"]
    whole = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 1))
    assert queries.visits_by_device(tiny, whole)["device_type"].tolist() == [
        "Smartphone",
        "Ordinateur",
    ]


def test_hand_computed_catalogue(tiny):
    end_of_april = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30))
    assert queries.catalogue_summary(tiny, end_of_april) == {
        "active_suppliers": 10,
        "active_listings": 19,
    }
    # On 15 April S11 and X1 are still there; W1 was withdrawn on the 10th.
    mid_april = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 15))
    assert queries.catalogue_summary(tiny, mid_april) == {
        "active_suppliers": 11,
        "active_listings": 20,
    }
    concentration = queries.listings_concentration(tiny, end_of_april)
    # 9 suppliers hold a listing; the top 10 % is 1 supplier (ceil 0.9), S1 with 11 of 19.
    assert concentration["suppliers_with_listing"] == 9
    assert concentration["top_suppliers"] == 1
    assert concentration["top_share"] == pytest.approx(11 / 19)
    assert concentration["single_listing_suppliers"] == 8
    histogram = queries.listings_histogram(tiny, end_of_april)
    assert histogram.values.tolist() == [[0, 1], [1, 8], [11, 1]]


def test_hand_computed_coverage(tiny):
    grid = queries.coverage_grid(
        tiny, Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30)), 2
    )
    cells = {
        (r.department_code, r.category): (r.suppliers, r.is_covered) for r in grid.itertuples()
    }
    assert cells == {
        ("18", "Miel"): (1, False),
        ("18", "Œufs"): (8, True),
        ("45", "Miel"): (0, False),
        ("45", "Œufs"): (0, False),
    }


# --- Visit scope, comparisons, weekday x hour ----------------------------------------------------


def scoped_visit_ids_sql(conn, platform, start, end, departments=(), categories=(), kinds=()):
    """Ids of the visits of the period that viewed a page of the filtered catalogue, by an
    explicit union of the three page kinds (written apart from app/sql/include)."""
    visits = conn.execute(
        "SELECT visit_id FROM visits WHERE platform = ? AND CAST(started_at AS DATE) BETWEEN ? AND ?",
        [platform, start, end],
    ).fetchall()
    all_ids = {v for (v,) in visits}
    if not departments and not categories and not kinds:
        return all_ids
    listings = conn.execute(
        """SELECT l.listing_id, l.category_code, s.department_code, l.supplier_id, s.kind_code
           FROM listings l
           JOIN suppliers s USING (platform, supplier_id) WHERE l.platform = ?""",
        [platform],
    ).fetchall()
    suppliers = conn.execute(
        "SELECT supplier_id, department_code, kind_code FROM suppliers WHERE platform = ?",
        [platform],
    ).fetchall()
    slugs = dict(
        conn.execute(
            "SELECT slug, category_code FROM categories WHERE platform = ?", [platform]
        ).fetchall()
    )
    categories_of = {}
    for _, category, _, supplier, _ in listings:
        categories_of.setdefault(supplier, set()).add(category)
    dep_ok = (lambda d: d in departments) if departments else (lambda d: True)
    cat_ok = (lambda cs: bool(set(cs) & set(categories))) if categories else (lambda cs: True)
    kind_ok = (lambda k: k in kinds) if kinds else (lambda k: True)
    pages = {
        ("produit", lid)
        for lid, cat, dep, _, kind in listings
        if dep_ok(dep) and cat_ok([cat]) and kind_ok(kind)
    }
    pages |= {
        ("fournisseur", sid)
        for sid, dep, kind in suppliers
        if dep_ok(dep) and kind_ok(kind) and cat_ok(categories_of.get(sid, ()))
    }
    if not departments and not kinds:  # a category page has no department and no supplier
        pages |= {("categorie", slug) for slug, cat in slugs.items() if cat_ok([cat])}
    rows = conn.execute(
        """SELECT DISTINCT visit_id, page_type, entity_id FROM pageviews WHERE platform = ?
           AND page_type IN ('produit', 'fournisseur', 'categorie')
           AND CAST(ts AS DATE) BETWEEN ? AND ?""",
        [platform, start, end],
    ).fetchall()
    return {v for v, t, e in rows if (t, e) in pages} & all_ids


SCOPES = [
    ((), ()),
    (("18",), ()),
    ((), ("oeufs",)),
    (("28", "45"), ("fruits_legumes", "miel")),
]


@pytest.mark.parametrize("departments,categories", SCOPES)
def test_visit_scope_follows_the_catalogue(conn, span, departments, categories):
    filters = all_filters(span, departments=departments, categories=categories)
    expected = scoped_visit_ids_sql(conn, "produits-frais", *span, departments, categories)
    summary = queries.visits_summary(conn, filters)
    assert summary["visits"] == len(expected)
    if departments or categories:
        assert 0 < len(expected) < queries.visits_summary(conn, all_filters(span))["visits"]
    ids = sorted(expected)
    pageviews = scalar(
        conn,
        "SELECT coalesce(sum(pageviews), 0) FROM visits WHERE visit_id IN (SELECT unnest(?))",
        [ids],
    )
    assert summary["pageviews"] == pageviews
    # Every breakdown covers the same visits.
    assert queries.visits_by_channel(conn, filters)["visits"].sum() == len(expected)
    assert queries.visits_by_device(conn, filters)["visits"].sum() == len(expected)
    assert queries.visits_timeseries(conn, filters, "month")["visits"].sum() == len(expected)
    assert queries.visits_weekday_hour(conn, filters)["visits"].sum() == len(expected)
    assert queries.entry_pages(conn, filters, limit=100_000)["visits"].sum() == len(expected)


def test_shared_visit_scope_gives_the_direct_figures(conn, span):
    """The visit scope is computed once per filter choice and kept on the read-only
    connection (app/queries/engine.py): figures read through it, in any order of filters and
    periods, equal the scope computed directly for each (a cache keyed on the wrong values, or
    a kept scope ignoring the period, would give another filter's or period's visits)."""
    start, end = span
    month = (start + timedelta(days=31), start + timedelta(days=61))
    choices = [
        (("45",), ("fruits_legumes",)),
        ((), ("oeufs",)),
        (("18",), ()),
        (("45",), ("fruits_legumes",)),  # again: read from the kept scope
    ]
    for departments, categories in choices:
        for first, last in (span, month):
            filters = Filters("produits-frais", first, last, departments, categories)
            expected = scoped_visit_ids_sql(
                conn, "produits-frais", first, last, departments, categories
            )
            assert queries.visits_summary(conn, filters)["visits"] == len(expected)
            assert queries.visits_by_device(conn, filters)["visits"].sum() == len(expected)
    kept = engine._scope_caches[conn]
    for table in engine.KEPT_TABLES:
        assert (table, "produits-frais", ("45",), ("fruits_legumes",), ()) in kept
    assert 0 < len(kept) <= engine.SCOPE_CACHE_ENTRIES


def test_visit_scope_is_not_kept_on_a_writable_connection(tiny_traffic):
    """A writable connection's tables can change: a scope kept from before a change would
    hide the new visits."""
    filters = tiny_filters(departments=("18",))
    assert queries.visits_summary(tiny_traffic, filters)["visits"] == 1
    try:
        _add_a_cher_visit(tiny_traffic)
        assert queries.visits_summary(tiny_traffic, filters)["visits"] == 2
    finally:  # the fixture is shared by the module
        tiny_traffic.execute("DELETE FROM pageviews WHERE visit_id = 'v8'")
        tiny_traffic.execute("DELETE FROM visits WHERE visit_id = 'v8'")
        _derive_day(tiny_traffic, "2020-04-05")


def _add_a_cher_visit(con):
    con.execute("""
        INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at, pageviews,
                            duration_s, is_bounce, channel, device_type, browser, os)
        VALUES ('produits-frais', 'v8', 'v8', '2020-04-05 10:00', '2020-04-05 10:00', 1, 0,
                TRUE, 'direct', 'smartphone', 'Chrome Mobile', 'Android');
        INSERT INTO pageviews (platform, ts, ts_utc, visitor_id, visit_id, page_type, entity_id)
        VALUES ('produits-frais', '2020-04-05 10:00', '2020-04-05 08:00+00', 'v8', 'v8',
                'produit', 'L1');
    """)
    _derive_day(con, "2020-04-05")


def _derive_day(con, day: str) -> None:
    """The daily tables of `day` derived again, as a load does for the days it changed."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE days_to_aggregate AS SELECT 'produits-frais' AS platform, ?::DATE AS day",
        [day],
    )
    con.execute("UPDATE visits SET visit_key = visit_key(visit_id) WHERE visit_key IS NULL")
    derive.daily_tables(con)


def test_category_pages_count_for_no_department(conn, span):
    """With a department filter, a visit that only saw category pages does not count."""
    only_category = scalar(
        conn,
        """
        SELECT count(*) FROM visits v WHERE platform = 'produits-frais'
        AND NOT EXISTS (SELECT 1 FROM pageviews p WHERE p.visit_id = v.visit_id
                        AND p.page_type IN ('produit', 'fournisseur'))
        AND EXISTS (SELECT 1 FROM pageviews p WHERE p.visit_id = v.visit_id
                    AND p.page_type = 'categorie')""",
    )
    assert only_category > 0
    every_department = all_filters(
        span,
        departments=tuple(
            r[0] for r in conn.execute("SELECT department_code FROM departments").fetchall()
        ),
    )
    in_region = scoped_visit_ids_sql(conn, "produits-frais", *span, every_department.departments)
    assert queries.visits_summary(conn, every_department)["visits"] == len(in_region)


def test_visitors_are_the_sum_of_daily_unique_visitors(conn, span):
    filters = all_filters(span)
    daily = scalar(
        conn,
        """SELECT sum(n) FROM (SELECT CAST(started_at AS DATE), count(DISTINCT visitor_id) n
                            FROM visits WHERE platform = 'produits-frais' GROUP BY 1)""",
    )
    assert queries.visits_summary(conn, filters)["visitors"] == daily
    series = queries.visits_timeseries(conn, filters, "day")
    assert series["visitors"].sum() == daily


def test_previous_period_has_the_same_length():
    filters = Filters("produits-frais", date(2020, 12, 2), date(2020, 12, 31), departments=("18",))
    previous = filters.previous()
    assert (previous.start, previous.end) == (date(2020, 11, 2), date(2020, 12, 1))
    assert previous.days == filters.days == 30
    assert previous.departments == ("18",) and previous.platform == filters.platform
    one_day = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 1)).previous()
    assert (one_day.start, one_day.end) == (date(2020, 3, 31), date(2020, 3, 31))


@pytest.mark.parametrize(
    "start,end,previous",
    [
        # Calendar years compare with calendar years, whole months with as many months.
        (date(2020, 1, 1), date(2020, 12, 31), (date(2019, 1, 1), date(2019, 12, 31))),
        (date(2020, 4, 1), date(2020, 5, 31), (date(2020, 2, 1), date(2020, 3, 31))),
        (date(2021, 3, 1), date(2021, 3, 31), (date(2021, 2, 1), date(2021, 2, 28))),
        (date(2020, 1, 1), date(2020, 1, 31), (date(2019, 12, 1), date(2019, 12, 31))),
    ],
)
def test_previous_period_of_whole_months_is_whole_months(start, end, previous):
    before = Filters("produits-frais", start, end).previous()
    assert (before.start, before.end) == previous


def test_visits_comparison(conn, span):
    december = Filters("produits-frais", date(2020, 12, 2), date(2020, 12, 31))
    comparison = queries.visits_comparison(conn, december, span[0])
    assert comparison["comparable"]
    assert comparison["previous"]["visits"] == scalar(
        conn,
        """SELECT count(*) FROM visits WHERE platform = 'produits-frais'
                 AND started_at >= '2020-11-02' AND started_at < '2020-12-02'""",
    )
    whole = queries.visits_comparison(conn, all_filters(span), span[0])
    assert not whole["comparable"] and whole["previous"] is None


def test_weekday_hour_grid(conn, span):
    filters = Filters("produits-frais", date(2020, 4, 6), date(2020, 4, 19))  # two whole weeks
    grid = queries.visits_weekday_hour(conn, filters)
    assert len(grid) == 7 * 24
    assert grid["weekday"].tolist() == [d for d in range(1, 8) for _ in range(24)]
    assert set(grid["days_in_period"]) == {2}
    expected = dict(
        ((d, h), n)
        for d, h, n in conn.execute(
            """SELECT isodow(started_at), hour(started_at), count(*) FROM visits
           WHERE platform = 'produits-frais' AND started_at >= '2020-04-06'
             AND started_at < '2020-04-20' GROUP BY ALL"""
        ).fetchall()
    )
    for row in grid.itertuples():
        assert row.visits == expected.get((row.weekday, row.hour), 0)


# --- Entry pages and most viewed pages, named from the catalogue ------------------------------------


def test_entry_pages_are_named_from_the_catalogue(conn, span):
    filters = all_filters(span)
    entries = queries.entry_pages(conn, filters, limit=100_000)
    assert entries["visits"].sum() == queries.visits_summary(conn, filters)["visits"]
    assert entries["share"].sum() == pytest.approx(1.0)
    products = entries[entries["page_type"] == "produit"]
    assert len(products) > 0
    for row in products.head(5).itertuples():
        assert row.name == scalar(
            conn,
            "SELECT title FROM listings WHERE platform = 'produits-frais' AND listing_id = ?",
            [row.entity_id],
        )
        visits, bounces = conn.execute(
            """SELECT count(*), count(*) FILTER (WHERE is_bounce) FROM visits v
               WHERE platform = 'produits-frais' AND entry_page_type = 'produit'
               AND (SELECT entity_id FROM pageviews p WHERE p.visit_id = v.visit_id
                    ORDER BY ts LIMIT 1) = ?""",
            [row.entity_id],
        ).fetchone()
        assert (row.visits, row.bounce_rate) == (visits, pytest.approx(bounces / visits))
    assert entries[entries["page_type"] == "accueil"]["name"].isna().all()
    top = queries.entry_pages(conn, filters, limit=5)
    assert len(top) == 5 and top["visits"].is_monotonic_decreasing


@pytest.mark.parametrize("departments,categories", SCOPES[:3])
def test_top_products_and_suppliers_match_sql(conn, span, departments, categories):
    filters = all_filters(span, departments=departments, categories=categories)
    products = queries.top_products(conn, filters, limit=10)
    expected = conn.execute(
        """SELECT l.listing_id, l.title, count(*) AS n, count(DISTINCT p.visit_id)
           FROM pageviews p JOIN listings l ON l.platform = p.platform AND l.listing_id = p.entity_id
           JOIN suppliers s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
           WHERE p.platform = 'produits-frais' AND p.page_type = 'produit'
             AND (len(?) = 0 OR s.department_code IN (SELECT unnest(?)))
             AND (len(?) = 0 OR l.category_code IN (SELECT unnest(?)))
           GROUP BY ALL ORDER BY n DESC, l.title, l.listing_id LIMIT 10""",
        [list(departments), list(departments), list(categories), list(categories)],
    ).fetchall()
    assert [
        tuple(r)
        for r in products[["listing_id", "title", "pageviews", "visits"]].itertuples(index=False)
    ] == expected
    suppliers = queries.top_suppliers(conn, filters, limit=10)
    expected = conn.execute(
        """SELECT s.supplier_id, s.name, count(*) AS n FROM pageviews p
           JOIN suppliers s ON s.platform = p.platform AND s.supplier_id = p.entity_id
           WHERE p.platform = 'produits-frais' AND p.page_type = 'fournisseur'
             AND (len(?) = 0 OR s.department_code IN (SELECT unnest(?)))
             AND (len(?) = 0 OR s.supplier_id IN (SELECT supplier_id FROM listings
                  WHERE platform = 'produits-frais' AND category_code IN (SELECT unnest(?))))
           GROUP BY ALL ORDER BY n DESC, s.name, s.supplier_id LIMIT 10""",
        [list(departments), list(departments), list(categories), list(categories)],
    ).fetchall()
    assert [
        tuple(r) for r in suppliers[["supplier_id", "name", "pageviews"]].itertuples(index=False)
    ] == expected


# --- Site searches: the matching rule re-implemented in Python -------------------------------------

STOP_WORDS = {
    "a",
    "au",
    "aux",
    "d",
    "de",
    "des",
    "du",
    "en",
    "et",
    "l",
    "la",
    "le",
    "les",
    "un",
    "une",
    "pour",
    "avec",
    "sans",
    "sur",
    "par",
    "ou",
}


def normalise(text: str) -> str:
    import unicodedata

    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def fold(word: str) -> str:
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) >= 4 and word[-1] in "sx":
        return word[:-1]
    return word


def listing_words(title, category, standard) -> set[str]:
    return {
        fold(w) for w in normalise(" ".join(x for x in (title, category, standard) if x)).split()
    }


def active_on(created, withdrawn, is_active, day, joined=None, left=None) -> bool:
    listing = created <= day and (withdrawn > day if withdrawn else bool(is_active))
    supplier = joined is None or (joined <= day and (left is None or left > day))
    return listing and supplier


def python_searches(conn, platform, start, end):
    """{terms: (searches, without result, results on end)} and {(terms, day): n}."""
    listings = conn.execute(
        """SELECT l.listing_id, l.title, l.category, l.standard, l.created_on, l.withdrawn_on,
                  l.is_active, s.joined_on, s.left_on
           FROM listings AS l
           JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
           WHERE l.platform = ?""",
        [platform],
    ).fetchall()
    # A listing answers on a day when it is active and its supplier on the platform.
    words = [
        (lid, cat, listing_words(t, cat, std), c, w, a, joined, left)
        for lid, t, cat, std, c, w, a, joined, left in listings
    ]
    rows = conn.execute(
        """SELECT search_terms, CAST(ts AS DATE), count(*) FROM pageviews
           WHERE platform = ? AND page_type = 'recherche' AND search_terms IS NOT NULL
             AND CAST(ts AS DATE) BETWEEN ? AND ? GROUP BY ALL""",
        [platform, start, end],
    ).fetchall()
    per_day: dict[tuple[str, date], int] = {}
    for raw, day, n in rows:
        terms = normalise(raw)
        if terms:
            per_day[(terms, day)] = per_day.get((terms, day), 0) + n

    def answers(terms):
        wanted = {fold(x) for x in terms.split() if x not in STOP_WORDS}
        return [item for item in words if wanted and wanted <= item[2]]

    result: dict[str, list[int]] = {}
    for (terms, day), n in per_day.items():
        found = [i for i in answers(terms) if active_on(i[3], i[4], i[5], day, i[6], i[7])]
        entry = result.setdefault(terms, [0, 0, 0])
        entry[0] += n
        entry[1] += n if not found else 0
    for terms, entry in result.items():
        entry[2] = sum(1 for i in answers(terms) if active_on(i[3], i[4], i[5], end, i[6], i[7]))
    return result, per_day, answers


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
def test_site_searches_match_a_python_implementation(conn, span, platform):
    filters = all_filters(span, platform)
    searches = queries.site_searches(conn, filters)
    expected, _, _ = python_searches(conn, platform, *span)
    got = {
        r.terms: [r.searches, r.searches_without_result, r.results_on_end]
        for r in searches.itertuples()
    }
    assert got == expected
    # Visits per terms: the visits that searched them (a visit lies within one day).
    visits = dict(
        conn.execute(
            """SELECT match_text(search_terms), count(DISTINCT visit_id) FROM pageviews
               WHERE platform = ? AND page_type = 'recherche' AND search_terms IS NOT NULL
               GROUP BY 1""",
            [platform],
        ).fetchall()
    )
    assert dict(zip(searches["terms"], searches["visits"])) == {
        t: n for t, n in visits.items() if t
    }
    assert searches["searches"].sum() == scalar(
        conn,
        """SELECT count(*) FROM pageviews WHERE platform = ? AND page_type = 'recherche'
                 AND search_terms IS NOT NULL""",
        [platform],
    )
    # The demo's unanswerable searches are found as such.
    unanswered = {t for t, (n, without, _) in expected.items() if without == n}
    assert unanswered, "no search without any result in the demo data"
    top, unmet = queries.split_searches(searches, limit=5)
    assert len(top) <= 5 and top["searches"].is_monotonic_decreasing
    assert (unmet["searches_without_result"] > 0).all()


def test_site_searches_follow_the_visit_scope(conn, span):
    filters = all_filters(span, departments=("37",))
    ids = scoped_visit_ids_sql(conn, "produits-frais", *span, ("37",))
    expected = scalar(
        conn,
        """SELECT count(*) FROM pageviews WHERE platform = 'produits-frais'
                               AND page_type = 'recherche' AND visit_id IN (SELECT unnest(?))""",
        [sorted(ids)],
    )
    assert queries.site_searches(conn, filters)["searches"].sum() == expected


def test_category_demand_matches_python(conn, span):
    filters = Filters("produits-frais", date(2020, 4, 1), date(2020, 6, 30))
    demand = queries.category_demand(conn, filters).set_index("category")
    _, per_day, answers = python_searches(conn, "produits-frais", filters.start, filters.end)
    # A listing is on offer only while its supplier is active (docs/metrics.md).
    listings = conn.execute(
        """SELECT l.category, l.created_on, l.withdrawn_on, l.is_active, s.joined_on, s.left_on
           FROM listings l JOIN suppliers s USING (platform, supplier_id)
           WHERE l.platform = 'produits-frais'"""
    ).fetchall()
    days = [
        filters.start + (d - filters.start)
        for d in (
            filters.start + __import__("datetime").timedelta(days=i) for i in range(filters.days)
        )
    ]
    for category, row in demand.iterrows():
        assert row["category_pageviews"] == scalar(
            conn,
            """
            SELECT count(*) FROM pageviews p JOIN categories c ON c.slug = p.entity_id
            AND c.platform = p.platform WHERE p.platform = 'produits-frais'
            AND p.page_type = 'categorie' AND c.category = ?
            AND CAST(p.ts AS DATE) BETWEEN '2020-04-01' AND '2020-06-30'""",
            [category],
        )
        assert row["product_pageviews"] == scalar(
            conn,
            """
            SELECT count(*) FROM pageviews p JOIN listings l ON l.listing_id = p.entity_id
            AND l.platform = p.platform WHERE p.platform = 'produits-frais'
            AND p.page_type = 'produit' AND l.category = ?
            AND CAST(p.ts AS DATE) BETWEEN '2020-04-01' AND '2020-06-30'""",
            [category],
        )
        listing_days = sum(
            1
            for cat, c, w, a, joined, left in listings
            if cat == category
            for day in days
            if active_on(c, w, a, day) and joined <= day and (left is None or left > day)
        )
        assert row["avg_active_listings"] == pytest.approx(listing_days / filters.days)
        assert row["active_listings"] == sum(
            1
            for cat, c, w, a, joined, left in listings
            if cat == category
            and active_on(c, w, a, filters.end)
            and joined <= filters.end
            and (left is None or left > filters.end)
        )
        searches = sum(
            n
            for (terms, day), n in per_day.items()
            if any(
                i[1] == category and active_on(i[3], i[4], i[5], day, i[6], i[7])
                for i in answers(terms)
            )
        )
        assert row["searches"] == searches
        if listing_days:
            assert row["pageviews_per_listing"] == pytest.approx(
                (row["category_pageviews"] + row["product_pageviews"])
                / (listing_days / filters.days)
            )
    by_department = queries.category_demand(conn, all_filters(span, departments=("18",)))
    assert by_department["category_pageviews"].isna().all()
    assert by_department["searches"].isna().all()
    assert by_department["active_listings"].sum() == active_listings_sql(
        conn, "produits-frais", span[1], ["18"]
    )


# --- Suppliers' audience, churn, snapshots --------------------------------------------------------------


def test_like_pattern_escapes_wildcards():
    assert queries.like_pattern("") == "%%"
    assert queries.like_pattern("  Ferme   du ") == "%Ferme du%"
    assert queries.like_pattern("50%_off") == "%50\\%\\_off%"
    assert queries.like_pattern("a\\b") == "%a\\\\b%"


def test_supplier_views_match_sql(conn, span):
    filters = all_filters(span)
    table = queries.supplier_views(conn, filters)
    assert len(table) == active_suppliers_sql(conn, "produits-frais", span[1])
    assert table["pageviews"].is_monotonic_increasing  # least seen first by default
    for row in table.sample(8, random_state=2).itertuples():
        own = scalar(
            conn,
            """SELECT count(*) FROM pageviews WHERE platform = 'produits-frais'
                              AND page_type = 'fournisseur' AND entity_id = ?""",
            [row.supplier_id],
        )
        products = scalar(
            conn,
            """SELECT count(*) FROM pageviews p JOIN listings l
                                   ON l.platform = p.platform AND l.listing_id = p.entity_id
                                   WHERE p.platform = 'produits-frais' AND p.page_type = 'produit'
                                   AND l.supplier_id = ?""",
            [row.supplier_id],
        )
        assert (row.supplier_pageviews, row.product_pageviews, row.pageviews) == (
            own,
            products,
            own + products,
        )
    by_name = queries.supplier_views(conn, filters, sort="name")
    assert by_name["name"].tolist() == sorted(by_name["name"].tolist())
    with pytest.raises(ValueError):
        queries.supplier_views(conn, filters, sort="name; DROP TABLE suppliers")


def test_supplier_search_is_literal_and_accent_blind(conn, span):
    filters = all_filters(span)
    everyone = queries.supplier_views(conn, filters)
    name = everyone["name"].iloc[0]
    word = max(name.split(), key=len)
    found = queries.supplier_views(conn, filters, word.upper())
    assert name in found["name"].tolist()
    import unicodedata

    accented = next(n for n in everyone["name"] if any(c in n for c in "éèêàâîôûçÉÈ"))
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", accented.lower()) if not unicodedata.combining(c)
    )
    assert accented in queries.supplier_views(conn, filters, plain)["name"].tolist()
    for hostile in ["%", "_", "%%", "\\", "'", "' OR 1=1 --", "_%_"]:
        result = queries.supplier_views(conn, filters, hostile)
        expected = [
            n
            for n, c in zip(everyone["name"], everyone["commune"].fillna(""))
            if hostile.lower() in n.lower() or hostile.lower() in c.lower()
        ]
        assert sorted(result["name"]) == sorted(expected), hostile


def test_catalogue_churn_matches_sql(conn, span):
    filters = all_filters(span, departments=("37", "45"))
    churn = queries.catalogue_churn(conn, filters)
    assert churn["suppliers_joined"].sum() == scalar(
        conn,
        """
        SELECT count(*) FROM suppliers WHERE platform = 'produits-frais'
        AND department_code IN ('37', '45') AND joined_on BETWEEN ? AND ?""",
        span,
    )
    assert churn["suppliers_left"].sum() == scalar(
        conn,
        """
        SELECT count(*) FROM suppliers WHERE platform = 'produits-frais'
        AND department_code IN ('37', '45') AND left_on BETWEEN ? AND ?""",
        span,
    )
    assert churn["listings_created"].sum() == scalar(
        conn,
        """
        SELECT count(*) FROM listings l JOIN suppliers s USING (platform, supplier_id)
        WHERE l.platform = 'produits-frais' AND s.department_code IN ('37', '45')
        AND created_on BETWEEN ? AND ?""",
        span,
    )
    assert churn["listings_withdrawn"].sum() == scalar(
        conn,
        """
        SELECT count(*) FROM listings l JOIN suppliers s USING (platform, supplier_id)
        WHERE l.platform = 'produits-frais' AND s.department_code IN ('37', '45')
        AND withdrawn_on BETWEEN ? AND ?""",
        span,
    )
    assert len(churn) == 10  # March to December 2020
    assert churn["is_partial"].tolist() == [True] + [False] * 9
    # The daily count moves by the month's balance.
    series = queries.catalogue_timeseries(conn, filters)
    june = churn[churn["month"] == pd_timestamp("2020-06-01")].iloc[0]
    day = series.set_index("day")["active_suppliers"]
    assert day[pd_timestamp("2020-06-30")] - day[pd_timestamp("2020-05-31")] == (
        june["suppliers_joined"] - june["suppliers_left"]
    )


def pd_timestamp(text):
    import pandas as pd

    return pd.Timestamp(text)


def test_listing_snapshots_summary_matches_sql(conn, span):
    snapshots = queries.listing_snapshots_summary(conn, all_filters(span))
    expected = conn.execute("""SELECT snapshot_date, count(*), count(*) FILTER (WHERE is_active)
                               FROM listing_snapshots WHERE platform = 'produits-frais'
                               GROUP BY 1 ORDER BY 1 NULLS LAST""").fetchall()
    assert [
        (
            r.snapshot_date.date()
            if r.snapshot_date == r.snapshot_date and r.snapshot_date is not None
            else None,
            r.listings,
            r.active_listings,
        )
        for r in snapshots.itertuples()
    ] == [(d, n, a) for d, n, a in expected]


# --- Coverage: listings, population, map ------------------------------------------------------------


def test_coverage_listings_and_population(conn, span):
    grid = queries.coverage_grid(conn, all_filters(span), 3)
    population = dict(
        conn.execute("SELECT department_code, population FROM departments").fetchall()
    )
    assert all(row.population == population[row.department_code] for row in grid.itertuples())
    assert grid["listings"].sum() == scalar(
        conn,
        """
        SELECT count(*) FROM listings l JOIN suppliers s USING (platform, supplier_id)
        WHERE l.platform = 'produits-frais' AND l.created_on <= $1
        AND (l.withdrawn_on > $1 OR (l.withdrawn_on IS NULL AND l.is_active))
        AND s.joined_on <= $1 AND (s.left_on IS NULL OR s.left_on > $1)
        AND s.department_code IN (SELECT department_code FROM departments)
        AND l.category IN (SELECT category FROM categories WHERE platform = 'produits-frais')""",
        [span[1]],
    )
    assert (grid["listings"] >= grid["suppliers"]).all()


def test_department_suppliers_and_points(conn, span):
    filters = all_filters(span)
    departments = queries.department_suppliers(conn, filters)
    assert len(departments) == scalar(conn, "SELECT count(*) FROM departments")
    for row in departments.itertuples():
        n = active_suppliers_sql(conn, "produits-frais", span[1], [row.department_code])
        assert row.suppliers == n
        assert row.suppliers_per_100k == pytest.approx(n * 100000 / row.population)
    points = queries.supplier_points(conn, filters)
    unplaced = int(points["unplaced"].iloc[0])
    assert points["suppliers"].sum() + unplaced == active_suppliers_sql(
        conn, "produits-frais", span[1]
    )
    assert points["latitude"].between(46, 49).all() and points["longitude"].between(0, 3.2).all()
    eggs = queries.department_suppliers(conn, all_filters(span, categories=("oeufs",)))
    assert eggs["suppliers"].sum() == scalar(
        conn,
        """
        SELECT count(DISTINCT s.supplier_id) FROM suppliers s JOIN listings l USING (platform, supplier_id)
        WHERE s.platform = 'produits-frais' AND l.category_code = 'oeufs'
        AND s.joined_on <= $1 AND (s.left_on IS NULL OR s.left_on > $1)
        AND l.created_on <= $1 AND (l.withdrawn_on > $1 OR (l.withdrawn_on IS NULL AND l.is_active))
        AND s.department_code IN (SELECT department_code FROM departments)""",
        [span[1]],
    )


# --- Equipment: capacity by department, converted companies --------------------------------------------


def test_equipment_capacity_by_department_adds_up(conn, span):
    filters = all_filters(span, "equipements-protection")
    by_department = queries.equipment_capacity_by_department(conn, filters)
    by_category = queries.equipment_by_category(conn, filters)
    assert by_department["weekly_capacity"].sum() == by_category["weekly_capacity"].sum()
    assert by_department["offers"].sum() == by_category["active_offers"].sum()
    first = by_category.set_index("category")["first_offer_on"]
    for category, day in first.dropna().items():
        assert day == pd_timestamp(
            str(
                scalar(
                    conn,
                    """SELECT min(created_on) FROM listings
            WHERE platform = 'equipements-protection' AND category = ?""",
                    [category],
                )
            )
        )


@pytest.mark.parametrize(
    "scope",
    [{}, {"departments": ("37",)}, {"kinds": ("entreprise",)}, {"departments": ("18", "45")}],
    ids=["all", "37", "kind", "18+45"],
)
def test_equipment_summary_adds_up_the_categories(conn, span, scope):
    # The page's headline figures (all categories together) against the per-category rows
    # they summarise, and the converted share against the offers of classified companies.
    filters = replace(all_filters(span, "equipements-protection"), **scope)
    summary = queries.equipment_summary(conn, filters)
    by_category = queries.equipment_by_category(conn, filters)
    conversion = queries.equipment_conversion(conn, filters)
    total = int(by_category["active_offers"].sum())
    assert total > 0, "the test needs offers under these filters"
    assert summary["active_offers"] == total
    assert summary["offers_with_standard"] == by_category["offers_with_standard"].sum()
    assert summary["standard_share"] == pytest.approx(
        by_category["offers_with_standard"].sum() / total
    )
    assert summary["capacity_declared_share"] == pytest.approx(
        by_category["offers_with_capacity"].sum() / total
    )
    unknown = by_category[by_category["is_unclassified"]]
    assert summary["unclassified_offers"] == unknown["active_offers"].sum()
    assert summary["offers_unknown_sector"] == conversion["offers_unclassified"].sum()
    classified = conversion["offers_converted"].sum() + conversion["offers_usual"].sum()
    assert summary["converted_offer_share"] == pytest.approx(
        conversion["offers_converted"].sum() / classified
    )


def test_equipment_conversion_matches_python_classification(conn, span):
    from app import naf

    filters = all_filters(span, "equipements-protection")
    conversion = queries.equipment_conversion(conn, filters).set_index("category")
    rows = conn.execute(
        """
        SELECT l.category, s.naf_code, coalesce(l.weekly_capacity, 0) FROM listings l
        JOIN suppliers s USING (platform, supplier_id)
        WHERE l.platform = 'equipements-protection' AND l.created_on <= $1
        AND (l.withdrawn_on > $1 OR (l.withdrawn_on IS NULL AND l.is_active))""",
        [span[1]],
    ).fetchall()
    expected: dict[str, dict[str, float]] = {}
    for category, code, capacity in rows:
        group = naf.classify(code)[1]
        entry = expected.setdefault(category, {})
        entry[f"offers_{group}"] = entry.get(f"offers_{group}", 0) + 1
        entry[f"capacity_{group}"] = entry.get(f"capacity_{group}", 0) + capacity
    for category, entry in expected.items():
        row = conversion.loc[category]
        assert row["offers_converted"] == entry.get("offers_reconversion", 0)
        assert row["offers_usual"] == entry.get("offers_habituel", 0)
        assert row["offers_unclassified"] == entry.get("offers_unknown", 0)
        assert row["capacity_converted"] == entry.get("capacity_reconversion", 0)
        classified = entry.get("offers_reconversion", 0) + entry.get("offers_habituel", 0)
        if classified:
            assert row["converted_offer_share"] == pytest.approx(
                entry.get("offers_reconversion", 0) / classified
            )
    sectors = queries.equipment_sectors(conn, filters)
    assert sectors["companies"].sum() == active_suppliers_sql(
        conn, "equipements-protection", span[1]
    )
    assert sectors["offers"].sum() == active_listings_sql(conn, "equipements-protection", span[1])


def test_later_categories_helper():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "category": ["Masques", "Signalétique", "Vide"],
            "first_offer_on": [pd.Timestamp("2020-03-30"), pd.Timestamp("2020-06-01"), None],
        }
    )
    assert queries.later_categories(frame)["category"].tolist() == ["Signalétique"]


# --- hostile values in the new queries -------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_new_queries(conn, span, value):
    only_18 = all_filters(span, departments=("18",), categories=("oeufs",))
    with_hostile = all_filters(span, departments=("18", value), categories=("oeufs", value))
    for function in (queries.visits_summary,):
        assert function(conn, with_hostile) == function(conn, only_18)
    for function in (
        queries.entry_pages,
        queries.top_products,
        queries.top_suppliers,
        queries.site_searches,
        queries.category_demand,
        queries.catalogue_churn,
        queries.visits_weekday_hour,
        queries.department_suppliers,
        queries.supplier_points,
    ):
        assert function(conn, with_hostile).equals(function(conn, only_18)), function.__name__
    assert queries.supplier_views(conn, with_hostile, value).equals(
        queries.supplier_views(conn, only_18, value)
    )
    nothing = all_filters(span, departments=(value,))
    assert queries.visits_summary(conn, nothing)["visits"] == 0
    assert queries.site_searches(conn, nothing).empty
    equipment = Filters("equipements-protection", span[0], span[1], categories=(value,))
    assert queries.equipment_conversion(conn, equipment).empty
    assert queries.equipment_sectors(conn, equipment).empty
    assert scalar(conn, "SELECT count(*) FROM suppliers") > 0


# --- Supplier kind filter: through the catalogue, exactly like the department filter -------------------


def kinds_by_size(conn, platform):
    """The platform's supplier kinds, most frequent first."""
    return [
        k
        for (k,) in conn.execute(
            """SELECT kind_code FROM suppliers WHERE platform = ? GROUP BY kind_code
           ORDER BY count(*) DESC, kind_code""",
            [platform],
        ).fetchall()
    ]


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
def test_kind_filter_counts_the_suppliers_of_that_kind(conn, span, platform):
    kinds = kinds_by_size(conn, platform)
    assert kinds
    total = queries.catalogue_summary(conn, all_filters(span, platform))
    by_kind = {}
    for kind in kinds:
        summary = queries.catalogue_summary(conn, all_filters(span, platform, kinds=(kind,)))
        assert summary["active_suppliers"] == active_suppliers_sql(
            conn, platform, span[1], kinds=[kind]
        )
        assert summary["active_listings"] == active_listings_sql(
            conn, platform, span[1], kinds=[kind]
        )
        by_kind[kind] = summary
    # Every supplier has exactly one kind: the kinds split the catalogue.
    assert sum(s["active_suppliers"] for s in by_kind.values()) == total["active_suppliers"]
    assert sum(s["active_listings"] for s in by_kind.values()) == total["active_listings"]
    if platform == "produits-frais":
        assert len(kinds) > 1
        assert 0 < by_kind[kinds[0]]["active_suppliers"] < total["active_suppliers"]
    # Choosing every kind is the same as choosing none.
    assert queries.catalogue_summary(conn, all_filters(span, platform, kinds=tuple(kinds))) == total


def test_catalogue_queries_follow_the_kind_filter(conn, span):
    kind = kinds_by_size(conn, "produits-frais")[0]
    filters = all_filters(span, kinds=(kind,))
    end = span[1]
    n_active = active_suppliers_sql(conn, "produits-frais", end, kinds=[kind])
    table = queries.supplier_listings(conn, filters)
    assert len(table) == n_active and set(table["kind_code"]) == {kind}
    assert len(queries.supplier_views(conn, filters)) == n_active
    assert queries.listings_histogram(conn, filters)["suppliers"].sum() == n_active
    assert queries.listings_concentration(conn, filters)["suppliers_with_listing"] == scalar(
        conn,
        """
        SELECT count(DISTINCT s.supplier_id) FROM suppliers s JOIN listings l USING (platform, supplier_id)
        WHERE s.platform = 'produits-frais' AND s.kind_code = $2
        AND s.joined_on <= $1 AND (s.left_on IS NULL OR s.left_on > $1)
        AND l.created_on <= $1 AND (l.withdrawn_on > $1 OR (l.withdrawn_on IS NULL AND l.is_active))""",
        [end, kind],
    )
    last = queries.catalogue_timeseries(conn, filters).iloc[-1]
    assert (last["active_suppliers"], last["active_listings"]) == (
        n_active,
        active_listings_sql(conn, "produits-frais", end, kinds=[kind]),
    )
    churn = queries.catalogue_churn(conn, filters)
    assert churn["suppliers_joined"].sum() == scalar(
        conn,
        """
        SELECT count(*) FROM suppliers WHERE platform = 'produits-frais' AND kind_code = ?
        AND joined_on BETWEEN ? AND ?""",
        [kind, *span],
    )
    assert churn["listings_created"].sum() == scalar(
        conn,
        """
        SELECT count(*) FROM listings l JOIN suppliers s USING (platform, supplier_id)
        WHERE l.platform = 'produits-frais' AND s.kind_code = ? AND created_on BETWEEN ? AND ?""",
        [kind, *span],
    )
    for row in queries.department_suppliers(conn, filters).itertuples():
        assert row.suppliers == active_suppliers_sql(
            conn, "produits-frais", end, [row.department_code], [kind]
        )
    points = queries.supplier_points(conn, filters)
    assert points["suppliers"].sum() + int(points["unplaced"].iloc[0]) == n_active
    grid = queries.coverage_grid(conn, filters, 1)
    for row in grid.sample(10, random_state=3).itertuples():
        assert row.suppliers == scalar(
            conn,
            """
            SELECT count(DISTINCT s.supplier_id) FROM listings l
            JOIN suppliers s USING (platform, supplier_id)
            WHERE l.platform = 'produits-frais' AND s.kind_code = $4 AND s.department_code = $2
              AND l.category_code = $3
              AND l.created_on <= $1 AND (l.withdrawn_on > $1 OR (l.withdrawn_on IS NULL AND l.is_active))
              AND s.joined_on <= $1 AND (s.left_on IS NULL OR s.left_on > $1)""",
            [end, row.department_code, row.category_code, kind],
        )
    demand = queries.category_demand(conn, filters)
    assert demand["category_pageviews"].isna().all() and demand["searches"].isna().all()
    assert demand["active_listings"].sum() == active_listings_sql(
        conn, "produits-frais", end, kinds=[kind]
    )
    snapshots = queries.listing_snapshots_summary(conn, filters)
    assert snapshots["listings"].sum() == scalar(
        conn,
        """
        SELECT count(*) FROM listing_snapshots ls JOIN suppliers s USING (platform, supplier_id)
        WHERE ls.platform = 'produits-frais' AND s.kind_code = ?""",
        [kind],
    )
    # Every kind chosen: the same catalogue figures as no kind filter.
    every = all_filters(span, kinds=tuple(kinds_by_size(conn, "produits-frais")))
    for function in (
        queries.supplier_listings,
        coverage_grid_at_3,
        queries.department_suppliers,
        queries.catalogue_churn,
        queries.listings_histogram,
    ):
        assert function(conn, every).equals(function(conn, all_filters(span))), function.__name__


def test_equipment_queries_follow_the_kind_filter(conn, span):
    platform = "equipements-protection"
    end = span[1]
    for kind in kinds_by_size(conn, platform):
        filters = all_filters(span, platform, kinds=(kind,))
        listings = active_listings_sql(conn, platform, end, kinds=[kind])
        assert queries.equipment_by_category(conn, filters)["active_offers"].sum() == listings
        assert queries.equipment_capacity_by_department(conn, filters)["offers"].sum() == listings
        assert queries.equipment_conversion(conn, filters)["offers"].sum() == listings
        assert queries.equipment_sectors(conn, filters)["companies"].sum() == active_suppliers_sql(
            conn, platform, end, kinds=[kind]
        )
        assert queries.equipment_by_month(conn, filters)["offers_published"].sum() == scalar(
            conn,
            """
            SELECT count(*) FROM listings l JOIN suppliers s USING (platform, supplier_id)
            WHERE l.platform = ? AND s.kind_code = ? AND l.created_on BETWEEN ? AND ?""",
            [platform, kind, *span],
        )
    # A kind the platform does not have leaves nothing (the demo's equipment has one kind only,
    # so this is what tells a filtered query from an unfiltered one).
    other = all_filters(span, platform, kinds=(kinds_by_size(conn, "produits-frais")[0],))
    assert queries.equipment_by_category(conn, other)["active_offers"].sum() == 0
    assert queries.equipment_capacity_by_department(conn, other).empty
    assert queries.equipment_conversion(conn, other)["offers"].sum() == 0
    assert (
        queries.equipment_by_month(conn, other)[["offers_published", "companies_cumulative"]]
        .sum()
        .sum()
        == 0
    )
    assert queries.equipment_sectors(conn, other).empty


@pytest.mark.parametrize("scope", [{}, {"departments": ("37",)}, {"categories": ("oeufs",)}])
def test_visit_scope_follows_the_kind_filter(conn, span, scope):
    kind = kinds_by_size(conn, "produits-frais")[1]  # a smaller kind than the producers
    filters = all_filters(span, kinds=(kind,), **scope)
    expected = scoped_visit_ids_sql(conn, "produits-frais", *span, kinds=(kind,), **scope)
    summary = queries.visits_summary(conn, filters)
    assert summary["visits"] == len(expected)
    assert 0 < len(expected) < len(scoped_visit_ids_sql(conn, "produits-frais", *span, **scope))
    assert queries.visits_by_channel(conn, filters)["visits"].sum() == len(expected)
    assert queries.visits_timeseries(conn, filters, "month")["visits"].sum() == len(expected)
    assert queries.entry_pages(conn, filters, limit=100_000)["visits"].sum() == len(expected)
    searches = scalar(
        conn,
        """SELECT count(*) FROM pageviews WHERE platform = 'produits-frais'
                               AND page_type = 'recherche' AND search_terms IS NOT NULL
                               AND visit_id IN (SELECT unnest(?))""",
        [sorted(expected)],
    )
    assert queries.site_searches(conn, filters)["searches"].sum() == searches


def test_top_pages_follow_the_kind_filter(conn, span):
    kind = kinds_by_size(conn, "produits-frais")[1]
    filters = all_filters(span, kinds=(kind,))
    products = queries.top_products(conn, filters, limit=10)
    expected = conn.execute(
        """SELECT l.listing_id, count(*) AS n FROM pageviews p
           JOIN listings l ON l.platform = p.platform AND l.listing_id = p.entity_id
           JOIN suppliers s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
           WHERE p.platform = 'produits-frais' AND p.page_type = 'produit' AND s.kind_code = ?
           GROUP BY ALL ORDER BY n DESC, any_value(l.title), l.listing_id LIMIT 10""",
        [kind],
    ).fetchall()
    assert list(zip(products["listing_id"], products["pageviews"])) == [tuple(r) for r in expected]
    suppliers = queries.top_suppliers(conn, filters, limit=10)
    assert len(suppliers) > 0 and set(suppliers["kind_code"]) == {kind}
    assert suppliers["pageviews"].tolist() == [
        n
        for (n,) in conn.execute(
            """SELECT count(*) AS n FROM pageviews p
           JOIN suppliers s ON s.platform = p.platform AND s.supplier_id = p.entity_id
           WHERE p.platform = 'produits-frais' AND p.page_type = 'fournisseur' AND s.kind_code = ?
           GROUP BY s.supplier_id ORDER BY n DESC LIMIT 10""",
            [kind],
        ).fetchall()
    ]


@pytest.mark.parametrize("value", HOSTILE + ["<script>alert(1)</script>"])
def test_hostile_kinds_change_nothing_and_raise_nothing(conn, span, value):
    kind = kinds_by_size(conn, "produits-frais")[1]
    only_kind = all_filters(span, kinds=(kind,))
    with_hostile = all_filters(span, kinds=(kind, value))
    for function in (
        queries.catalogue_summary,
        queries.visits_summary,
        queries.listings_concentration,
    ):
        assert function(conn, with_hostile) == function(conn, only_kind), function.__name__
    for function in (
        queries.supplier_listings,
        queries.top_products,
        queries.top_suppliers,
        coverage_grid_at_3,
        queries.site_searches,
        queries.supplier_points,
    ):
        assert function(conn, with_hostile).equals(function(conn, only_kind)), function.__name__
    nothing = all_filters(span, kinds=(value,))
    assert queries.catalogue_summary(conn, nothing) == {"active_suppliers": 0, "active_listings": 0}
    assert queries.visits_summary(conn, nothing)["visits"] == 0
    assert scalar(conn, "SELECT count(*) FROM suppliers") > 0


# --- a tiny hand-made case for the visit scope and the search rule -----------------------------------


@pytest.fixture(scope="module")
def tiny_traffic():
    con = duckdb.connect()
    empty_warehouse(con)
    con.execute("""
        INSERT INTO departments VALUES ('18', 'Cher', 300000), ('45', 'Loiret', 700000);
        INSERT INTO categories VALUES
            ('produits-frais', 'miel', 'Miel et produits de la ruche', 'miel'),
            ('produits-frais', 'oeufs', 'Œufs', 'oeufs'),
            ('produits-frais', 'epicerie', 'Épicerie', 'epicerie');
        INSERT INTO suppliers (platform, supplier_id, name, kind, commune, department_code,
                               joined_on, is_active)
        VALUES ('produits-frais', 'S1', 'Rucher de la Sologne', 'Producteur', 'Vierzon', '18',
                '2020-04-01', TRUE),
               ('produits-frais', 'S2', 'Ferme 50% bio', 'Commerçant', 'Orléans', '45',
                '2020-04-01', TRUE);
        INSERT INTO listings (platform, listing_id, supplier_id, title, category, created_on,
                              withdrawn_on, is_active) VALUES
            ('produits-frais', 'L1', 'S1', 'Miel de fleurs de Sologne', 'Miel et produits de la ruche',
             '2020-04-01', NULL, TRUE),
            ('produits-frais', 'L2', 'S2', 'Œufs frais', 'Œufs', '2020-04-01', NULL, TRUE),
            ('produits-frais', 'L3', 'S2', 'Pâtes fraîches', 'Épicerie', '2020-04-01', '2020-04-03', FALSE);
    """)
    visits = [  # visit, day, pages (type, entity, search)
        ("v1", 2, [("produit", "L1", None)]),
        ("v2", 2, [("accueil", None, None), ("fournisseur", "S2", None)]),
        ("v3", 2, [("categorie", "oeufs", None)]),
        ("v4", 2, [("recherche", None, "miels sologne"), ("recherche", None, "kiwi")]),
        ("v5", 4, [("recherche", None, "Pâtes"), ("recherche", None, "de la")]),
        ("v6", 2, [("recherche", None, "pates fraiches")]),
        ("v7", 2, [("recherche", None, "miel sans sucre")]),  # "sans" ignored, "sucre" unknown
    ]
    for visit_id, day, pages in visits:
        started = datetime(2020, 4, day, 10)
        con.execute(
            """INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at,
                       pageviews, duration_s, is_bounce, channel, device_type, browser, os)
                       VALUES ('produits-frais', ?, ?, ?, ?, ?, 0, ?, 'direct', 'smartphone',
                               'Chrome Mobile', 'Android')""",
            [visit_id, visit_id, started, started, len(pages), len(pages) == 1],
        )
        for k, (page_type, entity, search) in enumerate(pages):
            ts = started.replace(minute=k)
            con.execute(
                """INSERT INTO pageviews (platform, ts, ts_utc, visitor_id, visit_id, page_type,
                           entity_id, search_terms)
                   VALUES ('produits-frais', ?, timezone('Europe/Paris', ?::TIMESTAMP), ?, ?, ?,
                           ?, ?)""",
                [ts, ts, visit_id, visit_id, page_type, entity, search],
            )
    daily_aggregates(con)
    add_codes_and_macros(con)
    yield con
    con.close()


def tiny_filters(**kwargs):
    return Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30), **kwargs)


@pytest.mark.parametrize(
    "departments,categories,visits",
    [
        ((), (), 7),
        (("18",), (), 1),  # v1: a product of a Cher supplier
        (("45",), (), 1),  # v2: a Loiret producer's page
        ((), ("oeufs",), 2),  # v2 (its producer sells eggs) and v3 (the egg category page)
        (("45",), ("oeufs",), 1),  # v2 only: a category page has no department
        (("18",), ("oeufs",), 0),
    ],
)
def test_hand_computed_visit_scope(tiny_traffic, departments, categories, visits):
    summary = queries.visits_summary(
        tiny_traffic, tiny_filters(departments=departments, categories=categories)
    )
    assert summary["visits"] == visits


@pytest.mark.parametrize(
    "kinds,departments,categories,visits",
    [
        (("producteur",), (), (), 1),  # v1: a product of S1, a producer
        (("commercant",), (), (), 1),  # v2: the page of S2, a merchant
        (("producteur", "commercant"), (), (), 2),  # v1, v2; never v3 (a category page)
        (("commercant",), (), ("oeufs",), 1),  # v2 only: the egg category page has no supplier
        (("commercant",), ("18",), (), 0),  # S2 is in Loiret
        (("Artisan",), (), (), 0),
    ],
)
def test_hand_computed_visit_scope_by_kind(tiny_traffic, kinds, departments, categories, visits):
    filters = tiny_filters(kinds=kinds, departments=departments, categories=categories)
    assert queries.visits_summary(tiny_traffic, filters)["visits"] == visits


def test_hand_computed_category_demand_by_kind(tiny_traffic):
    demand = queries.category_demand(tiny_traffic, tiny_filters(kinds=("commercant",)))
    demand = demand.set_index("category")
    # The category page and the searches belong to no supplier: not counted (NULL).
    assert demand["category_pageviews"].isna().all() and demand["searches"].isna().all()
    # Listings of S2 only: its egg listing on 30 April, nothing in honey (S1's).
    assert demand.loc["Œufs", "active_listings"] == 1
    assert demand.loc["Miel et produits de la ruche", "active_listings"] == 0
    assert queries.catalogue_summary(tiny_traffic, tiny_filters(kinds=("producteur",))) == {
        "active_suppliers": 1,
        "active_listings": 1,
    }


def test_hand_computed_search_matching(tiny_traffic):
    searches = queries.site_searches(tiny_traffic, tiny_filters()).set_index("terms")
    # "miels sologne": plural folded, both words in L1's title -> found.
    assert searches.loc["miels sologne", "searches_without_result"] == 0
    assert searches.loc["miels sologne", "results_on_end"] == 1
    # "kiwi": nothing.
    assert searches.loc["kiwi", "searches_without_result"] == 1
    # "Pâtes" normalised; found on 2 April (v6), but L3 was withdrawn on the 3rd: on the
    # 4th (v5) the same search finds nothing.
    assert searches.loc["pates fraiches", "searches_without_result"] == 0
    assert searches.loc["pates", "searches_without_result"] == 1
    assert searches.loc["pates", "results_on_end"] == 0
    assert searches.loc["miel sans sucre", "searches_without_result"] == 1
    # Only link words: no meaningful word, no result.
    assert searches.loc["de la", "searches_without_result"] == 1
    demand = queries.category_demand(tiny_traffic, tiny_filters()).set_index("category")
    assert demand.loc["Épicerie", "searches"] == 1  # v6 on the 2nd; not v5 on the 4th
    assert demand.loc["Miel et produits de la ruche", "searches"] == 1
    assert demand.loc["Œufs", "category_pageviews"] == 1
    assert demand.loc["Œufs", "product_pageviews"] == 0
    # L3 active on 1 and 2 April: 2 listing-days over a 30-day period.
    assert demand.loc["Épicerie", "avg_active_listings"] == pytest.approx(2 / 30)
    names = queries.supplier_views(tiny_traffic, tiny_filters(), "50%")["name"].tolist()
    assert names == ["Ferme 50% bio"]
    assert queries.supplier_views(tiny_traffic, tiny_filters(), "5_%").empty


def _add_a_search(con, visit_id: str, started: datetime, terms: str) -> None:
    """A visit of one page: a site search for `terms` (its visitor id is its visit id)."""
    con.execute(
        """INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at,
                   pageviews, duration_s, is_bounce, channel, device_type, browser, os)
           VALUES ('produits-frais', ?, ?, ?, ?, 1, 0, TRUE, 'direct', 'ordinateur',
                   'Firefox', 'Linux')""",
        [visit_id, visit_id, started, started],
    )
    con.execute(
        """INSERT INTO pageviews (platform, ts, ts_utc, visitor_id, visit_id, page_type,
                   entity_id, search_terms)
           VALUES ('produits-frais', ?, timezone('Europe/Paris', ?::TIMESTAMP), ?, ?,
                   'recherche', NULL, ?)""",
        [started, started, visit_id, visit_id, terms],
    )


@pytest.fixture
def departed_supplier_searches():
    """A jam maker who left the platform on 10 April without withdrawing its listing (still
    marked active, no withdrawal date), a baker still there; searches before and after."""
    con = duckdb.connect()
    empty_warehouse(con)
    con.execute("""
        INSERT INTO departments VALUES ('18', 'Cher', 300000);
        INSERT INTO categories VALUES
            ('produits-frais', 'epicerie', 'Épicerie', 'epicerie'),
            ('produits-frais', 'pain', 'Pain et boulangerie', 'pain');
        INSERT INTO suppliers (platform, supplier_id, name, kind, commune, department_code,
                               joined_on, left_on, is_active)
        VALUES ('produits-frais', 'S1', 'Confitures du Berry', 'Producteur', 'Bourges', '18',
                '2020-04-01', '2020-04-10', FALSE),
               ('produits-frais', 'S2', 'Fournil de Vierzon', 'Artisan', 'Vierzon', '18',
                '2020-04-01', NULL, TRUE);
        INSERT INTO listings (platform, listing_id, supplier_id, title, category, created_on,
                              withdrawn_on, is_active) VALUES
            ('produits-frais', 'L1', 'S1', 'Confiture de fraises', 'Épicerie', '2020-04-01',
             NULL, TRUE),
            ('produits-frais', 'L2', 'S2', 'Pain de campagne', 'Pain et boulangerie',
             '2020-04-01', NULL, TRUE);
    """)
    for visit_id, day, terms in (
        ("v1", 5, "confiture"),  # S1 still on the platform: found
        ("v2", 20, "confiture"),  # S1 gone since the 10th: its listing answers nothing
        ("v3", 20, "pain"),
    ):
        _add_a_search(con, visit_id, datetime(2020, 4, day, 10), terms)
    daily_aggregates(con)
    add_codes_and_macros(con)
    yield con
    con.close()


def test_a_departed_suppliers_listing_answers_no_search(departed_supplier_searches):
    # The rule of `active_listings_on`: a listing is on offer only while its supplier is on
    # the platform. Before the fix, the search of the 20th counted as answered and the
    # « demande non satisfaite » list missed it.
    con = departed_supplier_searches
    searches = queries.site_searches(con, tiny_filters()).set_index("terms")
    assert searches.loc["confiture", "searches"] == 2
    assert searches.loc["confiture", "searches_without_result"] == 1  # the 20th only
    assert searches.loc["confiture", "results_on_end"] == 0
    assert searches.loc["pain", "searches_without_result"] == 0
    assert searches.loc["pain", "results_on_end"] == 1
    _, unmet = queries.split_searches(searches.reset_index(), limit=5)
    assert "confiture" in set(unmet["terms"])
    # Demand per category counts the search of the 5th only; supply on the 30th is nil.
    demand = queries.category_demand(con, tiny_filters()).set_index("category")
    assert demand.loc["Épicerie", "searches"] == 1
    assert demand.loc["Épicerie", "active_listings"] == 0
    # The same listing, counted by the catalogue's own rule: not on offer on the 30th.
    assert queries.catalogue_summary(con, tiny_filters())["active_listings"] == 1


def test_a_search_on_the_day_a_supplier_leaves_finds_nothing(departed_supplier_searches):
    # The span on offer ends on the departure day, excluded: the 9th is answered, the 10th
    # (the day S1 left) is not, like the 20th.
    con = departed_supplier_searches
    for visit_id, day in (("v9", 9), ("v10", 10)):
        _add_a_search(con, visit_id, datetime(2020, 4, day, 10), "confiture")
    daily_aggregates(con)
    searches = queries.site_searches(con, tiny_filters()).set_index("terms")
    assert searches.loc["confiture", "searches"] == 4
    assert searches.loc["confiture", "searches_without_result"] == 2  # the 10th and the 20th
    # In the demand per category, only the searches answered count: the 5th and the 9th.
    demand = queries.category_demand(con, tiny_filters()).set_index("category")
    assert demand.loc["Épicerie", "searches"] == 2


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
def test_hit_figures_from_the_daily_aggregate_match_the_hits(conn, hits_conn, span, platform):
    filters = Filters(platform, date(2020, 4, 1), date(2020, 5, 31))
    summary = queries.hits_summary(conn, filters)
    hits, pageviews = hits_conn.execute(
        """SELECT count(*), count(*) FILTER (WHERE is_pageview) FROM hits
           WHERE platform = ? AND ts >= '2020-04-01' AND ts < '2020-06-01'""",
        [platform],
    ).fetchone()
    assert summary == {"hits": hits, "pageview_hits": pageviews, "excluded_hits": hits - pageviews}
    assert hits > pageviews > 0
    excluded = queries.hits_excluded(conn, filters)
    expected = dict(
        hits_conn.execute(
            """SELECT exclusion_reason, count(*) FROM hits WHERE platform = ? AND NOT is_pageview
           AND ts >= '2020-04-01' AND ts < '2020-06-01' GROUP BY 1""",
            [platform],
        ).fetchall()
    )
    # The stored codes are shown as their French labels.
    expected = {labels.EXCLUSION_REASON_LABELS[code]: n for code, n in expected.items()}
    assert dict(zip(excluded["exclusion_reason"], excluded["hits"])) == expected


def test_browsers_and_systems_count_visits_and_label_the_unknown(tiny):
    tiny.execute("UPDATE visits SET browser = 'unknown', os = 'Android' WHERE visit_id = 'v1'")
    period = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 2))
    browsers = queries.visits_by_browser(tiny, period)
    assert browsers[["browser", "visits", "share"]].values.tolist() == [
        ["Firefox", 3, 0.75],
        ["Inconnu", 1, 0.25],
    ]
    assert browsers["bounce_rate"].tolist() == pytest.approx([0.0, 1.0])
    systems = queries.visits_by_os(tiny, period)
    assert systems[["os", "visits"]].values.tolist() == [["Linux", 3], ["Android", 1]]


@pytest.fixture(scope="module")
def tiny_journeys():
    """Four visits on 2 April 2020, each page and end worked out by hand:
    v1 accueil → produit L1 (social, from a Facebook group), v2 produit L1 (campaign, bounce),
    v3 produit L1 → contact (same campaign, opened in a webmail), v4 accueil (direct)."""
    con = duckdb.connect()
    empty_warehouse(con)
    con.execute("""
        INSERT INTO categories VALUES ('produits-frais', 'miel', 'Miel', 'miel');
        INSERT INTO suppliers (platform, supplier_id, name, department_code, joined_on, is_active)
        VALUES ('produits-frais', 'S1', 'Rucher', '18', '2020-04-01', TRUE);
        INSERT INTO listings (platform, listing_id, supplier_id, title, category_code, category,
                              created_on, is_active)
        VALUES ('produits-frais', 'L1', 'S1', 'Miel de tilleul', 'miel', 'Miel', '2020-04-01',
                TRUE);
        INSERT INTO goals VALUES
            ('produits-frais', 'contact_form', 'Formulaire de contact envoyé', 1),
            ('produits-frais', 'phone_click', 'Téléphone ouvert', 2),
            ('produits-frais', 'email_click', 'Courriel ouvert', 3);
        -- v2 sent the contact form; v3 too, and opened a phone number.
        INSERT INTO visit_goals VALUES
            ('produits-frais', 'v2', '2020-04-02', 'contact_form'),
            ('produits-frais', 'v3', '2020-04-02', 'contact_form'),
            ('produits-frais', 'v3', '2020-04-02', 'phone_click');
    """)
    visits = [
        # visit, pages, channel, referrer host, referrer url, (source, medium, campaign)
        ("v1", ["accueil", "produit"], "social", "www.facebook.com",
         "www.facebook.com/groups/x", (None, None, None)),
        ("v2", ["produit"], "campaign", None, None, ("newsletter", "email", "lettre avril")),
        ("v3", ["produit", "contact"], "campaign", "mail.google.com", None,
         ("newsletter", "email", "lettre avril")),
        ("v4", ["accueil"], "direct", None, None, (None, None, None)),
    ]  # fmt: skip
    for visit_id, pages, channel, host, url, (source, medium, campaign) in visits:
        started = datetime(2020, 4, 2, 10)
        entity = {"produit": "L1"}
        con.execute(
            """INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at,
                       pageviews, duration_s, is_bounce, channel, device_type, browser, os,
                       entry_page_type, entry_entity_id, exit_page_type, exit_entity_id,
                       referrer_host, referrer_url, utm_source, utm_medium, utm_campaign)
               VALUES ('produits-frais', ?, ?, ?, ?, ?, 0, ?, ?, 'desktop', 'Firefox',
                       'Windows', ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                visit_id, visit_id, started, started, len(pages), len(pages) == 1, channel,
                pages[0], entity.get(pages[0]), pages[-1], entity.get(pages[-1]),
                host, url, source, medium, campaign,
            ],
        )  # fmt: skip
        for k, page_type in enumerate(pages):
            ts = started.replace(minute=k)
            con.execute(
                """INSERT INTO pageviews (platform, ts, ts_utc, visitor_id, visit_id, page_type,
                           entity_id)
                   VALUES ('produits-frais', ?, timezone('Europe/Paris', ?::TIMESTAMP), ?, ?, ?,
                           ?)""",
                [ts, ts, visit_id, visit_id, page_type, entity.get(page_type)],
            )
    daily_aggregates(con)
    add_codes_and_macros(con)
    yield con
    con.close()


def test_hand_computed_page_types_and_exit_rates(tiny_journeys):
    frame = queries.page_types(tiny_journeys, tiny_filters())
    rows = frame[["page_type", "pageviews", "visits", "entries", "exits"]].values.tolist()
    assert rows == [
        ["produit", 3, 3, 2, 2],
        ["accueil", 2, 2, 2, 1],
        ["contact", 1, 1, 0, 1],
    ]
    assert frame["exit_rate"].tolist() == pytest.approx([2 / 3, 1 / 2, 1.0])
    assert frame["share"].tolist() == pytest.approx([3 / 6, 2 / 6, 1 / 6])


def test_hand_computed_exit_pages(tiny_journeys):
    frame = queries.exit_pages(tiny_journeys, tiny_filters())
    frame = frame.astype(object).where(frame.notna(), None)
    assert frame[["page_type", "entity_id", "name", "exits"]].values.tolist() == [
        ["produit", "L1", "Miel de tilleul", 2],
        ["accueil", None, None, 1],
        ["contact", None, None, 1],
    ]
    assert frame["share"].tolist() == pytest.approx([2 / 4, 1 / 4, 1 / 4])
    assert frame["exit_rate"].tolist() == pytest.approx([2 / 3, 1 / 2, 1.0])


def test_hand_computed_campaigns_and_referrers(tiny_journeys):
    campaigns = queries.campaigns(tiny_journeys, tiny_filters())
    assert campaigns[["utm_campaign", "utm_source", "utm_medium", "visits"]].values.tolist() == [
        ["lettre avril", "newsletter", "email", 2]
    ]
    assert campaigns[["share", "bounce_rate", "pages_per_visit"]].values.tolist() == [
        pytest.approx([0.5, 0.5, 1.5])
    ]
    hosts = queries.referrer_hosts(tiny_journeys, tiny_filters())
    assert hosts[["referrer_host", "channel", "visits"]].values.tolist() == [
        ["mail.google.com", "Campagnes", 1],
        ["www.facebook.com", "Réseaux sociaux", 1],
    ]
    assert hosts["share"].tolist() == pytest.approx([0.25, 0.25])
    urls = queries.referrer_urls(tiny_journeys, tiny_filters())
    assert urls[["referrer_url", "channel", "visits"]].values.tolist() == [
        ["www.facebook.com/groups/x", "Réseaux sociaux", 1]
    ]
    # A catalogue filter keeps the visits that viewed a page of it: v1, v2, v3 saw L1.
    scoped = queries.campaigns(tiny_journeys, tiny_filters(departments=("18",)))
    assert scoped["visits"].tolist() == [2]
    assert scoped["share"].tolist() == pytest.approx([2 / 3])


def test_hand_computed_goals_and_conversion_rates(tiny_journeys):
    summary = queries.goals_summary(tiny_journeys, tiny_filters())
    summary = summary.astype(object).where(summary.notna(), None)
    assert summary[["goal_code", "converted_visits", "visits"]].values.tolist() == [
        [None, 2, 4],  # any goal: v2 and v3
        ["contact_form", 2, 4],
        ["phone_click", 1, 4],
        ["email_click", 0, 4],
    ]
    assert summary["conversion_rate"].tolist() == pytest.approx([0.5, 0.5, 0.25, 0.0])
    channels = queries.goals_by_channel(tiny_journeys, tiny_filters())
    assert channels[["channel", "visits", "converted_visits"]].values.tolist() == [
        ["Campagnes", 2, 2],
        ["Accès direct", 1, 0],
        ["Réseaux sociaux", 1, 0],
    ]
    # v1, v2 and v3 viewed L1 (a Cher producer's honey): 2 of those 3 converted.
    for dimension, code in (("department", "18"), ("category", "miel")):
        frame = queries.goals_by_catalogue(tiny_journeys, tiny_filters(), dimension)
        assert frame[["code", "visits", "converted_visits"]].values.tolist() == [[code, 3, 2]]
        assert frame["conversion_rate"].tolist() == pytest.approx([2 / 3])


def test_a_producer_page_counts_for_its_department_and_the_categories_of_its_listings(
    tiny_journeys,
):
    """The conversion per department and per category follows the catalogue filters' rule:
    v5 only viewed the page of S1 (a Cher honey producer), so it counts for Cher and for
    honey, in the conversion tables as with either chosen in the filters."""
    con = tiny_journeys
    con.execute("""
        INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at, pageviews,
                            duration_s, is_bounce, channel, device_type, browser, os,
                            entry_page_type, entry_entity_id, exit_page_type, exit_entity_id)
        VALUES ('produits-frais', 'v5', 'v5', '2020-04-02 11:00', '2020-04-02 11:00', 1, 0,
                TRUE, 'direct', 'desktop', 'Firefox', 'Windows', 'fournisseur', 'S1',
                'fournisseur', 'S1');
        INSERT INTO pageviews (platform, ts, ts_utc, visitor_id, visit_id, page_type, entity_id)
        VALUES ('produits-frais', '2020-04-02 11:00', '2020-04-02 09:00+00', 'v5', 'v5',
                'fournisseur', 'S1');
    """)
    try:
        _derive_day(con, "2020-04-02")
        for dimension, code, chosen in (
            ("department", "18", tiny_filters(departments=("18",))),
            ("category", "miel", tiny_filters(categories=("miel",))),
        ):
            frame = queries.goals_by_catalogue(con, tiny_filters(), dimension)
            assert frame[["code", "visits", "converted_visits"]].values.tolist() == [[code, 4, 2]]
            assert queries.visits_summary(con, chosen)["visits"] == 4
            # Under that filter, the same visits by the catalogue-page path.
            frame = queries.goals_by_catalogue(con, chosen, dimension)
            assert frame[["code", "visits", "converted_visits"]].values.tolist() == [[code, 4, 2]]
    finally:  # the fixture is shared by the module
        con.execute("DELETE FROM pageviews WHERE visit_id = 'v5'")
        con.execute("DELETE FROM visits WHERE visit_id = 'v5'")
        _derive_day(con, "2020-04-02")


# --- comparison periods on a tiny hand-made warehouse spanning two years ---------------------
# Visits per day (no catalogue filter needed: the rule is about dates). Data from 1 April 2019.
COMPARISON_VISITS = {
    date(2019, 4, 1): 2,
    date(2019, 4, 2): 1,
    date(2019, 4, 10): 3,
    date(2020, 3, 1): 7,  # in the month before April 2020, outside the other periods below
    date(2020, 3, 2): 4,
    date(2020, 3, 31): 1,
    date(2020, 4, 1): 5,
    date(2020, 4, 2): 2,
    date(2020, 4, 30): 1,
    date(2020, 5, 1): 3,
    date(2020, 5, 3): 2,
}
COMPARISON_DATA = (date(2019, 4, 1), date(2020, 5, 31))
APRIL_2020 = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30))


@pytest.fixture(scope="module")
def two_years():
    con = duckdb.connect()
    empty_warehouse(con)
    n = 0
    for day, count in COMPARISON_VISITS.items():
        for _ in range(count):
            n += 1
            started = datetime.combine(day, datetime.min.time()) + timedelta(hours=10, minutes=n)
            con.execute(
                """INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at,
                           pageviews, duration_s, is_bounce, channel, device_type, browser, os)
                   VALUES ('produits-frais', ?, ?, ?, ?, 1, 0, TRUE, 'direct', 'smartphone',
                           'Chrome Mobile', 'Android')""",
                [f"v{n}", f"u{n}", started, started],
            )
    daily_aggregates(con)
    add_codes_and_macros(con)
    yield con
    con.close()


@pytest.mark.parametrize(
    "comparison,span,visits",
    [
        # The whole month before April 2020, 1 – 31 March: 7 + 4 + 1.
        (Comparison(PREVIOUS_PERIOD), (date(2020, 3, 1), date(2020, 3, 31)), 12),
        # April 2019: 2 + 1 + 3.
        (Comparison(YEAR_BEFORE), (date(2019, 4, 1), date(2019, 4, 30)), 6),
        # 1 – 10 May 2020: 3 + 2.
        (
            Comparison(CUSTOM_COMPARISON, date(2020, 5, 1), date(2020, 5, 10)),
            (date(2020, 5, 1), date(2020, 5, 10)),
            5,
        ),
    ],
)
def test_hand_computed_comparison_periods(two_years, comparison, span, visits):
    result = queries.visits_comparison(
        two_years, APRIL_2020, COMPARISON_DATA[0], comparison, COMPARISON_DATA[1]
    )
    assert result["current"]["visits"] == 5 + 2 + 1
    assert (result["previous_start"], result["previous_end"]) == span
    assert result["comparable"] and result["reason"] is None
    assert result["previous"]["visits"] == visits
    assert result["mode"] == comparison.mode


@pytest.mark.parametrize(
    "comparison,data_start,reason",
    [
        # The data starting on 1 March 2020: a year earlier lies wholly before it …
        (Comparison(YEAR_BEFORE), date(2020, 3, 1), "before_data"),
        # … starting on 3 March 2020: the previous period (from 2 March) partly before it.
        (Comparison(PREVIOUS_PERIOD), date(2020, 3, 3), "before_data"),
        (
            Comparison(CUSTOM_COMPARISON, date(2019, 3, 31), date(2019, 4, 5)),
            COMPARISON_DATA[0],
            "before_data",
        ),
        # Ending after the last data day (31 May 2020).
        (
            Comparison(CUSTOM_COMPARISON, date(2020, 5, 20), date(2020, 6, 5)),
            COMPARISON_DATA[0],
            "after_data",
        ),
    ],
)
def test_comparison_outside_the_data_is_not_made(two_years, comparison, data_start, reason):
    result = queries.visits_comparison(
        two_years, APRIL_2020, data_start, comparison, COMPARISON_DATA[1]
    )
    assert not result["comparable"] and result["previous"] is None and result["reason"] == reason
    assert result["current"]["visits"] == 8


def _series(con, comparison, grain, filters=APRIL_2020):
    frame = queries.visits_comparison_series(con, filters, comparison, grain)
    return [
        (row.bucket.date(), row.visits, row.first_day.date(), row.last_day.date())
        for row in frame.itertuples()
    ]


def test_year_before_is_drawn_day_on_day(two_years):
    days = _series(two_years, Comparison(YEAR_BEFORE), "day")
    assert len(days) == 30  # one point per day of April 2020, zeros included
    assert days[0] == (date(2020, 4, 1), 2, date(2019, 4, 1), date(2019, 4, 1))
    assert days[1] == (date(2020, 4, 2), 1, date(2019, 4, 2), date(2019, 4, 2))
    assert days[9] == (date(2020, 4, 10), 3, date(2019, 4, 10), date(2019, 4, 10))
    assert sum(d[1] for d in days) == 6
    assert all(d[1] == 0 for i, d in enumerate(days) if i not in (0, 1, 9))


def test_previous_period_weeks_follow_the_current_weeks(two_years):
    # Current weeks of April 2020 start on Monday 30 March, 6, 13, 20 and 27 April; the
    # previous period of a whole month is the whole month before (1 – 31 March), laid day on
    # day over April's 30 days: 1 April ↔ 1 March, and 31 March has no day to fall on.
    weeks = _series(two_years, Comparison(PREVIOUS_PERIOD), "week")
    assert weeks == [
        (date(2020, 3, 30), 11, date(2020, 3, 1), date(2020, 3, 5)),
        (date(2020, 4, 6), 0, date(2020, 3, 6), date(2020, 3, 12)),
        (date(2020, 4, 13), 0, date(2020, 3, 13), date(2020, 3, 19)),
        (date(2020, 4, 20), 0, date(2020, 3, 20), date(2020, 3, 26)),
        (date(2020, 4, 27), 0, date(2020, 3, 27), date(2020, 3, 30)),
    ]
    months = _series(two_years, Comparison(PREVIOUS_PERIOD), "month")
    assert months == [(date(2020, 4, 1), 11, date(2020, 3, 1), date(2020, 3, 30))]


def test_custom_comparison_shorter_or_longer_than_the_period(two_years):
    shorter = _series(
        two_years, Comparison(CUSTOM_COMPARISON, date(2020, 5, 1), date(2020, 5, 10)), "day"
    )
    # Ten points, not thirty: no zero drawn for days the comparison does not have.
    assert [d[0] for d in shorter] == [date(2020, 4, i) for i in range(1, 11)]
    assert [d[1] for d in shorter] == [3, 0, 2, 0, 0, 0, 0, 0, 0, 0]
    longer = _series(
        two_years, Comparison(CUSTOM_COMPARISON, date(2020, 3, 2), date(2020, 5, 31)), "month"
    )
    # Only its first 30 days (2 – 31 March) are laid over April.
    assert longer == [(date(2020, 4, 1), 5, date(2020, 3, 2), date(2020, 3, 31))]


def test_comparison_series_daily_twin_gives_the_same_rows(two_years):
    for comparison in (
        Comparison(PREVIOUS_PERIOD),
        Comparison(YEAR_BEFORE),
        Comparison(CUSTOM_COMPARISON, date(2020, 5, 1), date(2020, 5, 10)),
    ):
        other = comparison.period(APRIL_2020)
        for grain in ("day", "week", "month"):
            params = {
                **other.params(),
                "grain": grain,
                "shift_days": (APRIL_2020.start - other.start).days,
                "current_end": APRIL_2020.end,
            }
            fast = queries.run(two_years, "visits_comparison_series", params)
            slow = oracle(two_years, "visits_comparison_series", params)
            assert len(fast) > 0
            assert fast.astype(str).equals(slow.astype(str)), (comparison, grain)


def test_comparison_series_keeps_the_catalogue_filter(two_years):
    # No visit of the tiny warehouse saw a page of a Cher supplier: zeros.
    cher = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30), departments=("18",))
    assert sum(d[1] for d in _series(two_years, Comparison(YEAR_BEFORE), "week", cher)) == 0


def test_scorecard_conversion_is_the_any_goal_rate(tiny_journeys):
    from app.queries.measures import _conversion_rate

    # v2 and v3 reached a goal, of the four visits.
    assert _conversion_rate(tiny_journeys, tiny_filters()) == pytest.approx(0.5)
    # A platform without goals: not evaluable.
    other = Filters("equipements-protection", date(2020, 4, 1), date(2020, 4, 30))
    assert _conversion_rate(tiny_journeys, other) is None


@pytest.mark.parametrize("departments", [(), ("37",)])
def test_the_breakdowns_of_one_query_match_each_dimension_counted_apart(conn, span, departments):
    """The eight breakdowns from one GROUPING SETS query: each as its own count of the visits
    in scope, with its share (and bounce rate, order, fixed rows) as its figure defines it."""
    filters = all_filters(span, departments=departments)
    ids = sorted(scoped_visit_ids_sql(conn, "produits-frais", *span, departments))
    breakdowns = queries.visits_breakdowns(conn, filters)
    assert set(breakdowns) == {
        *queries.BREAKDOWNS,
        "country",
        "department",
        "origin",
        "weekday_hour",
    }

    def counted(expression, order="2 DESC, 1"):
        return conn.execute(
            f"""SELECT {expression}, count(*), count(*) FILTER (WHERE is_bounce)
                FROM visits WHERE platform = 'produits-frais' AND visit_id IN (SELECT unnest(?))
                GROUP BY 1 ORDER BY {order}""",
            [ids],
        ).fetchall()

    names = queries.BREAKDOWNS
    total = len(ids)
    for dimension in names:
        frame = breakdowns[dimension]
        expected = counted(dimension)
        assert len(expected) > 1, dimension
        assert frame[dimension].tolist() == [names[dimension].get(c, c) for c, _, _ in expected]
        assert frame["visits"].tolist() == [n for _, n, _ in expected], dimension
        assert frame["share"].tolist() == pytest.approx([n / total for _, n, _ in expected])
        assert frame["bounce_rate"].tolist() == pytest.approx([b / n for _, n, b in expected])

    countries = counted("country_code", order="1 IS NULL, 2 DESC, 1")
    assert len(countries) > 1
    frame = breakdowns["country"]
    assert frame["code"].tolist() == [c for c, _, _ in countries]
    assert frame["visits"].tolist() == [n for _, n, _ in countries]
    assert frame["share"].tolist() == pytest.approx([n / total for _, n, _ in countries])

    region = {d for (d,) in conn.execute("SELECT department_code FROM departments").fetchall()}
    located = [row for row in counted("geo_department_code") if row[0] is not None]
    assert len(located) > 1
    frame = breakdowns["department"]
    assert frame["code"].tolist() == [d for d, _, _ in located]
    assert frame["visits"].tolist() == [n for _, n, _ in located]
    assert frame["share"].tolist() == pytest.approx([n / total for _, n, _ in located])
    assert frame["is_in_region"].tolist() == [d in region for d, _, _ in located]

    origins = dict((o, n) for o, n, _ in counted("visit_origin(country_code, geo_department_code)"))
    frame = breakdowns["origin"]
    assert frame["origin"].tolist() == [
        "region",
        "france_other",
        "france_unlocated",
        "abroad",
        "unknown",
    ]
    assert frame["visits"].tolist() == [origins.get(o, 0) for o in frame["origin"]]
    assert frame["visits"].sum() == total

    cells = dict(((d, h), n) for (d, h), n, _ in counted("(isodow(started_at), hour(started_at))"))
    frame = breakdowns["weekday_hour"]
    assert len(frame) == 7 * 24 and frame["visits"].sum() == total
    assert [(r.weekday, r.hour) for r in frame.itertuples()] == [
        (d, h) for d in range(1, 8) for h in range(24)
    ]
    assert frame["visits"].tolist() == [
        cells.get((r.weekday, r.hour), 0) for r in frame.itertuples()
    ]
