"""Validation of the catalogue exports, on small hand-made CSV files."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from etl import catalogue
from etl.load import load
from etl.reasons import REASON_LABELS
from etl.settings import Settings

# Windows-1252, `;`, decimal comma: as Excel in French saves "CSV (séparateur : point-virgule)".
FOOD_SUPPLIERS = (
    "id_fournisseur;Nom;Type;SIRET;Code postal;Commune;Date d'inscription;Date retrait;Remarque\n"
    "P1;Ferme du Chêne;Producteur;;37000;Tours;01/04/2020;;\n"
    "P2;Fromagerie Œuf & Lait;commerçant;;18000;Bourges;2020-04-03;;\n"
    "P3;Sans commune;producteur;;45000;;02/04/2020;;\n"  # missing commune
    "P1;Ferme du Chêne (doublon);producteur;;37000;Tours;01/04/2020;;\n"  # duplicate id
    "P4;Ferme de Paris;producteur;;75001;Paris;05/04/2020;;\n"  # outside the region: kept, flagged
    "P5;Trop de colonnes;producteur;;37000;Tours;05/04/2020;;;x\n"  # wrong field count
)
FOOD_LISTINGS = (
    "id_annonce,id_fournisseur,titre,categorie,prix,unite,statut,date_creation\n"
    'A1,P1,Fraises gariguette,Fruits et légumes,"4,50",barquette,active,02/04/2020\n'
    'A2,P2,Œufs frais,oeufs,"3,20",douzaine,active,04/04/2020\n'
    "A3,P9,Orpheline,Fruits,1,kg,active,02/04/2020\n"  # unknown supplier
    "A4,P1,Panier mystère,Produits de saison,12,panier,active,02/04/2020\n"  # unknown category: kept
    'A5,P2,Ancien fromage,Fromages,"2,00",pièce,retirée,02/04/2020\n'
)
EQUIPMENT_SUPPLIERS = (
    "id_fournisseur;nom;type;siret;code_naf;code_postal;commune;date_inscription\n"
    "E1;Textiles du Berry;entreprise;732 829 320 00074;13.92Z;36000;Châteauroux;01/04/2020\n"
    "E2;Mauvais SIRET;entreprise;73282932000075;22.29A;41000;Blois;01/04/2020\n"
)


def write(root: Path, platform: str, source: str, name: str, text: str, encoding="utf-8") -> None:
    folder = root / platform / source
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))


@pytest.fixture()
def warehouse(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    write(raw, "produits-frais", "listings", "annonces.csv", FOOD_LISTINGS, "utf-8-sig")
    write(raw, "equipements-protection", "suppliers", "entreprises.csv", EQUIPMENT_SUPPLIERS)
    report = load(Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb"), progress=False)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    yield con, report
    con.close()


def test_rows_are_loaded_or_quarantined_with_a_reason(warehouse):
    con, report = warehouse
    rejected = set(
        con.execute(
            "select source_file.split('/')[-1], reason_code, detail from rejected_rows "
            "where source <> 'logs'"
        ).fetchall()
    )
    assert rejected == {
        ("producteurs.csv", "missing_field", "commune"),
        ("producteurs.csv", "duplicate_id_in_file", "P1"),
        ("producteurs.csv", "wrong_column_count", "10/9"),
        ("annonces.csv", "unknown_supplier", "P9"),
        ("entreprises.csv", "invalid_siret", "73282932000075"),
    }
    for f in report.files:
        assert f.read == f.loaded + f.rejected, f.path


def test_stored_reasons_are_codes_and_details_not_french_sentences(warehouse):
    # Issue #29: the warehouse stores a stable code and the value it quotes; the French
    # label lives in etl/reasons.py alone (the load prints it, app/labels.py re-exports it).
    con, _ = warehouse
    columns = {
        (table, column)
        for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where table_name in ('rejected_rows', 'rejected_overflow')"
        ).fetchall()
    }
    assert ("rejected_rows", "reason") not in columns
    assert ("rejected_overflow", "reason") not in columns
    stored = con.execute(
        "select reason_code, detail from rejected_rows union all "
        "select reason_code, detail from rejected_overflow"
    ).fetchall()
    assert stored
    for code, detail in stored:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code) and code in REASON_LABELS, code
        assert detail is None or not any(label in detail for label in REASON_LABELS.values()), (
            detail
        )


def test_suppliers_resolve_to_real_communes(warehouse):
    con, _ = warehouse
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "select supplier_id, insee_code, department_code, is_in_region, kind from suppliers order by 1"
        ).fetchall()
    }
    assert rows["P1"] == ("37261", "37", True, "Producteur")
    assert rows["P2"] == ("18033", "18", True, "Commerçant")
    assert rows["P4"][2] is False  # Paris: loaded, flagged outside the region
    assert rows["E1"][1:3] == ("36", True)
    assert (
        con.execute("select name from suppliers where supplier_id = 'P2'").fetchone()[0]
        == "Fromagerie Œuf & Lait"
    )


def test_categories_are_mapped_and_unknown_ones_kept(warehouse):
    con, _ = warehouse
    rows = dict(con.execute("select listing_id, category from listings").fetchall())
    assert rows == {
        "A1": "Fruits et légumes",
        "A2": "Œufs",
        "A4": "Non classé : Produits de saison",
        "A5": "Produits laitiers et fromages",
    }
    assert con.execute("select count(*) from listings where is_active").fetchone()[0] == 3
    assert (
        float(con.execute("select price_eur from listings where listing_id = 'A1'").fetchone()[0])
        == 4.5
    )


def test_kinds_and_categories_are_stored_as_codes(warehouse):
    # Filters compare codes: every row carries the vocabulary's code, an unclassified category
    # one made of its own words (the same at every load).
    con, _ = warehouse
    kinds = dict(con.execute("select supplier_id, kind_code from suppliers").fetchall())
    assert kinds["P1"] == "producteur" and kinds["P2"] == "commercant"
    codes = dict(con.execute("select listing_id, category_code from listings").fetchall())
    assert codes == {
        "A1": "fruits_legumes",
        "A2": "oeufs",
        "A4": "non_classe_produits_de_saison",
        "A5": "produits_laitiers",
    }
    assert con.execute(
        "select count(*) from listing_snapshots where category_code is null"
    ).fetchone() == (0,)
    # The export's French status (« retirée ») is stored as a code, labelled by the app.
    statuses = dict(con.execute("select listing_id, status from listings").fetchall())
    assert statuses["A5"] == "withdrawn" and statuses["A1"] == "active"
    assert set(statuses.values()) <= {"active", "withdrawn"}


def test_a_file_missing_a_required_column_is_rejected_with_a_message(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "sans_nom.csv",
        "id_fournisseur;type;code_postal\nP1;producteur;37000\n",
    )
    report = load(Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb"), progress=False)
    assert any("colonne(s) obligatoire(s) absente(s) : nom" in e for e in report.errors)


def test_detection_of_encoding_and_separator(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(FOOD_SUPPLIERS.encode("cp1252"))
    parsed = catalogue.read_csv_file(path, "suppliers")
    assert (parsed.encoding, parsed.delimiter) == ("cp1252", ";")
    assert parsed.extra_columns == ["remarque"]
    assert catalogue.normalise_name("Date d'inscription") == "date_d_inscription"


def test_a_load_with_new_logs_only_keeps_the_catalogue_and_repeats_its_warnings(
    tmp_path, monkeypatch
):
    from etl import catalogue_load

    raw = tmp_path / "raw"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    write(raw, "produits-frais", "listings", "annonces.csv", FOOD_LISTINGS, "utf-8-sig")
    write(raw, "equipements-protection", "suppliers", "entreprises.csv", "nom;type\nX;entreprise\n")
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    first = load(settings, progress=False)
    assert any("entreprises.csv" in error for error in first.errors)  # missing required columns

    def catalogue_counts():
        con = duckdb.connect(str(settings.db_path), read_only=True)
        try:
            return con.execute("""select (select count(*) from suppliers), (select count(*) from listings),
                                         (select count(*) from rejected_rows where source <> 'logs')""").fetchone()
        finally:
            con.close()

    before = catalogue_counts()
    logs_dir = raw / "produits-frais" / "logs"
    logs_dir.mkdir(parents=True)
    (logs_dir / "access.log").write_text(
        '90.1.1.1 - - [02/Apr/2020:09:00:00 +0200] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0 (X11; Linux x86_64)"\n'
    )
    rebuilt = []
    monkeypatch.setattr(catalogue_load, "_load_catalogue", lambda *args: rebuilt.append(args))
    second = load(settings, progress=False)
    assert not second.unchanged and rebuilt == []  # new log lines, the same CSV files
    assert catalogue_counts() == before

    def csv_files(report):
        return sorted(
            (f.path.name, f.read, f.loaded, f.rejected) for f in report.files if f.source != "logs"
        )

    assert csv_files(second) == csv_files(first)
    assert [e.split(" (constaté")[0] for e in second.errors if "csv" in e] == [
        e for e in first.errors if "csv" in e
    ]
    monkeypatch.undo()

    # One edited row: the catalogue is read again and the change shows.
    write(
        raw,
        "produits-frais",
        "listings",
        "annonces.csv",
        FOOD_LISTINGS.replace("A5,P2,", "A6,P2,"),
        "utf-8-sig",
    )
    load(settings, progress=False)
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        assert con.execute("select list(listing_id order by listing_id) from listings").fetchone()[
            0
        ] == ["A1", "A2", "A4", "A6"]
    finally:
        con.close()
