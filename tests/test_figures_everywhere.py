"""Each headline figure reads the same on every page that shows it, in the meeting report and
in the exports, under the same filters (issue #29).

Unlike tests/test_one_definition.py, which compares the queries, this test reads what each
page draws (AppTest, the address carrying the filters) at two filter combinations, and
compares the French texts: visits, page views, bounce rate, active suppliers, active listings,
suppliers per 100 000 inhabitants and the certified (standard) share of equipment offers.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import exports, labels, overview, queries, scorecard
from app.filtering import Filters
from app.fmt import fr_int, fr_num, fr_pct

from .test_pages_apptest import DASHBOARD, TIMEOUT

pytestmark = pytest.mark.slow

COMBINATIONS = ["default filters", "department and 30 days"]


@pytest.fixture(scope="module")
def ctx(small_warehouse):
    with duckdb.connect(str(small_warehouse), read_only=True) as conn:
        return queries.filter_context(conn)


def _address(ctx, platform: str, combination: str) -> dict:
    if combination == "default filters":
        return {"platform": platform}
    end = ctx.data_end
    return {
        "platform": platform,
        "period": "custom",
        "start": (end - timedelta(days=29)).isoformat(),
        "end": end.isoformat(),
        "departments": ["45"],
    }


def _metrics(page: str, address: dict) -> dict[str, list[str]]:
    """Every metric the page draws under the filters of `address`: label -> values in order."""
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    for key, value in address.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    shown: dict[str, list[str]] = {}
    for m in at.metric:
        shown.setdefault(m.label, []).append(m.value)
    return shown


def _csv_sum(frame, column: str) -> int:
    data = exports.to_csv(exports.export_columns(frame, {column: "v"}, int_columns=[column]))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    return sum(int(row[0].replace("\u202f", "").replace(" ", "")) for row in rows[1:])


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_fresh_produce_figures_read_the_same_everywhere(warehouse_env, conn, ctx, combination):
    address = _address(ctx, "produits-frais", combination)
    filters = Filters.from_url(address, ctx).filters
    overview_page = _metrics("vue_ensemble", address)
    traffic = _metrics("frequentation", address)
    journeys = _metrics("parcours", address)
    suppliers = _metrics("producteurs", address)
    coverage = _metrics("couverture", address)

    config = scorecard.load_config()
    platforms = overview.build(filters, ctx, config)
    brief = overview.report_content(platforms, filters, ctx, config, queries.load_info(conn))
    (fresh,) = [p for p in brief.platforms if p.name == labels.PLATFORM_NAMES["produits-frais"]]
    in_report = {cells[0]: cells[1] for cells in fresh.headlines}

    # Visits: the overview's first platform, Fréquentation, Sources et parcours, the report,
    # and the daily series' export summed.
    visits = traffic[labels.METRIC_VISITS][0]
    assert overview_page[labels.METRIC_VISITS][0] == visits
    assert journeys[labels.METRIC_VISITS][0] == visits
    assert in_report[labels.METRIC_VISITS] == visits
    series = queries.visits_timeseries(conn, filters, "day")
    assert fr_int(_csv_sum(series, "visits")) == visits
    # Page views and bounce rate: Fréquentation, and the per-channel export added up.
    assert fr_int(_csv_sum(series, "pageviews")) == traffic[labels.METRIC_PAGEVIEWS][0]
    channels = queries.visits_by_channel(conn, filters)
    bounces = (channels["visits"] * channels["bounce_rate"]).round().sum()
    assert fr_pct(bounces / channels["visits"].sum()) == traffic[labels.METRIC_BOUNCE_RATE][0]
    assert fr_int(channels["visits"].sum()) == visits

    # Active suppliers and listings: the overview, Producteurs et produits, the report, and the
    # supplier table's export (one row per active supplier, their listings added up).
    for label in (labels.METRIC_ACTIVE_SUPPLIERS, labels.METRIC_ACTIVE_LISTINGS):
        assert overview_page[label][0] == suppliers[label][0] == in_report[label], label
    listings = queries.supplier_listings(conn, filters)
    assert fr_int(len(listings)) == suppliers[labels.METRIC_ACTIVE_SUPPLIERS][0]
    assert (
        fr_int(_csv_sum(listings, "active_listings")) == suppliers[labels.METRIC_ACTIVE_LISTINGS][0]
    )

    # Suppliers per 100 000 inhabitants: Couverture's figure and its department table's export.
    departments = queries.department_suppliers(conn, filters)
    population = _csv_sum(departments, "population")
    total = _csv_sum(departments, "suppliers")
    assert fr_num(total * 100_000 / population, 1) == coverage[labels.METRIC_SUPPLIERS_PER_100K][0]
    assert fr_int(total) == coverage[labels.METRIC_SUPPLIERS_IN_REGION][0]


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_equipment_figures_read_the_same_everywhere(warehouse_env, conn, ctx, combination):
    address = _address(ctx, "equipements-protection", combination)
    filters = Filters.from_url(address, ctx).filters
    equipment = _metrics("equipements", address)
    overview_page = _metrics("vue_ensemble", address)
    by_category = queries.equipment_by_category(conn, filters)
    offers = _csv_sum(by_category, "active_offers")
    with_standard = _csv_sum(by_category, "offers_with_standard")
    # The certified share: the page's figure and the per-category table's export added up.
    shown_share = equipment[labels.METRIC_STANDARD_SHARE][0]
    assert shown_share.startswith(fr_pct(with_standard / offers if offers else None))
    assert equipment[labels.METRIC_ACTIVE_OFFERS][0] == fr_int(offers)
    # The overview's second platform shows the same offers as active listings.
    assert overview_page[labels.METRIC_ACTIVE_LISTINGS][1] == fr_int(offers)
    assert (
        overview_page[labels.METRIC_ACTIVE_SUPPLIERS][1]
        == equipment[labels.METRIC_ACTIVE_COMPANIES][0]
    )
