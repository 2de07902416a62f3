"""Tables as files: the frame a page shows, as CSV for Excel in French and as XLSX.

Pure module (no Streamlit): `app.tables.show_table` offers both files under every table, and
tests read them back. Both carry the columns shown, under their French names, in the order
shown, with the values typed as the table types them:

* CSV: `;` separator and decimal comma (Excel in French splits and reads it as is), UTF-8
  with a byte-order mark (without it Excel reads UTF-8 as Windows-1252: "Ã©" for "é"), dates
  JJ/MM/AAAA, integers without thousands separator and a missing value as an empty cell, so
  that every figure is a number to Excel. A CSV cell has no format, so a share is written in
  percent (12,5 for 12,5 %, at most `CSV_PCT_DECIMALS` decimals) and its column name says
  "(%)".
* XLSX (xlsxwriter): numbers, shares and dates as typed cells with a French-looking number
  format (the share stays 0.125, shown 12,5 %), a title row and the filters under it, a bold
  header row frozen with a filter, column widths fitted to the contents.

A column may mix kinds row by row (the scorecard: a count, then shares): `row_kinds` names
the frame's column holding each row's kind, and each cell is typed and formatted by its own
kind; such a column cannot say "(%)" in its name, so its table carries a unit column.

Text cells are written as text: a name such as "=1+1" or "@SOMME(…)" never becomes a formula
(CSV cells starting with = + - @ get a leading apostrophe, the usual guard against formula
injection; XLSX cells are typed strings).
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import xlsxwriter

from app import labels
from app.charts import slugify
from app.fmt import fr_date_short

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Decimals kept in the CSV: enough for any figure shown, and no "7,000000000000001" from
# binary floating point.
CSV_DECIMALS = 6
# A share in percent: 54,82 rather than 54,82326 (the screen shows one decimal).
CSV_PCT_DECIMALS = 2
# Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel's limits on sheet names: 31 characters, none of []:*?/\ .
SHEET_NAME_LENGTH = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Column widths in characters (Excel's unit), fitted to the contents within these bounds.
MIN_WIDTH, MAX_WIDTH = 8, 60
HEADER_ROW = 3  # title, filters, blank line, then the header


KINDS = ("int", "pct", "decimal", "date", "other")
MIXED = "mixed"  # a column whose cells each have their own kind (`ExportColumn.cell_kinds`)


@dataclass(frozen=True)
class ExportColumn:
    """One column of the table as shown: French name, kind, values as plain Python values
    (None, int, float, date, datetime, bool or str); a MIXED column gives each value's kind
    in `cell_kinds`."""

    name: str
    kind: str  # one of KINDS, or MIXED
    values: tuple
    cell_kinds: tuple[str, ...] = ()

    def kinds(self) -> tuple[str, ...]:
        """The kind of each value."""
        return self.cell_kinds if self.kind == MIXED else (self.kind,) * len(self.values)


def export_columns(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    int_columns: Iterable[str] = (),
    pct_columns: Iterable[str] = (),
    date_columns: Iterable[str] = (),
    decimal_columns: Iterable[str] = (),
    row_kinds: Mapping[str, str] | None = None,
) -> list[ExportColumn]:
    """The columns of `frame` listed in `columns` ({column: French name}), typed as
    `show_table` types them. `row_kinds` ({column: kind column}) types each cell of a column
    by the kind (one of KINDS) its row holds in the kind column."""
    kinds = {
        **{c: "int" for c in int_columns},
        **{c: "pct" for c in pct_columns},
        **{c: "date" for c in date_columns},
        **{c: "decimal" for c in decimal_columns},
    }
    exported = []
    for column, name in columns.items():
        if row_kinds and column in row_kinds:
            cell_kinds = tuple(str(kind) for kind in frame[row_kinds[column]].tolist())
            unknown = set(cell_kinds) - set(KINDS)
            if unknown:
                raise ValueError(f"unknown kinds {sorted(unknown)} for column {column}")
            values = tuple(
                _plain(value, kind) for value, kind in zip(frame[column].tolist(), cell_kinds)
            )
            exported.append(ExportColumn(name, MIXED, values, cell_kinds))
            continue
        kind = kinds.get(column, "other")
        values = tuple(_plain(value, kind) for value in frame[column].tolist())
        exported.append(ExportColumn(name=name, kind=kind, values=values))
    return exported


def _plain(value, kind: str):
    """A cell as a plain Python value; missing values (None, NaN, NaT, NA) become None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Number):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            return None
        if kind == "int":
            return int(round(number))
        if isinstance(value, numbers.Integral):
            return int(value)
        return number
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        return value.date() if kind == "date" else value
    if isinstance(value, date):
        return value
    return str(value)


# --- CSV ---------------------------------------------------------------------------------------


def csv_header(column: ExportColumn) -> str:
    """The column's name in the CSV: a share column says it is written in percent."""
    if column.kind == "pct" and "%" not in column.name:
        return f"{column.name} (%)"
    return column.name


def to_csv(columns: list[ExportColumn]) -> bytes:
    """CSV for Excel in French: `;`, decimal comma, UTF-8 with BOM, dates JJ/MM/AAAA."""
    buffer = io.StringIO()
    # Excel and RFC 4180 end lines with CRLF; QUOTE_MINIMAL quotes cells holding ; " or a line
    # break.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_header(column) for column in columns])
    rows = zip(*(column.values for column in columns)) if columns else ()
    kinds = zip(*(column.kinds() for column in columns)) if columns else ()
    for row, row_kinds in zip(rows, kinds):
        writer.writerow([_csv_cell(value, kind) for value, kind in zip(row, row_kinds)])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return labels.YES if value else labels.NO
    if isinstance(value, int):
        return str(value * 100) if kind == "pct" else str(value)
    if isinstance(value, float):
        if kind == "pct":
            return _decimal_text(round(value * 100, CSV_PCT_DECIMALS))
        return _decimal_text(value)
    if isinstance(value, datetime):  # a date column's values are dates (`_plain`)
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, date):
        return fr_date_short(value)
    return _neutralise_formula(value)


def _decimal_text(number: float) -> str:
    """12.5 -> '12,5'; 3.0 -> '3' (fixed notation, never '1e-07')."""
    text = f"{number:.{CSV_DECIMALS}f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


def _neutralise_formula(text: str) -> str:
    text = _CONTROL.sub(_escape_control, text)
    return "'" + text if text.startswith(FORMULA_START) else text


# Raw control bytes (a binary log line kept in quarantine, an escape sequence in a name) and
# bidirectional overrides are written as visible escapes (`\x1b`, `\u202e`): a spreadsheet
# or a terminal showing the CSV would otherwise act on them or hide text behind them. Tabs
# and line breaks stay: the cell is quoted, and they are text a user typed.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape_control(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# --- XLSX -------------------------------------------------------------------------------------

# Number formats use Excel's neutral codes; Excel shows them with the reader's separators
# ("1 500", "12,5 %" in French).
XLSX_FORMATS = {
    "int": "#,##0",
    "pct": "0.0%",
    "decimal": "#,##0.0",
    "date": "dd/mm/yyyy",
}


def to_xlsx(columns: list[ExportColumn], *, title: str, subtitle: str = "") -> bytes:
    """An Excel workbook: one sheet named after `title`, the title and `subtitle` (filters)
    on top, a bold frozen header row with filters, typed cells, fitted column widths."""
    buffer = io.BytesIO()
    # No string is ever turned into a formula, a link or a number behind our back.
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    workbook.set_properties({"title": title, "subject": subtitle})
    sheet = workbook.add_worksheet(sheet_name(title))
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    subtitle_format = workbook.add_format({"italic": True, "font_color": "#555555"})
    header_format = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#EEF3FA"}
    )
    value_formats = {
        kind: workbook.add_format({"num_format": code}) for kind, code in XLSX_FORMATS.items()
    }
    datetime_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})

    sheet.write_string(0, 0, title, title_format)
    if subtitle:
        sheet.write_string(1, 0, subtitle, subtitle_format)
    for index, column in enumerate(columns):
        sheet.write_string(HEADER_ROW, index, column.name, header_format)
        for offset, (value, kind) in enumerate(
            zip(column.values, column.kinds()), start=HEADER_ROW + 1
        ):
            cell_format = value_formats.get(kind)
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_string(offset, index, labels.YES if value else labels.NO)
            elif isinstance(value, (int, float)):
                sheet.write_number(offset, index, value, cell_format)
            elif isinstance(value, datetime):
                sheet.write_datetime(offset, index, value, datetime_format)
            elif isinstance(value, date):
                sheet.write_datetime(
                    offset,
                    index,
                    datetime(value.year, value.month, value.day),
                    value_formats["date"],
                )
            else:
                sheet.write_string(offset, index, value)
        sheet.set_column(index, index, column_width(column))
    rows = len(columns[0].values) if columns else 0
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if columns:
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + rows, len(columns) - 1)
    workbook.close()
    return buffer.getvalue()


def sheet_name(title: str) -> str:
    """`title` as an Excel sheet name: no []:*?/\\, at most 31 characters, cut between
    words."""
    name = " ".join(_SHEET_NAME_FORBIDDEN.sub(" ", title).split()).strip("'")
    if len(name) > SHEET_NAME_LENGTH:
        cut = name[: SHEET_NAME_LENGTH + 1].rsplit(" ", 1)[0]
        name = cut if cut and len(cut) <= SHEET_NAME_LENGTH else name[:SHEET_NAME_LENGTH]
        if name.count("(") > name.count(")"):  # "… (page" : drop the unfinished aside
            name = name[: name.rfind("(")]
        name = name.rstrip(" ,;.-—=+&·'")
    return name or labels.EXPORT_SHEET_FALLBACK


def column_width(column: ExportColumn) -> int:
    """Width in characters: the longest value as Excel shows it, or the header's (headers
    wrap beyond 30 characters)."""
    shown = [
        len(_shown_text(value, kind))
        for value, kind in zip(column.values, column.kinds())
        if value is not None
    ]
    header = min(len(column.name), 30)
    return max(MIN_WIDTH, min(MAX_WIDTH, max([header, *shown]) + 2))


def _shown_text(value, kind: str) -> str:
    if isinstance(value, float) and kind == "pct":
        return f"{value * 100:.1f} %"
    if isinstance(value, float) and kind in ("decimal", "int"):
        return f"{value:,.1f}"
    if isinstance(value, datetime):
        return "00/00/0000 00:00:00"
    if isinstance(value, date):
        return "00/00/0000"
    if isinstance(value, int) and kind == "int":
        return f"{value:,}"
    return str(value)


# --- file names ---------------------------------------------------------------------------------


def file_stem(
    title: str, platform: str | None = None, start: date | None = None, end: date | None = None
) -> str:
    """'Recherches les plus fréquentes', 'produits-frais', 30/03/2020, 31/12/2020 ->
    'recherches-les-plus-frequentes_produits-frais_2020-03-30_2020-12-31' (ASCII, the same
    pattern as the charts' PNG files)."""
    parts = [slugify(title) or labels.EXPORT_FILE_FALLBACK]
    if platform:
        parts.append(slugify(platform))
    if start and end:
        parts.append(f"{start:%Y-%m-%d}_{end:%Y-%m-%d}")
    return "_".join(parts)
