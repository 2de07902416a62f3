"""Query functions against the small warehouse (compared with direct SQL), and on a tiny
hand-made warehouse whose figures are worked out by hand."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import duckdb
import pytest

from app import queries
from app.filtering import Filters
from tests.fake_warehouse import SCHEMA

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


def test_a_period_limits_visits_to_its_days(conn):
    filters = Filters("produits-frais", date(2020, 4, 1), date(2020, 5, 31))
    expected = scalar(conn, """SELECT count(*) FROM visits WHERE platform = 'produits-frais'
                               AND started_at >= '2020-04-01' AND started_at < '2020-06-01'""")
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
    for frame in (queries.visits_by_channel(conn, filters),
                  queries.visits_by_device(conn, filters)):
        assert frame["visits"].sum() == total
        assert frame["share"].sum() == pytest.approx(1.0)


def active_suppliers_sql(conn, platform, end, departments=None):
    sql = """SELECT count(*) FROM suppliers WHERE platform = ? AND joined_on <= ?
             AND (left_on IS NULL OR left_on > ?)"""
    params = [platform, end, end]
    if departments:
        sql += f" AND department_code IN ({', '.join('?' * len(departments))})"
        params += list(departments)
    return scalar(conn, sql, params)


def active_listings_sql(conn, platform, end, departments=None, categories=None):
    sql = """SELECT count(*) FROM listings l JOIN suppliers s USING (platform, supplier_id)
             WHERE l.platform = ? AND l.created_on <= ?
             AND (l.withdrawn_on > ? OR (l.withdrawn_on IS NULL AND l.is_active))"""
    params = [platform, end, end]
    if departments:
        sql += f" AND s.department_code IN ({', '.join('?' * len(departments))})"
        params += list(departments)
    if categories:
        sql += f" AND l.category IN ({', '.join('?' * len(categories))})"
        params += list(categories)
    return scalar(conn, sql, params)


@pytest.mark.parametrize("departments", [(), ("18",), ("28", "45")])
def test_catalogue_summary_matches_sql(conn, span, departments):
    for platform in ("produits-frais", "equipements-protection"):
        filters = all_filters(span, platform, departments=departments)
        summary = queries.catalogue_summary(conn, filters)
        assert summary["active_suppliers"] == active_suppliers_sql(conn, platform, span[1],
                                                                   departments)
        assert summary["active_listings"] == active_listings_sql(conn, platform, span[1],
                                                                 departments)


def test_category_filter_on_listings(conn, span):
    filters = all_filters(span, categories=("Fruits et légumes", "Œufs"))
    assert queries.catalogue_summary(conn, filters)["active_listings"] == active_listings_sql(
        conn, "produits-frais", span[1], categories=["Fruits et légumes", "Œufs"])


def test_catalogue_timeseries_ends_on_the_summary(conn, span):
    filters = all_filters(span, departments=("37",))
    series = queries.catalogue_timeseries(conn, filters)
    summary = queries.catalogue_summary(conn, filters)
    assert len(series) == (span[1] - span[0]).days + 1
    last = series.iloc[-1]
    assert (last["active_suppliers"], last["active_listings"]) == (
        summary["active_suppliers"], summary["active_listings"])


def test_histogram_table_and_concentration_agree(conn, span):
    filters = all_filters(span)
    table = queries.supplier_listings(conn, filters)
    histogram = queries.listings_histogram(conn, filters)
    concentration = queries.listings_concentration(conn, filters)
    assert len(table) == histogram["suppliers"].sum() == active_suppliers_sql(
        conn, "produits-frais", span[1])
    counts = table["active_listings"].value_counts()
    assert dict(zip(histogram["active_listings"], histogram["suppliers"])) == counts.to_dict()
    holders = sorted((n for n in table["active_listings"] if n > 0), reverse=True)
    top = math.ceil(len(holders) * 0.1)
    assert concentration["suppliers_with_listing"] == len(holders)
    assert concentration["top_suppliers"] == top
    assert concentration["top_share"] == pytest.approx(sum(holders[:top]) / sum(holders))
    assert concentration["single_listing_suppliers"] == holders.count(1)


def test_coverage_grid_matches_sql(conn, span):
    filters = all_filters(span)
    grid = queries.coverage_grid(conn, filters, 3)
    n_departments = scalar(conn, "SELECT count(*) FROM departments")
    n_categories = scalar(conn, "SELECT count(*) FROM categories WHERE platform = 'produits-frais'")
    assert len(grid) == n_departments * n_categories
    for row in grid.sample(10, random_state=1).itertuples():
        expected = scalar(conn, """
            SELECT count(DISTINCT s.supplier_id) FROM listings l
            JOIN suppliers s USING (platform, supplier_id)
            WHERE l.platform = 'produits-frais' AND s.department_code = ? AND l.category = ?
              AND l.created_on <= ? AND (l.withdrawn_on > ? OR (l.withdrawn_on IS NULL AND l.is_active))
              AND s.joined_on <= ? AND (s.left_on IS NULL OR s.left_on > ?)""",
            [row.department_code, row.category, *[span[1]] * 4])
        assert row.suppliers == expected
        assert row.is_covered == (expected >= 3)
    restricted = queries.coverage_grid(conn, all_filters(span, departments=("18",),
                                                          categories=("Œufs",)), 1)
    assert len(restricted) == 1


def test_equipment_queries_match_sql(conn, span):
    filters = all_filters(span, "equipements-protection")
    by_category = queries.equipment_by_category(conn, filters)
    assert by_category["active_offers"].sum() == active_listings_sql(
        conn, "equipements-protection", span[1])
    by_month = queries.equipment_by_month(conn, filters)
    assert by_month["offers_published"].sum() == scalar(
        conn, """SELECT count(*) FROM listings WHERE platform = 'equipements-protection'
                 AND created_on BETWEEN ? AND ?""", span)
    last = by_month[by_month["month"] == by_month["month"].max()]
    assert last["companies_cumulative"].sum() == scalar(
        conn, """SELECT count(*) FROM (SELECT DISTINCT category, supplier_id FROM listings
                 WHERE platform = 'equipements-protection' AND created_on <= ?)""", [span[1]])


def test_quality_queries_match_sql(conn, span):
    filters = all_filters(span)
    rejected = queries.rejected_by_reason(conn, filters)
    assert rejected["n_rows"].sum() == scalar(
        conn, "SELECT count(*) FROM rejected_rows WHERE platform = 'produits-frais'")
    sample = queries.rejected_sample(conn, filters, limit=3)
    assert len(sample) == 3
    hits = queries.hits_summary(conn, filters)
    assert hits["hits"] == hits["pageview_hits"] + hits["excluded_hits"]
    assert hits["pageview_hits"] == scalar(
        conn, """SELECT count(*) FROM pageviews WHERE platform = 'produits-frais'
                 AND CAST(ts AS DATE) BETWEEN ? AND ?""", span)
    assert queries.hits_excluded(conn, filters)["hits"].sum() == hits["excluded_hits"]
    summary = queries.load_summary(conn, filters)
    assert set(summary["platform"]) == {"produits-frais"}


def test_key_dates_within_the_period(conn):
    filters = Filters("produits-frais", date(2020, 5, 1), date(2020, 6, 30))
    assert queries.key_dates(conn, filters)["label"].tolist() == [
        scalar(conn, "SELECT label FROM key_dates WHERE date = '2020-05-11'"),
        scalar(conn, "SELECT label FROM key_dates WHERE date = '2020-06-02'"),
    ]


# --- hostile values are bound, never interpreted ----------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_change_nothing_and_raise_nothing(conn, span, value):
    only_18 = all_filters(span, departments=("18",), categories=("Œufs",))
    with_hostile = all_filters(span, departments=("18", value), categories=("Œufs", value))
    nothing = all_filters(span, departments=(value,))
    for function in (queries.catalogue_summary, queries.listings_concentration):
        assert function(conn, with_hostile) == function(conn, only_18)
    assert queries.supplier_listings(conn, with_hostile).equals(
        queries.supplier_listings(conn, only_18))
    assert queries.coverage_grid(conn, with_hostile).equals(queries.coverage_grid(conn, only_18))
    assert queries.catalogue_summary(conn, nothing) == {"active_suppliers": 0,
                                                        "active_listings": 0}
    hostile_platform = Filters(value, span[0], span[1])
    assert queries.visits_summary(conn, hostile_platform)["visits"] == 0
    # The warehouse is untouched.
    assert scalar(conn, "SELECT count(*) FROM suppliers") > 0


def test_every_query_binds_its_values():
    """No SQL file formats values in: only `$name` parameters, all known to the module."""
    known = {"platform", "start", "end", "departments", "categories", "grain", "min_suppliers",
             "limit"}
    for path in queries.SQL_DIR.glob("*.sql"):
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
    con.execute(SCHEMA)
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
        [(sid, f"Ferme {sid}", dep, joined, left, left is None)
         for sid, dep, joined, left in suppliers])
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
           withdrawn_on, is_active) VALUES ('produits-frais', ?, ?, ?, ?, ?, ?)""", listings)
    # Visits: three on 1 April (one bounce), one on 2 April; two share a visitor id.
    con.executemany(
        """INSERT INTO visits (platform, visit_id, visitor_id, started_at, pageviews, duration_s,
           is_bounce, channel, device_type) VALUES ('produits-frais', ?, ?, ?, ?, ?, ?, ?, ?)""",
        [("v1", "a", datetime(2020, 4, 1, 9), 1, 0, True, "Presse", "Mobile"),
         ("v2", "a", datetime(2020, 4, 1, 18), 3, 120, False, "Presse", "Mobile"),
         ("v3", "b", datetime(2020, 4, 1, 23, 59), 2, 65, False, "Accès direct", "Ordinateur"),
         ("v4", "c", datetime(2020, 4, 2, 0, 1), 6, 415, False, "Presse", "Tablette")])
    yield con
    con.close()


def test_hand_computed_visits(tiny):
    summary = queries.visits_summary(tiny, Filters("produits-frais", date(2020, 4, 1),
                                                   date(2020, 4, 1)))
    assert summary["visits"] == 3
    assert summary["visitors"] == 2
    assert summary["pageviews"] == 6
    assert summary["pages_per_visit"] == 2
    assert summary["bounce_rate"] == pytest.approx(1 / 3)
    assert summary["avg_duration_s"] == pytest.approx(185 / 3)
    channels = queries.visits_by_channel(tiny, Filters("produits-frais", date(2020, 4, 1),
                                                       date(2020, 4, 2)))
    assert channels.values.tolist() == [["Presse", 3, 0.75], ["Accès direct", 1, 0.25]]


def test_hand_computed_catalogue(tiny):
    end_of_april = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30))
    assert queries.catalogue_summary(tiny, end_of_april) == {
        "active_suppliers": 10, "active_listings": 19}
    # On 15 April S11 and X1 are still there; W1 was withdrawn on the 10th.
    mid_april = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 15))
    assert queries.catalogue_summary(tiny, mid_april) == {
        "active_suppliers": 11, "active_listings": 20}
    concentration = queries.listings_concentration(tiny, end_of_april)
    # 9 suppliers hold a listing; the top 10 % is 1 supplier (ceil 0.9), S1 with 11 of 19.
    assert concentration["suppliers_with_listing"] == 9
    assert concentration["top_suppliers"] == 1
    assert concentration["top_share"] == pytest.approx(11 / 19)
    assert concentration["single_listing_suppliers"] == 8
    histogram = queries.listings_histogram(tiny, end_of_april)
    assert histogram.values.tolist() == [[0, 1], [1, 8], [11, 1]]


def test_hand_computed_coverage(tiny):
    grid = queries.coverage_grid(tiny, Filters("produits-frais", date(2020, 4, 1),
                                               date(2020, 4, 30)), 2)
    cells = {(r.department_code, r.category): (r.suppliers, r.is_covered)
             for r in grid.itertuples()}
    assert cells == {("18", "Miel"): (1, False), ("18", "Œufs"): (8, True),
                     ("45", "Miel"): (0, False), ("45", "Œufs"): (0, False)}
