"""`catalogue_visit_days`: the catalogue pages each visit viewed, derived at load time so that
the dashboard finds the visits under a catalogue filter without joining every page view.
It must give the scope the catalogue join gives, and stay so through daily loads, catalogue
changes, retention and publication."""

from __future__ import annotations

import dataclasses
import itertools

import duckdb
import pytest

from app.queries import engine
from etl import derive
from etl.load import load
from etl.scripts import run_script
from etl.settings import Settings, etl_db_path
from tests.test_etl_catalogue import FOOD_LISTINGS, FOOD_SUPPLIERS, write
from tests.test_etl_logs import line
from tests.test_etl_publish import published_differences

# The rules of include/visit_scope.sql written as the join they replace (the dashboard's
# query before the table): page views of the scoped listings, suppliers and categories.
CATALOGUE_JOIN = """
WITH scope_entities AS (
    SELECT 'produit' AS page_type, l.listing_id AS entity_id
    FROM scoped_listings($platform, $departments, $kinds, $categories) AS l
    UNION ALL
    SELECT 'fournisseur', s.supplier_id
    FROM scoped_suppliers($platform, $departments, $kinds, $categories) AS s
    UNION ALL
    SELECT 'categorie', c.slug FROM categories AS c
    WHERE c.platform = $platform AND NOT has_supplier_scope($departments, $kinds)
      AND len($categories) > 0 AND list_contains($categories, c.category_code)
)
SELECT DISTINCT visit_key(p.visit_id) AS visit_key, CAST(p.ts AS DATE) AS day
FROM pageviews AS p
JOIN scope_entities AS e ON e.page_type = p.page_type AND e.entity_id = p.entity_id
WHERE p.platform = $platform
"""


def _pairs(con, sql: str, params: dict) -> set:
    return set(con.execute(sql, params).fetchall())


def _filter_choices(con, platform: str) -> list[dict]:
    """Each department, category and kind alone, pairs of them, and several values at once."""

    def codes(sql):
        return [r[0] for r in con.execute(sql, [platform]).fetchall()]

    departments = codes(
        "SELECT DISTINCT department_code FROM suppliers WHERE platform = ? AND department_code IS NOT NULL ORDER BY 1"
    )
    categories = codes("SELECT DISTINCT category_code FROM listings WHERE platform = ? ORDER BY 1")
    kinds = codes("SELECT DISTINCT kind_code FROM suppliers WHERE platform = ? ORDER BY 1")
    choices = [{"departments": [d], "categories": [], "kinds": []} for d in departments]
    choices += [{"departments": [], "categories": [c], "kinds": []} for c in categories]
    choices += [{"departments": [], "categories": [], "kinds": [k]} for k in kinds]
    choices += [
        {"departments": [d], "categories": [c], "kinds": []}
        for d, c in itertools.islice(itertools.product(departments, categories), 0, None, 7)
    ]
    choices += [
        {"departments": departments[:2], "categories": categories[:3], "kinds": kinds[:1]},
        {"departments": [], "categories": categories[::2], "kinds": []},
        {"departments": ["99"], "categories": [], "kinds": []},  # no supplier there
    ]
    return [{"platform": platform, **choice} for choice in choices]


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
def test_the_table_gives_the_visits_the_catalogue_join_gives(conn, platform):
    choices = _filter_choices(conn, platform)
    assert len(choices) > 10
    scope_sql = engine.load_sql("scope_visit_days")
    found = 0
    for params in choices:
        expected = _pairs(conn, CATALOGUE_JOIN, params)
        assert _pairs(conn, scope_sql, params) == expected, params
        found += bool(expected)
    # The comparison is not between empty sets.
    assert found >= 0.75 * len(choices)


def test_without_a_catalogue_filter_the_scope_is_empty(conn):
    params = {"platform": "produits-frais", "departments": [], "categories": [], "kinds": []}
    assert _pairs(conn, engine.load_sql("scope_visit_days"), params) == set()


def _rows(con, table="catalogue_visit_days") -> list:
    return sorted(
        con.execute(f"SELECT * FROM {table}").fetchall(), key=lambda r: tuple(map(str, r))
    )


def _rederived(db) -> list:
    """The table derived again over every day, in a copy of the load's database."""
    con = duckdb.connect(str(etl_db_path(db)), read_only=True)
    try:
        rows = _rows(con)
        copy = duckdb.connect()
        copy.execute("ATTACH ? AS etl (READ_ONLY)", [str(etl_db_path(db))])
        run_script(copy, "00_schema.sql")
        run_script(copy, "01_vocabulary.sql")
        for table in ("pageviews", "listings", "suppliers", "categories"):
            copy.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM etl.{table}")
        for table in ("config_state", "catalogue_visit_days"):
            copy.execute(f"INSERT INTO {table} BY NAME SELECT * FROM etl.{table}")
        copy.execute("DELETE FROM config_state WHERE name = ?", [derive.CATALOGUE_VISIT_DAYS_STATE])
        assert derive.refresh_catalogue_visit_days(copy)
        return rows, _rows(copy)
    finally:
        con.close()


def test_daily_loads_catalogue_changes_and_retention_keep_the_table_whole(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    write(raw, "produits-frais", "listings", "annonces.csv", FOOD_LISTINGS, "utf-8-sig")
    logs = raw / "produits-frais" / "logs"
    logs.mkdir(parents=True)
    live = logs / "access.log"
    live.write_text(
        "\n".join(
            [
                line("90.1.1.1", "02/Apr/2020:09:00:00 +0200", "GET /produit/A1-fraises HTTP/1.1"),
                line("90.1.1.1", "02/Apr/2020:09:01:00 +0200", "GET /producteur/P2 HTTP/1.1"),
                line("90.2.2.2", "02/Apr/2020:10:00:00 +0200", "GET /produit/A2-oeufs HTTP/1.1"),
                line("90.3.3.3", "03/Apr/2020:11:00:00 +0200", "GET / HTTP/1.1"),
            ]
        )
        + "\n"
    )
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb", state_dir=tmp_path / "state")
    settings = dataclasses.replace(settings, retention_max_purge_share=1.0)

    def check(step: str) -> list:
        db_rows, whole = _rederived(settings.db_path)
        assert db_rows == whole, step
        assert published_differences(settings.db_path) == {}, step
        return db_rows

    load(settings, progress=False)
    first = check("first load")
    # A1 (P1, Tours: 37, fruits) seen on product page, P2 (Bourges: 18) on its own page.
    assert {(r[0], str(r[1]), r[3]) for r in first} >= {
        ("produits-frais", "2020-04-02", "37"),
        ("produits-frais", "2020-04-02", "18"),
    }

    with live.open("a") as handle:  # a new day: only its rows are added
        handle.write(
            line("90.4.4.4", "04/Apr/2020:09:00:00 +0200", "GET /producteur/P1 HTTP/1.1") + "\n"
        )
    load(settings, progress=False)
    assert len(check("new day")) > len(first)

    # P1 moves from Tours (37) to Blois (41): every day's rows follow, not only new days'.
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        FOOD_SUPPLIERS.replace(
            "P1;Ferme du Chêne;Producteur;;37000;Tours", "P1;Ferme du Chêne;Producteur;;41000;Blois"
        ),
        "cp1252",
    )
    load(settings, progress=False)
    moved = check("catalogue change")
    assert "41" in {r[3] for r in moved} and "37" not in {r[3] for r in moved}

    # 25 months after 3 April 2020, 12:00: retention purges 2 April and keeps 4 April.
    with live.open("a") as handle:
        handle.write(
            line("90.8.8.8", "03/May/2022:12:00:00 +0200", "GET /produit/A1 HTTP/1.1") + "\n"
        )
    load(settings, progress=False)
    kept = check("retention")
    assert {str(r[1]) for r in kept} == {"2020-04-04", "2022-05-03"}
