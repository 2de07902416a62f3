"""The analysts' annotations: `data/annotations.csv`, loaded into the table `annotations`.

Analysts write dated notes (a campaign, an outage, a press article) in a spreadsheet saved as
CSV, beside the raw folder (`<raw>/../annotations.csv`, so `data/annotations.csv` by default;
format in data/README.md). The file is decoded as the catalogue exports are (encodings,
separator, quotes: `etl.catalogue.read_csv_file`), then checked in SQL
(`etl/sql/55_annotations.sql`): a row with a bad date, an unknown platform code, an empty text,
or a text a spreadsheet would run as a formula is quarantined in `rejected_rows` with its
reason code and detail, like any other CSV row; `read = loaded + quarantined` for the file. The table is
rebuilt on every load (no file: no annotation), and the dashboard reads only the table.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from etl import catalogue, reasons
from etl.report import (
    ALL_PLATFORMS,
    FileReport,
    LoadReport,
    _warn_about_quarantine,
    add_quarantine,
    record_shared_file,
)
from etl.scripts import run_script
from etl.settings import PLATFORMS

FILE_NAME = "annotations.csv"
SOURCE = "annotations"
# The file's columns (after `catalogue.normalise_name`: `Libellé` → `libelle`) and whether
# each must be present. Without a `plateforme` column every note is for all platforms.
COLUMNS = {"date": True, "plateforme": False, "libelle": True}
# Platform shown in the load report and stored in `load_files` for this file, which belongs
# to no platform (`load_files.platform` is never empty).


def annotations_path(raw_dir: Path) -> Path:
    """`data/annotations.csv` for the default `data/raw`: the file sits beside the raw folder,
    so a load of another raw folder (a test, a demo) never reads the analysts' own file."""
    return raw_dir.parent / FILE_NAME


def _rejected(
    path: Path, line_no: int | None, code: str, detail: str | None, raw: str | None
) -> dict:
    return {
        "platform": None,
        "source": SOURCE,
        "source_file": str(path),
        "line_no": line_no,
        "reason_code": code,
        "detail": detail,
        "raw_text": raw,
    }


_STAGED_SCHEMA = pa.schema(
    [("line_no", pa.int64()), ("raw_text", pa.string())] + [(name, pa.string()) for name in COLUMNS]
)


def load_annotations(con, raw_dir: Path, report: LoadReport) -> None:
    """Rebuild `annotations` from the analysts' file, quarantining the rows that cannot be
    shown, and account for the file in the report and in `load_files`."""
    path = annotations_path(raw_dir)
    con.execute("delete from load_files where source = ?", [SOURCE])
    staged = _STAGED_SCHEMA.empty_table()
    rejected: list[dict] = []
    entry = None
    if path.is_file():
        entry = FileReport(ALL_PLATFORMS, SOURCE, path)
        report.files.append(entry)
        try:
            parsed = catalogue.read_csv_file(path, SOURCE, COLUMNS)
        except catalogue.CsvFileError as exc:
            entry.note = str(exc)
            report.errors.append(f"{path} : {exc}")
            rejected.append(_rejected(path, None, "file_rejected", str(exc), None))
        else:
            staged = parsed.table.select(["line_no", "raw_text", *COLUMNS])
            rejected += [
                _rejected(path, n, code, detail, raw) for n, code, detail, raw in parsed.rejected
            ]
            entry.read, entry.blank = parsed.rows_read, parsed.blank_rows
            entry.note = f"{parsed.encoding}, séparateur « {parsed.delimiter} »"
            report.errors += [f"{path} : {warning}" for warning in parsed.warnings]
    con.register("v_stg_annotations", staged)
    con.register(
        "v_annotations_rejected", pa.Table.from_pylist(rejected, schema=reasons.REJECTED_ROW_SCHEMA)
    )
    con.register("v_platforms", pa.table({"platform": list(PLATFORMS)}))
    run_script(con, "55_annotations.sql", {"source_file": str(path)})
    for name in ("v_stg_annotations", "v_annotations_rejected", "v_platforms"):
        con.unregister(name)
    if entry is None or not entry.read:
        return
    by_reason = con.execute(
        """select reason_code, count(*), list(line_no order by line_no) from rejected_rows
           where source = ? and line_no is not null group by reason_code""",
        [SOURCE],
    ).fetchall()
    for code, n, line_nos in by_reason:
        add_quarantine(entry, code, n, [n for n in line_nos if n is not None])
    entry.rejected = sum(n for _, n, _ in by_reason)
    entry.loaded = con.execute("select count(*) from annotations").fetchone()[0]
    _warn_about_quarantine(report, entry)
    record_shared_file(con, entry, path, path.stat().st_size)
