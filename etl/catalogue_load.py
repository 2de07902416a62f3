"""The suppliers' and listings' CSV exports into the load's database, rebuilt only when the
files (or the code and reference data behind them) changed since the last load."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow as pa

from etl import catalogue
from etl.fingerprints import _digest_csv, _digest_files
from etl.inputs import _input_files
from etl.report import FileReport, LoadReport, _warn_about_quarantine
from etl.scripts import run_script
from etl.settings import CONFIG_DIR, REFERENCE_DIR, SQL_DIR, Settings


def catalogue_fingerprint(raw_dir: Path, platforms: list[str], earliest_year: int) -> str:
    """Hash of what the catalogue tables are made of: the CSV files (paths and contents), the
    vocabulary and reference data, the settings that check them, and the code that reads and
    checks them."""
    digest = hashlib.sha256()
    digest.update(f"catalogue_earliest_year|{earliest_year}\n".encode())
    for platform, source, path in _input_files(raw_dir, platforms):
        if source != "logs":
            _digest_csv(digest, platform, source, path)
    _digest_files(
        digest,
        [
            *CONFIG_DIR.rglob("*"),
            *REFERENCE_DIR.rglob("*"),
            SQL_DIR / "01_vocabulary.sql",
            SQL_DIR / "05_reference.sql",
            SQL_DIR / "50_catalogue.sql",
            # The scopes are published with the catalogue: a change must reach the dashboard.
            SQL_DIR / "92_scopes.sql",
            Path(catalogue.__file__),
            Path(__file__),
        ],
    )
    return digest.hexdigest()


# Quarantined catalogue rows of each file by kind of reason: the reason without the value it
# quotes (`SIRET invalide : « 7328… »` → `SIRET invalide`, `fournisseur inconnu : P9` →
# `fournisseur inconnu`), with the first line numbers. Rejected files (no line) are said apart.
_QUARANTINE_BY_REASON = r"""
with reasons as (
    select source_file, source, line_no, 1 as n_rows, reason from rejected_rows
    where source in ('suppliers', 'listings') and line_no is not null
    union all
    select source_file, source, null, n_rows, reason from rejected_overflow
    where source in ('suppliers', 'listings')
), kinds as (
    select source_file, source, line_no, n_rows,
           rtrim(regexp_replace(regexp_replace(reason, '\s*«.*$', ''),
                 '^(fournisseur inconnu|identifiant en double dans le fichier|identifiant déjà présent dans .*?) : .*$',
                 '\1'), ' :') as kind
    from reasons
)
select source_file, source, kind, sum(n_rows)::bigint as n_rows,
       list(line_no order by line_no) filter (where line_no is not null)[1:5] as first_lines
from kinds
group by source_file, source, kind
order by source_file, n_rows desc, kind
"""


def _quarantine_by_reason(con) -> dict[tuple[str, str], list[tuple[str, int, list[int]]]]:
    out: dict[tuple[str, str], list[tuple[str, int, list[int]]]] = {}
    for source_file, source, kind, n, first_lines in con.execute(_QUARANTINE_BY_REASON).fetchall():
        out.setdefault((source_file, source), []).append((kind, n, first_lines or []))
    return out


def _load_catalogue_if_changed(
    con, settings: Settings, raw_dir: Path, platforms: list[str], report: LoadReport
) -> None:
    """The catalogue is rebuilt from its CSV files only when they (or the code, settings and
    reference data behind it) changed: a daily load of new log lines then leaves it as it is."""
    earliest_year = settings.catalogue_earliest_year
    fingerprint = catalogue_fingerprint(raw_dir, platforms, earliest_year)
    stored = dict(
        con.execute(
            "select name, fingerprint from config_state "
            "where name in ('catalogue', 'catalogue_errors')"
        ).fetchall()
    )
    if stored.get("catalogue") == fingerprint:
        counts = {
            row[0]: row[1:]
            for row in con.execute(
                "select file_id, lines_read, rows_loaded, rows_rejected, "
                "coalesce(rows_blank, 0) from load_files where source in ('suppliers', 'listings')"
            ).fetchall()
        }
        quarantine = _quarantine_by_reason(con)
        for platform, source, path in _input_files(raw_dir, platforms):
            if source != "logs":
                read, loaded, rejected, blank = counts.get(f"{source}:{path}", (0, 0, 0, 0))
                report.files.append(
                    FileReport(
                        platform,
                        source,
                        path,
                        read,
                        loaded,
                        rejected,
                        blank=blank,
                        quarantine=quarantine.get((str(path), source), []),
                        note="inchangé depuis le dernier chargement",
                    )
                )
        report.errors += [
            f"{error} (constaté au chargement précédent, fichier inchangé)"
            for error in json.loads(stored.get("catalogue_errors") or "[]")
        ]
        return
    errors_before = len(report.errors)
    _load_catalogue(con, raw_dir, platforms, report, earliest_year)
    con.execute(
        "insert or replace into config_state values ('catalogue', ?), ('catalogue_errors', ?)",
        [fingerprint, json.dumps(report.errors[errors_before:], ensure_ascii=False)],
    )


def _load_catalogue(
    con, raw_dir: Path, platforms: list[str], report: LoadReport, earliest_year: int
) -> None:
    staged: dict[str, list[pa.Table]] = {"suppliers": [], "listings": []}
    csv_rejected: list[dict] = []
    csv_overflow: list[tuple] = []
    con.execute("delete from load_files where source in ('suppliers', 'listings')")
    for platform in platforms:
        for source in ("suppliers", "listings"):
            raw_dir / platform / source
            # The files a load reads, links out of the raw folder excluded.
            for path in [p for _, src, p in _input_files(raw_dir, [platform]) if src == source]:
                entry = FileReport(platform, source, path)
                report.files.append(entry)
                try:
                    parsed = catalogue.read_csv_file(path, source)
                except catalogue.CsvFileError as exc:
                    entry.note = str(exc)
                    report.errors.append(f"{path} : {exc}")
                    csv_rejected.append(
                        {
                            "platform": platform,
                            "source": source,
                            "source_file": str(path),
                            "line_no": None,
                            "reason": f"fichier rejeté : {exc}",
                            "raw_text": None,
                        }
                    )
                    continue
                table = parsed.table
                n = table.num_rows
                table = table.append_column("platform", pa.array([platform] * n, pa.string()))
                table = table.append_column("source_file", pa.array([str(path)] * n, pa.string()))
                table = table.append_column(
                    "snapshot_date", pa.array([parsed.snapshot_date] * n, pa.date32())
                )
                staged[source].append(table)
                for line_no, reason, raw in parsed.rejected:
                    csv_rejected.append(
                        {
                            "platform": platform,
                            "source": source,
                            "source_file": str(path),
                            "line_no": line_no,
                            "reason": reason,
                            "raw_text": raw,
                        }
                    )
                for reason, n in parsed.rejected_overflow.items():
                    csv_overflow.append((platform, source, str(path), None, reason, n))
                entry.read = parsed.rows_read
                entry.blank = parsed.blank_rows
                entry.note = f"{parsed.encoding}, séparateur « {parsed.delimiter} »" + (
                    f", colonnes ignorées : {', '.join(parsed.extra_columns)}"
                    if parsed.extra_columns
                    else ""
                )
                # Unknown columns, lines of another encoding: loaded, but said (an ATTENTION line).
                report.errors += [f"{path} : {warning}" for warning in parsed.warnings]
    for source, columns in catalogue.COLUMNS_BY_SOURCE.items():
        tables = staged[source]
        if tables:
            combined = pa.concat_tables(tables)
        else:
            combined = pa.table(
                {
                    name: pa.array([], pa.int64() if name == "line_no" else pa.string())
                    for name in ["line_no", "raw_text", *columns]
                }
                | {
                    "platform": pa.array([], pa.string()),
                    "source_file": pa.array([], pa.string()),
                    "snapshot_date": pa.array([], pa.date32()),
                }
            )
        con.register(f"v_stg_{source}", combined)
        con.execute(f"create or replace temp table stg_{source} as select * from v_stg_{source}")
    con.register(
        "v_csv_rejected",
        pa.Table.from_pylist(
            csv_rejected,
            schema=pa.schema(
                [
                    ("platform", pa.string()),
                    ("source", pa.string()),
                    ("source_file", pa.string()),
                    ("line_no", pa.int64()),
                    ("reason", pa.string()),
                    ("raw_text", pa.string()),
                ]
            ),
        ),
    )
    con.execute("create or replace temp table stg_csv_rejected as select * from v_csv_rejected")
    run_script(con, "50_catalogue.sql", {"earliest_year": earliest_year})
    con.execute("delete from rejected_overflow where source in ('suppliers', 'listings')")
    if csv_overflow:
        con.executemany("insert into rejected_overflow values (?, ?, ?, ?, ?, ?)", csv_overflow)
    counts = {
        (r[0], r[1]): (r[2], r[3])
        for r in con.execute(
            """select source_file, source, sum(loaded), sum(rejected) from (
               select source_file, 'suppliers' as source, count(*) as loaded, 0 as rejected from stg_suppliers_checked where reject_reason is null group by 1
               union all select source_file, 'listings', count(*), 0 from stg_listings_checked where reject_reason is null group by 1
               union all select source_file, source, 0, count(*) from rejected_rows where source in ('suppliers', 'listings') and line_no is not null group by 1, 2
               union all select source_file, source, 0, sum(n_rows) from rejected_overflow where source in ('suppliers', 'listings') group by 1, 2
           ) group by 1, 2"""
        ).fetchall()
    }
    quarantine = _quarantine_by_reason(con)
    for entry in report.files:
        if entry.source in ("suppliers", "listings"):
            entry.loaded, entry.rejected = counts.get((str(entry.path), entry.source), (0, 0))
            entry.quarantine = quarantine.get((str(entry.path), entry.source), [])
            if entry.read:
                _warn_about_quarantine(report, entry, cap=catalogue.MAX_REJECTED_ROWS)
            size = entry.path.stat().st_size if entry.path.exists() else 0
            con.execute(
                """insert or replace into load_files (file_id, platform, source, path, bytes,
                           disk_bytes, lines_read, rows_loaded, rows_rejected, rows_blank,
                           loaded_at)
                           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())""",
                [
                    f"{entry.source}:{entry.path}",
                    entry.platform,
                    entry.source,
                    str(entry.path),
                    size,
                    size,
                    entry.read,
                    entry.loaded,
                    entry.rejected,
                    entry.blank,
                ],
            )
