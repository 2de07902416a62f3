"""Reading the catalogue CSV exports (suppliers, listings) as French tools write them.

This module only decodes files into all-text Arrow tables with their line numbers and raw
text; validation rules (required fields, dates, SIRET checksum, vocabulary, orphans,
duplicates) are SQL in `etl/sql/50_catalogue.sql`, so they are visible in one place.
"""
from __future__ import annotations

import csv
import io
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa

from etl.settings import CONFIG_DIR

SUPPLIER_COLUMNS = {
    "id_fournisseur": True, "nom": True, "type": True, "siret": False, "code_naf": False,
    "code_postal": True, "commune": True, "code_insee": False, "date_inscription": True,
    "date_retrait": False,
}
LISTING_COLUMNS = {
    "id_annonce": True, "id_fournisseur": True, "titre": True, "categorie": True, "prix": False,
    "unite": False, "statut": True, "date_creation": True, "date_mise_a_jour": False,
    "date_retrait": False, "norme": False, "capacite_hebdo": False,
}
COLUMNS_BY_SOURCE = {"suppliers": SUPPLIER_COLUMNS, "listings": LISTING_COLUMNS}
# Headers seen in hand-made exports, mapped onto the documented names (after normalise_name).
HEADER_ALIASES = {
    "date_d_inscription": "date_inscription", "date_de_creation": "date_creation",
    "date_de_retrait": "date_retrait", "date_de_mise_a_jour": "date_mise_a_jour",
    "raison_sociale": "nom", "categorie_de_produit": "categorie", "capacite_hebdomadaire": "capacite_hebdo",
    "cp": "code_postal", "ville": "commune",
}

_SNAPSHOT_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})$")


class CsvFileError(Exception):
    """A CSV file that cannot be loaded at all; the message is French, for the operator."""


@dataclass
class CsvFile:
    path: Path
    encoding: str
    delimiter: str
    snapshot_date: date | None
    table: pa.Table                     # line_no, raw_text, then every known column (text)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line_no, reason, raw)
    extra_columns: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return self.table.num_rows + len(self.rejected)


def normalise_name(text: str) -> str:
    """`Code postal` → `code_postal`; accents, case, spaces and punctuation ignored."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) when it decodes, else Windows-1252, the other export default."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise CsvFileError(f"encodage non reconnu (ni UTF-8 ni Windows-1252) : {exc}") from exc


def snapshot_date_of(path: Path) -> date | None:
    match = _SNAPSHOT_DATE.search(path.stem)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def read_csv_file(path: Path, source: str) -> CsvFile:
    expected = COLUMNS_BY_SOURCE[source]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvFileError(f"fichier illisible : {exc.strerror or exc}") from exc
    if not raw.strip():
        raise CsvFileError("fichier vide")
    text, encoding = decode(raw)
    lines = text.splitlines()
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [HEADER_ALIASES.get(name, name) for name in (normalise_name(h) for h in next(reader))]
    missing = [name for name, required in expected.items() if required and name not in header]
    if missing:
        raise CsvFileError("colonne(s) obligatoire(s) absente(s) : " + ", ".join(missing)
                           + f" (en-tête lu : {';'.join(header)})")
    extra = [h for h in header if h not in expected]
    positions = {name: header.index(name) for name in expected if name in header}

    columns: dict[str, list] = {"line_no": [], "raw_text": [], **{name: [] for name in expected}}
    rejected: list[tuple[int, str, str]] = []
    previous_line = reader.line_num
    for record in reader:
        line_no = previous_line + 1
        previous_line = reader.line_num
        raw_text = delimiter.join(record)
        if not any(value.strip() for value in record):
            rejected.append((line_no, "ligne vide", raw_text))
            continue
        if len(record) != len(header):
            rejected.append((line_no, f"nombre de colonnes incorrect ({len(record)} au lieu de {len(header)})", raw_text))
            continue
        columns["line_no"].append(line_no)
        columns["raw_text"].append(raw_text)
        for name in expected:
            value = record[positions[name]].strip() if name in positions else ""
            columns[name].append(value or None)
    table = pa.table({name: pa.array(values, pa.int64() if name == "line_no" else pa.string())
                      for name, values in columns.items()})
    return CsvFile(path=path, encoding=encoding, delimiter=delimiter, snapshot_date=snapshot_date_of(path),
                   table=table, rejected=rejected, extra_columns=extra)


def vocabulary_tables() -> dict[str, pa.Table]:
    """The controlled vocabularies of etl/config/vocabulary.toml as alias → code tables."""
    config = tomllib.loads((CONFIG_DIR / "vocabulary.toml").read_text(encoding="utf-8"))
    kinds = [{"alias": normalise_name(alias).replace("_", " "), "kind_code": code, "kind": entry["label"]}
             for code, entry in config["supplier_kinds"].items()
             for alias in [entry["label"], *entry["aliases"]]]
    categories, aliases = [], []
    for platform, entries in config["categories"].items():
        for code, entry in entries.items():
            categories.append({"platform": platform, "category_code": code, "category": entry["label"],
                               "slug": code.replace("_", "-")})
            for alias in {entry["label"], *entry["aliases"]}:
                aliases.append({"platform": platform, "alias": normalise_name(alias).replace("_", " "),
                                "category_code": code})
    return {"supplier_kinds": pa.Table.from_pylist(_dedupe(kinds, ("alias",))),
            "categories": pa.Table.from_pylist(categories),
            "category_aliases": pa.Table.from_pylist(_dedupe(aliases, ("platform", "alias")))}


def _dedupe(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    seen, out = set(), []
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
