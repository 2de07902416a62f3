"""Équipements: capacities are read per category, never added across unlike units (masks,
protection walls, thermal cameras), and a listing in an unknown category ("Non classé : …") is
named once as a data-quality finding instead of being drawn as one more category."""

from __future__ import annotations

import json

import duckdb
import pytest

from app import inert, labels
from app.fmt import fr_pct
from tests.test_pages_apptest import start_app, values

PLATFORM = "equipements-protection"


@pytest.fixture(scope="module")
def page(module_warehouse_env):
    at = start_app({"platform": PLATFORM})
    at.switch_page("app_pages/equipements.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture(scope="module")
def sql(small_warehouse):
    connection = duckdb.connect(str(small_warehouse), read_only=True)
    yield connection
    connection.close()


def chart(at, key: str) -> dict:
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(key):
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key}")


def active_listings(sql):
    """(category, is_known_category, weekly_capacity, department_code) of the offers active
    on the last day: the listing and its company both on the platform (docs/metrics.md)."""
    end = sql.execute("SELECT data_end FROM load_info").fetchone()[0]
    return sql.execute(
        """SELECT l.category, l.is_known_category, l.weekly_capacity, s.department_code
        FROM listings AS l JOIN suppliers AS s USING (platform, supplier_id)
        WHERE l.platform = $1 AND l.created_on <= $2
          AND (l.withdrawn_on > $2 OR (l.withdrawn_on IS NULL AND l.is_active))
          AND s.joined_on <= $2 AND (s.left_on IS NULL OR s.left_on > $2)""",
        [PLATFORM, end],
    ).fetchall()


def test_the_demo_has_an_unknown_category_to_show(sql):
    # Without one, the tests below would prove nothing.
    assert any(not known for _, known, _, _ in active_listings(sql))


def test_no_headline_adds_capacities_of_different_categories(page, sql):
    shown = {m.label for m in page.metric}
    assert not any("unités" in label for label in shown), shown
    rows = active_listings(sql)
    declared = sum(1 for _, _, capacity, _ in rows if capacity is not None)
    values_shown = [m.value for m in page.metric if m.label == labels.METRIC_CAPACITY_DECLARED]
    assert values_shown == [fr_pct(declared / len(rows))]


def test_unknown_categories_are_named_once_and_never_drawn(page, sql):
    unknown = sorted({c for c, known, _, _ in active_listings(sql) if not known})
    marker = "non reconnue dans l'export"
    assert marker in labels.UNCLASSIFIED_OFFERS_NOTE
    captions = [c.value for c in page.caption if marker in c.value]
    # Names as typed in the export, made inert for Markdown.
    assert len(captions) == 1 and all(inert.markdown(n) in captions[0] for n in unknown), (
        captions,
        unknown,
        [c.value for c in page.caption],
    )
    for element in page.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        for trace in spec["data"]:
            drawn = [trace.get("name") or ""] + [str(y) for y in (trace.get("y") or [])]
            assert not any(text.startswith("Non classé") for text in drawn), element.proto.id


def test_capacity_by_department_is_one_category_at_a_time(page, sql):
    # The choice is a code; the title names its label.
    code = page.selectbox(key="capacity-category").value
    (chosen,) = sql.execute(
        "SELECT category FROM categories WHERE platform = $1 AND category_code = $2",
        [PLATFORM, code],
    ).fetchone()
    spec = chart(page, "capacity-department")
    assert chosen in spec["layout"]["title"]["text"]
    (trace,) = spec["data"]
    expected: dict[str, float] = {}
    for category, _, capacity, department in active_listings(sql):
        if category == chosen and capacity is not None:
            expected[department] = expected.get(department, 0) + capacity
    shown = dict(zip([y.split(" — ")[0] for y in trace["y"]], values(trace["x"])))
    assert {d: v for d, v in shown.items() if v} == pytest.approx(
        {d: v for d, v in expected.items() if v}
    )


def test_the_sectors_table_has_no_capacity_column(page):
    frames = list(page.dataframe)
    assert frames, "no table on the page"
    for table in frames:
        columns = [str(c) for c in table.value.columns]
        assert not any("Unités" in c or "Capacité" in c for c in columns), columns
