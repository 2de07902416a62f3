"""The public canteen files of `data/raw/cantines/` (etl/canteens.py, etl/sql/56_canteens.sql):
a clean register, campaign and PAT list load into their tables; each hostile variant is
refused or quarantined with its reason code; rows of other departments are counted out of
scope; per file read = loaded + quarantined + out of scope. Fixtures are written here, by hand."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pytest

from etl import canteens, reference_load
from etl.load import load
from etl.report import LoadReport, print_report
from etl.scripts import run_script
from etl.settings import Settings
from tests.test_etl_catalogue import FOOD_SUPPLIERS, write


def siret(prefix: str) -> str:
    """A SIRET with a valid Luhn checksum: the 13 digits given and the key digit."""
    for key in "0123456789":
        digits = prefix + key
        total = sum(
            (int(c) * 2) % 10 + (int(c) * 2) // 10 if i % 2 == 0 else int(c)
            for i, c in enumerate(digits)
        )
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


TOURS, ORLEANS, PARIS = siret("2137002610001"), siret("2145023400001"), siret("2175105600001")
CENTRAL = siret("2137002610002")

REGISTER_HEADER = (
    "id;name;siret;city;city_insee_code;postal_code;epci;pat_list;department;region;"
    "management_type;production_type;central_producer_siret;daily_meal_count;yearly_meal_count;"
    "sector_list;logo"
)
REGISTER_ROWS = [
    f"1;École Jules Ferry;{TOURS};Tours;37261;37000;243700754;1000;37;24;direct;"
    f"site_cooked_elsewhere;{CENTRAL};120;16800;Ecole primaire (maternelle et élémentaire);",
    f"2;Collège Jean Zay;{ORLEANS};Orléans;45234;45000;244500468;;45;24;conceded;site;;1 200;"
    "168000.0;Collège;",
    # Another region: read, counted out of scope, not checked (its commune is not ours).
    f"3;Lycée parisien;{PARIS};Paris;75056;75001;200054781;;75;11;direct;site;;800;;Lycée;",
]
CAMPAIGN_HEADER = (
    "id;year;canteen_siret;canteen_name;canteen_city_insee_code;canteen_department;"
    "canteen_region;teledeclaration_mode;teledeclaration_ratio_bio;"
    "teledeclaration_ratio_egalim_hors_bio"
)
CAMPAIGN_ROWS = [
    f"10;2023;{TOURS};École Jules Ferry;37261;37;24;SITE;0.2134;0.3100",
    f"11;2023;{ORLEANS};Collège Jean Zay;45234;45;24;SITE;0.05;",
    f"12;2023;{PARIS};Lycée parisien;75056;75;11;SITE;0.1;0.2",
]
PAT_HEADER = (
    "id;lien_vers_la_fiche_pat;nom_administratif;nom_usuel;regions;departement;epci;"
    "communes_code_insee"
)
PAT_ROWS = [
    '1000;https://france-pat.fr/pat/touraine/;"PAT de la Touraine, Vallée du Cher";Manger local en Touraine – Été;'
    "Centre-Val de Loire;Indre-et-Loire;;37261,37001",
    # Across a regional border: only its commune of the region goes to the bridge.
    "1001;;PAT du Perche;;Normandie, Centre-Val de Loire;Orne, Eure-et-Loir;;61001,28085",
    # Wholly elsewhere: out of scope.
    "1002;;PAT de Redon;;Bretagne;Ille-et-Vilaine;;35145,56232",
]


def text(header: str, rows: list[str], separator: str = ";") -> str:
    return "\n".join([header, *rows]).replace(";", separator) + "\n"


def without_column(header: str, rows: list[str], dropped: str) -> tuple[str, list[str]]:
    """`header` and `rows` (";"-separated) without the column `dropped`."""
    names = header.split(";")
    keep = [i for i, name in enumerate(names) if name != dropped]
    return ";".join(names[i] for i in keep), [";".join(r.split(";")[i] for i in keep) for r in rows]


def empty_load_db():
    """An in-memory load database: the schema, the vocabulary and the INSEE reference."""
    con = duckdb.connect()
    run_script(con, "00_schema.sql")
    run_script(con, "01_vocabulary.sql")
    reference_load.load_reference(con)
    yield con
    con.close()


@pytest.fixture()
def con():
    yield from empty_load_db()


def _put(raw: Path, name: str, content: str | bytes, encoding: str = "utf-8-sig") -> Path:
    folder = raw / canteens.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def _clean_files(raw: Path) -> None:
    _put(raw, "registre_cantines.csv", text(REGISTER_HEADER, REGISTER_ROWS))
    _put(raw, "campagne_td_2023.csv", text(CAMPAIGN_HEADER, CAMPAIGN_ROWS))
    _put(raw, "pats-20250224-win1252.csv", text(PAT_HEADER, PAT_ROWS), "cp1252")


def load_folder(con, raw: Path) -> LoadReport:
    """The canteen folder of `raw` loaded into `con`, as a load does; its report."""
    report = LoadReport()
    canteens.load_canteen_inputs(con, raw, report)
    return report


def _rejected(con, source: str) -> set[tuple]:
    return set(
        con.execute(
            "select line_no, reason_code, detail from rejected_rows where source = ?", [source]
        ).fetchall()
    )


def test_clean_files_load_the_region_rows(con, tmp_path):
    _clean_files(tmp_path)
    report = load_folder(con, tmp_path)
    assert con.execute(
        """select siret, canteen_id, name, insee_code, department_code, epci_code,
                  food_project_ids, management_type, production_type, central_producer_siret,
                  daily_meal_count, yearly_meal_count, line_no
           from canteens order by siret"""
    ).fetchall() == [
        (TOURS, "1", "École Jules Ferry", "37261", "37", "243700754", ["1000"], "direct",
         "site_cooked_elsewhere", CENTRAL, 120, 16800, 2),
        (ORLEANS, "2", "Collège Jean Zay", "45234", "45", "244500468", None, "conceded", "site",
         None, 1200, 168000, 3),
    ]  # fmt: skip
    assert con.execute(
        """select siret, year, department_code, ratio_bio, ratio_egalim_hors_bio
           from canteen_declarations order by siret"""
    ).fetchall() == [(TOURS, 2023, "37", 0.2134, 0.31), (ORLEANS, 2023, "45", 0.05, None)]
    assert con.execute(
        "select food_project_id, name, usual_name, url from food_projects order by 1"
    ).fetchall() == [
        ("1000", "PAT de la Touraine, Vallée du Cher", "Manger local en Touraine – Été", "https://france-pat.fr/pat/touraine/"),
        ("1001", "PAT du Perche", None, None),
    ]  # fmt: skip
    assert con.execute("select * from food_project_communes order by all").fetchall() == [
        ("1000", "37001"),
        ("1000", "37261"),
        ("1001", "28085"),
    ]
    assert con.execute("select count(*) from rejected_rows").fetchone() == (0,)
    # The publisher's other columns are said as information, never as a warning.
    assert report.errors == []
    assert any("logo" in info for info in report.infos)
    by_source = {f.source: f for f in report.files}
    assert {s: (f.read, f.loaded, f.rejected, f.out_of_scope) for s, f in by_source.items()} == {
        "canteens": (3, 2, 0, 1),
        "canteen_declarations": (3, 2, 0, 1),
        "food_projects": (3, 2, 0, 1),
    }
    assert by_source["food_projects"].note.startswith("cp1252")


def test_a_comma_separated_file_loads_the_same_rows(con, tmp_path):
    rows = [
        row.replace(";", ",")
        .replace("1 200", '"1 200"')
        .replace("Ecole primaire (maternelle et élémentaire)", "Ecole primaire")
        for row in REGISTER_ROWS
    ]
    _put(tmp_path, "registre.csv", REGISTER_HEADER.replace(";", ",") + "\n" + "\n".join(rows))
    report = load_folder(con, tmp_path)
    assert report.files[0].note.endswith("« , »")
    assert con.execute("select siret, daily_meal_count from canteens order by 1").fetchall() == [
        (TOURS, 120),
        (ORLEANS, 1200),
    ]


def test_windows_1252_accents_are_read_as_such(con, tmp_path):
    _put(tmp_path, "registre.csv", text(REGISTER_HEADER, REGISTER_ROWS[:1]), "cp1252")
    load_folder(con, tmp_path)
    assert con.execute("select name from canteens").fetchall() == [("École Jules Ferry",)]


@pytest.mark.parametrize(
    ("dropped", "missing"),
    [
        ("daily_meal_count", "daily_meal_count"),
        ("city_insee_code", "city_insee_code"),
    ],
)
def test_a_register_without_a_required_column_is_refused_naming_it(con, tmp_path, dropped, missing):
    header, rows = without_column(REGISTER_HEADER, REGISTER_ROWS, dropped)
    _put(tmp_path, "registre.csv", text(header, rows))
    report = load_folder(con, tmp_path)
    assert report.files[0].source == "canteens"
    assert len(report.errors) == 1
    assert "colonne(s) obligatoire(s) absente(s) : " + missing in report.errors[0]
    (row,) = con.execute(
        "select source, line_no, reason_code, detail from rejected_rows"
    ).fetchall()
    assert row[:3] == ("canteens", None, "file_rejected") and missing in row[3]
    assert con.execute("select count(*) from canteens").fetchone() == (0,)


def test_a_campaign_without_its_ratios_is_refused_naming_them(con, tmp_path):
    header = CAMPAIGN_HEADER.replace(";teledeclaration_ratio_egalim_hors_bio", "")
    _put(tmp_path, "campagne.csv", text(header, [r.rsplit(";", 1)[0] for r in CAMPAIGN_ROWS]))
    report = load_folder(con, tmp_path)
    assert report.files[0].source == "canteen_declarations"
    assert "teledeclaration_ratio_egalim_hors_bio" in report.errors[0]


def test_hostile_register_rows_are_quarantined_with_their_reason(con, tmp_path):
    other = siret("3000000000001")
    rows = [
        *REGISTER_ROWS,
        f"4;Doublon;{TOURS};Tours;37261;37000;;;37;24;direct;site;;10;;;",  # 5
        "5;SIRET faux;21370026100019;Tours;37261;37000;;;37;24;direct;site;;10;;;",  # 6
        f"6;Commune inconnue;{other};Nulle part;37999;37000;;;37;24;direct;site;;10;;;",  # 7
        f"7;Repas;{siret('3000000000002')};Tours;37261;37000;;;37;24;direct;site;;beaucoup;;;",  # 8
        f"8;Repas négatifs;{siret('3000000000003')};Tours;37261;;;;37;;;;;;-5;;",  # 9
        f"9;;{siret('3000000000004')};Tours;37261;;;;37;;;;;10;;;",  # 10: no name
        "10;Trop;de;colonnes",  # 11
    ]
    _put(tmp_path, "registre.csv", text(REGISTER_HEADER, rows))
    report = load_folder(con, tmp_path)
    assert _rejected(con, "canteens") == {
        (5, "duplicate_id_in_file", TOURS),
        (6, "invalid_siret", "21370026100019"),
        (7, "unknown_commune", "city_insee_code « 37999 »"),
        (8, "invalid_meal_count", "daily_meal_count « beaucoup »"),
        (9, "invalid_meal_count", "yearly_meal_count « -5 »"),
        (10, "missing_field", "name"),
        (11, "wrong_column_count", "4/17"),
    }
    (entry,) = report.files
    assert (entry.read, entry.loaded, entry.rejected, entry.out_of_scope) == (10, 2, 7, 1)


def test_a_siret_in_two_files_is_kept_from_the_first_by_name(con, tmp_path):
    _put(tmp_path, "a_registre.csv", text(REGISTER_HEADER, REGISTER_ROWS[:1]))
    _put(tmp_path, "b_registre.csv", text(REGISTER_HEADER, REGISTER_ROWS[:1]))
    load_folder(con, tmp_path)
    assert con.execute("select source_file from canteens").fetchall() == [
        (str(tmp_path / canteens.FOLDER / "a_registre.csv"),)
    ]
    assert _rejected(con, "canteens") == {(2, "duplicate_id", f"a_registre.csv : {TOURS}")}


def test_hostile_campaign_rows_are_quarantined_with_their_reason(con, tmp_path):
    rows = [
        *CAMPAIGN_ROWS,
        f"13;2023;{TOURS};Doublon;37261;37;24;SITE;0.1;0.1",  # 5: same canteen and year
        f"14;2022;{TOURS};Autre année;37261;37;24;SITE;0,1;0,2",  # 6: loaded (another year)
        f"15;2023;{CENTRAL};Pourcentages;37261;37;24;SITE;45;12",  # 7
        f"16;2023;{siret('3000000000005')};Texte;37261;37;24;SITE;beaucoup;0.1",  # 8
        f"17;2023;{siret('3000000000006')};Trop;37261;37;24;SITE;0.7;0.5",  # 9
        f"18;20233;{siret('3000000000007')};Année;37261;37;24;SITE;0.1;0.1",  # 10
        f"19;2023;{siret('3000000000008')};Commune;37999;37;24;SITE;0.1;0.1",  # 11
        "20;2023;;Sans SIRET;37261;37;24;SITE;0.1;0.1",  # 12
    ]
    _put(tmp_path, "campagne.csv", text(CAMPAIGN_HEADER, rows))
    report = load_folder(con, tmp_path)
    assert _rejected(con, "canteen_declarations") == {
        (5, "duplicate_id_in_file", f"{TOURS} 2023"),
        (7, "ratio_out_of_range", "teledeclaration_ratio_bio « 45 »"),
        (8, "invalid_ratio", "teledeclaration_ratio_bio « beaucoup »"),
        (9, "ratios_over_one", "0.7 + 0.5"),
        (10, "invalid_year", "20233"),
        (11, "unknown_commune", "canteen_city_insee_code « 37999 »"),
        (12, "missing_field", "canteen_siret"),
    }
    assert con.execute(
        "select year, ratio_bio, ratio_egalim_hors_bio from canteen_declarations "
        "where siret = ? order by year",
        [TOURS],
    ).fetchall() == [(2022, 0.1, 0.2), (2023, 0.2134, 0.31)]
    (entry,) = report.files
    assert (entry.read, entry.loaded, entry.rejected, entry.out_of_scope) == (11, 3, 7, 1)


def test_hostile_pat_rows_are_quarantined_with_their_reason(con, tmp_path):
    rows = [
        *PAT_ROWS,
        "1000;;Doublon;;;;;37261",  # 5
        "1003;;Commune inconnue;;;;;37261,37999",  # 6
        "1004;;Sans commune;;;;;",  # 7
        ";;Sans identifiant;;;;;37261",  # 8
    ]
    _put(tmp_path, "pats.csv", text(PAT_HEADER, rows), "cp1252")
    load_folder(con, tmp_path)
    assert _rejected(con, "food_projects") == {
        (5, "duplicate_id_in_file", "1000"),
        (6, "unknown_commune", "communes_code_insee « 37999 »"),
        (7, "missing_field", "communes_code_insee"),
        (8, "missing_field", "id"),
    }


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "fichier vide"),
        (b"\xef\xbb\xbf\n\n", "fichier vide"),
        (b"nom;prix\nPommes;2\n", "en-tête non reconnu"),
    ],
    ids=["empty", "bom-and-blank-lines", "unknown-header"],
)
def test_an_empty_or_unknown_file_is_refused_and_the_others_load(con, tmp_path, content, reason):
    _clean_files(tmp_path)
    _put(tmp_path, "z.csv", content)
    report = load_folder(con, tmp_path)
    assert [e for e in report.errors if reason in e] and len(report.errors) == 1
    assert con.execute(
        "select source, reason_code from rejected_rows where line_no is null"
    ).fetchall() == [("canteen_files", "file_rejected")]
    assert con.execute("select count(*) from canteens").fetchone() == (2,)


def test_every_row_read_is_loaded_quarantined_or_out_of_scope(con, tmp_path):
    _clean_files(tmp_path)
    _put(
        tmp_path,
        "registre_2.csv",
        text(REGISTER_HEADER, [f"9;X;{siret('3000000000009')};Tours;37999;;;;37;;;;;1;;;", ";;;"]),
    )
    report = load_folder(con, tmp_path)
    rows = con.execute(
        """select f.path, f.lines_read, f.rows_loaded, f.rows_rejected, f.rows_out_of_scope,
                  f.rows_blank,
                  (select count(*) from rejected_rows r where r.source_file = f.path)
           from load_files as f where f.platform = 'toutes' order by f.path"""
    ).fetchall()
    assert len(rows) == 4
    for path, read, loaded, rejected, out_of_scope, _blank, quarantined in rows:
        assert read == loaded + rejected + out_of_scope, path
        assert rejected == quarantined, path
    tables = {"canteens": "canteens", "canteen_declarations": "canteen_declarations"}
    for source, table in tables.items():
        (in_table,) = con.execute(f"select count(*) from {table}").fetchone()
        assert in_table == sum(f.loaded for f in report.files if f.source == source)
    second = {r[0]: r[1:] for r in rows}[str(tmp_path / canteens.FOLDER / "registre_2.csv")]
    assert second == (1, 0, 1, 0, 1, 1)  # one row quarantined, one blank row apart
    out = io.StringIO()
    print_report(report, out)
    assert "hors région" in out.getvalue()


def test_the_full_load_publishes_the_tables_and_reloads_when_a_file_changes(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    _clean_files(raw)
    first = load(Settings(raw_dir=raw, db_path=db), progress=False)
    assert not [e for e in first.errors if "cantines" in e]
    with duckdb.connect(str(db), read_only=True) as published:
        assert published.execute("select count(*) from canteens").fetchone() == (2,)
        assert published.execute("select count(*) from category_families").fetchone() == (10,)
    _put(raw, "registre_cantines.csv", text(REGISTER_HEADER, REGISTER_ROWS[:1]))
    second = load(Settings(raw_dir=raw, db_path=db), progress=False)
    assert not second.unchanged
    with duckdb.connect(str(db), read_only=True) as published:
        assert published.execute("select count(*) from canteens").fetchone() == (1,)


def test_a_warehouse_from_before_the_canteens_gains_them_at_its_next_load(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    load(Settings(raw_dir=raw, db_path=db), progress=False)
    etl_db = tmp_path / "w.etl.duckdb"
    with duckdb.connect(str(etl_db)) as old:
        # What an earlier version left: none of the new tables, no out-of-scope column, and
        # the inputs fingerprint of its own code.
        for table in (
            "canteens",
            "canteen_declarations",
            "food_projects",
            "food_project_communes",
            "canteen_families",
            "category_families",
        ):
            old.execute(f"drop table {table}")
        old.execute("alter table load_files drop column rows_out_of_scope")
        old.execute("delete from config_state where name = 'inputs'")
    _clean_files(raw)
    report = load(Settings(raw_dir=raw, db_path=db), progress=False)
    assert sum(f.loaded for f in report.files if f.source == "canteens") == 2
    with duckdb.connect(str(db), read_only=True) as published:
        assert published.execute("select count(*) from canteens").fetchone() == (2,)
        assert published.execute(
            "select sum(rows_out_of_scope) from load_files where platform = 'toutes'"
        ).fetchone() == (3,)


def test_the_epci_name_is_kept_and_an_older_canteens_table_gains_its_column(tmp_path):
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    _clean_files(raw)
    load(Settings(raw_dir=raw, db_path=db), progress=False)
    with duckdb.connect(str(tmp_path / "w.etl.duckdb")) as old:
        # The table as the first canteen load wrote it, before the EPCI's name.
        old.execute("alter table canteens drop column epci_name")
        old.execute("delete from config_state where name = 'inputs'")
    header = REGISTER_HEADER.replace(";epci;", ";epci;epci_lib;")
    rows = [row.replace(";243700754;", ";243700754;Tours Métropole Val de Loire;") for row in
            REGISTER_ROWS[:2]]  # fmt: skip
    rows[1] = rows[1].replace(";244500468;", ";244500468;;")
    _put(raw, "registre_cantines.csv", text(header, rows))
    report = load(Settings(raw_dir=raw, db_path=db), progress=False)
    assert sum(f.loaded for f in report.files if f.source == "canteens") == 2
    with duckdb.connect(str(db), read_only=True) as published:
        assert published.execute(
            "select siret, epci_code, epci_name from canteens order by siret"
        ).fetchall() == [
            (TOURS, "243700754", "Tours Métropole Val de Loire"),
            (ORLEANS, "244500468", None),
        ]
