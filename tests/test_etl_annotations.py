"""The analysts' annotations file (`data/annotations.csv`, beside the raw folder): good rows
loaded, every bad row quarantined with its reason code, counts adding up, reloaded when
edited or removed, and read per platform by the dashboard's query."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from app import queries
from app.filtering import Filters
from etl.annotations import annotations_path
from etl.load import load
from etl.report import print_report
from etl.settings import Settings
from tests.test_etl_catalogue import FOOD_SUPPLIERS, write

# As Excel in French saves "CSV (séparateur : point-virgule)": Windows-1252, `;`, JJ/MM/AAAA.
ANNOTATIONS = (
    "Date;Plateforme;Libellé\n"
    "01/04/2020;;Lancement de la campagne radio\n"  # 2: every platform
    "2020-04-15;produits-frais;Article <b>La Nouvelle République</b> [lien](https://evil.example)\n"
    "2020-04-20; Equipements-Protection ;Panne du serveur (2 h)\n"  # 4: code, case and spaces
    ";;\n"  # 5: blank row, skipped and counted apart
    "31/02/2020;;Date impossible\n"  # 6
    ";produits-frais;Sans date\n"  # 7
    "2020-05-01;marche-de-noel;Plateforme inconnue\n"  # 8
    "2020-05-02;produits-frais;   \n"  # 9
    '2020-05-03;;"=HYPERLINK(""https://evil.example"",""x"")"\n'  # 10
    "2020-05-04;;+cmd|' /C calc'!A0\n"  # 11
    "2020-05-05;;@SUM(A1:A2)\n"  # 12
    "2020-05-06;;-2+3\n"  # 13
    "2020-05-07;;trop;de;colonnes\n"  # 14
)
# (line, reason code, detail): codes labelled in etl/reasons.py.
EXPECTED_REJECTED = {
    (6, "invalid_date", "31/02/2020"),
    (7, "missing_date", None),
    (8, "unknown_platform", "marche-de-noel"),
    (9, "empty_label", None),
    (10, "formula_label", None),
    (11, "formula_label", None),
    (12, "formula_label", None),
    (13, "formula_label", None),
    (14, "wrong_column_count", "5/3"),
}
LOADED = [
    (date(2020, 4, 1), None, "Lancement de la campagne radio"),
    (
        date(2020, 4, 15),
        "produits-frais",
        "Article <b>La Nouvelle République</b> [lien](https://evil.example)",
    ),
    (date(2020, 4, 20), "equipements-protection", "Panne du serveur (2 h)"),
]


def _load(raw: Path, db: Path):
    return load(Settings(raw_dir=raw, db_path=db), progress=False)


@pytest.fixture()
def loaded(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    annotations_path(raw).write_bytes(ANNOTATIONS.encode("cp1252"))
    report = _load(raw, tmp_path / "w.duckdb")
    return raw, tmp_path / "w.duckdb", report


def _rows(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_file_sits_beside_the_raw_folder():
    assert annotations_path(Path("data/raw")) == Path("data/annotations.csv")


def test_good_rows_are_loaded_with_platform_codes(loaded):
    _, db, _ = loaded
    assert _rows(db, 'select "date", platform, label from annotations order by "date"') == LOADED


def test_every_bad_row_is_quarantined_with_its_reason(loaded):
    _, db, report = loaded
    rejected = set(
        _rows(
            db,
            "select line_no, reason_code, detail from rejected_rows where source = 'annotations'",
        )
    )
    assert rejected == EXPECTED_REJECTED
    # The row of a known platform keeps it (shown on that platform's quality page).
    assert _rows(
        db, "select platform from rejected_rows where source = 'annotations' and line_no = 9"
    ) == [("produits-frais",)]
    entry = next(f for f in report.files if f.source == "annotations")
    assert sum(n for _, n, _ in entry.quarantine) == len(EXPECTED_REJECTED)


def test_counts_add_up(loaded):
    _, db, report = loaded
    entry = next(f for f in report.files if f.source == "annotations")
    assert (entry.read, entry.loaded, entry.rejected, entry.blank) == (12, 3, 9, 1)
    assert entry.read == entry.loaded + entry.rejected
    assert _rows(
        db,
        """select lines_read, rows_loaded, rows_rejected, rows_blank from load_files
           where source = 'annotations'""",
    ) == [(12, 3, 9, 1)]


def test_the_report_says_what_was_quarantined(loaded):
    *_, report = loaded
    buffer = io.StringIO()
    print_report(report, out=buffer)
    out = buffer.getvalue()
    assert re.search(r"toutes\s+annotations\s+1\s+12\s+3\s+9", out)
    assert "libellé vide" in out and "plateforme inconnue" in out


def test_the_dashboard_reads_the_notes_of_its_platform(loaded):
    _, db, _ = loaded
    con = duckdb.connect(str(db), read_only=True)
    try:
        april = (date(2020, 4, 1), date(2020, 4, 30))
        food = queries.annotations(con, Filters("produits-frais", *april))
        assert food["label"].tolist() == [LOADED[0][2], LOADED[1][2]]
        equipment = queries.annotations(con, Filters("equipements-protection", *april))
        assert equipment["label"].tolist() == [LOADED[0][2], LOADED[2][2]]
        # Limited to the period.
        mid_april = Filters("produits-frais", date(2020, 4, 10), date(2020, 4, 30))
        assert queries.annotations(con, mid_april)["label"].tolist() == [LOADED[1][2]]
    finally:
        con.close()


def test_an_edited_or_removed_file_is_loaded_again(loaded):
    raw, db, _ = loaded
    annotations_path(raw).write_text(
        "date;plateforme;libelle\n2020-06-01;;Nouvelle note\n", encoding="utf-8"
    )
    report = _load(raw, db)
    assert not report.unchanged
    assert _rows(db, "select label from annotations") == [("Nouvelle note",)]
    assert _rows(db, "select count(*) from rejected_rows where source = 'annotations'") == [(0,)]
    annotations_path(raw).unlink()
    report = _load(raw, db)
    assert not report.unchanged
    assert _rows(db, "select count(*) from annotations") == [(0,)]
    assert _rows(db, "select count(*) from load_files where source = 'annotations'") == [(0,)]


def test_a_file_without_its_text_column_is_rejected_with_a_message(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    annotations_path(raw).write_text("date;plateforme\n2020-04-01;\n", encoding="utf-8")
    report = _load(raw, tmp_path / "w.duckdb")
    assert any("colonne(s) obligatoire(s) absente(s) : libelle" in e for e in report.errors)
    assert _rows(tmp_path / "w.duckdb", "select count(*) from annotations") == [(0,)]


def test_the_shipped_example_loads_cleanly(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", FOOD_SUPPLIERS, "cp1252")
    example = Path(__file__).resolve().parent.parent / "data" / "annotations.example.csv"
    annotations_path(raw).write_bytes(example.read_bytes())
    report = _load(raw, tmp_path / "w.duckdb")
    entry = next(f for f in report.files if f.source == "annotations")
    assert entry.read == entry.loaded == 3 and entry.rejected == 0
    assert not [e for e in report.errors if "annotations" in e]


def test_the_quality_page_shows_the_quarantine_of_the_notes(loaded):
    _, db, _ = loaded
    con = duckdb.connect(str(db), read_only=True)
    try:
        for platform, expected in (("produits-frais", 9), ("equipements-protection", 7)):
            filters = Filters(platform, date(2020, 3, 30), date(2020, 12, 31))
            reasons = queries.rejected_by_reason(con, filters)
            notes = reasons[reasons["source"] == "annotations"]
            # Every platform's page: the rows of no known platform; food's only: lines 7, 9.
            assert notes["n_rows"].sum() == expected, platform
            sample = queries.rejected_sample(con, filters)
            assert (sample["source"] == "annotations").sum() == expected
            summary = queries.load_summary(con, filters)
            row = summary[summary["source"] == "annotations"]
            assert row[["lines_read", "rows_loaded", "rows_rejected"]].values.tolist() == [
                [12, 3, 9]
            ]
    finally:
        con.close()
