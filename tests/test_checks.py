"""Data checks (app/sql/checks/*.sql: SQL that must return no rows), run on the small
warehouse built by the real pipeline, each compared with what the data holds, worked out
independently here; then on a tiny broken warehouse, where each check must catch its fault."""

from __future__ import annotations

import re
import unicodedata

import duckdb
import pytest

from app import labels, queries
from tests.fake_warehouse import add_codes_and_macros, daily_aggregates, empty_warehouse

PLATFORMS = ["produits-frais", "equipements-protection"]


def normalise(text: str | None) -> str:
    text = (text or "").lower().replace("œ", "oe")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def rows(conn, sql, params=()):
    return conn.execute(sql, list(params)).fetchall()


def expected_duplicates(conn, platform) -> int:
    suppliers = rows(
        conn,
        "SELECT supplier_id, name, commune, siret FROM suppliers WHERE platform = ?",
        [platform],
    )
    by_siret, by_name = {}, {}
    for sid, name, commune, siret in suppliers:
        if siret:
            by_siret.setdefault(siret, set()).add(sid)
        by_name.setdefault((normalise(name), normalise(commune)), set()).add(sid)
    return sum(1 for ids in by_siret.values() if len(ids) > 1) + sum(
        1 for ids in by_name.values() if len(ids) > 1
    )


def expected_outside(conn, platform) -> int:
    codes = {c for (c,) in rows(conn, "SELECT department_code FROM departments")}
    return sum(
        1
        for (code, inside) in rows(
            conn,
            "SELECT department_code, is_in_region FROM suppliers WHERE platform = ?",
            [platform],
        )
        if code not in codes or not inside
    )


def expected_unknown_categories(conn, platform) -> int:
    return sum(
        1
        for (category,) in rows(
            conn, "SELECT category FROM listings WHERE platform = ?", [platform]
        )
        if category.startswith("Non classé : ")
    )


def expected_unviewed(conn, platform) -> int:
    listings = {
        l for (l,) in rows(conn, "SELECT listing_id FROM listings WHERE platform = ?", [platform])
    }
    viewed = {
        e
        for (e,) in rows(
            conn,
            """SELECT DISTINCT entity_id FROM pageviews
                                          WHERE platform = ? AND page_type = 'produit'""",
            [platform],
        )
    }
    return len(listings - viewed)


def expected_bad_accounting(conn, platform) -> int:
    return sum(
        1
        for read, loaded, rejected in rows(
            conn,
            "SELECT lines_read, rows_loaded, rows_rejected FROM load_files WHERE platform = ?",
            [platform],
        )
        if read != loaded + rejected
    )


def expected_orphans(conn, platform) -> int:
    suppliers = {
        s for (s,) in rows(conn, "SELECT supplier_id FROM suppliers WHERE platform = ?", [platform])
    }
    return sum(
        1
        for (s,) in rows(conn, "SELECT supplier_id FROM listings WHERE platform = ?", [platform])
        if s not in suppliers
    )


def expected_unknown_entities(conn, platform) -> int:
    known = {
        "produit": {
            x
            for (x,) in rows(conn, "SELECT listing_id FROM listings WHERE platform = ?", [platform])
        },
        "fournisseur": {
            x
            for (x,) in rows(
                conn, "SELECT supplier_id FROM suppliers WHERE platform = ?", [platform]
            )
        },
        "categorie": {
            x for (x,) in rows(conn, "SELECT slug FROM categories WHERE platform = ?", [platform])
        },
    }
    seen = rows(
        conn,
        """SELECT DISTINCT page_type, entity_id FROM pageviews WHERE platform = ?
                         AND page_type IN ('produit', 'fournisseur', 'categorie')""",
        [platform],
    )
    return sum(1 for t, e in seen if e not in known[t])


EXPECTED = {
    "duplicate_suppliers": expected_duplicates,
    "suppliers_outside_region": expected_outside,
    "unknown_categories": expected_unknown_categories,
    "listings_without_pageviews": expected_unviewed,
    "load_line_accounting": expected_bad_accounting,
    "listings_unknown_supplier": expected_orphans,
    "pageviews_unknown_entity": expected_unknown_entities,
}


def test_every_check_is_known_and_titled():
    assert set(queries.check_names()) == set(EXPECTED)
    assert set(queries.check_names()) == set(labels.CHECKS)
    for name in queries.check_names():
        text = queries.load_check(name)
        assert "Must return no rows" in text, name
        assert "{" not in text and set(re.findall(r"\$(\w+)", text)) <= {"platform"}, name


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_finds_what_the_data_holds(conn, platform, name):
    count, sample = queries.data_check(conn, name, platform)
    assert count == EXPECTED[name](conn, platform)
    assert len(sample) == min(count, queries.CHECK_SAMPLE_LIMIT)


def test_demo_anomalies_are_seen(conn):
    """The demo's deliberate anomalies: one unknown category label per platform, and lines
    read always equal to lines loaded plus quarantined."""
    for platform in PLATFORMS:
        assert queries.data_check(conn, "unknown_categories", platform)[0] == 1
        assert queries.data_check(conn, "load_line_accounting", platform)[0] == 0
        assert queries.data_check(conn, "listings_unknown_supplier", platform)[0] == 0
        # The duplicated export row is quarantined by the loader, so no duplicate remains.
        assert queries.data_check(conn, "duplicate_suppliers", platform)[0] == 0


@pytest.fixture(scope="module")
def broken():
    """A tiny warehouse with one fault of each kind."""
    con = duckdb.connect()
    empty_warehouse(con)
    con.execute("""
        INSERT INTO departments VALUES ('18', 'Cher', 300000);
        INSERT INTO categories VALUES ('produits-frais', 'miel', 'Miel', 'miel');
        INSERT INTO suppliers (platform, supplier_id, name, commune, siret, department_code,
                               is_in_region, joined_on, is_active) VALUES
            ('produits-frais', 'S1', 'Ferme du Chêne', 'Bourges', '11111111111111', '18', TRUE, '2020-04-01', TRUE),
            ('produits-frais', 'S2', 'FERME DU CHENE', 'Bourges', NULL, '18', TRUE, '2020-04-01', TRUE),
            ('produits-frais', 'S3', 'Autre ferme', 'Vierzon', '11111111111111', '18', TRUE, '2020-04-01', TRUE),
            ('produits-frais', 'S4', 'Ferme du Mans', 'Le Mans', NULL, '72', FALSE, '2020-04-01', TRUE);
        INSERT INTO listings (platform, listing_id, supplier_id, title, category, is_known_category,
                              created_on, is_active) VALUES
            ('produits-frais', 'L1', 'S1', 'Miel', 'Miel', TRUE, '2020-04-01', TRUE),
            ('produits-frais', 'L2', 'S1', 'Panier', 'Non classé : Paniers', FALSE, '2020-04-01', TRUE),
            ('produits-frais', 'L3', 'S9', 'Orphelin', 'Miel', TRUE, '2020-04-01', TRUE);
        INSERT INTO pageviews BY NAME
        SELECT *, timezone('Europe/Paris', ts) AS ts_utc FROM (VALUES
            ('produits-frais', TIMESTAMP '2020-04-02 10:00', 'a', 'v', 'produit', 'L1'),
            ('produits-frais', TIMESTAMP '2020-04-02 10:01', 'a', 'v', 'produit', 'L404'),
            ('produits-frais', TIMESTAMP '2020-04-02 10:02', 'a', 'v', 'categorie', 'miel'),
            ('produits-frais', TIMESTAMP '2020-04-02 10:03', 'a', 'v', 'produit', NULL)
        ) AS v(platform, ts, visitor_id, visit_id, page_type, entity_id);
        INSERT INTO load_files (file_id, platform, source, path, lines_read, rows_loaded, rows_rejected,
                                loaded_at)
        VALUES ('f1', 'produits-frais', 'logs', 'access.log', 10, 8, 1, '2020-04-03 08:00+00'),
               ('f2', 'produits-frais', 'logs', 'access.log.1', 10, 9, 1, '2020-04-03 08:00+00');
    """)
    daily_aggregates(con)  # as the ETL keeps them
    add_codes_and_macros(con)
    yield con
    con.close()


@pytest.mark.parametrize(
    "name,count",
    [
        ("duplicate_suppliers", 2),  # S1/S3 same SIRET; S1/S2 same name and commune
        ("suppliers_outside_region", 1),  # S4 in the Sarthe
        ("unknown_categories", 1),  # L2
        ("listings_without_pageviews", 2),  # L2, L3
        ("load_line_accounting", 1),  # f1: 10 read, 9 accounted for
        ("listings_unknown_supplier", 1),  # L3
        ("pageviews_unknown_entity", 2),  # L404, and a product page whose address gave no id
    ],
)
def test_each_check_catches_its_fault(broken, name, count):
    found, sample = queries.data_check(broken, name, "produits-frais")
    assert found == count
    assert queries.data_check(broken, name, "equipements-protection")[0] == 0
