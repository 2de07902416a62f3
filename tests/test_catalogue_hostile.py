"""Hostile catalogue CSV files, each written small by the test: every row ends up loaded or
quarantined with a reason code, the counts add up per file, and a bad file neither crashes
the load nor blocks the next one."""

from __future__ import annotations

import errno
import io
import pathlib
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from etl import catalogue
from etl.load import load, print_report
from etl.reasons import REASON_LABELS
from etl.settings import Settings

SUPPLIER_HEADER = "id_fournisseur;nom;type;siret;code_postal;commune;date_inscription\n"
LISTING_HEADER = "id_annonce;id_fournisseur;titre;categorie;prix;unite;statut;date_creation;date_mise_a_jour;capacite_hebdo\n"
ENGLISH = (
    "Error",
    "error",
    "denied",
    "Is a directory",
    "No such file",
    "codec",
    "field larger",
    "line contains",
    "Traceback",
    "expected",
)


def supplier(
    sid: str,
    name: str = "Ferme du Chêne",
    siret: str = "",
    joined: str = "01/04/2020",
    commune: str = "Tours",
) -> str:
    return f"{sid};{name};producteur;{siret};37000;{commune};{joined}\n"


def write(
    raw: pathlib.Path, platform: str, source: str, name: str, content: bytes | str
) -> pathlib.Path:
    folder = raw / platform / source
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


class Loaded:
    """One load of a raw folder: the report, and queries on the warehouse it wrote."""

    def __init__(self, tmp_path: pathlib.Path, **settings):
        self.settings = Settings(
            raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb", **settings
        )
        self.report = load(self.settings, progress=False)

    def query(self, sql: str, params=()):
        con = duckdb.connect(str(self.settings.db_path), read_only=True)
        try:
            return con.execute(sql, list(params)).fetchall()
        finally:
            con.close()

    def rejected(self, file_name: str) -> list[tuple]:
        return self.query(
            "select line_no, (reason_code, detail), raw_text from rejected_rows "
            "where source <> 'logs' "
            "and source_file.split('/')[-1] = ? order by line_no nulls first",
            [file_name],
        )

    def counts(self, file_name: str) -> tuple[int, int, int]:
        entry = next(f for f in self.report.files if f.path.name == file_name)
        return entry.read, entry.loaded, entry.rejected

    def printed(self) -> str:
        out = io.StringIO()
        print_report(self.report, out)
        return out.getvalue()


def assert_accounted(loaded: Loaded) -> None:
    for entry in loaded.report.files:
        assert entry.read == entry.loaded + entry.rejected, entry.path
    for code, detail in loaded.query("select reason_code, detail from rejected_rows"):
        assert code in REASON_LABELS, code  # a code, labelled in French
        assert detail is None or not any(word in detail for word in ENGLISH), detail
    for error in loaded.report.errors:
        message = error.split(".csv : ", 1)[-1]  # the path may hold anything
        assert not any(word in message for word in ENGLISH), error


# 1. SIRET that is not a number -------------------------------------------------------------


def test_a_siret_that_is_not_a_number_never_blocks_and_a_placeholder_means_none(tmp_path):
    # Food producers need no SIRET: `N/A` or `en cours` is no SIRET, and the row is kept; a
    # value with letters is an invalid SIRET. (0dd8c6e: the load failed on a cast.)
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + supplier("P1", siret="732 829 320 00074")
        + supplier("P2", siret="N/A")
        + supplier("P3", siret="en cours")
        + supplier("P4", siret="7328293200007A")
        + supplier("P5"),
    )
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("producteurs.csv")] == [
        (5, ("invalid_siret", "7328293200007A"))
    ]
    assert loaded.query("select supplier_id, siret from suppliers order by 1") == [
        ("P1", "73282932000074"),
        ("P2", None),
        ("P3", None),
        ("P5", None),
    ]
    assert loaded.counts("producteurs.csv") == (5, 4, 1)
    write(
        raw,
        "equipements-protection",
        "suppliers",
        "entreprises.csv",
        SUPPLIER_HEADER + supplier("E1", siret="N/A").replace("producteur", "entreprise"),
    )
    loaded = Loaded(tmp_path)
    assert [r[1] for r in loaded.rejected("entreprises.csv")] == [("missing_field", "siret")]
    assert_accounted(loaded)
    Loaded(tmp_path)  # the next load is not blocked either


# 2. A field over csv's limit; raw text and reasons bounded ------------------------------------


def test_a_field_over_the_csv_limit_quarantines_its_row_only(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER + supplier("P1") + supplier("P2", name="x" * 200_000) + supplier("P3"),
    )
    loaded = Loaded(tmp_path)
    [(line_no, reason, raw_text)] = loaded.rejected("producteurs.csv")
    assert line_no == 3
    assert reason == ("field_too_long", "200000/131072")
    assert len(raw_text) <= 2_000
    assert loaded.query("select supplier_id from suppliers order by 1") == [("P1",), ("P3",)]
    assert loaded.counts("producteurs.csv") == (3, 2, 1)
    assert_accounted(loaded)


def test_raw_text_and_reasons_of_quarantined_rows_are_bounded(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + supplier("P1", commune="y" * 50_000, joined="")  # missing date, 50,000-character commune
        + supplier("P2", siret="9" * 20_000),
    )  # 20,000-character SIRET
    loaded = Loaded(tmp_path)
    rows = loaded.rejected("producteurs.csv")
    assert [r[1][0] for r in rows] == ["missing_field", "invalid_siret"]
    assert all(len(r[2]) <= 2_000 for r in rows)
    assert len(rows[1][1][1]) < 200
    assert_accounted(loaded)


# 3. A file holding only a byte-order mark -----------------------------------------------------


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n\t\n"])
def test_a_file_holding_only_a_bom_is_an_empty_file(tmp_path, content):
    raw = tmp_path / "raw"
    write(raw, "produits-frais", "suppliers", "vide.csv", content)
    write(raw, "produits-frais", "suppliers", "producteurs.csv", SUPPLIER_HEADER + supplier("P1"))
    loaded = Loaded(tmp_path)
    assert loaded.rejected("vide.csv") == [(None, ("file_rejected", "fichier vide"), None)]
    assert any(e.endswith("vide.csv : fichier vide") for e in loaded.report.errors)
    assert loaded.query("select supplier_id from suppliers") == [("P1",)]
    assert_accounted(loaded)


# 4. One Windows-1252 line inside a UTF-8 file -------------------------------------------------


def test_one_cp1252_line_in_a_utf8_file_leaves_the_other_rows_intact(tmp_path):
    raw = tmp_path / "raw"
    content = (
        (
            SUPPLIER_HEADER
            + supplier("P1", name="Ferme du Chêne")
            + supplier("P2", name="Fromagerie Œuf & Lait")
        ).encode("utf-8")
        + supplier("P3", name="Crémerie Hélène").encode("cp1252")
        + supplier("P4", name="Rucher de l'Étang").encode("utf-8")
    )
    write(raw, "produits-frais", "suppliers", "producteurs.csv", content)
    loaded = Loaded(tmp_path)
    assert dict(loaded.query("select supplier_id, name from suppliers")) == {
        "P1": "Ferme du Chêne",
        "P2": "Fromagerie Œuf & Lait",
        "P3": "Crémerie Hélène",
        "P4": "Rucher de l'Étang",
    }
    assert loaded.counts("producteurs.csv") == (4, 4, 0)
    assert any(
        "producteurs.csv : 1 ligne en Windows-1252 dans un fichier UTF-8, lue comme telle : ligne 4"
        in e
        for e in loaded.report.errors
    )
    assert_accounted(loaded)


def test_a_wholly_cp1252_file_still_loads_as_cp1252(tmp_path):
    raw = tmp_path / "raw"
    path = write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        (
            SUPPLIER_HEADER
            + supplier("P1", name="Ferme du Chêne")
            + supplier("P2", name="Crémerie")
        ).encode("cp1252"),
    )
    assert catalogue.read_csv_file(path, "suppliers").encoding == "cp1252"
    loaded = Loaded(tmp_path)
    assert loaded.report.errors == []
    assert dict(loaded.query("select supplier_id, name from suppliers")) == {
        "P1": "Ferme du Chêne",
        "P2": "Crémerie",
    }


def test_a_line_neither_utf8_nor_cp1252_is_quarantined(tmp_path):
    raw = tmp_path / "raw"
    content = (SUPPLIER_HEADER + supplier("P1")).encode(
        "utf-8"
    ) + b"P2;Ferme \x81\x8d;producteur;;37000;Tours;01/04/2020\n"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", content)
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("producteurs.csv")] == [(3, ("invalid_encoding", None))]
    assert loaded.counts("producteurs.csv") == (2, 1, 1)
    assert_accounted(loaded)


# 5. An unclosed quote -------------------------------------------------------------------------


@pytest.mark.parametrize("later_quote", [False, True])
def test_an_unclosed_quote_quarantines_its_line_only(tmp_path, later_quote):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + supplier("P1")
        + supplier("P2", name='"Ferme du Chêne')  # never closed
        + supplier("P3")
        + supplier("P4", name='"Ferme ""Le Clos"""' if later_quote else "Le Clos")
        + supplier("P5"),
    )
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("producteurs.csv")] == [(3, ("unclosed_quote", None))]
    assert loaded.query("select supplier_id from suppliers order by 1") == [
        ("P1",),
        ("P3",),
        ("P4",),
        ("P5",),
    ]
    assert loaded.counts("producteurs.csv") == (5, 4, 1)
    assert_accounted(loaded)


def test_two_unclosed_quotes_that_close_each_other_are_both_quarantined(tmp_path):
    # csv alone pairs them into one record of the right field count, names run together.
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + supplier("P1")
        + supplier("P2", name='"Ferme du Chêne')
        + supplier("P3", name='"Le Clos')
        + supplier("P4")
        + supplier("P5"),
    )
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("producteurs.csv")] == [
        (3, ("unclosed_quote", None)),
        (4, ("unclosed_quote", None)),
    ]
    assert loaded.query("select supplier_id, name from suppliers order by 1") == [
        ("P1", "Ferme du Chêne"),
        ("P4", "Ferme du Chêne"),
        ("P5", "Ferme du Chêne"),
    ]
    assert loaded.counts("producteurs.csv") == (5, 3, 2)
    assert_accounted(loaded)


def test_a_quoted_field_over_two_lines_is_still_one_row(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER + supplier("P1", name='"Ferme\ndu Chêne"') + supplier("P2"),
    )
    loaded = Loaded(tmp_path)
    assert loaded.query("select supplier_id, source_line from suppliers order by 1") == [
        ("P1", 2),
        ("P2", 4),
    ]
    assert loaded.counts("producteurs.csv") == (2, 2, 0)


def test_a_nul_byte_quarantines_its_line(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER + supplier("P1", name="Ferme\x00") + supplier("P2"),
    )
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("producteurs.csv")] == [(2, ("nul_character", None))]
    assert loaded.counts("producteurs.csv") == (2, 1, 1)
    assert_accounted(loaded)


# 6. A duplicated column -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "id_fournisseur;nom;type;nom;code_postal;commune;date_inscription\n",
        "id_fournisseur;Nom;type;Raison sociale;code_postal;commune;date_inscription\n",
    ],
)
def test_a_duplicated_column_rejects_the_file(tmp_path, header):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        header + "P1;Ferme du Chêne;producteur;Autre nom;37000;Tours;01/04/2020\n",
    )
    loaded = Loaded(tmp_path)
    assert loaded.rejected("producteurs.csv") == [
        (None, ("file_rejected", "colonne en double : nom"), None)
    ]
    assert any(
        e.endswith("producteurs.csv : colonne en double : nom") for e in loaded.report.errors
    )
    assert_accounted(loaded)


# 7. Unknown extra columns ---------------------------------------------------------------------


def test_unknown_columns_are_reported(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER.replace("\n", ";Remarque;Courriel\n")
        + supplier("P1").replace("\n", ";à rappeler;a@b.fr\n"),
    )
    loaded = Loaded(tmp_path)
    assert loaded.counts("producteurs.csv") == (1, 1, 0)
    assert (
        "ATTENTION : "
        + str(raw / "produits-frais" / "suppliers" / "producteurs.csv")
        + " : colonnes inconnues ignorées : remarque, courriel"
        in loaded.printed().splitlines()
    )
    entry = next(f for f in loaded.report.files if f.path.name == "producteurs.csv")
    assert "colonnes ignorées : remarque, courriel" in entry.note


def test_an_unnamed_empty_trailing_column_is_not_reported(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER.replace("\n", ";\n") + supplier("P1").replace("\n", ";\n"),
    )
    loaded = Loaded(tmp_path)
    assert loaded.report.errors == [] and loaded.counts("producteurs.csv") == (1, 1, 0)


# 8. Negative figures, dates in the future, an id in two files --------------------------------


def test_negative_prices_and_capacities_are_quarantined(tmp_path):
    raw = tmp_path / "raw"
    write(raw, "produits-frais", "suppliers", "producteurs.csv", SUPPLIER_HEADER + supplier("P1"))
    write(
        raw,
        "produits-frais",
        "listings",
        "annonces.csv",
        LISTING_HEADER
        + "A1;P1;Fraises;Fruits et légumes;4,50;barquette;active;02/04/2020;;\n"
        + "A2;P1;Fraises;Fruits et légumes;-3,50;barquette;active;02/04/2020;;\n"
        + "A3;P1;Fraises;Fruits et légumes;0;barquette;active;02/04/2020;;-10\n"
        + "A4;P1;Fraises;Fruits et légumes;;barquette;active;02/04/2020;;0\n",
    )
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("annonces.csv")] == [
        (3, ("negative_price", "-3,50")),
        (4, ("negative_capacity", "-10")),
    ]
    assert loaded.query("select listing_id from listings order by 1") == [("A1",), ("A4",)]
    assert_accounted(loaded)


def test_dates_in_the_future_are_quarantined(tmp_path):
    today = datetime.now(UTC).date()
    tomorrow = (today + timedelta(days=1)).strftime("%d/%m/%Y")
    later = (today + timedelta(days=3)).strftime("%d/%m/%Y")
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + supplier("P1")
        + supplier("P2", joined=tomorrow)
        + supplier("P3", joined=later),
    )
    write(
        raw,
        "produits-frais",
        "listings",
        "annonces.csv",
        LISTING_HEADER
        + f"A1;P1;Fraises;Fruits et légumes;1;kg;active;{tomorrow};;\n"
        + f"A2;P1;Fraises;Fruits et légumes;1;kg;active;{later};;\n"
        + f"A3;P1;Fraises;Fruits et légumes;1;kg;active;02/04/2020;{later};\n"
        + "A4;P1;Fraises;Fruits et légumes;1;kg;active;02/04/2020;31/02/2020;\n",
    )
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("producteurs.csv")] == [
        (4, ("future_date", f"date_inscription : {later}"))
    ]
    assert [r[:2] for r in loaded.rejected("annonces.csv")] == [
        (3, ("future_date", f"date_creation : {later}")),
        (4, ("future_date", f"date_mise_a_jour : {later}")),
        (5, ("invalid_date", "date_mise_a_jour : 31/02/2020")),
    ]
    assert loaded.query("select supplier_id from suppliers order by 1") == [("P1",), ("P2",)]
    assert loaded.query("select listing_id from listings") == [("A1",)]
    assert_accounted(loaded)


def test_a_supplier_id_in_two_files_keeps_the_first_file(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs_a.csv",
        SUPPLIER_HEADER + supplier("P1", name="Premier"),
    )
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs_b.csv",
        SUPPLIER_HEADER + supplier("P1", name="Second") + supplier("P2"),
    )
    # Dated snapshots of the same export hold the same ids by design: not duplicates.
    write(
        raw,
        "equipements-protection",
        "suppliers",
        "entreprises_2020-05-31.csv",
        SUPPLIER_HEADER
        + "E1;Textiles du Berry;entreprise;73282932000074;36000;Châteauroux;01/04/2020\n",
    )
    write(
        raw,
        "equipements-protection",
        "suppliers",
        "entreprises_2020-12-31.csv",
        SUPPLIER_HEADER
        + "E1;Textiles du Berry SA;entreprise;73282932000074;36000;Châteauroux;01/04/2020\n",
    )
    write(
        raw,
        "produits-frais",
        "listings",
        "annonces.csv",
        LISTING_HEADER + "A1;P1;Fraises;Fruits et légumes;1;kg;active;02/04/2020;;\n",
    )
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("producteurs_b.csv")] == [
        (2, ("duplicate_id", "producteurs_a.csv : P1"))
    ]
    assert loaded.rejected("producteurs_a.csv") == []
    assert dict(loaded.query("select supplier_id, name from suppliers")) == {
        "P1": "Premier",
        "P2": "Ferme du Chêne",
        "E1": "Textiles du Berry SA",
    }
    assert loaded.query("select listing_id from listings") == [("A1",)]
    assert loaded.query("select count(*) from rejected_rows where source <> 'logs'") == [(1,)]
    assert_accounted(loaded)


# Files that cannot be read --------------------------------------------------------------------


def test_a_directory_named_like_a_csv_is_reported_in_french(tmp_path):
    folder = tmp_path / "dossier.csv"
    folder.mkdir()
    with pytest.raises(catalogue.CsvFileError) as caught:
        catalogue.read_csv_file(folder, "suppliers")
    assert str(caught.value) == "fichier illisible : c'est un dossier, pas un fichier"


@pytest.mark.parametrize(
    "code,text",
    [
        (errno.EACCES, "permission refusée"),
        (errno.ENOENT, "fichier introuvable"),
        (errno.EIO, f"erreur de lecture (errno {errno.EIO})"),
    ],
)
def test_an_unreadable_file_is_reported_in_french(tmp_path, monkeypatch, code, text):
    path = tmp_path / "producteurs.csv"
    path.write_text(SUPPLIER_HEADER, encoding="utf-8")
    real_read_bytes = pathlib.Path.read_bytes

    def read_bytes(self):
        if self == path:
            raise OSError(
                code,
                "Permission denied" if code == errno.EACCES else "Some English text",
                str(self),
            )
        return real_read_bytes(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", read_bytes)
    with pytest.raises(catalogue.CsvFileError) as caught:
        catalogue.read_csv_file(path, "suppliers")
    assert str(caught.value) == f"fichier illisible : {text}"


def test_a_csv_of_a_million_junk_lines_stays_small_counted_and_reported(tmp_path):
    # 0dd8c6e-era reader: every rejected row a Python object (1 GiB for 2 MB of junk).
    from etl import catalogue

    raw = tmp_path / "raw"
    junk = 200_000
    write(raw, "produits-frais", "suppliers", "producteurs.csv", SUPPLIER_HEADER + "x\n" * junk)
    loaded = Loaded(tmp_path)
    assert loaded.counts("producteurs.csv") == (junk, 0, junk)
    assert len(loaded.rejected("producteurs.csv")) == catalogue.MAX_REJECTED_ROWS
    overflow = loaded.query("select sum(n_rows) from rejected_overflow where source = 'suppliers'")[
        0
    ][0]
    assert overflow == junk - catalogue.MAX_REJECTED_ROWS
    assert any("100,0 % des lignes en quarantaine" in e for e in loaded.report.errors), (
        loaded.report.errors
    )


# 9. What spreadsheets write (issue #28): nothing changes a figure silently ----------------------


def test_short_and_implausible_years_are_quarantined_not_stored(tmp_path):
    # `01/04/20`, `30/03/202`, `30/03/0020` were stored as the years 20 and 202.
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + supplier("P1")
        + supplier("P2", joined="01/04/20")
        + supplier("P3", joined="30/03/202")
        + supplier("P4", joined="30/03/0020")
        + supplier("P5", joined="1999-12-31")
        + supplier("P6", joined="2000-01-01"),
    )
    write(
        raw,
        "produits-frais",
        "listings",
        "annonces.csv",
        LISTING_HEADER
        + "A1;P1;Fraises;Fruits et légumes;1;kg;active;02/04/2020;30/03/202;\n"
        + "A2;P1;Fraises;Fruits et légumes;1;kg;active;02/04/20;;\n"
        + "A3;P1;Fraises;Fruits et légumes;1;kg;active;0020-04-02;;\n"
        + "A4;P1;Fraises;Fruits et légumes;1;kg;active;02/04/2020;03/04/2020;\n",
    )
    loaded = Loaded(tmp_path)
    assert [r[:2] for r in loaded.rejected("producteurs.csv")] == [
        (3, ("two_digit_year", "date_inscription : 01/04/20")),
        (4, ("implausible_date", "date_inscription : 30/03/202")),
        (5, ("implausible_date", "date_inscription : 30/03/0020")),
        (6, ("implausible_date", "date_inscription : 1999-12-31")),
    ]
    assert [r[:2] for r in loaded.rejected("annonces.csv")] == [
        (2, ("implausible_date", "date_mise_a_jour : 30/03/202")),
        (3, ("two_digit_year", "date_creation : 02/04/20")),
        (4, ("implausible_date", "date_creation : 0020-04-02")),
    ]
    assert loaded.query("select supplier_id, year(joined_on) from suppliers order by 1") == [
        ("P1", 2020),
        ("P6", 2000),
    ]
    assert loaded.query("select listing_id from listings") == [("A4",)]
    assert_accounted(loaded)
    # The earliest plausible year is a setting; changing it reads the catalogue again.
    loaded = Loaded(tmp_path, catalogue_earliest_year=1990)
    assert [r[0] for r in loaded.query("select supplier_id from suppliers order by 1")] == [
        "P1",
        "P5",
        "P6",
    ]
    assert_accounted(loaded)


NBSP, NNBSP = "\u00a0", "\u202f"  # what French Excel and LibreOffice write between thousands


def test_french_spreadsheet_numbers_and_sirets_are_read_and_garbage_is_not(tmp_path):
    # `1 234,50` with a no-break space was « prix invalide »; `4€50` was read as 450 and
    # `12.5` as a capacity of 13.
    raw = tmp_path / "raw"
    write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + supplier("P1", siret="732 829 320 00074")
        + supplier("P2", siret=NBSP.join(["732", "829", "320", "00074"]))
        + supplier("P3", siret=NNBSP.join(["732", "829", "320", "00074"])),
    )
    listing = "A{};P1;Fraises;Fruits et légumes;{};kg;active;02/04/2020;;{}\n"
    rows = [
        ("1 234,50", "2 400"),
        (f"1{NBSP}234,50", f"2{NBSP}400"),
        (f"1{NNBSP}234,50", f"2{NNBSP}400"),
        (f"4,50{NBSP}€", "2 400,00"),
        ("4€50", ""),
        ("1 2", ""),
        ("1.234,50", ""),
        ("", "12.5"),
        ("", "2.400"),
        (f"12{NBSP}345{NNBSP}678,9", "1 000 000"),
    ]
    write(
        raw,
        "produits-frais",
        "listings",
        "annonces.csv",
        LISTING_HEADER
        + "".join(
            listing.format(i, price, capacity) for i, (price, capacity) in enumerate(rows, 1)
        ),
    )
    loaded = Loaded(tmp_path)
    assert loaded.rejected("producteurs.csv") == []
    assert loaded.query("select distinct siret from suppliers") == [("73282932000074",)]
    assert [r[:2] for r in loaded.rejected("annonces.csv")] == [
        (6, ("invalid_price", "4€50")),
        (7, ("invalid_price", "1 2")),
        (8, ("invalid_price", "1.234,50")),
        (9, ("invalid_capacity", "12.5")),
        (10, ("invalid_capacity", "2.400")),
    ]
    assert [
        (listing_id, float(price), capacity)
        for listing_id, price, capacity in loaded.query(
            "select listing_id, price_eur, weekly_capacity from listings order by 1"
        )
    ] == [
        ("A1", 1234.5, 2400),
        ("A10", 12345678.9, 1_000_000),
        ("A2", 1234.5, 2400),
        ("A3", 1234.5, 2400),
        ("A4", 4.5, 2400),
    ]
    assert_accounted(loaded)


def test_excel_text_formulas_are_unwrapped_and_blank_rows_skipped_but_counted(tmp_path):
    # `="P9003"` was stored as the id `="P9003"`; `;;;;;;` rows were quarantined, so that a
    # sheet with formatted empty rows showed 70 % of its rows in quarantine.
    raw = tmp_path / "raw"
    path = write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + '="P9003";="Ferme ""Le Clos""";producteur;="73282932000074";="37000";Tours;01/04/2020\n'
        + ";;;;;;\n"
        + supplier("P2")
        + ";;;\n"  # blank, whatever its field count
        + ';="";  ;;;;\n'
        + "\n"
        + ";;;;;;\n" * 2,
    )
    write(
        raw,
        "produits-frais",
        "listings",
        "annonces.csv",
        LISTING_HEADER + 'A1;="P9003";Fraises;Fruits et légumes;="4,50";kg;active;02/04/2020;;\n',
    )
    loaded = Loaded(tmp_path)
    assert loaded.query(
        "select supplier_id, name, siret, postal_code from suppliers order by 1"
    ) == [
        ("P2", "Ferme du Chêne", None, "37000"),
        ("P9003", 'Ferme "Le Clos"', "73282932000074", "37000"),
    ]
    assert [
        (supplier_id, float(price))
        for supplier_id, price in loaded.query("select supplier_id, price_eur from listings")
    ] == [("P9003", 4.5)]
    assert loaded.rejected("producteurs.csv") == []
    assert loaded.report.errors == []
    # Rows read = loaded + quarantined; the 6 blank rows are counted beside them, and said.
    assert loaded.counts("producteurs.csv") == (2, 2, 0)
    assert next(f.blank for f in loaded.report.files if f.path == path) == 6
    assert f"Information : {path} : 6 lignes vides ignorées (aucun champ rempli)." in (
        loaded.printed().splitlines()
    )
    assert loaded.query(
        "select lines_read, rows_loaded, rows_rejected, rows_blank from load_files "
        "where source = 'suppliers'"
    ) == [(2, 2, 0, 6)]
    assert_accounted(loaded)
    # A new log line, the catalogue unchanged (not read again): its counts are said again.
    write(
        raw,
        "produits-frais",
        "logs",
        "access.log",
        '90.1.1.1 - - [02/Apr/2020:09:00:00 +0200] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0"\n',
    )
    again = Loaded(tmp_path)
    assert "inchangé" in next(f.note for f in again.report.files if f.path == path)
    assert again.counts("producteurs.csv") == (2, 2, 0)
    assert f"Information : {path} : 6 lignes vides ignorées (aucun champ rempli)." in (
        again.printed().splitlines()
    )


def test_every_quarantined_catalogue_row_is_said_below_the_warning_threshold(tmp_path):
    # 1 row in 20, 2 in 25: under the 10-row / 10 % warning, nothing was said at all.
    raw = tmp_path / "raw"
    suppliers = write(
        raw,
        "produits-frais",
        "suppliers",
        "producteurs.csv",
        SUPPLIER_HEADER
        + "".join(
            supplier(f"P{i}", siret="7328293200007A" if i == 4 else "") for i in range(1, 21)
        ),
    )
    listings = write(
        raw,
        "produits-frais",
        "listings",
        "annonces.csv",
        LISTING_HEADER
        + "".join(
            f"A{i};{'X9' if i in (2, 6) else 'P1'};Fraises;Fruits et légumes;1;kg;active;02/04/2020;;\n"
            for i in range(1, 26)
        ),
    )
    loaded = Loaded(tmp_path)
    assert loaded.counts("producteurs.csv") == (20, 19, 1)
    assert loaded.counts("annonces.csv") == (25, 23, 2)
    assert loaded.report.errors == []  # under the threshold: said, not a warning (exit 0)
    said = [
        f"Quarantaine : {suppliers} : 1 ligne « SIRET invalide » (ligne 5)",
        f"Quarantaine : {listings} : 2 lignes « fournisseur inconnu » (lignes 3, 7)",
    ]
    printed = loaded.printed().splitlines()
    assert [line for line in printed if line.startswith("Quarantaine")] == said
    assert_accounted(loaded)
    # A load of new log lines only keeps the catalogue, and says its quarantine again.
    write(
        raw,
        "produits-frais",
        "logs",
        "access.log",
        '90.1.1.1 - - [02/Apr/2020:09:00:00 +0200] "GET / HTTP/1.1" 200 10 "-" "Mozilla/5.0"\n',
    )
    again = Loaded(tmp_path)
    assert [line for line in again.printed().splitlines() if line.startswith("Quarantaine")] == said
