"""`python -m etl export-parquet`: the warehouse → Hive-partitioned Parquet, switched in atomically.

The tables are written by DuckDB (etl/sql/export_parquet.sql) into `<out>.exporting/`, checked
against the warehouse row by row count, then put in place of `<out>` with one atomic
exchange of the two folders: a reader of `<out>` sees the previous export or the new one,
never a half-written one, and an export killed at any point leaves the previous one intact.
The tables are read from the load's database (`warehouse.etl.duckdb`, the only file holding
the hits), opened read-only while holding the load's lock: a load updates that database in
place, so loads and exports take turns. The dashboard keeps running meanwhile.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl import files
from etl.scripts import run_script
from etl.settings import Settings, etl_db_path

MANIFEST_NAME = "_export.json"  # leading `_`: Spark, Trino and Hive skip it when listing data files


class ExportError(Exception):
    """An export that cannot run (no warehouse, output folder not an export …). French message."""


@dataclass
class TableExport:
    rows: int
    files: int
    bytes: int
    partitioned_by: list[str]


@dataclass
class ExportReport:
    out_dir: Path
    tables: dict[str, TableExport] = field(default_factory=dict)
    seconds: float = 0.0


def export_parquet(settings: Settings, out_dir: Path) -> ExportReport:
    """Write the warehouse `settings.db_path` as Parquet under `out_dir`, replacing a previous export."""
    db_path, out_dir = etl_db_path(settings.db_path), Path(out_dir).absolute()
    if not db_path.is_file():
        if Path(settings.db_path).is_file():  # a warehouse written before the split
            raise ExportError(
                f"l'entrepôt {settings.db_path} date d'une version précédente (pas de "
                f"{db_path.name} à côté) ; lancez d'abord « python -m etl load », qui le convertit"
            )
        raise ExportError(
            f"entrepôt introuvable : {settings.db_path} (pas de {db_path.name} à côté) ; "
            "lancez d'abord « python -m etl load »"
        )
    if out_dir.exists() and not _is_previous_export(out_dir):
        # The folder is replaced wholesale: never do that to a folder we did not write.
        raise ExportError(
            f"{out_dir} existe et n'est pas un export précédent (pas de {MANIFEST_NAME}) ; "
            "choisissez un dossier vide ou absent"
        )
    started = time.monotonic()
    report = ExportReport(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # A load changes the hits in place: loads and exports take turns.
    with (
        files.exclusive_lock_or_refuse(
            out_dir,
            lambda lock: ExportError(
                f"un autre export vers {out_dir} est en cours (verrou {lock}) ; réessayez après sa fin"
            ),
        ),
        files.exclusive_lock_or_refuse(
            Path(settings.db_path),
            lambda lock: ExportError(
                f"un chargement de l'entrepôt est en cours (verrou {lock}) ; réessayez après sa fin"
            ),
        ),
    ):
        staging = out_dir.with_name(out_dir.name + ".exporting")
        shutil.rmtree(staging, ignore_errors=True)  # left by an export that was killed
        staging.mkdir()
        try:
            manifest = _write_tables(settings, db_path, staging, report)
            (staging / MANIFEST_NAME).write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            _fsync_tree(staging)
            _switch_in(staging, out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    report.seconds = time.monotonic() - started
    return report


def _is_previous_export(folder: Path) -> bool:
    return folder.is_dir() and ((folder / MANIFEST_NAME).is_file() or not any(folder.iterdir()))


def _write_tables(settings: Settings, db_path: Path, staging: Path, report: ExportReport) -> dict:
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as exc:
        raise ExportError(f"impossible d'ouvrir l'entrepôt {db_path} en lecture : {exc}") from exc
    try:
        # The load's memory budget: an export can run beside the dashboard on the same machine.
        con.execute(f"set memory_limit = '{int(settings.load_memory_limit_mb)}MB'")
        run_script(con, "export_parquet.sql", {"out_dir": str(staging)})
        for table_dir in sorted(p for p in staging.iterdir() if p.is_dir()):
            report.tables[table_dir.name] = _check_table(con, table_dir)
        loaded_at, data_start, data_end = con.execute(
            "select loaded_at, data_start, data_end from load_info"
        ).fetchone()
        inactivity_minutes, split_at_midnight = con.execute(
            "select inactivity_minutes, split_at_midnight from visit_settings"
        ).fetchone()
    finally:
        con.close()
    return {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": {
            "loaded_at": loaded_at.isoformat(timespec="seconds"),
            "data_start": data_start.isoformat() if data_start else None,
            "data_end": data_end.isoformat() if data_end else None,
        },
        "visit_settings": {
            "inactivity_minutes": inactivity_minutes,
            "split_at_midnight": split_at_midnight,
        },
        "layout": "one folder per table; Hive partitions <column>=<value>; month = YYYY-MM, Europe/Paris",
        "tables": {name: vars(table) for name, table in report.tables.items()},
    }


def _check_table(con, table_dir: Path) -> TableExport:
    """Count what was written and refuse an export that lost or gained rows."""
    parquet_files = sorted(table_dir.rglob("*.parquet"))
    written = (
        con.execute(
            "select count(*) from read_parquet(?, hive_partitioning = true)",
            [[str(f) for f in parquet_files]],
        ).fetchone()[0]
        if parquet_files
        else 0
    )
    expected = con.execute(f'select count(*) from "{table_dir.name}"').fetchone()[0]
    if written != expected:
        raise ExportError(
            f"export incomplet de {table_dir.name} : {written} lignes écrites, "
            f"{expected} dans l'entrepôt"
        )
    partitioned_by = (
        [part.split("=", 1)[0] for part in parquet_files[0].relative_to(table_dir).parts[:-1]]
        if parquet_files
        else []
    )
    return TableExport(
        rows=expected,
        files=len(parquet_files),
        bytes=sum(f.stat().st_size for f in parquet_files),
        partitioned_by=partitioned_by,
    )


def _fsync_tree(folder: Path) -> None:
    # The files must be on disk before the switch makes them visible: a crash right after it
    # must not leave truncated Parquet files in place.
    for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        files.fsync_path(path)
    files.fsync_path(folder)


def _switch_in(staging: Path, out_dir: Path) -> None:
    """Put `staging` at `out_dir` in one step; the previous export ends at `staging`."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
    elif not _exchange(staging, out_dir):
        # No atomic exchange here (not Linux, or a file system without it): two renames, so
        # for a moment `out_dir` is missing, but it never holds a half-written export.
        previous = out_dir.with_name(out_dir.name + ".previous")
        shutil.rmtree(previous, ignore_errors=True)
        os.rename(out_dir, previous)
        os.rename(staging, out_dir)
        shutil.rmtree(previous)
    files.fsync_path(out_dir.parent)


# renameat2(2) flag from <linux/fs.h>: swap two existing paths atomically. A directory cannot
# be replaced by os.replace unless the target is empty, hence the exchange.
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically; False when the platform cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def print_report(report: ExportReport, out=sys.stdout) -> None:
    print(f"{'table':<20} {'lignes':>10} {'fichiers':>8} {'Mo':>8}  partitions", file=out)
    for name, table in report.tables.items():
        print(
            f"{name:<20} {table.rows:>10} {table.files:>8} {table.bytes / 1e6:>8.1f}  "
            f"{', '.join(table.partitioned_by) or '—'}",
            file=out,
        )
    total_mb = sum(t.bytes for t in report.tables.values()) / 1e6
    print(
        f"Export terminé en {report.seconds:.1f} s : {total_mb:.1f} Mo dans {report.out_dir}",
        file=out,
    )
