"""Agence BIO's operators list in `data/raw/cantines/` (etl/canteens.py,
etl/sql/57_organic_operators.sql): recognised by its header, its productions mapped to ma
cantine's families (etl/config/organic_families.toml), hostile variants refused or quarantined
with their reasons, per file read = loaded + quarantined + out of scope. Hand-made fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import canteen_families
from etl.errors import LoadError
from tests.test_canteen_inputs import _put as put_canteen_file
from tests.test_canteen_inputs import empty_load_db, siret, without_column
from tests.test_canteen_inputs import load_folder as _load

FARM, DAIRY, SHOP, PARIS = (
    siret("4137002610001"),
    siret("4118033000001"),
    siret("4145234000001"),
    siret("4175105600001"),
)
STOPPED, CONVERSION = siret("4136044000001"), siret("4141018000001")

HEADER = (
    "siret;numerobio;raisonsociale;denominationcourante;codecommune;commune;activites;"
    "productions;etatcertification;site_web"
)
ROWS = [
    # A market gardener of Tours who also sells eggs; one label the mapping does not know.
    f"{FARM};101;EARL DU CHENE;Ferme du Chêne;37261;Tours;Production,Distribution;"
    "Légumes frais:AB|Œufs:AB|Escargots:AB;ENGAGEE;",
    # No trade name: the registered name is shown; a product still in conversion gives no family.
    f"{DAIRY};102;GAEC DES PRÉS;;18033;Bourges;Production;Lait de vache:AB|Fruits:C2;ENGAGEE;",
    # A shop: certified, not a producer.
    f"{SHOP};103;BIOCOOP ORLEANS;Biocoop;45234;Orléans;Distribution;Boissons:AB;ENGAGEE;",
    # A stopped certificate.
    f"{STOPPED};104;EARL ARRET;;36044;Châteauroux;Production;Légumes:AB;ARRETEE;",
    # Only in conversion: not certified organic yet.
    f"{CONVERSION};105;SCEA CONVERSION;;41018;Blois;Production;Légumes:C1;ENGAGEE;",
    # Another region: counted out of scope, not checked.
    f"{PARIS};106;FERME DE PARIS;;75056;Paris;Production;Légumes:AB;ENGAGEE;",
]


def text(rows: list[str], header: str = HEADER, separator: str = ";") -> str:
    return "\n".join([header, *rows]).replace(";", separator) + "\n"


@pytest.fixture()
def con():
    yield from empty_load_db()


def _put(raw: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    return put_canteen_file(raw, name, content, encoding)


def _operators(con) -> list[tuple]:
    return con.execute(
        """select siret, organic_id, name, insee_code, department_code, is_producer, is_certified,
                  families, unmapped_productions
           from organic_operators order by siret"""
    ).fetchall()


EXPECTED = sorted(
    [
        (FARM, "101", "Ferme du Chêne", "37261", "37", True, True,
         ["fruits_et_legumes", "produits_laitiers"], ["Escargots"]),
        (DAIRY, "102", "GAEC DES PRÉS", "18033", "18", True, True, ["produits_laitiers"], []),
        (SHOP, "103", "Biocoop", "45234", "45", False, True, ["boissons"], []),
        (STOPPED, "104", "EARL ARRET", "36044", "36", True, False, ["fruits_et_legumes"], []),
        (CONVERSION, "105", "SCEA CONVERSION", "41018", "41", True, False, [], []),
    ]
)  # fmt: skip


def test_the_operators_list_loads_with_families_and_flags(con, tmp_path):
    _put(tmp_path, "operateurs_bio.csv", text(ROWS))
    report = _load(con, tmp_path)
    assert _operators(con) == EXPECTED
    (entry,) = report.files
    assert (entry.source, entry.read, entry.loaded, entry.rejected, entry.out_of_scope) == (
        "organic_operators",
        6,
        5,
        0,
        1,
    )
    assert report.errors == []
    # The unknown production label is counted, said once, and is no error.
    assert any(
        "1 libellé(s) de production sans famille" in i and "Escargots" in i for i in report.infos
    )
    assert any("site_web" in i for i in report.infos)


def test_a_comma_separated_windows_1252_file_loads_the_same_rows(con, tmp_path):
    # `,` separator: the activities list needs its quotes, as a spreadsheet writes them.
    rows = [
        row.replace(";", ",").replace("Production,Distribution", '"Production,Distribution"')
        for row in ROWS
    ]
    _put(
        tmp_path,
        "operateurs.csv",
        HEADER.replace(";", ",") + "\n" + "\n".join(rows) + "\n",
        "cp1252",
    )
    report = _load(con, tmp_path)
    assert report.files[0].note.startswith("cp1252") and report.files[0].note.endswith("« , »")
    assert _operators(con) == EXPECTED


@pytest.mark.parametrize("dropped", ["codecommune", "productions", "siret"])
def test_a_file_without_a_required_column_is_refused_naming_it(con, tmp_path, dropped):
    header, rows = without_column(HEADER, ROWS, dropped)
    _put(tmp_path, "operateurs.csv", text(rows, header))
    report = _load(con, tmp_path)
    assert report.files[0].source == "organic_operators"
    assert len(report.errors) == 1
    assert "colonne(s) obligatoire(s) absente(s) : " + dropped in report.errors[0]
    assert con.execute("select source, line_no, reason_code from rejected_rows").fetchall() == [
        ("organic_operators", None, "file_rejected")
    ]
    assert con.execute("select count(*) from organic_operators").fetchone() == (0,)


def test_hostile_rows_are_quarantined_with_their_reason(con, tmp_path):
    hostile = [
        f"{FARM};201;EARL DOUBLON;;37261;Tours;Production;Légumes:AB;ENGAGEE;",  # SIRET again
        f"{FARM[:-1]}X;202;EARL CLEF;;37261;Tours;Production;Légumes:AB;ENGAGEE;",
        f"{siret('4137999000001')};203;EARL NULLE PART;;37999;;Production;Légumes:AB;ENGAGEE;",
        f"{siret('4137261000009')};204;;;37261;Tours;Production;Légumes:AB;ENGAGEE;",
        ";205;SANS SIRET;;37261;Tours;Production;Légumes:AB;ENGAGEE;",
        "trop;de;colonnes;;;;;;;;;;",
    ]
    _put(tmp_path, "a_operateurs.csv", text(ROWS + hostile))
    # The same SIRET in a later file: the first file (by name) keeps it.
    _put(tmp_path, "b_operateurs.csv", text(ROWS[:1]))
    report = _load(con, tmp_path)
    rejected = set(
        con.execute(
            """select file_name(source_file), line_no, reason_code, detail from rejected_rows
               where source = 'organic_operators'"""
        ).fetchall()
    )
    assert {(f, n, code) for f, n, code, _ in rejected} == {
        ("a_operateurs.csv", 8, "duplicate_id_in_file"),
        ("a_operateurs.csv", 9, "invalid_siret"),
        ("a_operateurs.csv", 10, "unknown_commune"),
        ("a_operateurs.csv", 11, "missing_field"),
        ("a_operateurs.csv", 12, "missing_field"),
        ("a_operateurs.csv", 13, "wrong_column_count"),
        ("b_operateurs.csv", 2, "duplicate_id"),
    }
    details = {n: d for _, n, _, d in rejected}
    assert details[10] == "codecommune « 37999 »"
    assert details[11] == "raisonsociale" and details[12] == "siret"
    assert _operators(con) == EXPECTED
    # Every row read is loaded, quarantined or out of scope, per file.
    for entry in report.files:
        assert entry.read == entry.loaded + entry.rejected + entry.out_of_scope, entry.path
    rows = con.execute(
        """select lines_read, rows_loaded, rows_rejected, rows_out_of_scope from load_files
           where source = 'organic_operators' order by path"""
    ).fetchall()
    assert rows == [(12, 5, 6, 1), (1, 0, 1, 0)]


def test_the_production_mapping_refuses_an_unknown_family_or_a_missing_reason(tmp_path):
    path = tmp_path / "f.toml"
    path.write_text('[productions]\n"Légumes" = { family = "legumes", why = "x" }\n', "utf-8")
    with pytest.raises(LoadError, match="famille inconnue « legumes »"):
        canteen_families.read_production_families(path)
    path.write_text('[productions]\n"Légumes" = { family = "fruits_et_legumes" }\n', "utf-8")
    with pytest.raises(LoadError, match="justification"):
        canteen_families.read_production_families(path)


def test_the_shipped_mapping_gives_every_entry_a_family_of_ma_cantine_and_a_reason():
    rows = canteen_families.read_production_families(
        canteen_families.CONFIG_DIR / canteen_families.ORGANIC_FAMILIES_FILE
    )
    assert len(rows) >= 30
    assert {r["family_code"] for r in rows} - {None} == set(canteen_families.MA_CANTINE_FAMILIES)


def test_the_data_gouv_csv_without_productions_is_refused_naming_what_it_lacks(con, tmp_path):
    # The header of data.gouv.fr's « Professionnels engagés en bio » (data/README.md): no
    # productions, no commune code, so no family and no place on the map.
    header = (
        "SIRET;NUMERO BIO;DENOMINATION;CODE POSTAL SIEGE SOCIAL;DATEENGAGEMENT;ACTIVITES;"
        "ORGANISME CERTIFICATEUR"
    )
    row = f"{FARM};101;EARL DU CHENE;37000;2019-07-22;Production,Préparation;Ecocert France"
    _put(tmp_path, "professionnels-engages-en-bio.csv", header + "\n" + row + "\n")
    report = _load(con, tmp_path)
    assert report.files[0].source == "organic_operators"
    (error,) = report.errors
    assert "colonne(s) obligatoire(s) absente(s) : raisonsociale, codecommune, productions" in error
