"""Reading the catalogue CSV exports (suppliers, listings) as French tools write them.

This module only decodes files into all-text Arrow tables with their line numbers and raw
text, and quarantines what cannot be read as a row (an unclosed quote, a field over csv's
limit, a line in no known encoding, a NUL byte); validation rules (required fields, dates,
SIRET checksum, vocabulary, orphans, duplicates) are SQL in `etl/sql/50_catalogue.sql`, so
they are visible in one place. Every message is French: a file that cannot be loaded at all
raises `CsvFileError`, never a Python or csv error.
"""

from __future__ import annotations

import csv
import errno
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa

from etl import reasons
from etl.settings import CONFIG_DIR

SUPPLIER_COLUMNS = {
    "id_fournisseur": True,
    "nom": True,
    "type": True,
    "siret": False,
    "code_naf": False,
    "code_postal": True,
    "commune": True,
    "code_insee": False,
    "date_inscription": True,
    "date_retrait": False,
}
LISTING_COLUMNS = {
    "id_annonce": True,
    "id_fournisseur": True,
    "titre": True,
    "categorie": True,
    "prix": False,
    "unite": False,
    "statut": True,
    "date_creation": True,
    "date_mise_a_jour": False,
    "date_retrait": False,
    "norme": False,
    "capacite_hebdo": False,
}
COLUMNS_BY_SOURCE = {"suppliers": SUPPLIER_COLUMNS, "listings": LISTING_COLUMNS}
# Headers seen in hand-made exports, mapped onto the documented names (after normalise_name).
HEADER_ALIASES = {
    "date_d_inscription": "date_inscription",
    "date_de_creation": "date_creation",
    "date_de_retrait": "date_retrait",
    "date_de_mise_a_jour": "date_mise_a_jour",
    "raison_sociale": "nom",
    "categorie_de_produit": "categorie",
    "capacite_hebdomadaire": "capacite_hebdo",
    "cp": "code_postal",
    "ville": "commune",
}

_SNAPSHOT_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})$")
# What copying a file adds to its name: Windows' « - Copie », « - Copie (2) », « - Copy »,
# a browser's or Explorer's « (1) », macOS' « copie », « copy 2 ». A copy of an old dated
# snapshot keeps its date: read as undated, it would count as the newest state and roll the
# catalogue back (issue #28).
_COPY_SUFFIX = re.compile(
    r"(?:\s*-\s*(?:copie|copy)(?:\s*\(\d+\))?|\s+(?:copie|copy)(?:\s+\d+)?|\s*\(\d+\))$",
    re.IGNORECASE,
)


RAW_TEXT_LIMIT = (
    2_000  # characters of a quarantined row kept in rejected_rows.raw_text (as for log lines)
)
MAX_RECORD_LINES = 100  # physical lines one record may span; more is taken for an unclosed quote
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")  # as csv splits lines (Excel for Mac still writes \r)
_LINE_BREAK_TEXT = re.compile(r"\r\n|\r|\n")  # the same, on decoded text
_BOM = b"\xef\xbb\xbf"
_OS_ERRORS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.ENOENT: "fichier introuvable",
    errno.EISDIR: "c'est un dossier, pas un fichier",
}
# Reason codes of the records the reader quarantines (labels: etl/reasons.py).
UNCLOSED_QUOTE = "unclosed_quote"
BAD_ENCODING = "invalid_encoding"
NUL_CHARACTER = "nul_character"


class CsvFileError(Exception):
    """A CSV file that cannot be loaded at all; the message is French, for the operator."""


@dataclass
class CsvFile:
    path: Path
    encoding: str
    delimiter: str
    snapshot_date: date | None
    table: pa.Table  # line_no, raw_text, then every known column (text)
    # (line_no, reason code, detail, raw): codes and labels in etl/reasons.py.
    rejected: list[tuple[int, str, str | None, str]] = field(default_factory=list)
    # Rows quarantined beyond MAX_REJECTED_ROWS, counted by code, not kept one by one.
    rejected_overflow: dict[str, int] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # French, one line each: reported, not fatal
    # Rows whose every field is empty (a blank line, `;;;;` left by a spreadsheet's formatted
    # empty rows): not data rows, so not in rows_read, but counted and reported.
    blank_rows: int = 0

    @property
    def rows_read(self) -> int:
        return self.table.num_rows + len(self.rejected) + sum(self.rejected_overflow.values())


# Excel's text-forcing formula `="0123"` (an id or a postal code kept with its leading zeros,
# a SIRET not turned into 7.32829E+13): its value is its content. `""` inside stands for one
# quote, as in a formula; anything else (`="a"&"b"`) is not unwrapped.
_EXCEL_TEXT = re.compile(r'=[ \t]*"((?:[^"]|"")*)"')


def cell_value(text: str) -> str:
    """A field's value: stripped, and `="…"` unwrapped to what it holds."""
    text = text.strip()
    match = _EXCEL_TEXT.fullmatch(text)
    return match.group(1).replace('""', '"').strip() if match else text


def normalise_name(text: str) -> str:
    """`Code postal` → `code_postal`; accents, case, spaces and punctuation ignored."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@dataclass
class _Lines:
    """A file's physical lines, decoded one by one.

    `texts[i]` is line i + 1; `bad` holds the indices of lines neither UTF-8 nor Windows-1252
    (their text then has U+FFFD for the bytes that failed), `cp1252` those of a UTF-8 file
    read as Windows-1252 because they were not UTF-8."""

    texts: list[str]
    encoding: str
    bad: set[int]
    cp1252: list[int]


def decode_lines(body: bytes, bom: bool) -> _Lines:
    """Split into lines as csv does, then decode each line: UTF-8 (with or without BOM), else
    Windows-1252, the other export default. A file is UTF-8 when it has a BOM or when at least
    as many of its non-ASCII lines are UTF-8 as are not; a line of a UTF-8 file that is not
    UTF-8 (a row edited with another tool) is read as Windows-1252 and reported. A file that
    is not UTF-8 is read line by line as Windows-1252."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Split once decoded: one list of lines, not a list of bytes and one of texts (a
        # million-row export held both, issue #28).
        texts = _LINE_BREAK_TEXT.split(text)
        del text
        if texts and texts[-1] == "":
            texts.pop()  # the final line break ends the last line
        return _Lines(texts, "utf-8-sig" if bom else "utf-8", set(), [])
    raw_lines = _LINE_BREAK.split(body)
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()  # the final line break ends the last line
    utf8: list[str | None] = []
    for line in raw_lines:
        try:
            utf8.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            utf8.append(None)
    not_utf8 = sum(1 for text in utf8 if text is None)
    is_utf8 = (
        bom
        or sum(1 for line, text in zip(raw_lines, utf8) if text is not None and not line.isascii())
        >= not_utf8
    )
    texts, bad, cp1252 = [], set(), []
    for i, (line, text) in enumerate(zip(raw_lines, utf8)):
        if is_utf8 and text is not None:
            texts.append(text)
            continue
        try:
            texts.append(line.decode("cp1252"))
        except UnicodeDecodeError:
            texts.append(line.decode("cp1252", errors="replace"))
            bad.add(i)
            continue
        if is_utf8:
            cp1252.append(i)
    return _Lines(texts, ("utf-8-sig" if bom else "utf-8") if is_utf8 else "cp1252", bad, cp1252)


def _stem_of_original(path: Path) -> str:
    """A file's stem without what copying added: `producteurs_2020-04-01 - Copie (2)` →
    `producteurs_2020-04-01`."""
    stem = path.stem
    while (shorter := _COPY_SUFFIX.sub("", stem)) != stem:
        stem = shorter
    return stem


def is_copy_name(path: Path) -> bool:
    return _stem_of_original(path) != path.stem


def snapshot_date_of(path: Path) -> date | None:
    """The date of a snapshot named `…_AAAA-MM-JJ.csv`, copy suffixes left out
    (`producteurs_2020-04-01 - Copie.csv` is the snapshot of 2020-04-01); None if undated."""
    match = _SNAPSHOT_DATE.search(_stem_of_original(path))
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def os_error_text(exc: OSError) -> str:
    """Why a file could not be read, in French (the system's own text is English)."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    return f"erreur de lecture (errno {exc.errno})" if exc.errno else "erreur de lecture"


class _Feed:
    """The lines given to csv.reader one at a time, so that the lines each record spans are
    known and lines can be read again (after an unclosed quote). csv.reader asks for a line
    only when its record is not finished: a request that finds no line left (or more lines
    than MAX_RECORD_LINES) while a record is under way means a quote left open."""

    def __init__(self, texts: list[str]):
        self.texts = texts
        self.pos = 0  # index of the next line to hand out
        self.start = 0  # index of the first line of the current record
        self.unterminated = False

    def begin(self, pos: int | None = None) -> None:
        if pos is not None:
            self.pos = pos
        self.start, self.unterminated = self.pos, False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.texts) or self.pos - self.start >= MAX_RECORD_LINES:
            if self.pos > self.start:
                self.unterminated = True
            raise StopIteration
        self.pos += 1
        return self.texts[self.pos - 1] + "\n"


def _csv_error(exc: csv.Error, text: str, delimiter: str) -> tuple[str, str | None]:
    """(reason code, detail) of a record csv could not read; a field too long says its length
    over the limit (`200000/131072`, `>131072` when quotes hide it)."""
    message = str(exc)
    if message.startswith("field larger than field limit"):
        limit = csv.field_size_limit()
        if '"' not in text:  # no quoting: the fields are the pieces between delimiters
            return "field_too_long", f"{max(map(len, text.split(delimiter)))}/{limit}"
        return "field_too_long", f">{limit}"
    if "NUL" in message:
        return NUL_CHARACTER, None
    return "unreadable_csv_line", None


def _single_line_fields(text: str, delimiter: str) -> int | None:
    """How many fields a line holds read on its own, or None when it does not end its record."""
    feed = _Feed([text])
    try:
        record = next(csv.reader(feed, delimiter=delimiter))
    except (csv.Error, StopIteration):
        return None
    return None if feed.unterminated else len(record)


def _parses_strictly(texts: list[str], delimiter: str) -> bool:
    """Whether lines read as CSV without tolerance: a closing quote followed by a delimiter or
    the end of its line, never by more text (`"Ferme du Chêne;…` closed by the opening quote
    of a later row, `;"Le Clos";`, is followed by `L`)."""
    try:
        for _ in csv.reader((text + "\n" for text in texts), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return False
    return True


def _records(lines: _Lines, delimiter: str, n_columns: int | None):
    """(first line index, fields or None, (code, detail) or None, raw text) for each record.

    A record broken by an unclosed quote is reported as its first line alone, with
    `unclosed_quote`, and the lines after it are read again as rows. Broken means: it
    runs to the end of the file (or past MAX_RECORD_LINES); or it spans lines and either fails
    (a field over csv's limit), does not read as strict CSV, has the wrong field count, or one
    of its later lines is on its own a whole row. `n_columns` None (the header) skips the
    field-count tests."""
    feed = _Feed(lines.texts)
    reader = csv.reader(feed, delimiter=delimiter)
    while True:
        feed.begin()
        try:
            record, error = next(reader), None
        except StopIteration:
            return
        except csv.Error as exc:
            record, error = None, exc
        first, last = feed.start, feed.pos
        broken = feed.unterminated
        if not broken and last - first > 1:
            broken = (
                error is not None
                or not _parses_strictly(lines.texts[first:last], delimiter)
                or (
                    n_columns is not None
                    and (
                        len(record) != n_columns
                        or any(
                            _single_line_fields(lines.texts[i], delimiter) == n_columns
                            for i in range(first + 1, last)
                        )
                    )
                )
            )
        if broken:
            yield first, None, (UNCLOSED_QUOTE, None), lines.texts[first]
            feed.begin(first + 1)
            continue
        raw_text = "\n".join(lines.texts[first:last])
        if error is not None:
            yield first, None, _csv_error(error, lines.texts[last - 1], delimiter), raw_text
        elif any(i in lines.bad for i in range(first, last)):
            yield first, None, (BAD_ENCODING, None), raw_text
        elif any("\x00" in value for value in record):
            yield first, None, (NUL_CHARACTER, None), raw_text
        else:
            yield first, record, None, delimiter.join(record)


def read_csv_file(path: Path, source: str, columns: dict[str, bool] | None = None) -> CsvFile:
    """Decode one CSV file of `source`; `columns` (name -> required) replaces the catalogue's
    columns for another kind of file read the same way (the analysts' annotations)."""
    expected = columns or COLUMNS_BY_SOURCE[source]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CsvFileError(f"fichier illisible : {os_error_text(exc)}") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvFileError(
            "encodage UTF-16 non pris en charge (enregistrer le fichier en CSV UTF-8)"
        )
    bom = raw.startswith(_BOM)
    body = raw[len(_BOM) :] if bom else raw
    if not body.strip():
        raise CsvFileError("fichier vide")
    lines = decode_lines(body, bom)
    raw = body = None  # the decoded lines hold the file from here on
    header_line = lines.texts[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    records = _records(lines, delimiter, None)
    _, header_fields, problem, _ = next(records)
    if problem:
        raise CsvFileError(f"en-tête illisible : {reasons.reason_text(*problem)}")
    header = [HEADER_ALIASES.get(name, name) for name in (normalise_name(h) for h in header_fields)]
    missing = [name for name, required in expected.items() if required and name not in header]
    if missing:
        raise CsvFileError(
            "colonne(s) obligatoire(s) absente(s) : "
            + ", ".join(missing)
            + f" (en-tête lu : {';'.join(header)})"
        )
    doubled = [name for name in expected if header.count(name) > 1]
    if doubled:
        raise CsvFileError(
            ("colonne en double : " if len(doubled) == 1 else "colonnes en double : ")
            + ", ".join(doubled)
        )
    positions = {name: header.index(name) for name in expected if name in header}
    extra = {i: name for i, name in enumerate(header) if name not in expected}
    extra_with_values: set[int] = set()

    columns: dict[str, list] = {"line_no": [], "raw_text": [], **{name: [] for name in expected}}
    # Rows are turned into Arrow every ARROW_CHUNK_ROWS: a million rows held as Python strings
    # took over 1 GiB (issue #28); Arrow holds them in a tenth of that.
    chunks: list[pa.Table] = []
    rejected = _CappedRejections()
    blank_rows = 0
    records = _records(lines, delimiter, len(header))
    next(records)  # the header, read above
    for first, record, problem, raw_text in records:
        line_no, raw_text = first + 1, raw_text[:RAW_TEXT_LIMIT]
        if problem:
            rejected.append((line_no, *problem, raw_text))
            continue
        values = [cell_value(value) for value in record]
        if not any(values):
            blank_rows += 1
            continue
        if len(record) != len(header):
            rejected.append(
                (line_no, "wrong_column_count", f"{len(record)}/{len(header)}", raw_text)
            )
            continue
        extra_with_values.update(i for i in extra if values[i])
        columns["line_no"].append(line_no)
        columns["raw_text"].append(raw_text)
        for name in expected:
            columns[name].append((values[positions[name]] if name in positions else "") or None)
        if len(columns["line_no"]) >= ARROW_CHUNK_ROWS:
            chunks.append(_arrow_chunk(columns))
    chunks.append(_arrow_chunk(columns))
    table = pa.concat_tables(chunks)
    del chunks
    # Unknown columns are reported; one without a name and without a value (a trailing
    # separator) holds nothing to lose.
    extra_columns = list(
        dict.fromkeys(
            name if name else f"(sans nom, n° {i + 1})"
            for i, name in extra.items()
            if name or i in extra_with_values
        )
    )
    warnings = []
    if extra_columns:
        warnings.append(
            (
                "colonne inconnue ignorée : "
                if len(extra_columns) == 1
                else "colonnes inconnues ignorées : "
            )
            + ", ".join(extra_columns)
        )
    if lines.cp1252:
        shown = ", ".join(str(i + 1) for i in lines.cp1252[:10]) + (
            " …" if len(lines.cp1252) > 10 else ""
        )
        n = len(lines.cp1252)
        warnings.append(
            f"1 ligne en Windows-1252 dans un fichier UTF-8, lue comme telle : ligne {shown}"
            if n == 1
            else f"{n} lignes en Windows-1252 dans un fichier UTF-8, lues comme telles : lignes {shown}"
        )
    return CsvFile(
        path=path,
        encoding=lines.encoding,
        delimiter=delimiter,
        snapshot_date=snapshot_date_of(path),
        table=table,
        rejected=list(rejected),
        rejected_overflow=rejected.overflow,
        extra_columns=extra_columns,
        warnings=warnings,
        blank_rows=blank_rows,
    )


# Rows of a file turned into Arrow at a time (issue #28: memory of a million-row export).
ARROW_CHUNK_ROWS = 50_000


def _arrow_chunk(columns: dict[str, list]) -> pa.Table:
    """The rows gathered in `columns` as an Arrow table; `columns` is emptied."""
    table = pa.table(
        {
            name: pa.array(values, pa.int64() if name == "line_no" else pa.string())
            for name, values in columns.items()
        }
    )
    for values in columns.values():
        values.clear()
    return table


# Quarantined rows of one file kept one by one, as for log files: a 2 MB file of a million
# junk lines otherwise held a million Python rows (over 1 GiB).
MAX_REJECTED_ROWS = 10_000


class _CappedRejections(list):
    """The first MAX_REJECTED_ROWS rejections; the others counted by code in `overflow`."""

    def __init__(self):
        super().__init__()
        self.overflow: dict[str, int] = {}

    def append(self, item: tuple[int, str, str | None, str]) -> None:
        if len(self) < MAX_REJECTED_ROWS:
            super().append(item)
        else:
            code = item[1]
            self.overflow[code] = self.overflow.get(code, 0) + 1


def vocabulary_tables() -> dict[str, pa.Table]:
    """The controlled vocabularies of etl/config/vocabulary.toml as alias → code tables."""
    config = tomllib.loads((CONFIG_DIR / "vocabulary.toml").read_text(encoding="utf-8"))
    kinds = [
        {
            "alias": normalise_name(alias).replace("_", " "),
            "kind_code": code,
            "kind": entry["label"],
        }
        for code, entry in config["supplier_kinds"].items()
        for alias in [entry["label"], *entry["aliases"]]
    ]
    categories, aliases = [], []
    for platform, entries in config["categories"].items():
        for code, entry in entries.items():
            categories.append(
                {
                    "platform": platform,
                    "category_code": code,
                    "category": entry["label"],
                    "slug": code.replace("_", "-"),
                }
            )
            for alias in {entry["label"], *entry["aliases"]}:
                aliases.append(
                    {
                        "platform": platform,
                        "alias": normalise_name(alias).replace("_", " "),
                        "category_code": code,
                    }
                )
    return {
        "supplier_kinds": pa.Table.from_pylist(_dedupe(kinds, ("alias",))),
        "categories": pa.Table.from_pylist(categories),
        "category_aliases": pa.Table.from_pylist(_dedupe(aliases, ("platform", "alias"))),
    }


def _dedupe(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    seen, out = set(), []
    for row in rows:
        key = tuple(row[k] for k in keys)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
