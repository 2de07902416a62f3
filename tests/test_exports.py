"""Table downloads (app/exports.py): the CSV and XLSX files read back with the values, the
French headers and the formats Excel in French expects; every page offers both buttons."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import exports, labels
from tests.test_pages_apptest import DASHBOARD, PAGES, TIMEOUT

COLUMNS = {
    "name": "Producteur",
    "visits": "Visites",
    "share": "Part des visites",
    "joined_on": "Inscription",
    "per_listing": "Pages vues par annonce",
    "no_result": "% sans résultat",
    "line": "Ligne n°",
}
KINDS = dict(
    int_columns=["visits"],
    pct_columns=["share", "no_result"],
    date_columns=["joined_on"],
    decimal_columns=["per_listing"],
)


@pytest.fixture
def frame() -> pd.DataFrame:
    """Values as the query layer returns them: numpy and Decimal numbers, NaN and NaT, dates
    and timestamps, text that a spreadsheet could take for a formula or a separator."""
    return pd.DataFrame(
        {
            "name": ["Ferme du Chêne", '=HYPERLINK("http://x")', 'Miel; "bio"', None],
            "visits": [1500, np.int64(2), 3.6, None],
            "share": [0.125, Decimal("0.07"), 1.0, float("nan")],
            "joined_on": [date(2020, 3, 30), pd.Timestamp("2020-12-31"), pd.NaT, date(2020, 4, 1)],
            "per_listing": [12.3456, 0.1 + 0.2, None, 3.0],
            "no_result": [0.5, 0.0, None, 0.25],
            "line": [7, 12, 1234, 3],
            "hidden": ["not", "shown", "at", "all"],
        }
    )


@pytest.fixture
def columns(frame) -> list[exports.ExportColumn]:
    return exports.export_columns(frame, COLUMNS, **KINDS)


# --- CSV --------------------------------------------------------------------------------------


def test_csv_starts_with_a_bom_and_uses_semicolons_and_crlf(columns):
    data = exports.to_csv(columns)
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    text = data.decode("utf-8-sig")
    header = text.split("\r\n")[0]
    assert header == (
        "Producteur;Visites;Part des visites (%);Inscription;"
        "Pages vues par annonce;% sans résultat;Ligne n°"
    )
    assert text.count("\r\n") == 5  # header + 4 rows, CRLF line ends
    assert "é" in text and "Ã" not in text


def test_csv_reads_back_with_french_excel_settings(columns):
    read = pd.read_csv(
        io.BytesIO(exports.to_csv(columns)),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
        dtype={"Inscription": str},
    )
    assert list(read.columns) == [
        "Producteur",
        "Visites",
        "Part des visites (%)",
        "Inscription",
        "Pages vues par annonce",
        "% sans résultat",
        "Ligne n°",
    ]
    assert read["Producteur"].tolist()[0] == "Ferme du Chêne"
    assert read["Producteur"].tolist()[2] == 'Miel; "bio"'  # quoted, not split
    assert pd.isna(read["Producteur"][3])
    # Integers without thousands separator, rounded as shown on screen ("4" for 3.6).
    assert read["Visites"].tolist()[:3] == [1500, 2, 4] and pd.isna(read["Visites"][3])
    # Shares in percent, decimal comma read back as numbers.
    assert read["Part des visites (%)"].tolist()[:3] == [12.5, 7.0, 100.0]
    assert read["% sans résultat"].tolist()[:2] == [50.0, 0.0]
    assert read["Inscription"].tolist()[:2] == ["30/03/2020", "31/12/2020"]
    assert pd.isna(read["Inscription"][2])
    assert read["Pages vues par annonce"].tolist()[0] == 12.3456
    assert read["Pages vues par annonce"].tolist()[1] == 0.3  # no 0,30000000000000004
    assert read["Ligne n°"].tolist() == [7, 12, 1234, 3]


def test_csv_cells_are_french_numbers_never_dots(columns):
    rows = exports.to_csv(columns).decode("utf-8-sig").split("\r\n")
    assert rows[1].split(";")[1:6] == ["1500", "12,5", "30/03/2020", "12,3456", "50"]


def test_csv_text_is_never_a_formula(columns):
    text = exports.to_csv(columns).decode("utf-8-sig")
    assert '\r\n"\'=HYPERLINK(""http://x"")";' in text
    read = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert read["Producteur"][1] == '\'=HYPERLINK("http://x")'


def test_csv_cells_show_control_bytes_as_escapes_and_keep_line_breaks():
    # A binary log line in quarantine, an escape sequence or a bidi override in a name.
    raw = ["GET /\x00\x1b[2J\x07 HTTP/1.1", "Ferme\u202eoib", "deux\r\nlignes\tet tab"]
    cells = exports.export_columns(pd.DataFrame({"line": raw}), {"line": "Ligne"})
    text = exports.to_csv(cells).decode("utf-8-sig")
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]", text)
    read = pd.read_csv(io.StringIO(text), sep=";", keep_default_na=False)
    assert list(read["Ligne"]) == [
        "GET /\\x00\\x1b[2J\\x07 HTTP/1.1",
        "Ferme\\u202eoib",
        "deux\r\nlignes\tet tab",
    ]


def test_empty_table_gives_the_header_only():
    empty = exports.export_columns(pd.DataFrame({"name": []}), {"name": "Nom"})
    assert exports.to_csv(empty) == "\ufeffNom\r\n".encode("utf-8")
    read = pd.read_excel(io.BytesIO(exports.to_xlsx(empty, title="Vide")), header=3)
    assert list(read.columns) == ["Nom"] and read.empty


# --- XLSX -------------------------------------------------------------------------------------

TITLE = "Producteurs les plus vus (page du producteur)"
SUBTITLE = "Produits frais locaux · du 30 mars 2020 au 31 décembre 2020 · tous départements"


@pytest.fixture
def workbook(columns) -> bytes:
    return exports.to_xlsx(columns, title=TITLE, subtitle=SUBTITLE)


def test_xlsx_reads_back_typed(workbook):
    read = pd.read_excel(io.BytesIO(workbook), header=exports.HEADER_ROW)
    assert list(read.columns) == list(COLUMNS.values())  # the names shown, no "(%)"
    assert read["Visites"].tolist()[:3] == [1500, 2, 4]
    assert read["Part des visites"].tolist()[:3] == [0.125, 0.07, 1.0]  # a share stays a share
    assert read["Inscription"].tolist()[:2] == [datetime(2020, 3, 30), datetime(2020, 12, 31)]
    assert pd.isna(read["Inscription"][2])
    assert read["Pages vues par annonce"][0] == 12.3456
    assert read["Producteur"].tolist()[:3] == [
        "Ferme du Chêne",
        '=HYPERLINK("http://x")',
        'Miel; "bio"',
    ]


def test_xlsx_has_a_title_a_bold_frozen_header_and_number_formats(workbook):
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    assert sheet.title == "Producteurs les plus vus"
    assert sheet["A1"].value == TITLE and sheet["A1"].font.b
    assert sheet["A2"].value == SUBTITLE
    header = [cell for cell in sheet[exports.HEADER_ROW + 1]]
    assert [cell.value for cell in header] == list(COLUMNS.values())
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == f"A{exports.HEADER_ROW + 2}"
    assert sheet.auto_filter.ref == f"A{exports.HEADER_ROW + 1}:G{exports.HEADER_ROW + 5}"
    first = exports.HEADER_ROW + 2
    assert sheet[f"B{first}"].number_format == "#,##0"
    assert sheet[f"C{first}"].number_format == "0.0%"
    assert sheet[f"D{first}"].number_format == "dd/mm/yyyy"
    assert sheet[f"E{first}"].number_format == "#,##0.0"
    assert sheet[f"B{first}"].data_type == "n" and sheet[f"D{first}"].is_date
    # Widths fitted to the contents: the name column is wider than the line numbers.
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["G"].width >= 8


def test_xlsx_holds_no_formula(workbook):
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_sheet_names_follow_excel_rules():
    assert (
        exports.sheet_name("Producteurs les plus vus (page du producteur)")
        == "Producteurs les plus vus"
    )
    assert (
        exports.sheet_name("Lignes lues = lignes chargées + lignes en quarantaine")
        == "Lignes lues = lignes chargées"
    )
    assert exports.sheet_name("a/b:c[d]*?\\") == "a b c d"
    assert exports.sheet_name("") == labels.EXPORT_SHEET_FALLBACK
    for title in labels.CHECKS.values():
        name = exports.sheet_name(title[0])
        assert 0 < len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name), name


def test_file_names_are_ascii_slugs_with_platform_and_period():
    assert (
        exports.file_stem(
            "Recherches les plus fréquentes",
            "produits-frais",
            date(2020, 3, 30),
            date(2020, 12, 31),
        )
        == "recherches-les-plus-frequentes_produits-frais_2020-03-30_2020-12-31"
    )
    assert (
        exports.file_stem("Œufs et « crème »", "equipements-protection")
        == "oeufs-et-creme_equipements-protection"
    )
    assert exports.file_stem("???") == labels.EXPORT_FILE_FALLBACK


# --- in the app --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_table_has_its_two_download_buttons(warehouse_env, page):
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT).run()
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    buttons = [button.label for button in at.get("download_button")]
    tables = len(at.dataframe)
    assert tables, "page without table"
    assert buttons.count(labels.DOWNLOAD_CSV) == tables
    assert buttons.count(labels.DOWNLOAD_XLSX) == tables


# --- columns whose kind changes by row, the scorecard -----------------------------------------


def test_csv_percentages_keep_two_decimals_at_most():
    shares = exports.export_columns(
        pd.DataFrame({"share": [0.5482326, 1 / 3, 0.125]}), {"share": "Part"}, pct_columns=["share"]
    )
    assert exports.to_csv(shares).decode("utf-8-sig").split("\r\n")[1:4] == [
        "54,82",
        "33,33",
        "12,5",
    ]


def test_a_column_typed_row_by_row():
    frame = pd.DataFrame(
        {"value": [7976.4, 0.5482326, None], "kind": ["int", "pct", "pct"], "unit": list("abc")}
    )
    columns = exports.export_columns(
        frame, {"value": "Valeur", "unit": "Unité"}, row_kinds={"value": "kind"}
    )
    assert columns[0].kinds() == ("int", "pct", "pct")
    rows = exports.to_csv(columns).decode("utf-8-sig").split("\r\n")
    assert rows[:4] == ["Valeur;Unité", "7976;a", "54,82;b", ";c"]  # no "(%)": kinds vary
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(columns, title="T"))).active
    first = exports.HEADER_ROW + 2
    assert (sheet[f"A{first}"].value, sheet[f"A{first}"].number_format) == (7976, "#,##0")
    assert (sheet[f"A{first + 1}"].value, sheet[f"A{first + 1}"].number_format) == (
        0.5482326,
        "0.0%",
    )
    assert sheet[f"A{first + 2}"].value is None
    with pytest.raises(ValueError, match="unknown kinds"):
        exports.export_columns(
            frame.assign(kind="share"), {"value": "Valeur"}, row_kinds={"value": "kind"}
        )


def _scorecard_item():
    """A platform whose scorecard mixes a count, shares with long decimals, a change and a
    value that could not be computed."""
    from types import SimpleNamespace

    from app import scorecard

    def result(key, value, target, status, previous=None):
        return scorecard.CriterionResult(key, value, previous, scorecard.Target(*target), status)

    results = (
        result("weekly_visits", 21_857.625, (5000, 2500), scorecard.MET, previous=36_000),
        result("fresh_suppliers", 0.5482326, (0.5, 0.3), scorecard.MET, previous=0.5),
        result("viewed_listings", None, (0.8, 0.5), scorecard.NOT_EVALUABLE),
        result("coverage_rate", 0.998, (0.6, 0.4), scorecard.MET),
        result("post_lockdown_trend", -0.37789, (-0.3, -0.6), scorecard.WATCH),
        result("conversion_rate", 1 / 3, (0.1, 0.05), scorecard.MET),
    )
    return SimpleNamespace(results=results, filters=SimpleNamespace(days=277))


def _scorecard_files(item=None):
    from app import overview, scorecard

    rows = overview.scorecard_rows(item or _scorecard_item(), scorecard.DEFAULT_SETTINGS)
    columns = exports.export_columns(
        pd.DataFrame(rows),
        labels.SCORECARD_EXPORT_COLUMNS,
        row_kinds=overview.SCORECARD_ROW_KINDS,
    )
    return rows, exports.to_csv(columns), exports.to_xlsx(columns, title="Grille de décision")


def test_scorecard_rows_keep_the_french_text_for_the_screen():
    rows, _, _ = _scorecard_files()
    assert [(r["value"], r["target"]) for r in rows] == [
        ("21\u202f858", "≥ 5\u202f000"),
        ("54,8\u202f%", "≥ 50,0\u202f%"),
        (labels.NOT_AVAILABLE, "≥ 80,0\u202f%"),
        ("99,8\u202f%", "≥ 60,0\u202f%"),
        ("\u221237,8\u202f%", "≥ \u221230,0\u202f%"),
        ("33,3\u202f%", "≥ 10,0\u202f%"),
    ]


def test_scorecard_csv_holds_numbers_rounded_as_shown():
    _, data, _ = _scorecard_files()
    read = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(read.columns) == list(labels.SCORECARD_EXPORT_COLUMNS.values())
    assert pd.api.types.is_numeric_dtype(read["Valeur"])
    assert pd.api.types.is_numeric_dtype(read["Cible (minimum)"])
    values = read["Valeur"].tolist()
    # A count to the unit, shares and changes in percent with one decimal, as on screen.
    assert values[0] == 21858 and values[1] == 54.8 and values[3] == 99.8
    assert values[4] == -37.8 and values[5] == 33.3
    assert pd.isna(values[2])  # not available: an empty cell, never a made-up number
    assert read["Cible (minimum)"].tolist() == [5000, 50, 80, 60, -30, 10]
    assert read["Unité"].tolist()[:2] == [labels.SCORECARD_UNITS["count"], "part (%)"]
    text = data.decode("utf-8-sig")
    assert "21858;5000;" in text and "54,8;50;" in text and "\u202f" not in text.split("\r\n")[1]
    assert not re.search(r"\d,\d{3,}", text)  # never 54,82326
    # The change is a number too, in percent, with its unit: % for a count, points for a share.
    assert pd.api.types.is_numeric_dtype(read["Évolution vs période précédente"])
    trends = read["Évolution vs période précédente"].tolist()
    # 21 857,6 against 36 000: −39,3 %; 54,8 % against 50,0 %: +4,8 points.
    assert trends[0] == -39.3 and trends[1] == 4.8 and pd.isna(trends[2])
    assert read["Unité de l'évolution"].tolist()[:2] == [
        labels.SCORECARD_TREND_UNITS[True],
        labels.SCORECARD_TREND_UNITS[False],
    ]


def test_scorecard_xlsx_cells_are_typed_numbers_with_french_formats():
    _, _, data = _scorecard_files()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[exports.HEADER_ROW + 1]]
    assert header == list(labels.SCORECARD_EXPORT_COLUMNS.values())
    rows = list(sheet.iter_rows(min_row=exports.HEADER_ROW + 2, max_col=3))
    cells = [
        (row[1].value, row[1].number_format, row[2].value, row[2].number_format) for row in rows
    ]
    assert cells == [
        (21858, "#,##0", 5000, "#,##0"),
        (0.548, "0.0%", 0.5, "0.0%"),  # a share stays a fraction, shown 54,8 %
        (None, "General", 0.8, "0.0%"),
        (0.998, "0.0%", 0.6, "0.0%"),
        (-0.378, "0.0%", -0.3, "0.0%"),
        (0.333, "0.0%", 0.1, "0.0%"),
    ]
    assert all(row[1].data_type == "n" for row in rows if row[1].value is not None)


def test_the_overview_page_downloads_its_scorecards_as_numbers(warehouse_env, monkeypatch):
    from app import tables

    offered = []
    monkeypatch.setattr(
        tables, "download_buttons", lambda columns, **kwargs: offered.append((columns, kwargs))
    )
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.message for e in at.exception]
    scorecards = [c for c, kw in offered if kw["title"].startswith(labels.SCORECARD_TITLE)]
    assert len(scorecards) == 2
    for columns in scorecards:
        assert [c.name for c in columns] == list(labels.SCORECARD_EXPORT_COLUMNS.values())
        value, target = columns[1], columns[2]
        for column in (value, target):
            assert all(v is None or isinstance(v, (int, float)) for v in column.values)
        assert all(isinstance(v, (int, float)) for v in target.values)
        assert value.kinds()[0] == "int" and set(value.kinds()[1:]) == {"pct"}
        read = pd.read_csv(
            io.BytesIO(exports.to_csv(columns)), sep=";", decimal=",", encoding="utf-8-sig"
        )
        assert pd.api.types.is_numeric_dtype(read["Valeur"])
        assert pd.api.types.is_numeric_dtype(read["Cible (minimum)"])
        sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(columns, title="G"))).active
        first = exports.HEADER_ROW + 2
        assert sheet[f"C{first}"].data_type == "n"
        assert sheet[f"C{first + 1}"].number_format == "0.0%"
