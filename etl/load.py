"""`python -m etl load`: raw files → the load's database → the dashboard's warehouse file.

Two files (docs/warehouse.md): the load's own database (`warehouse.etl.duckdb`, every table,
hits included), updated in place inside one DuckDB transaction, so that a load that fails or
is killed leaves it as it was; and the file the dashboard reads (`warehouse.duckdb`), published
from it by `etl.publish` and switched in with one `os.replace`, so that readers see either
the previous figures or the new ones, never a half-loaded state. A first load or a rebuild
writes a new database beside the old one and switches it in the same way. A second load
started meanwhile is refused (lock file).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sys
import time
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
from tqdm import tqdm

from etl import catalogue, files, logs, publish, user_agents
from etl.scripts import peek, run_script, sql, timed
from etl.settings import (
    CONFIG_DIR,
    PLATFORMS,
    REFERENCE_DIR,
    SOURCES,
    SQL_DIR,
    Settings,
    etl_db_path,
)


class LoadError(Exception):
    """A load that cannot run (missing raw folder, another load running …). French message."""

    exit_code = 2


class WarehouseDamaged(LoadError):
    """The load's database (or a file the load must read) is damaged; nothing was changed."""

    exit_code = 3


class WriteFailed(LoadError):
    """Writing failed (disk full, read-only or failing disk); nothing was changed."""

    exit_code = 4


@dataclass
class FileReport:
    platform: str
    source: str
    path: Path
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    expired: int = 0  # loaded, then purged by retention in this same load (older than the window)
    note: str = ""
    file_id: str | None = None


@dataclass
class LoadReport:
    files: list[FileReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False  # nothing new since the last load: the warehouse was left as is
    method: str = ""  # how the load's database was written: "en place", "copie" or "nouvelle base"
    publication: str = (
        ""  # how the dashboard file was written: "jours" (changed days) or "complète"
    )
    pending_lines: bool = False  # a live log's last line left for the next load
    purges: list[str] = field(default_factory=list)  # what retention purged, said (not a warning)
    purge_refused: bool = False  # the next load runs again (with --accept-purge, the purge is made)

    def totals(self) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = {}
        for f in self.files:
            row = out.setdefault((f.platform, f.source), [0, 0, 0, 0, 0])
            row[0] += 1
            row[1] += f.read
            row[2] += f.loaded
            row[3] += f.rejected
            row[4] += f.expired
        return out


def load(
    settings: Settings, progress: bool = True, rebuild: bool = False, accept_purge: bool = False
) -> LoadReport:
    """Load the raw files into the warehouse.

    Loads are cumulative: hits of log files that have since been deleted (rotation drops old
    logs) stay in the warehouse. `rebuild` starts from an empty warehouse instead, for when
    the raw folder was replaced wholesale (a new demo, a corrected archive).
    """
    raw_dir, db_path = Path(settings.raw_dir), Path(settings.db_path)
    if not raw_dir.is_dir():
        raise LoadError(f"dossier de données brutes introuvable : {raw_dir}")
    platforms = [p for p in PLATFORMS if (raw_dir / p).is_dir()]
    if not platforms:
        raise LoadError(f"aucun dossier de plateforme ({', '.join(PLATFORMS)}) dans {raw_dir}")
    started = time.monotonic()
    report = LoadReport()
    for unknown in sorted(
        p.name for p in raw_dir.iterdir() if p.is_dir() and p.name not in PLATFORMS
    ):
        report.errors.append(f"dossier ignoré (plateforme inconnue) : {raw_dir / unknown}")

    report.errors += unread_inputs(raw_dir, platforms)

    etl_path = etl_db_path(db_path)
    try:
        with files.exclusive_lock_or_refuse(
            db_path,
            lambda lock: LoadError(
                f"un autre chargement ou un export Parquet est en cours (verrou {lock}) ; réessayez après sa fin"
            ),
        ):
            _load_locked(
                settings,
                raw_dir,
                db_path,
                etl_path,
                platforms,
                report,
                progress,
                rebuild,
                accept_purge,
            )
    except duckdb.Error as exc:
        raise _duckdb_failure(exc, etl_path) from None
    except OSError as exc:
        raise WriteFailed(
            f"écriture impossible ({files.os_error_fr(exc)}) : le chargement n'a rien modifié ; "
            "libérez de la place ou vérifiez le disque, puis relancez"
        ) from None
    report.seconds = time.monotonic() - started
    return report


def _duckdb_failure(exc: duckdb.Error, etl_path: Path) -> LoadError:
    """A DuckDB error during a load, in French: a full disk, or a damaged database."""
    text = str(exc)
    if "No space left" in text or "Disk quota" in text or "disk is full" in text.lower():
        return WriteFailed(
            "disque plein : le chargement n'a rien modifié ; libérez de la place "
            f"près de {etl_path.parent}, puis relancez"
        )
    if (
        isinstance(
            exc,
            (
                duckdb.IOException,
                duckdb.SerializationException,
                duckdb.InternalException,
                duckdb.FatalException,
            ),
        )
        or "orrupt" in text
        or "checksum" in text.lower()
    ):
        return WarehouseDamaged(
            f"base du chargement endommagée ou illisible ({etl_path}) : le chargement n'a rien modifié. "
            "Restaurez-la depuis une sauvegarde, ou reconstruisez-la depuis les fichiers bruts avec "
            "--rebuild (les lignes des journaux supprimés depuis seront perdues)."
        )
    raise exc


def _publication_failed(exc: Exception, db_path: Path) -> WriteFailed:
    """The load's database is committed, but the dashboard's file could not be written: the
    dashboard shows the previous figures until a later load publishes (whole, since the file
    no longer matches the database's generation)."""
    why = (
        files.os_error_fr(exc)
        if isinstance(exc, OSError)
        else ("disque plein" if "No space left" in str(exc) else "erreur d'écriture")
    )
    return WriteFailed(
        f"base du chargement mise à jour, mais le fichier du tableau de bord {db_path} n'a pas pu "
        f"être publié ({why}) : le tableau de bord montre encore les chiffres précédents ; "
        "réglez le problème puis relancez le chargement, qui le publiera en entier"
    )


def _check_readable(etl_path: Path) -> None:
    """An existing load database that DuckDB cannot open stops the load before anything is written."""
    if not etl_path.exists():
        return
    try:
        con = duckdb.connect(str(etl_path), read_only=True)
        try:
            con.execute("select count(*) from duckdb_tables()").fetchone()
        finally:
            con.close()
    except duckdb.Error as exc:
        raise _duckdb_failure(exc, etl_path) from None


def _load_locked(
    settings, raw_dir, db_path, etl_path, platforms, report, progress, rebuild, accept_purge
):
    """The load, once its lock is held."""
    _remove_leftovers(etl_path)
    if not rebuild:
        _check_readable(etl_path)
    inputs = inputs_fingerprint(settings, raw_dir, platforms)
    stored, previous_errors, current = _stored_state(etl_path)
    published = publish.published_generation(db_path)
    if not rebuild and stored == inputs and current is not None and published == current:
        # Same files, configuration, code and settings as the last load, and its figures
        # published: they stand. Skipping before opening anything keeps a daily no-op instant.
        report.files = [
            FileReport(platform, source, path, note="inchangé depuis le dernier chargement")
            for platform, source, path in _input_files(raw_dir, platforms)
        ]
        report.unchanged = True
        # What the last load found wrong still holds: say it again (and exit non-zero).
        report.errors = [
            f"{error} (constaté au chargement précédent, fichier inchangé)"
            for error in previous_errors
        ]
        return
    if not rebuild and not etl_path.exists() and _holds_hits(db_path):
        # It records no generation, so the dashboard file is then published whole.
        _adopt_single_file_warehouse(db_path, etl_path)
    if rebuild or not etl_path.exists():
        report.method = "nouvelle base"
    else:
        report.method = _update_method(etl_path, settings, raw_dir, platforms)
    if report.method == "en place":
        _load_in_place(
            settings,
            raw_dir,
            platforms,
            report,
            progress,
            inputs,
            etl_path,
            published,
            accept_purge,
        )
    else:
        _load_aside(
            settings,
            raw_dir,
            platforms,
            report,
            progress,
            inputs,
            etl_path,
            from_current=report.method != "nouvelle base",
            accept_purge=accept_purge,
        )
        con = _connect(etl_path, settings)
        publication = publish.Publication(db_path, days_changed=False)
        try:
            try:
                report.publication = publication.write(con)
            except (OSError, duckdb.Error) as exc:
                raise _publication_failed(exc, db_path) from None
            _record_publication(con, publication)
        finally:
            publication.close()
            con.close()


def _load_in_place(
    settings,
    raw_dir,
    platforms,
    report,
    progress,
    inputs: str,
    etl_path: Path,
    published: str | None,
    accept_purge: bool,
) -> None:
    """A daily load: the database updated in one transaction, then the dashboard file published."""
    con = _connect(etl_path, settings)
    try:
        before = publish.generation(con)
        # The dashboard file is rewritten for the days this load changes only when it holds
        # the state the load starts from; otherwise (e.g. the previous load was killed after
        # its commit) it is copied whole.
        signature = con.execute("select any_value(signature) from publication_record").fetchone()[0]
        publication = publish.Publication(
            settings.db_path,
            days_changed=before is not None and published == before,
            expected_signature=signature,
        )
        try:
            # One transaction: a load that fails or is killed leaves the database as it was.
            con.execute("begin")
            with timed("load (transaction)"):
                _load_into(con, settings, raw_dir, platforms, report, progress, accept_purge)
                _record_load(con, inputs, report)
            with timed("commit"):
                con.execute("commit")
            with timed("checkpoint"):
                con.execute("checkpoint")
            try:
                report.publication = publication.write(con)
            except (OSError, duckdb.Error) as exc:
                raise _publication_failed(exc, settings.db_path) from None
            _record_publication(con, publication)
        finally:
            publication.close()
    finally:
        con.close()


# settings.load_in_place_max_mb: DuckDB holds a transaction's changes in memory, about 1.1 byte
# per new log byte (5 million lines of the scale-1 demo added in one transaction peaked at
# 2.25 GB, 0.77 GB without one). 128 MB, about 480,000 lines, keeps a daily load (76,000
# lines at scale 10) well under 1 GiB; more is loaded into a copy of the database instead.
GZIP_EXPANSION = 10  # decompressed / compressed size of access logs (9.2 for the demo's)


def _update_method(etl_path: Path, settings: Settings, raw_dir: Path, platforms: list[str]) -> str:
    """ "en place" (one transaction) for a small update of the database; "copie" (a copy of the
    database, loaded then switched in) when it would hold too much in memory: many new log
    lines, or every day derived again (new visit settings or a new definition of the aggregates)."""

    def read(con):
        known = {
            file_id: size
            for file_id, size in con.execute(
                "select file_id, bytes from load_files where source = 'logs'"
            ).fetchall()
        }
        same_settings = con.execute("select * from visit_settings").fetchall() == [
            (settings.visit_inactivity_minutes, settings.visit_split_at_midnight)
        ]
        aggregates_current = con.execute(
            "select fingerprint from config_state where name = 'daily_aggregates'"
        ).fetchall() == [(DAILY_AGGREGATES_VERSION,)]
        # Addresses still to mask in every stored day: a copy, published whole.
        masked = _stored_ips_masked(con)
        return known, same_settings and aggregates_current and masked

    # A database from an earlier version, without these tables, is updated on a copy.
    known, same_derivation = peek(etl_path, read, ({}, False))
    if not same_derivation:
        return "copie"
    new_bytes = 0
    for _, _, path in (entry for entry in _input_files(raw_dir, platforms) if entry[1] == "logs"):
        try:
            size, trailer = _sizes(path)
        except OSError:
            continue
        loaded = known.get(logs.peek_identity(path))
        if loaded is None:  # a new stream: all of it
            new_bytes += size if trailer is None else max(trailer, size * GZIP_EXPANSION)
        elif trailer is None:  # a grown live log: what follows the loaded bytes
            new_bytes += max(size - loaded, 0)
        else:
            # Rotated and gzipped since it was loaded: what was written after that load. Exact
            # for one gzip member (logrotate's); a file of several members (the demo's weeks,
            # all loaded) states its last member only, hence nothing.
            new_bytes += max(trailer - loaded, 0)
    return "en place" if new_bytes <= settings.load_in_place_max_mb * 1024 * 1024 else "copie"


def _sizes(path: Path) -> tuple[int, int | None]:
    """A log's size on disk and, for gzip, the decompressed size its trailer states (exact for
    one gzip member, modulo 4 GiB; the last member's size for several)."""
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == b"\x1f\x8b"
        size = fh.seek(0, os.SEEK_END)
        if not gzipped:
            return size, None
        fh.seek(max(size - 4, 0))
        return size, int.from_bytes(fh.read(4), "little")


def _load_aside(
    settings,
    raw_dir,
    platforms,
    report,
    progress,
    inputs: str,
    etl_path: Path,
    from_current: bool,
    accept_purge: bool = False,
) -> None:
    """A database written beside the current one and switched in once complete: a new one (first
    load, rebuild) or, `from_current`, a copy of the current one for a large update. A load
    killed meanwhile leaves the previous database and dashboard file as they were."""
    work_path = _aside(etl_path)
    try:
        if from_current:
            # A load killed after its commit and before its checkpoint left its changes in the
            # database's WAL only: merged first, or the copy would lose them.
            con = _connect(etl_path, settings)
            try:
                con.execute("checkpoint")
            finally:
                con.close()
            shutil.copyfile(etl_path, work_path)
        con = _connect(work_path, settings)
        try:
            _load_into(con, settings, raw_dir, platforms, report, progress, accept_purge)
            _record_load(con, inputs, report)
            con.execute("checkpoint")
        finally:
            con.close()
    except BaseException:
        # A failed load (a full disk, most often) leaves no gigabytes of partial copy behind.
        _remove_leftovers(etl_path)
        raise
    files.fsync_path(work_path)
    # A WAL left beside the replaced database (a rebuild of a database whose last load was
    # killed before its checkpoint) would make the new one unopenable.
    etl_path.with_name(etl_path.name + ".wal").unlink(missing_ok=True)
    os.replace(work_path, etl_path)
    files.fsync_path(etl_path.parent)


def _aside(path: Path) -> Path:
    """`<path>.loading`, where a new version of `path` is written."""
    return path.with_name(path.name + ".loading")


def _remove_leftovers(etl_path: Path) -> None:
    """What a killed load left: a partial copy of the database (gigabytes at scale 10)."""
    work_path = _aside(etl_path)
    for leftover in (work_path, work_path.with_name(work_path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def _record_load(con, inputs: str, report: LoadReport) -> None:
    """What the next load compares with: the inputs, what was wrong with them, and a new
    generation, which the dashboard file copies when it is published."""
    # A live log's last line left for later: the next load must read the file again even
    # when nothing changed, so it does not count as "the same inputs".
    inputs = (
        inputs
        + ("|ligne en attente" if report.pending_lines else "")
        + ("|purge refusée" if report.purge_refused else "")
    )
    con.execute(
        "insert or replace into config_state values ('inputs', ?), ('inputs_errors', ?), ('generation', ?)",
        [inputs, json.dumps(report.errors, ensure_ascii=False), secrets.token_hex(16)],
    )


def _record_publication(con, publication: publish.Publication) -> None:
    """The signature of the file just published: the next load rewrites only its changed days
    if the file is still that one, and writes it anew otherwise."""
    con.execute("delete from publication_record")
    con.execute("insert into publication_record values (?)", [publication.signature])


def _holds_hits(db_path: Path) -> bool:
    """Whether `db_path` is a warehouse written before the split (hits included). One that
    cannot be read stops the load: writing a new one would lose the hits of rotated logs."""
    if not db_path.exists():
        return False
    holds = peek(
        db_path,
        lambda con: (
            con.execute(
                "select count(*) from duckdb_tables() where table_name = 'hits'"
            ).fetchone()[0]
            > 0
        ),
        None,
    )
    if holds is None:
        raise LoadError(
            f"entrepôt existant illisible : {db_path} ; réparez-le, ou repartez des "
            "fichiers bruts avec --rebuild (les journaux déjà supprimés seront perdus)"
        )
    return holds


def _adopt_single_file_warehouse(db_path: Path, etl_path: Path) -> None:
    """A warehouse written before the split (one file, hits included) becomes the load's
    database as it is, so that its hits (of logs rotated away since) are kept; the dashboard
    file is then published from it."""
    work_path = _aside(etl_path)
    shutil.copyfile(db_path, work_path)
    files.fsync_path(work_path)
    os.replace(work_path, etl_path)
    files.fsync_path(etl_path.parent)


# Set once the addresses that loads before the masking stored have been masked in place.
STORED_IPS_MASKED = "stored_ips_masked"


def _stored_ips_masked(con) -> bool:
    return bool(
        con.execute("select 1 from config_state where name = ?", [STORED_IPS_MASKED]).fetchall()
    )


# Bump when the definition of the derived tables (visits and their daily aggregates) changes:
# the next load derives them again for every day.
DAILY_AGGREGATES_VERSION = "5"  # 3: visits.entry_entity_id; 4: hits_daily; 5: codes, not labels


def _touched_span(con) -> dict:
    """$first_day and $last_day: the span of the days this load touched (an empty span when
    none), so that the SQL's scans skip the row groups outside it."""
    first, last = con.execute("select min(day), max(day) from touched_days").fetchone()
    if first is None:
        first = last = date(1, 1, 1)
    return {"first_day": first, "last_day": last}


# Hits grouped at a time by the robot and visit steps, which group every hit of the days they
# derive. A visitor id, hence a visit, never crosses a day, so days taken a window at a time
# give the same figures with bounded memory: a full load at scale 50 (270 million hits) ran
# out of its memory at once, while scale 10 (54 million) went through in one piece.
DERIVE_WINDOW_HITS = 20_000_000


def _derive_windows(con) -> list[dict]:
    """$first_day/$last_day of consecutive windows over the touched days, each of whole days
    holding about DERIVE_WINDOW_HITS hits at most (a single day may hold more): one window
    for a daily load or a small warehouse."""
    span = _touched_span(con)
    per_day = con.execute(
        """select h.ts::date as day, count(*) from hits h
           semi join touched_days d on h.platform = d.platform and h.ts::date = d.day
           where h.ts >= $first_day and h.ts < $last_day + interval 1 day
           group by 1 order by 1""",
        span,
    ).fetchall()
    windows, start, held = [], span["first_day"], 0
    for day, hits in per_day:
        if held and held + hits > DERIVE_WINDOW_HITS:
            windows.append({"first_day": start, "last_day": day - timedelta(days=1)})
            start, held = day, 0
        held += hits
    windows.append({"first_day": start, "last_day": span["last_day"]})
    return windows


def _input_files(raw_dir: Path, platforms: list[str]) -> list[tuple[str, str, Path]]:
    """(platform, source, path) of every raw file a load reads, in load order."""
    found = []
    for platform in platforms:
        found += [
            (platform, "logs", path) for path in _log_files(raw_dir, raw_dir / platform / "logs")
        ]
        for source in ("suppliers", "listings"):
            folder = raw_dir / platform / source
            found += [
                (platform, source, path)
                for path in _entries(folder)
                if _readable_file(raw_dir, path, suffix=".csv")
            ]
    return found


def inputs_fingerprint(settings: Settings, raw_dir: Path, platforms: list[str]) -> str:
    """Hash of everything a load depends on: each log stream's identity and size (cheap: the
    head only; a renamed rotated file is the same stream), each CSV's path and content (the
    warehouse records where its rows came from), the settings,
    the configuration, reference data, SQL and ETL code. Equal to the stored one: nothing to do."""
    digest = hashlib.sha256()
    for platform, source, path in _input_files(raw_dir, platforms):
        if source == "logs":
            size = path.stat().st_size if path.exists() else None
            digest.update(f"log|{platform}|{logs.peek_identity(path)}|{size}\n".encode())
        else:
            _digest_csv(digest, platform, source, path)
    digest.update(
        repr(
            sorted(
                (k, str(v))
                for k, v in vars(settings).items()
                if k not in ("raw_dir", "db_path", "state_dir")
            )
        ).encode()
    )
    code = Path(__file__).parent
    _digest_files(
        digest,
        [
            *CONFIG_DIR.rglob("*"),
            *REFERENCE_DIR.rglob("*"),
            *SQL_DIR.glob("*.sql"),
            *code.glob("*.py"),
        ],
    )
    return digest.hexdigest()


def catalogue_fingerprint(raw_dir: Path, platforms: list[str]) -> str:
    """Hash of what the catalogue tables are made of: the CSV files (paths and contents), the
    vocabulary and reference data, and the code that reads and checks them."""
    digest = hashlib.sha256()
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
            Path(catalogue.__file__),
            Path(__file__),
        ],
    )
    return digest.hexdigest()


def _digest_csv(digest, platform: str, source: str, path: Path) -> None:
    """A CSV file's place and content (its path: the warehouse records where rows came from)."""
    try:
        content = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        content = "illisible"
    digest.update(f"csv|{platform}|{source}|{path}|{content}\n".encode())


def _digest_files(digest, paths: list[Path]) -> None:
    for path in sorted(paths):
        if path.is_file():
            digest.update(path.name.encode() + b"|" + hashlib.sha256(path.read_bytes()).digest())


def _stored_state(etl_path: Path) -> tuple[str | None, list[str], str | None]:
    """The inputs fingerprint of the last load, the errors it reported and its generation."""
    stored = peek(
        etl_path,
        lambda con: dict(
            con.execute(
                "select name, fingerprint from config_state where name in ('inputs', 'inputs_errors', 'generation')"
            ).fetchall()
        ),
        {},
    )
    return (
        stored.get("inputs"),
        json.loads(stored.get("inputs_errors") or "[]"),
        stored.get("generation"),
    )


def _connect(path: Path, settings: Settings) -> duckdb.DuckDBPyConnection:
    """A connection of the load: UTC, no DuckDB progress bar, the load's memory budget."""
    con = duckdb.connect(str(path))
    con.execute("set TimeZone = 'UTC'")
    # DuckDB's own progress bar would mix with ours (and print in --quiet mode).
    con.execute("set enable_progress_bar = false")
    # Without it DuckDB takes up to 80 % of the machine's memory (a full publication after a
    # scale-10 load brought the load's peak from 951 MB to 1,758 MB).
    con.execute(f"set memory_limit = '{settings.load_memory_limit_mb}MB'")
    return con


def _load_into(
    con,
    settings: Settings,
    raw_dir: Path,
    platforms: list[str],
    report: LoadReport,
    progress: bool,
    accept_purge: bool = False,
):
    run_script(con, "00_schema.sql")
    run_script(con, "01_vocabulary.sql")
    if not _stored_ips_masked(con):
        # A warehouse loaded before addresses echoed in requests and agents were masked.
        run_script(con, "06_mask_stored_ips.sql")
        con.execute("insert or replace into config_state values (?, '1')", [STORED_IPS_MASKED])
    if not con.execute("select 1 from config_state where name = 'label_codes'").fetchall():
        # A warehouse loaded when French labels were stored as values: mapped to codes.
        run_script(con, "07_label_codes.sql")
        con.execute("insert or replace into config_state values ('label_codes', '1')")
    _load_reference(con)
    _load_logs(con, settings, raw_dir, platforms, report, progress)
    _load_catalogue_if_changed(con, raw_dir, platforms, report)
    _apply_retention(con, settings, report, accept_purge)
    visit_settings = (settings.visit_inactivity_minutes, settings.visit_split_at_midnight)
    # New visit settings, or a warehouse whose daily aggregates are older than their current
    # definition: derive every day again, from the stored hits.
    aggregates_current = con.execute(
        "select fingerprint from config_state where name = 'daily_aggregates'"
    ).fetchall() == [(DAILY_AGGREGATES_VERSION,)]
    if (
        con.execute("select * from visit_settings").fetchall() != [visit_settings]
        or not aggregates_current
    ):
        con.execute("insert into touched_days select distinct platform, ts::date from hits")
        con.execute(
            "insert or replace into config_state values ('daily_aggregates', ?)",
            [DAILY_AGGREGATES_VERSION],
        )
    for window in _derive_windows(con):
        run_script(
            con,
            "40_visits.sql",
            {
                "inactivity_minutes": settings.visit_inactivity_minutes,
                "split_at_midnight": settings.visit_split_at_midnight,
                **window,
            },
        )
    run_script(con, "90_summary.sql")


def _apply_retention(con, settings: Settings, report: LoadReport, accept_purge: bool) -> None:
    """Purge each platform's hits older than `retention_months` before its newest hit (never
    later than the load's clock + 1 day: later lines are quarantined). A purge that would
    remove more than `retention_max_purge_share` of the platform's hits (those of this load
    included: a first load or a rebuild has no history yet) is not made unless
    `accept_purge`: one clock-skewed line must not empty the warehouse. Every purge made is
    said in the report, with what it removed."""
    cutoffs = con.execute(
        """select platform, least(max(ts_utc), now() + interval 1 day) - to_months(?),
                                    count(*)
                             from hits group by 1 order by 1""",
        [settings.retention_months],
    ).fetchall()
    for platform, cutoff, total in cutoffs:
        lost = con.execute(
            "select count(*) from hits where platform = ? and ts_utc < ?", [platform, cutoff]
        ).fetchone()[0]
        if not lost:
            continue
        share = f"{100 * lost / total:.1f}".replace(".", ",")
        if lost / total > settings.retention_max_purge_share and not accept_purge:
            ts, path, line_no = con.execute(
                """select h.ts, f.path, h.line_no from hits h left join load_files f using (file_id)
                   where h.platform = ? order by h.ts_utc desc limit 1""",
                [platform],
            ).fetchone()
            report.errors.append(
                f"purge de rétention refusée pour {platform} : elle supprimerait {share} % des requêtes "
                f"({fr_int(lost)} sur {fr_int(total)}), celles d'avant le {cutoff:%d/%m/%Y}, car la ligne la "
                f"plus récente est datée du {ts:%d/%m/%Y %H:%M} ({path}, ligne {line_no}). Vérifiez l'horloge "
                "du serveur qui a écrit ce journal ; si la purge est voulue (archive de plus de "
                f"{settings.retention_months} mois, entrepôt non chargé depuis longtemps), relancez avec "
                "--accept-purge."
            )
            report.purge_refused = True
            continue
        run_script(con, "35_retention.sql", {"platform": platform, "cutoff": cutoff})
        expired = dict(con.execute("select file_id, n from expired_by_file").fetchall())
        for entry in report.files:
            if entry.file_id in expired:  # files read by this load; the others are in load_files
                entry.loaded -= expired[entry.file_id]
                entry.expired += expired[entry.file_id]
        report.purges.append(
            f"rétention ({settings.retention_months} mois) : {platform}, "
            f"{fr_int(lost)} requêtes antérieures au {cutoff:%d/%m/%Y} purgées ({share} %)"
        )


def _load_reference(con) -> None:
    run_script(
        con,
        "05_reference.sql",
        {"reference_dir": str(REFERENCE_DIR), "key_dates_csv": str(CONFIG_DIR / "key_dates.csv")},
    )
    vocab = catalogue.vocabulary_tables()
    con.register("v_categories", vocab["categories"])
    con.execute("create or replace table categories as select * from v_categories")
    for name in ("supplier_kinds", "category_aliases"):
        con.register(f"v_{name}", vocab[name])
        con.execute(f"create or replace temp table {name} as select * from v_{name}")
    patterns_text = (CONFIG_DIR / "url_patterns.toml").read_text(encoding="utf-8")
    # The cache depends on the patterns and on the SQL that classifies URLs.
    fingerprint = hashlib.sha256((patterns_text + sql("20_hits.sql")).encode()).hexdigest()
    if con.execute(
        "select fingerprint from config_state where name = 'url_patterns'"
    ).fetchall() != [(fingerprint,)]:
        con.execute("delete from url_paths")
        con.execute("insert or replace into config_state values ('url_patterns', ?)", [fingerprint])
    patterns = tomllib.loads(patterns_text)
    rows = [
        {"platform": platform, "priority": i, "page_type": p["page_type"], "regex": p["regex"]}
        for platform, spec in patterns["platforms"].items()
        for i, p in enumerate(spec["patterns"])
    ]
    con.register("v_url_patterns", pa.Table.from_pylist(rows))
    con.execute("create or replace temp table url_patterns as select * from v_url_patterns")
    channels = tomllib.loads((CONFIG_DIR / "channels.toml").read_text(encoding="utf-8"))
    con.register("v_own_hosts", pa.table({"regex": channels["own_hosts"]}))
    con.execute("create or replace table own_hosts as select * from v_own_hosts")
    channel_rows = [
        {"priority": i, "channel": c["channel"], "regex": rx}
        for i, c in enumerate(channels["channels"])
        for rx in c["patterns"]
    ]
    con.register("v_channel_patterns", pa.Table.from_pylist(channel_rows))
    con.execute("create or replace table channel_patterns as select * from v_channel_patterns")


def url_settings() -> dict:
    patterns = tomllib.loads((CONFIG_DIR / "url_patterns.toml").read_text(encoding="utf-8"))
    return {
        "asset_pattern": patterns["asset_pattern"],
        "search_param": next(iter(patterns["platforms"].values()))["search_param"],
    }


def _log_files(raw_dir: Path, folder: Path) -> list[Path]:
    return [p for p in _entries(folder) if _readable_file(raw_dir, p)]


def _entries(folder: Path) -> list[Path]:
    """The entries of a folder, sorted; none when it is missing or cannot be listed (said by
    `unread_inputs`)."""
    try:
        return sorted(folder.iterdir(), key=lambda p: p.name) if folder.is_dir() else []
    except OSError:
        return []


def _readable_file(raw_dir: Path, path: Path, suffix: str | None = None) -> bool:
    """A regular file inside the raw folder, with a name the warehouse can store, that the load reads."""
    try:
        return (
            not path.name.startswith(".")
            and path.is_file()
            and _inside(raw_dir, path)
            and _storable_name(path)
            and (suffix is None or path.suffix.lower() == suffix)
        )
    except OSError:
        return False


def _storable_name(path: Path) -> bool:
    """A path that is valid text (a name written in another encoding than UTF-8 is not)."""
    try:
        str(path).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def unread_inputs(raw_dir: Path, platforms: list[str]) -> list[str]:
    """What lies under the platforms' folders and is not read, each with why (French): links
    out of the raw folder, folders that cannot be listed, sub-folders, special files, names
    that are not valid text, files that are not CSV in the CSV folders, unknown folders."""
    found = []
    for platform in platforms:
        base = raw_dir / platform
        for entry in _entries(base):
            if entry.name not in SOURCES and not entry.name.startswith("."):
                found.append(
                    f"{_shown(entry)} : ignoré (seuls logs/, suppliers/ et listings/ sont lus)"
                )
        for source in SOURCES:
            folder = base / source
            if not _inside(raw_dir, folder):
                found.append(
                    f"lien symbolique ignoré : {_shown(folder)} mène hors du dossier des données brutes "
                    f"({raw_dir}) ; copiez-y les fichiers plutôt"
                )
                continue
            if not folder.exists():
                continue
            try:
                list(folder.iterdir())
            except OSError as exc:
                found.append(f"{_shown(folder)} : dossier illisible ({files.os_error_fr(exc)})")
                continue
            for entry in _entries(folder):
                if entry.name.startswith("."):
                    continue
                if entry.is_symlink() and not _inside(raw_dir, entry):
                    found.append(
                        f"lien symbolique ignoré : {_shown(entry)} mène hors du dossier des données "
                        f"brutes ({raw_dir}) ; copiez-y le fichier plutôt"
                    )
                elif not _storable_name(entry):
                    found.append(
                        f"{_shown(entry)} : nom de fichier illisible (encodage autre que UTF-8) ; renommez-le"
                    )
                elif entry.is_dir():
                    found.append(
                        f"{_shown(entry)} : sous-dossier ignoré (les fichiers doivent être directement dans {source}/)"
                    )
                elif not entry.is_file():
                    found.append(
                        f"{_shown(entry)} : fichier spécial ignoré (ni fichier ni dossier)"
                    )
                elif source != "logs" and entry.suffix.lower() != ".csv":
                    found.append(f"{_shown(entry)} : ignoré (seuls les fichiers .csv sont lus ici)")
    return found


def _shown(path: Path) -> str:
    """A path as text, whatever bytes its name holds."""
    return os.fsencode(path).decode("utf-8", "replace")


def _inside(raw_dir: Path, path: Path) -> bool:
    """Whether `path`, links resolved, lies inside the raw folder: a link out of it (to a
    secret, to /var/log of another site) is never read."""
    try:
        return path.resolve().is_relative_to(raw_dir.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return False


# Lines parsed at a time: bounds memory whatever the size of a log file.
CHUNK_LINES = 250_000
# Staged lines modelled at a time: two of DuckDB's row groups (122,880 rows), so that the
# modelling runs on both cores, while a log block of 32 MB holds about 120,000 lines.
MODEL_LINES = 2 * 122_880
ARROW_BATCH_LINES = 16_384


# Quarantined lines stored one by one per file and load; beyond, they are counted by reason
# in `rejected_overflow` (8 KB of gzip can hold 8 million empty lines).
MAX_REJECTED_ROWS_PER_FILE = 10_000
# A file with at least this share of its lines quarantined (at least 10 of them, or all) is
# reported: it is probably not an access log, or not in a format the load knows.
QUARANTINE_WARNING_SHARE = 0.10


def _known_streams(con) -> list[dict]:
    """The log streams earlier loads recorded, with the head that identifies each."""
    columns = [
        "file_id",
        "line1_id",
        "head_bytes",
        "head_sha",
        "lines_read",
        "bytes",
        "disk_bytes",
        "tail_bytes",
        "tail_sha",
    ]
    return [
        dict(zip(columns, row))
        for row in con.execute(
            f"select {', '.join(columns)} from load_files where source = 'logs'"
        ).fetchall()
    ]


def _match_stream(streams: list[dict], head: bytes) -> dict | None:
    """The recorded stream `head` continues: same first line and same head bytes (a stream
    recorded before heads were, by its first line alone)."""
    line1 = logs.file_identity(head)
    for stream in streams:
        if (stream["line1_id"] or stream["file_id"]) == line1 and logs.same_head(
            head, stream["head_bytes"], stream["head_sha"]
        ):
            return stream
    return None


def _new_stream_id(streams: list[dict], head: bytes) -> str:
    """The id of a stream not seen before: its first line's hash, as ever, unless another
    stream already starts with that line; then one that its head bytes make distinct."""
    line1 = logs.file_identity(head)
    if all((s["line1_id"] or s["file_id"]) != line1 for s in streams):
        return line1
    return hashlib.sha256(line1.encode() + b"|" + logs.head_digest(head)[1].encode()).hexdigest()[
        :32
    ]


def _quarantine_file(con, platform: str, path: Path, reason: str) -> None:
    """A log file with no readable line, quarantined as a file: once, however many loads see it."""
    con.execute(
        "delete from rejected_rows where source = 'logs' and source_file = ? and line_no is null",
        [str(path)],
    )
    con.execute(
        "insert into rejected_rows values (?, 'logs', ?, null, null, ?, null)",
        [platform, str(path), reason],
    )


def _load_logs(con, settings, raw_dir, platforms, report, progress) -> None:
    con.execute("create or replace temp table touched_days (platform varchar, day date)")
    files = [
        (platform, path)
        for platform in platforms
        for path in _log_files(raw_dir, raw_dir / platform / "logs")
    ]
    streams = _known_streams(con)
    keys = VisitorKeys(settings.state_dir or Path(settings.db_path).parent / "state", report)
    loaded_now: set[str] = set()
    for platform, path in tqdm(
        files, desc="Journaux", unit="fichier", disable=not progress, file=sys.stderr
    ):
        entry = FileReport(platform, "logs", path)
        report.files.append(entry)
        disk_bytes = path.stat().st_size if path.exists() else None
        head = logs.peek_head(path)
        known = _match_stream(streams, head) if head else None
        if known and disk_bytes is not None and known["disk_bytes"] == disk_bytes:
            entry.note = "déjà chargé (inchangé)"
            continue
        try:
            stream = logs.LogStream(path)
            if known:
                stream.expect_loaded(known["bytes"], known["tail_bytes"], known["tail_sha"])
            # A live log that grew since the last load: read on from where that load stopped
            # instead of reading and counting its old lines again.
            resume_at = (
                stream.start
                if known and stream.resume(known["bytes"], known["line1_id"] or known["file_id"])
                else 0
            )
            blocks = stream.blocks()
            first_block = stream.head if resume_at else next(blocks, b"")
        except logs.StreamMismatch as exc:
            _refuse_rewritten(con, report, entry, platform, path, str(exc))
            continue
        except logs.LogReadError as exc:
            entry.note = str(exc)
            report.errors.append(f"{path} : {exc}")
            _quarantine_file(con, platform, path, f"fichier sans ligne lisible : {exc}")
            continue
        if not first_block:
            if stream.held_back:
                entry.note = "une seule ligne, encore en cours d'écriture : laissée pour le prochain chargement"
                report.pending_lines = True
                continue
            entry.note = stream.truncated_reason or "fichier vide"
            report.errors.append(f"{path} : {entry.note}")
            _quarantine_file(con, platform, path, f"fichier sans ligne lisible : {entry.note}")
            continue
        if not resume_at:
            known = _match_stream(streams, first_block)
        identity = known["file_id"] if known else _new_stream_id(streams, first_block)
        entry.file_id = identity
        already = known["lines_read"] if known else 0
        fmt = logs.detect_format(logs.sample_lines(first_block))
        read_now = staged = 0
        try:
            tables = (
                _line_tables(next(blocks, b""), blocks, 0, lines_before=already)
                if resume_at
                else _line_tables(first_block, blocks, already)
            )
            for table in tables:
                read_now += table.num_rows
                for offset in range(0, table.num_rows, CHUNK_LINES):
                    staged += _stage_log_lines(
                        con, platform, path, identity, fmt, table.slice(offset, CHUNK_LINES)
                    )
                    if staged >= MODEL_LINES:
                        _model_staged_lines(con, keys, platform, entry)
                        staged = 0
                del table
        except logs.LogReadError as exc:  # the file vanished or broke while being read
            stream.truncated_reason = str(exc)
        except logs.StreamMismatch as exc:
            # Nothing of it is kept: what was staged or stored of this file by this load goes.
            con.execute(
                "drop view if exists stg_hits; drop table if exists stg_parsed; "
                "drop table if exists stg_rejected"
            )
            con.execute("delete from hits where file_id = ? and line_no > ?", [identity, already])
            con.execute(
                "delete from rejected_rows where file_id = ? and line_no > ?", [identity, already]
            )
            _refuse_rewritten(con, report, entry, platform, path, str(exc))
            continue
        if staged:
            _model_staged_lines(con, keys, platform, entry)
        if stream.held_back:
            report.pending_lines = True
        if read_now == 0 and not stream.truncated_reason:
            entry.note = (
                "copie d'un fichier déjà lu dans ce chargement"
                if identity in loaded_now
                else "déjà chargé"
            ) + (
                " ; dernière ligne en cours d'écriture, laissée pour le prochain chargement"
                if stream.held_back
                else ""
            )
            continue
        if stream.truncated_reason:
            con.execute(
                "insert into rejected_rows values (?, 'logs', ?, ?, null, ?, null)",
                [
                    platform,
                    str(path),
                    identity,
                    f"{stream.truncated_reason} ; lignes lisibles chargées",
                ],
            )
            report.errors.append(f"{path} : {stream.truncated_reason} ; lignes lisibles chargées")
        entry.read = read_now
        entry.note = (
            f"format {fmt}"
            + (f", reprise après la ligne {already}" if already else "")
            + (f" (octet {resume_at})" if resume_at else "")
            + (", fins de ligne CR (Mac OS classique)" if stream.cr_line_ends else "")
            + (f" ; {stream.truncated_reason}" if stream.truncated_reason else "")
            + (
                " ; dernière ligne en cours d'écriture, laissée pour le prochain chargement"
                if stream.held_back
                else ""
            )
        )
        _warn_about_quarantine(report, entry)
        head_bytes, head_sha = logs.head_digest(stream.head if resume_at else first_block)
        tail_bytes, tail_sha = stream.tail_digest()
        # A last line held back: the size on disk is not recorded, so that the next load reads
        # the file on even when it has not grown since.
        con.execute(
            """insert or replace into load_files
                       (file_id, platform, source, path, bytes, disk_bytes, lines_read, rows_loaded,
                        rows_rejected, loaded_at, rows_expired, line1_id, head_bytes, head_sha,
                        tail_bytes, tail_sha)
                       values (?, ?, 'logs', ?, ?, ?, ?,
                       coalesce((select rows_loaded from load_files where file_id = ?), 0) + ?,
                       coalesce((select rows_rejected from load_files where file_id = ?), 0) + ?, now(),
                       coalesce((select rows_expired from load_files where file_id = ?), 0), ?, ?, ?, ?, ?)""",
            [
                identity,
                platform,
                str(path),
                stream.size,
                None if stream.held_back else disk_bytes,
                already + entry.read,
                identity,
                entry.loaded,
                identity,
                entry.rejected,
                identity,
                logs.file_identity(first_block),
                head_bytes,
                head_sha,
                tail_bytes,
                tail_sha,
            ],
        )
        record = {
            "file_id": identity,
            "line1_id": logs.file_identity(first_block),
            "head_bytes": head_bytes,
            "head_sha": head_sha,
            "lines_read": already + entry.read,
            "bytes": stream.size,
            "disk_bytes": None,
            "tail_bytes": tail_bytes,
            "tail_sha": tail_sha,
        }
        streams = [s for s in streams if s["file_id"] != identity] + [record]
        loaded_now.add(identity)

    for window in _derive_windows(con):
        run_script(
            con,
            "30_bots_by_behaviour.sql",
            {"max_per_minute": settings.bot_max_requests_per_minute, **window},
        )
    # The time zone applied to the maximum, not to every row: one value, not a scan of hits.
    newest = con.execute("select timezone('Europe/Paris', max(ts_utc))::date from hits").fetchone()[
        0
    ]
    if newest:
        keys.destroy_before(newest - timedelta(days=settings.visitor_key_retention_days))
    keys.save()
    if keys.lost_days:
        days = sorted(keys.lost_days)
        shown = ", ".join(d.strftime("%d/%m/%Y") for d in days[:10]) + (
            " …" if len(days) > 10 else ""
        )
        report.errors.append(
            f"clé de visiteurs perdue pour {len(days)} jour(s) déjà chargé(s) ({shown}) : fichier "
            f"{keys.path} supprimé, remplacé ou clé déjà détruite. Les visiteurs de ces jours chargés "
            "avant et par ce chargement ne peuvent être rapprochés : un même visiteur peut y compter deux fois."
        )


def _refuse_rewritten(
    con, report: LoadReport, entry: FileReport, platform: str, path: Path, reason: str
) -> None:
    """A file that starts like a loaded log but differs from what was loaded of it: neither
    skipped as loaded (its new lines would be lost) nor loaded whole (the shared lines would
    count twice). Quarantined as a file for the operator to decide."""
    entry.note = f"refusé : {reason}"
    report.errors.append(
        f"{path} : commence comme un journal déjà chargé mais {reason} (copie "
        "restaurée ou réécrite ?) : fichier non chargé ; s'il s'agit d'un autre journal, "
        "chargez-le dans un entrepôt reconstruit (--rebuild)"
    )
    _quarantine_file(con, platform, path, f"fichier refusé : {reason}")


def _warn_about_quarantine(report: LoadReport, entry: FileReport, cap: int | None = None) -> None:
    """A file mostly quarantined, or whose quarantine was capped, is said, not only counted."""
    if (
        entry.read
        and (entry.rejected >= 10 or entry.loaded == 0)
        and entry.rejected / entry.read >= QUARANTINE_WARNING_SHARE
    ):
        share = f"{100 * entry.rejected / entry.read:.1f}".replace(".", ",")
        hint = (
            "est-ce bien un journal d'accès (combined, vhost_combined ou common) ?"
            if entry.source == "logs"
            else "vérifiez le format de l'export (data/README.md)"
        )
        report.errors.append(
            f"{entry.path} : {share} % des lignes en quarantaine ({fr_int(entry.rejected)} sur "
            f"{fr_int(entry.read)}) : {hint}"
        )
    cap = cap or MAX_REJECTED_ROWS_PER_FILE
    if entry.rejected > cap:
        report.errors.append(
            f"{entry.path} : {fr_int(entry.rejected)} lignes en quarantaine ; les "
            f"{fr_int(cap)} premières sont conservées pour examen, les autres comptées par motif"
        )


def fr_int(n: int) -> str:
    """12345 → « 12 345 » (narrow no-break space, as the dashboard writes numbers)."""
    return f"{n:,}".replace(",", "\u202f")


def _line_tables(first_block: bytes, rest, already: int, lines_before: int = 0):
    """Arrow (line_no, line) tables of a file's blocks, without its first `already` lines;
    the blocks start after line `lines_before` of the file (a read resumed at an offset)."""
    lines_in_file = lines_before
    already += lines_before
    for block in _chain_first(first_block, rest):
        block_lines = block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
        skip = min(max(already - lines_in_file, 0), block_lines)
        yield logs.lines_table(block, skip_lines=skip, first_line_no=lines_in_file + 1)
        lines_in_file += block_lines


def _chain_first(first: bytes, rest):
    yield first
    yield from rest


def _stage_log_lines(
    con, platform: str, path: Path, file_id: str, fmt: str, lines: pa.Table
) -> int:
    """Parse one slice of a log file into the staging tables; returns its number of lines."""
    # In record batches, so that DuckDB parses them on every core (one batch is one thread).
    con.register(
        "raw_lines", pa.Table.from_batches(lines.to_batches(max_chunksize=ARROW_BATCH_LINES))
    )
    run_script(
        con,
        "10_stg_log_lines.sql",
        {
            "platform": platform,
            "file_id": file_id,
            "source_file": str(path),
            **logs.patterns_in_order(fmt),
        },
    )
    con.unregister("raw_lines")
    return lines.num_rows


def _model_staged_lines(con, keys: VisitorKeys, platform: str, entry: FileReport) -> None:
    """Classify and store the staged lines as hits, quarantine the others, empty the staging."""
    run_script(con, "15_mask_echoed_ips.sql")
    _classify_new_user_agents(con)
    days = [row[0] for row in con.execute("select distinct day from stg_hits").fetchall()]
    day_keys = [keys.key_for(d) for d in days]
    con.register(
        "v_visitor_keys",
        pa.table(
            {
                "day": pa.array(days, pa.date32()),
                "key": day_keys,
                "key_check": [VisitorKeys.check_of(k) for k in day_keys],
            }
        ),
    )
    con.execute("create or replace temp table visitor_keys as select * from v_visitor_keys")
    con.unregister("v_visitor_keys")
    # A day loaded before whose key is no longer the one used then: its visitors cannot be
    # matched with those of the earlier load (said in the report, never silently doubled).
    keys.lost_days.update(
        row[0]
        for row in con.execute(
            """select k.day from visitor_keys k join visitor_key_checks c on c.day = k.day
           where c.key_check <> k.key_check"""
        ).fetchall()
    )
    con.execute("insert or replace into visitor_key_checks select day, key_check from visitor_keys")
    con.execute("insert into touched_days select distinct ?, day from visitor_keys", [platform])
    run_script(con, "20_hits.sql", url_settings())
    entry.loaded += con.execute("select count(*) from stg_hits").fetchone()[0]
    rejected = con.execute("select count(*) from stg_rejected").fetchone()[0]
    kept = max(MAX_REJECTED_ROWS_PER_FILE - entry.rejected, 0)
    con.execute(
        "insert into rejected_rows select * from stg_rejected order by line_no limit ?", [kept]
    )
    if rejected > kept:
        con.execute(
            """insert into rejected_overflow
                       select platform, source, source_file, file_id, reason, count(*)
                       from (select * from stg_rejected order by line_no offset ?) group by all""",
            [kept],
        )
    entry.rejected += rejected
    # The raw IPs die with the staging tables, before the warehouse is written.
    con.execute(
        "drop view stg_hits; drop table stg_parsed; drop table stg_rejected; drop table visitor_keys"
    )


def _classify_new_user_agents(con) -> None:
    new = [
        row[0]
        for row in con.execute(
            """select distinct user_agent from stg_hits s where user_agent is not null
           and not exists (select 1 from user_agents u where u.user_agent = s.user_agent)"""
        ).fetchall()
    ]
    if new:
        con.register("v_new_user_agents", user_agents.classify_table(new))
        con.execute("insert into user_agents select * from v_new_user_agents")
        con.unregister("v_new_user_agents")


class VisitorKeys:
    """Daily random keys of the visitor hash, kept outside the warehouse and destroyed after use.

    Once a day's key is gone, nobody (us included) can link that day's visitor ids to an
    IP address, even by trying every IPv4 address. A keys file that cannot be parsed is set
    aside (`.illisible`) and new keys drawn; the days whose key is thereby lost are found by
    their check values in the warehouse and reported (`lost_days`).
    """

    def __init__(self, folder: Path, report: LoadReport | None = None):
        self.path = Path(folder) / "visitor_keys.json"
        self.lost_days: set[date] = set()
        self.keys: dict[str, str] = {}
        if self.path.is_dir() or (self.path.exists() and not self.path.is_file()):
            raise LoadError(
                f"{self.path} n'est pas un fichier (un dossier ?) : les clés de visiteurs ne "
                "peuvent y être lues ni écrites ; déplacez-le puis relancez le chargement"
            )
        if not self.path.exists():
            return
        try:
            keys = json.loads(self.path.read_text(encoding="utf-8"))
            valid = isinstance(keys, dict) and all(
                isinstance(d, str) and isinstance(k, str) and len(k) == 64 for d, k in keys.items()
            )
        except OSError as exc:
            raise LoadError(
                f"clés de visiteurs illisibles ({self.path}) : {files.os_error_fr(exc)}"
            ) from exc
        except (ValueError, UnicodeDecodeError, RecursionError):
            valid = False
        if valid:
            self.keys = keys
            return
        aside = self.path.with_name(f"{self.path.name}.illisible-{int(time.time())}")
        os.replace(self.path, aside)
        if report is not None:
            report.errors.append(
                f"clés de visiteurs illisibles : {self.path} mis de côté ({aside.name}), "
                "nouvelles clés tirées"
            )

    @staticmethod
    def check_of(key: str) -> str:
        """What the warehouse keeps of a key: its hash, which reveals nothing of the key."""
        return hashlib.sha256(f"observatoire-key-check|{key}".encode()).hexdigest()

    def key_for(self, day: date) -> str:
        return self.keys.setdefault(day.isoformat(), secrets.token_hex(32))

    def destroy_before(self, day: date) -> None:
        self.keys = {d: k for d, k in self.keys.items() if d >= day.isoformat()}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.keys))
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


def _load_catalogue_if_changed(
    con, raw_dir: Path, platforms: list[str], report: LoadReport
) -> None:
    """The catalogue is rebuilt from its CSV files only when they (or the code and reference
    data behind it) changed: a daily load of new log lines then leaves it as it is."""
    fingerprint = catalogue_fingerprint(raw_dir, platforms)
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
                "select file_id, lines_read, rows_loaded, rows_rejected from load_files "
                "where source in ('suppliers', 'listings')"
            ).fetchall()
        }
        for platform, source, path in _input_files(raw_dir, platforms):
            if source != "logs":
                read, loaded, rejected = counts.get(f"{source}:{path}", (0, 0, 0))
                report.files.append(
                    FileReport(
                        platform,
                        source,
                        path,
                        read,
                        loaded,
                        rejected,
                        note="inchangé depuis le dernier chargement",
                    )
                )
        report.errors += [
            f"{error} (constaté au chargement précédent, fichier inchangé)"
            for error in json.loads(stored.get("catalogue_errors") or "[]")
        ]
        return
    errors_before = len(report.errors)
    _load_catalogue(con, raw_dir, platforms, report)
    con.execute(
        "insert or replace into config_state values ('catalogue', ?), ('catalogue_errors', ?)",
        [fingerprint, json.dumps(report.errors[errors_before:], ensure_ascii=False)],
    )


def _load_catalogue(con, raw_dir: Path, platforms: list[str], report: LoadReport) -> None:
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
    run_script(con, "50_catalogue.sql")
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
    for entry in report.files:
        if entry.source in ("suppliers", "listings"):
            entry.loaded, entry.rejected = counts.get((str(entry.path), entry.source), (0, 0))
            if entry.read:
                _warn_about_quarantine(report, entry, cap=catalogue.MAX_REJECTED_ROWS)
            size = entry.path.stat().st_size if entry.path.exists() else 0
            con.execute(
                """insert or replace into load_files (file_id, platform, source, path, bytes,
                           disk_bytes, lines_read, rows_loaded, rows_rejected, loaded_at)
                           values (?, ?, ?, ?, ?, ?, ?, ?, ?, now())""",
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
                ],
            )


def print_report(report: LoadReport, out=sys.stdout) -> None:
    labels = {"logs": "journaux", "suppliers": "fournisseurs", "listings": "annonces"}
    print(
        f"{'plateforme':<24} {'source':<13} {'fichiers':>8} {'lus':>11} {'chargés':>11} {'quarantaine':>11}"
        f" {'expirés':>9}",
        file=out,
    )
    for (platform, source), (n_files, read, loaded, rejected, expired) in sorted(
        report.totals().items()
    ):
        print(
            f"{platform:<24} {labels[source]:<13} {n_files:>8} {read:>11} {loaded:>11} {rejected:>11}"
            f" {expired:>9}",
            file=out,
        )
    for purge in report.purges:
        print(f"Information : {purge}.", file=out)
    for error in report.errors:
        print(f"ATTENTION : {error}", file=out)
    if report.method:
        methods = {
            "en place": "mise à jour en place (une transaction)",
            "copie": "mise à jour sur une copie, remise en place à la fin (beaucoup de lignes "
            "nouvelles, ou tous les jours recalculés)",
            "nouvelle base": "écrite à neuf",
        }
        publications = {"jours": "jours modifiés réécrits", "complète": "copié en entier"}
        print(
            f"Base du chargement {methods[report.method]} ; fichier du tableau de bord : "
            f"{publications[report.publication]}.",
            file=out,
        )
    if report.unchanged:
        print(
            "Rien de nouveau depuis le dernier chargement (fichiers, configuration et réglages "
            "identiques) : entrepôt laissé tel quel.",
            file=out,
        )
    print(f"Chargement terminé en {report.seconds:.1f} s.", file=out)
