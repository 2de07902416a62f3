"""The public canteen files of `data/raw/cantines/`: ma cantine's register of canteens, its
teledeclaration campaigns and the list of territorial food projects (PAT), loaded into
`canteens`, `canteen_declarations`, `food_projects` and `food_project_communes`; and, when
one is dropped there, Agence BIO's list of organic operators, into `organic_operators`.

The folder is shared by the platforms (canteens buy from any producer). Each CSV file is
recognised by its header, not its name (data/README.md), read as the catalogue exports are
(`etl.catalogue.read_csv_file`: encodings, separator, quotes, blank rows), then checked and
modelled in SQL (`etl/sql/56_canteens.sql`, `57_organic_operators.sql`). The tables are
rebuilt on every load, for the region's departments only: the rows of other departments are counted out of scope, so that per
file read = loaded + quarantined + out of scope.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from etl import canteen_families, catalogue, reasons
from etl.inputs import _entries, _readable_file
from etl.report import (
    ALL_PLATFORMS,
    FileReport,
    LoadReport,
    _warn_about_quarantine,
    add_quarantine,
    record_shared_file,
    rejected_row,
)
from etl.scripts import run_script

FOLDER = "cantines"
# Columns of each file (names as published, after `catalogue.normalise_name`) and whether
# each must be present. The files carry more columns than these (ids, labels, dates …):
# the publisher adds some over time, so the others are said as information, not as a
# warning that would fail every load.
COLUMNS = {
    # ma cantine's register (registre_cantines.csv, `;`, UTF-8 with BOM).
    "canteens": {
        "siret": True,
        "name": True,
        "city_insee_code": True,
        "department": True,
        "daily_meal_count": True,
        "yearly_meal_count": True,
        "id": False,
        "epci": False,
        "epci_lib": False,
        "pat_list": False,
        "management_type": False,
        "production_type": False,
        "central_producer_siret": False,
        "sector_list": False,
    },
    # A teledeclaration campaign (campagne_td_<year>.csv, `;`, UTF-8 with BOM).
    "canteen_declarations": {
        "canteen_siret": True,
        "year": True,
        "teledeclaration_ratio_bio": True,
        "teledeclaration_ratio_egalim_hors_bio": True,
        "id": False,
        "canteen_name": False,
        "canteen_city_insee_code": False,
        "canteen_department": False,
        "teledeclaration_mode": False,
    },
    # The PAT list of data.gouv.fr (pats-<date>-win1252.csv, `;`, Windows-1252).
    "food_projects": {
        "id": True,
        "nom_administratif": True,
        "communes_code_insee": True,
        "nom_usuel": False,
        "lien_vers_la_fiche_pat": False,
    },
    # Agence BIO's operators, one row per operator, fields named as API Professionnels BIO
    # names them (data/README.md, "Organic operators"): lists joined with `,` (activities) and
    # `|` (productions, each `label:STATE`).
    "organic_operators": {
        "siret": True,
        "raisonsociale": True,
        "codecommune": True,
        "activites": True,
        "productions": True,
        "numerobio": False,
        "denominationcourante": False,
        "departement": False,
        "commune": False,
        "codepostal": False,
        "etatcertification": False,
        "dateengagement": False,
        "organismecertificateur": False,
    },
}
# The source of a file whose header is none of the three (it is refused).
UNRECOGNISED = "canteen_files"
# Columns that tell each kind of file apart, whatever else is missing: a register without
# `daily_meal_count` is still a register, refused for naming the missing column.
_SIGNATURES = {
    "canteens": {
        "city_insee_code",
        "daily_meal_count",
        "yearly_meal_count",
        "central_producer_siret",
        "pat_list",
    },
    "canteen_declarations": {
        "canteen_siret",
        "teledeclaration_ratio_bio",
        "teledeclaration_ratio_egalim_hors_bio",
        "teledeclaration_mode",
    },
    "food_projects": {"nom_administratif", "communes_code_insee", "lien_vers_la_fiche_pat"},
    "organic_operators": {
        "numerobio",
        "raisonsociale",
        "denominationcourante",
        "codecommune",
        "activites",
        "productions",
        "etatcertification",
    },
}
UNRECOGNISED_TEXT = (
    "en-tête non reconnu : ni registre des cantines (siret, name, city_insee_code, department, "
    "daily_meal_count, yearly_meal_count), ni campagne de télédéclaration (canteen_siret, year, "
    "teledeclaration_ratio_bio, teledeclaration_ratio_egalim_hors_bio), ni liste des PAT (id, "
    "nom_administratif, communes_code_insee), ni opérateurs bio de l'Agence BIO (siret, "
    "raisonsociale, codecommune, activites, productions)"
)
EXTRA_COLUMNS_TEXT = "colonnes du fichier public non utilisées : {columns}"
UNMAPPED_PRODUCTIONS_TEXT = (
    "{path} : {n} libellé(s) de production sans famille de produits "
    "(etl/config/organic_families.toml), comptés sans famille : {labels}"
)
OUT_OF_SCOPE_TEXT = (
    "{path} : {rows} hors région (autres départements que {departments}), lues et non chargées."
)


def canteen_files(raw_dir: Path) -> list[Path]:
    """The CSV files of the shared folder, in name order (the order duplicates are settled in)."""
    return [p for p in _entries(raw_dir / FOLDER) if _readable_file(raw_dir, p, suffix=".csv")]


def kind_of(header: list[str]) -> str:
    """The kind of file a header (normalised names) belongs to, by the most signature columns."""
    names = set(header)
    score, kind = max((len(names & columns), kind) for kind, columns in _SIGNATURES.items())
    return kind if score else UNRECOGNISED


def _header(path: Path) -> list[str]:
    """The first line's names, normalised; none when the file cannot be read (the reader then
    says why)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65_536)
    except OSError:
        return []
    head = head.removeprefix(b"\xef\xbb\xbf")
    line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        text = line.decode("cp1252", errors="replace")
    separator = ";" if text.count(";") >= text.count(",") else ","
    return [catalogue.normalise_name(name.strip().strip('"')) for name in text.split(separator)]


def _rejected(source: str, path: Path, line_no, code, detail, raw) -> dict:
    return rejected_row(None, source, path, line_no, code, detail, raw)


def _staged_schema(kind: str) -> pa.Schema:
    return pa.schema(
        [
            ("source_file", pa.string()),
            ("file_order", pa.int64()),
            ("line_no", pa.int64()),
            ("raw_text", pa.string()),
        ]
        + [(name, pa.string()) for name in COLUMNS[kind]]
    )


def load_canteen_inputs(con, raw_dir: Path, report: LoadReport) -> None:
    """Rebuild the canteen tables from the shared folder, quarantining what cannot be loaded,
    and account for each file in the report and in `load_files`."""
    canteen_families.load_families(con)
    canteen_families.load_production_families(con)
    sources = [*COLUMNS, UNRECOGNISED]
    con.execute(
        f"delete from load_files where source in ({', '.join('?' for _ in sources)})", sources
    )
    staged = {kind: [] for kind in COLUMNS}
    rejected: list[dict] = []
    entries: list[tuple[FileReport, Path]] = []
    for order, path in enumerate(canteen_files(raw_dir)):
        kind = kind_of(_header(path))
        entry = FileReport(ALL_PLATFORMS, kind, path)
        report.files.append(entry)
        entries.append((entry, path))
        if kind == UNRECOGNISED:
            # An empty or unreadable file says so, rather than "header not recognised".
            try:
                catalogue.read_csv_file(path, kind, {"_": False})
            except catalogue.CsvFileError as exc:
                text = str(exc)
            else:
                text = UNRECOGNISED_TEXT
            _refuse(entry, report, rejected, path, text)
            continue
        try:
            parsed = catalogue.read_csv_file(path, kind, COLUMNS[kind])
        except catalogue.CsvFileError as exc:
            _refuse(entry, report, rejected, path, str(exc))
            continue
        table = parsed.table.select(["line_no", "raw_text", *COLUMNS[kind]])
        table = table.add_column(0, "file_order", pa.array([order] * table.num_rows, pa.int64()))
        table = table.add_column(
            0, "source_file", pa.array([str(path)] * table.num_rows, pa.string())
        )
        staged[kind].append(table)
        rejected += [
            _rejected(kind, path, n, code, detail, raw) for n, code, detail, raw in parsed.rejected
        ]
        entry.read, entry.blank = parsed.rows_read, parsed.blank_rows
        entry.note = f"{parsed.encoding}, séparateur « {parsed.delimiter} »"
        warnings = parsed.warnings
        if parsed.extra_columns:
            # The first warning names them (catalogue.read_csv_file): information here.
            warnings = warnings[1:]
            report.infos.append(
                f"{path} : " + EXTRA_COLUMNS_TEXT.format(columns=", ".join(parsed.extra_columns))
            )
        report.errors += [f"{path} : {warning}" for warning in warnings]
    views = {
        f"v_stg_{kind}": pa.concat_tables(tables) if tables else _staged_schema(kind).empty_table()
        for kind, tables in staged.items()
    }
    views["v_canteen_csv_rejected"] = pa.Table.from_pylist(
        rejected, schema=reasons.REJECTED_ROW_SCHEMA
    )
    for name, table in views.items():
        con.register(name, table)
    run_script(con, "49_value_rules.sql")
    run_script(con, "56_canteens.sql")
    run_script(con, "57_organic_operators.sql")
    for name in views:
        con.unregister(name)
    _account(con, report, entries)


def _refuse(entry: FileReport, report: LoadReport, rejected: list, path: Path, text: str) -> None:
    entry.note = text
    report.errors.append(f"{path} : {text}")
    rejected.append(_rejected(entry.source, path, None, "file_rejected", text, None))


def _account(con, report: LoadReport, entries: list[tuple[FileReport, Path]]) -> None:
    counts = {
        source_file: (loaded, out_of_scope)
        for source_file, loaded, out_of_scope in con.execute(
            "select source_file, loaded, out_of_scope from canteen_file_counts"
        ).fetchall()
    }
    by_file: dict[str, list] = {}
    for source_file, code, n, line_nos in con.execute(
        """select source_file, reason_code, count(*), list(line_no order by line_no)
           from rejected_rows
           where source in ('canteens', 'canteen_declarations', 'food_projects',
                            'organic_operators')
             and line_no is not null
           group by source_file, reason_code order by source_file, reason_code"""
    ).fetchall():
        by_file.setdefault(source_file, []).append((code, n, line_nos))
    departments = ", ".join(
        code
        for (code,) in con.execute(
            "select department_code from departments order by department_code"
        ).fetchall()
    )
    unmapped = dict(
        con.execute(
            """select source_file, list(distinct label order by label)
               from (select source_file, unnest(unmapped_productions) as label
                     from organic_operators)
               group by source_file"""
        ).fetchall()
    )
    for entry, path in entries:
        loaded, out_of_scope = counts.get(str(path), (0, 0))
        if unmapped.get(str(path)):
            labels = unmapped[str(path)]
            report.infos.append(
                UNMAPPED_PRODUCTIONS_TEXT.format(
                    path=path, n=len(labels), labels=", ".join(f"« {x} »" for x in labels)
                )
            )
        for code, n, line_nos in by_file.get(str(path), []):
            add_quarantine(entry, code, n, line_nos)
        entry.rejected = sum(n for _, n, _ in by_file.get(str(path), []))
        entry.loaded = loaded
        entry.out_of_scope = out_of_scope
        if out_of_scope:
            rows = "1 ligne" if out_of_scope == 1 else f"{out_of_scope} lignes"
            report.infos.append(
                OUT_OF_SCOPE_TEXT.format(path=path, rows=rows, departments=departments)
            )
        if entry.read:
            _warn_about_quarantine(report, entry)
        try:
            size = path.stat().st_size
        except OSError:
            size = None
        record_shared_file(con, entry, path, size)
