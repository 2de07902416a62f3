"""The local sourcing figures (issue #31, app/sql/canteen_territories.sql,
sourcing_families.sql, sourcing_candidates.sql) on a hand-made warehouse, against values
worked out by hand.

Four communes, their centroids and the great-circle distances between them (haversine,
R = 6371.0088 km): Tours–Amboise 22.51 km, Tours–Chinon 41.87 km, Chinon–Amboise 62.17 km,
Tours–Orléans 107.78 km.

Canteens (meals per year; 2023 declaration: organic, other EGalim):
  C_TOURS   37, EPCI E1, 100 000; 0.30, 0.25   (2022: 0.05, 0.05, an older campaign)
  C_CHINON  37, EPCI E2,  50 000; 0.10, 0.30
  C_AMBOISE 37, EPCI E1,  no count, no declaration
  C_ORLEANS 45, EPCI E3,  20 000; 0.25, 0.30
PATs: Touraine covers Tours and Chinon; Orléanais covers Orléans and Tours.
Suppliers of the food platform: a Tours farm (fruit and vegetables), a Chinon dairy (dairy),
an Orléans orchard (fruit and vegetables), an Amboise florist (flowers: no family), an
Orléans butcher whose only listing was withdrawn (offers nothing on the day).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from app import queries
from app.filtering import Filters
from etl.scripts import run_script
from tests.fake_warehouse import empty_warehouse

END = date(2020, 12, 31)
TOURS, CHINON, AMBOISE, ORLEANS = "37261", "37072", "37003", "45234"
C_TOURS, C_CHINON, C_AMBOISE, C_ORLEANS = (
    "11111111111111",
    "22222222222222",
    "33333333333333",
    "44444444444444",
)


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    empty_warehouse(con)
    con.execute("""INSERT INTO departments VALUES
        ('37', 'Indre-et-Loire', 610079), ('45', 'Loiret', 680434)""")
    con.execute(f"""INSERT INTO communes VALUES
        ('{TOURS}', 'Tours', '37', '37000', 136463, 47.3941, 0.6848),
        ('{CHINON}', 'Chinon', '37', '37500', 7863, 47.1670, 0.2420),
        ('{AMBOISE}', 'Amboise', '37', '37400', 13000, 47.4125, 0.9826),
        ('{ORLEANS}', 'Orléans', '45', '45000', 116238, 47.9030, 1.9093)""")
    suppliers = [
        ("S1", "Ferme de Tours", TOURS, "Tours", "37", 47.3941, 0.6848),
        ("S2", "Laiterie de Chinon", CHINON, "Chinon", "37", 47.1670, 0.2420),
        ("S3", "Verger d'Orléans", ORLEANS, "Orléans", "45", 47.9030, 1.9093),
        ("S4", "Fleurs d'Amboise", AMBOISE, "Amboise", "37", 47.4125, 0.9826),
        ("S5", "Boucherie d'Orléans", ORLEANS, "Orléans", "45", 47.9030, 1.9093),
    ]
    for sid, name, insee, commune, dept, lat, lon in suppliers:
        con.execute(
            """INSERT INTO suppliers BY NAME SELECT 'produits-frais' AS platform,
               ? AS supplier_id, ? AS name, 'producteur' AS kind_code, ? AS insee_code,
               ? AS commune, ? AS department_code, ? AS latitude, ? AS longitude,
               DATE '2020-04-01' AS joined_on, true AS is_active""",
            [sid, name, insee, commune, dept, lat, lon],
        )
    listings = [
        ("L1", "S1", "fruits_legumes", True, None),
        ("L2", "S2", "produits_laitiers", True, None),
        ("L3", "S3", "fruits_legumes", True, None),
        ("L4", "S4", "fleurs_plants", True, None),
        ("L5", "S5", "viandes_volailles", False, date(2020, 6, 1)),
    ]
    for lid, sid, category, active, withdrawn in listings:
        con.execute(
            """INSERT INTO listings BY NAME SELECT 'produits-frais' AS platform,
               ? AS listing_id, ? AS supplier_id, ? AS category_code, ? AS is_active,
               DATE '2020-04-02' AS created_on, ? AS withdrawn_on""",
            [lid, sid, category, active, withdrawn],
        )
    con.execute("""INSERT INTO canteen_families VALUES
        ('viandes_volailles', 'Viandes et volailles', 1),
        ('produits_de_la_mer', 'Produits de la mer', 2),
        ('fruits_et_legumes', 'Fruits et légumes', 3),
        ('charcuterie', 'Charcuterie', 4),
        ('produits_laitiers', 'Produits laitiers', 5),
        ('boulangerie', 'Boulangerie', 6),
        ('boissons', 'Boissons', 7),
        ('autres', 'Autres produits', 8)""")
    con.execute("""INSERT INTO category_families VALUES
        ('produits-frais', 'fruits_legumes', 'fruits_et_legumes', 'same'),
        ('produits-frais', 'produits_laitiers', 'produits_laitiers', 'same'),
        ('produits-frais', 'viandes_volailles', 'viandes_volailles', 'same'),
        ('produits-frais', 'fleurs_plants', NULL, 'not food')""")
    canteens = [
        (C_TOURS, "Cantine de Tours", TOURS, "37", "E1", 100_000),
        (C_CHINON, "Cantine de Chinon", CHINON, "37", "E2", 50_000),
        (C_AMBOISE, "Cantine d'Amboise", AMBOISE, "37", "E1", None),
        (C_ORLEANS, "Cantine d'Orléans", ORLEANS, "45", "E3", 20_000),
    ]
    for siret, name, insee, dept, epci, meals in canteens:
        con.execute(
            """INSERT INTO canteens BY NAME SELECT ? AS siret, ? AS name, ? AS insee_code,
               ? AS department_code, ? AS epci_code,
               CASE WHEN ? = 'E1' THEN 'Tours Métropole Val de Loire' END AS epci_name,
               ? AS yearly_meal_count,
               'test.csv' AS source_file, 1 AS line_no""",
            [siret, name, insee, dept, epci, epci, meals],
        )
    declarations = [
        (C_TOURS, 2023, 0.30, 0.25),
        (C_TOURS, 2022, 0.05, 0.05),
        (C_CHINON, 2023, 0.10, 0.30),
        (C_ORLEANS, 2023, 0.25, 0.30),
    ]
    for siret, year, bio, other in declarations:
        con.execute(
            """INSERT INTO canteen_declarations BY NAME SELECT ? AS siret, ? AS year,
               '37' AS department_code, ? AS ratio_bio, ? AS ratio_egalim_hors_bio,
               'test.csv' AS source_file, 1 AS line_no""",
            [siret, year, bio, other],
        )
    con.execute("""INSERT INTO food_projects BY NAME
        SELECT * FROM (VALUES ('F1', 'PAT de Touraine', 'pat.csv', 1),
                              ('F2', 'PAT Orléanais', 'pat.csv', 2))
                 AS t(food_project_id, name, source_file, line_no)""")
    con.execute(f"""INSERT INTO food_project_communes VALUES
        ('F1', '{TOURS}'), ('F1', '{CHINON}'), ('F2', '{ORLEANS}'), ('F2', '{TOURS}')""")
    for script in ("01_vocabulary.sql", "92_scopes.sql"):
        run_script(con, script)
    yield con
    con.close()


def _filters(departments=(), categories=(), platform="produits-frais") -> Filters:
    return Filters(
        platform=platform,
        start=date(2020, 3, 30),
        end=END,
        departments=tuple(departments),
        categories=tuple(categories),
    )


def test_distance_macro_is_the_haversine_distance(con):
    km = con.execute("SELECT distance_km(47.3941, 0.6848, 47.1670, 0.2420)").fetchone()[0]
    assert km == pytest.approx(41.874, abs=0.001)
    assert con.execute("SELECT distance_km(47.0, 1.0, 47.0, 1.0)").fetchone()[0] == 0


def test_declared_shares_are_weighted_by_meals_and_count_each_canteen_once(con):
    rows = queries.canteen_territories(con, _filters(), "department")
    area = rows[rows["territory_code"].isna()].iloc[0]
    assert area["canteens"] == 4
    assert area["meals_per_year"] == 170_000
    assert area["canteens_without_meals"] == 1
    assert area["declared_canteens"] == 3  # 2023, the latest campaign
    assert area["campaign_year"] == 2023
    assert area["organic_share"] == pytest.approx(40_000 / 170_000)
    assert area["quality_share"] == pytest.approx(86_000 / 170_000)
    indre_et_loire = rows.set_index("territory_code").loc["37"]
    assert indre_et_loire["territory_name"] == "Indre-et-Loire"
    assert indre_et_loire["canteens"] == 3
    assert indre_et_loire["organic_share"] == pytest.approx(35_000 / 150_000)
    assert indre_et_loire["quality_share"] == pytest.approx(75_000 / 150_000)
    assert indre_et_loire["canteens_organic_target"] == 1  # Tours 30 %; Chinon 10 %
    assert indre_et_loire["canteens_quality_target"] == 1  # Tours 55 %; Chinon 40 %


def test_a_canteen_in_two_food_projects_counts_in_each_and_once_in_the_total(con):
    rows = queries.canteen_territories(con, _filters(), "food_project").set_index(
        "territory_code", drop=False
    )
    assert rows.loc["F1", "territory_name"] == "PAT de Touraine"
    assert rows.loc["F1", "canteens"] == 2  # Tours, Chinon
    assert rows.loc["F2", "canteens"] == 2  # Orléans, Tours
    assert rows[rows["territory_code"].isna()].iloc[0]["canteens"] == 4


def test_epci_level_follows_the_department_filter(con):
    rows = queries.canteen_territories(con, _filters(departments=["37"]), "epci")
    by_code = rows.dropna(subset=["territory_code"]).set_index("territory_code")
    assert sorted(by_code.index) == ["E1", "E2"]
    assert by_code.loc["E1", "canteens"] == 2
    assert by_code.loc["E1", "territory_name"] == "Tours Métropole Val de Loire"
    assert by_code.loc["E2", "territory_name"] == "E2"  # no name published: its code
    # Amboise declared nothing: E1's share is Tours' alone.
    assert by_code.loc["E1", "organic_share"] == pytest.approx(0.30)


def _grid(frame):
    return {
        (row.territory_code, row.family_code): (row.producers_nearby, row.producers_in_department)
        for row in frame.itertuples()
    }


def test_producers_within_the_distance_and_the_gaps(con):
    frame = queries.sourcing_families(con, _filters(), "department", 30)
    grid = _grid(frame)
    # Tours' farm serves Tours and Amboise (22.5 km); Chinon's dairy only Chinon at 30 km.
    assert grid["37", "fruits_et_legumes"] == (1, 1)
    assert grid["37", "produits_laitiers"] == (1, 1)
    assert grid["45", "fruits_et_legumes"] == (1, 1)
    assert grid["45", "produits_laitiers"] == (0, 0)
    # The butcher's only listing was withdrawn; the florist sells no food.
    assert grid["37", "viandes_volailles"] == (0, 0)
    gaps = set(frame.loc[(frame["territory_code"] == "37") & frame["is_gap"], "family_code"])
    families = set(frame["family_code"])
    assert len(families) == 8
    assert gaps == families - {"fruits_et_legumes", "produits_laitiers"}
    assert len(frame[frame["territory_code"] == "37"]) == 8  # every family, gaps included
    # Only three families have a category of the platform: the others cannot be filled.
    assert set(frame.loc[frame["has_category"], "family_code"]) == {
        "fruits_et_legumes",
        "produits_laitiers",
        "viandes_volailles",
    }


def test_a_category_filter_keeps_its_families_only(con):
    frame = queries.sourcing_families(
        con, _filters(categories=["produits_laitiers"]), "department", 30
    )
    assert set(frame["family_code"]) == {"produits_laitiers"}


def test_candidates_of_a_group_nearest_first_with_their_reach(con):
    near = queries.sourcing_candidates(con, _filters(), "department", 30, "37")
    assert list(near["supplier_id"]) == ["S1", "S2"]  # both at 0 km: most meals first
    s1 = near.set_index("supplier_id").loc["S1"]
    assert s1["canteens_within"] == 2  # Tours (0 km), Amboise (22.5 km)
    assert s1["meals_within"] == 100_000  # Amboise gives no count
    assert list(s1["family_codes"]) == ["fruits_et_legumes"]
    wider = queries.sourcing_candidates(con, _filters(), "department", 45, "37")
    wider = wider.set_index("supplier_id")
    assert wider.loc["S1", "canteens_within"] == 3  # + Chinon at 41.9 km
    assert wider.loc["S2", "canteens_within"] == 2  # Chinon, Tours
    assert wider.loc["S2", "meals_within"] == 150_000
    everywhere = queries.sourcing_candidates(con, _filters(), "department", 30, None)
    assert sorted(everywhere["supplier_id"]) == ["S1", "S2", "S3"]


def test_the_other_platform_in_the_sidebar_still_shows_the_food_producers(con):
    frame = queries.sourcing_candidates(
        con,
        _filters(categories=["masques"], platform="equipements-protection"),
        "department",
        30,
        "37",
    )
    assert sorted(frame["supplier_id"]) == ["S1", "S2"]


def test_a_filter_without_canteens_still_gives_the_whole_area_row(con):
    rows = queries.canteen_territories(con, _filters(departments=["18"]), "department")
    assert len(rows) == 1
    area = rows.iloc[0]
    assert area["territory_code"] is None
    assert area["canteens"] == 0
    assert area["canteens_loaded"] == 4  # the register is there; the filter holds none of it
