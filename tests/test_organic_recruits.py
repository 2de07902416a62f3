"""Organic producers to recruit (app/sql/include/organic_recruits.sql, organic_recruits.sql,
organic_recruit_counts.sql) on the hand-made warehouse of tests/test_sourcing.py, plus
Agence BIO operators written here, against values worked out by hand.

Operators (commune; producer, certified; families):
  O_ON_PLATFORM  Tours    yes yes  fruits          SIRET of the food supplier S1: not a target
  O_CHINON       Chinon   yes yes  fruits, dairy   target
  O_ORLEANS      Orléans  yes yes  (none known)    target, counted under no family
  O_SHOP         Amboise  no  yes  drinks          a shop, not a producer
  O_UNCERTIFIED  Tours    yes no   fruits          certificate stopped / in conversion
  O_GONE         Orléans  yes yes  meat            SIRET of S5, a food supplier whose offer ended
  O_BREWERY      Amboise  yes yes  drinks          SIRET of an *equipment* supplier: a target
"""

from __future__ import annotations

import pytest

from app import queries
from tests.test_sourcing import AMBOISE, CHINON, ORLEANS, TOURS, _filters
from tests.test_sourcing import con as sourcing_warehouse  # noqa: F401

S1_SIRET, S5_SIRET, EQUIPMENT_SIRET = "51111111111111", "55555555555555", "57777777777777"
OPERATORS = [
    ("O_ON_PLATFORM", S1_SIRET, "Ferme de Tours", TOURS, "37", True, True, ["fruits_et_legumes"]),
    ("O_CHINON", "60000000000002", "Ferme bio de Chinon", CHINON, "37", True, True,
     ["fruits_et_legumes", "produits_laitiers"]),
    ("O_ORLEANS", "60000000000003", "Escargotière d'Orléans", ORLEANS, "45", True, True, []),
    ("O_SHOP", "60000000000004", "Épicerie bio d'Amboise", AMBOISE, "37", False, True, ["boissons"]),
    ("O_UNCERTIFIED", "60000000000005", "EARL en conversion", TOURS, "37", True, False,
     ["fruits_et_legumes"]),
    ("O_GONE", S5_SIRET, "Boucherie d'Orléans", ORLEANS, "45", True, True, ["viandes_volailles"]),
    ("O_BREWERY", EQUIPMENT_SIRET, "Brasserie bio d'Amboise", AMBOISE, "37", True, True,
     ["boissons"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def con(sourcing_warehouse):  # noqa: F811
    c = sourcing_warehouse
    c.execute("UPDATE suppliers SET siret = ? WHERE supplier_id = 'S1'", [S1_SIRET])
    c.execute("UPDATE suppliers SET siret = ? WHERE supplier_id = 'S5'", [S5_SIRET])
    c.execute(
        """INSERT INTO suppliers BY NAME SELECT 'equipements-protection' AS platform,
           'E1' AS supplier_id, 'Brasserie (masques)' AS name, 'producteur' AS kind_code,
           ? AS siret, ? AS insee_code, 'Amboise' AS commune, '37' AS department_code,
           DATE '2020-04-01' AS joined_on, true AS is_active""",
        [EQUIPMENT_SIRET, AMBOISE],
    )
    for key, siret, name, insee, dept, producer, certified, families in OPERATORS:
        c.execute(
            """INSERT INTO organic_operators BY NAME SELECT ? AS siret, ? AS organic_id,
               ? AS name, ? AS insee_code, ? AS department_code, ? AS is_producer,
               ? AS is_certified, ?::VARCHAR[] AS families, []::VARCHAR[] AS productions,
               []::VARCHAR[] AS unmapped_productions, 'bio.csv' AS source_file, 1 AS line_no""",
            [siret, key, name, insee, dept, producer, certified, families],
        )
    return c


def _counts(frame) -> dict:
    rows = frame[~frame["is_total"]]
    return {
        (r.department_code, r.family_code): r.recruits
        for r in rows.astype(object).where(rows.notna(), None).itertuples()
    }


def test_targets_are_certified_producers_whose_siret_no_food_supplier_has(con):
    frame = queries.organic_recruit_counts(con, _filters())
    total = frame[frame["is_total"]].iloc[0]
    assert total["recruits"] == 3  # O_CHINON, O_ORLEANS, O_BREWERY
    assert total["operators_loaded"] == 7
    assert _counts(frame) == {
        ("37", "fruits_et_legumes"): 1,
        ("37", "produits_laitiers"): 1,
        ("37", "boissons"): 1,
        ("45", None): 1,  # no family known: counted, not lost
    }
    # Families in ma cantine's order within a department; labels come with them.
    dept37 = frame[frame["department_code"] == "37"]
    assert list(dept37["family_code"]) == ["fruits_et_legumes", "produits_laitiers", "boissons"]
    assert set(dept37["department_name"]) == {"Indre-et-Loire"}


def test_the_department_filter_chooses_the_operators(con):
    frame = queries.organic_recruit_counts(con, _filters(departments=["45"]))
    assert frame[frame["is_total"]].iloc[0]["recruits"] == 1
    assert _counts(frame) == {("45", None): 1}
    # Still loaded: the page tells an empty filter from a missing file.
    assert frame[frame["is_total"]].iloc[0]["operators_loaded"] == 7


def test_the_list_gives_the_distance_to_the_nearest_canteen_of_the_group(con):
    # EPCI E1 holds the canteens of Tours and Amboise.
    frame = queries.organic_recruits(con, _filters(), "epci", "E1")
    assert list(frame["organic_id"]) == ["O_BREWERY", "O_CHINON", "O_ORLEANS"]
    km = dict(zip(frame["organic_id"], frame["nearest_km"]))
    assert km["O_BREWERY"] == 0  # a canteen in its own commune
    assert km["O_CHINON"] == pytest.approx(41.87, abs=0.01)  # Tours, not Amboise (62.17)
    assert km["O_ORLEANS"] > km["O_CHINON"]
    brewery = frame.set_index("organic_id").loc["O_BREWERY"]
    assert (brewery["commune"], brewery["department_code"]) == ("Amboise", "37")
    assert list(brewery["family_codes"]) == ["boissons"]


def test_a_group_without_canteens_leaves_the_distance_empty(con):
    frame = queries.organic_recruits(con, _filters(), "epci", "E9")
    assert len(frame) == 3 and frame["nearest_km"].isna().all()


def test_no_operators_file_gives_a_total_row_with_nothing_loaded(con):
    saved = con.execute("SELECT * FROM organic_operators").fetchall()
    con.execute("DELETE FROM organic_operators")
    try:
        frame = queries.organic_recruit_counts(con, _filters())
        assert len(frame) == 1
        assert (frame.iloc[0]["recruits"], frame.iloc[0]["operators_loaded"]) == (0, 0)
        assert queries.organic_recruits(con, _filters(), "department", None).empty
    finally:
        con.executemany(
            "INSERT INTO organic_operators VALUES (" + ", ".join("?" * len(saved[0])) + ")",
            saved,
        )
