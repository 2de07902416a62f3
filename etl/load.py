"""`python -m etl load`: raw files → the load's database → the dashboard's warehouse file.

Two files (docs/warehouse.md): the load's own database (`warehouse.etl.duckdb`, every table,
hits included), updated in place inside one DuckDB transaction, so that a load that fails or
is killed leaves it as it was; and the file the dashboard reads (`warehouse.duckdb`), published
from it by `etl.publish` and switched in with one `os.replace`, so that readers see either
the previous figures or the new ones, never a half-loaded state. A first load or a rebuild
writes a new database beside the old one and switches it in the same way. A second load
started meanwhile is refused (lock file).

This module orchestrates: the lock, the choice of how the database is written (in place, on a
copy, a new one) and the steps in order (`_load_into`). The steps live beside it
(docs/loading.md, "Modules"): `etl.migrations` (an older warehouse brought up to date),
`etl.reference_load` (INSEE, vocabulary, URL and channel patterns), `etl.inputs` (which raw
files are read), `etl.fingerprints` (what the last load recorded), `etl.log_load` (logs and
retention), `etl.catalogue_load` (CSV exports), `etl.visitor_keys`, `etl.windows` (days
derived a window at a time), `etl.report` (the report and its printing), `etl.failures` (the
refusals and DuckDB or disk failures in French), `etl.errors`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import duckdb

from etl import (
    canteens,
    derive,
    failures,
    files,
    geo,
    goals,
    hosts,
    log_load,
    logs,
    migrations,
    publish,
    reference_load,
    visitor_keys,
)
from etl import report as report_texts
from etl.annotations import load_annotations
from etl.catalogue_load import _load_catalogue_if_changed
from etl.errors import LoadError, WarehouseDamaged, WriteFailed
from etl.fingerprints import _record_load, _stored_state, inputs_fingerprint
from etl.inputs import _input_files, unread_inputs
from etl.log_load import _apply_retention, _load_logs
from etl.report import FileReport, LoadMethod, LoadReport, print_report
from etl.scripts import peek, run_script, timed
from etl.settings import (
    CONFIG_DIR,
    GEO_FOLDER,
    PLATFORMS,
    Settings,
    SettingsError,
    etl_db_path,
)
from etl.windows import _derive_windows

# What callers import from `etl.load` (the command, the tests).
__all__ = [
    "FileReport",
    "LoadError",
    "LoadReport",
    "WarehouseDamaged",
    "WriteFailed",
    "load",
    "print_report",
]

# A brief (app/brief.py) holds the warehouse's lock shared while it reads the published file's
# figures, seconds at scale 10: a load that finds only readers there waits up to this long
# rather than failing the night's run; a load or export holding it is refused at once.
BRIEF_READ_WAIT_S = 120


def load(
    settings: Settings,
    progress: bool = True,
    rebuild: bool = False,
    accept_purge: bool = False,
    accept_catalogue_drop: bool = False,
) -> LoadReport:
    """Load the raw files into the warehouse.

    Loads are cumulative: hits of log files that have since been deleted (rotation drops old
    logs) stay in the warehouse. `rebuild` starts from an empty warehouse instead, for when
    the raw folder was replaced wholesale (a new demo, a corrected archive). `accept_purge`
    and `accept_catalogue_drop` let a large retention purge or a large catalogue drop through
    (docs/loading.md).
    """
    try:
        settings.check()  # every setting within its type and range, before anything is touched
    except SettingsError as exc:
        raise LoadError(str(exc)) from None
    raw_dir, db_path = Path(settings.raw_dir), Path(settings.db_path)
    if db_path.stem.endswith(".etl"):
        # `warehouse.etl.duckdb` is the load's own database of `warehouse.duckdb`: published
        # over, it would lose its hits and every later load would fail on it.
        raise failures.db_is_a_load_database(db_path)
    if not raw_dir.is_dir():
        raise failures.raw_folder_missing(raw_dir)
    platforms = [p for p in PLATFORMS if (raw_dir / p).is_dir()]
    if not platforms:
        raise failures.no_platform_folder(raw_dir, PLATFORMS)
    started = time.monotonic()
    report = LoadReport()
    # The city database opens, or the load stops here, before anything is touched.
    city = geo.open_city_db(settings.city_db_file())
    if city is not None:
        report.infos.append(report_texts.city_database(city))
        city.close()
    for unknown in sorted(
        p.name
        for p in raw_dir.iterdir()
        if p.is_dir() and p.name not in PLATFORMS and p.name not in (GEO_FOLDER, canteens.FOLDER)
    ):
        report.errors.append(report_texts.UNKNOWN_PLATFORM_FOLDER.format(path=raw_dir / unknown))

    report.errors += unread_inputs(raw_dir, platforms)

    etl_path = etl_db_path(db_path)
    try:
        _check_writable(db_path.parent)
        with files.exclusive_lock_or_refuse(
            db_path, failures.another_load_running, readers_wait_s=BRIEF_READ_WAIT_S
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
                (accept_purge, accept_catalogue_drop),
            )
    except duckdb.Error as exc:
        raise failures.duckdb_failure(exc, etl_path) from None
    except OSError as exc:
        raise failures.write_failure(exc, db_path.parent) from None
    report.seconds = time.monotonic() - started
    return report


def _check_writable(folder: Path) -> None:
    """The warehouse's folder must take new files (the lock, the load's copies, the published
    file): probed before anything is written, so that a read-only folder is said as such, with
    its path, not found by DuckDB halfway through a commit."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".essai-ecriture-")
    except OSError as exc:  # named by its folder, not by the probe's random name
        raise OSError(exc.errno, exc.strerror, str(folder)) from None
    os.close(fd)
    os.unlink(probe)


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
        raise failures.duckdb_failure(exc, etl_path) from None


def _load_locked(
    settings, raw_dir, db_path, etl_path, platforms, report, progress, rebuild, accept
):
    """The load, once its lock is held. `accept`: (accept_purge, accept_catalogue_drop)."""
    _remove_leftovers(etl_path)
    if not rebuild:
        _check_readable(etl_path)
    # Keys written by a load killed around its commit: kept if that load committed.
    visitor_keys.reconcile_pending(
        visitor_keys.keys_folder(settings),
        peek(
            etl_path,
            lambda con: con.execute(
                "select any_value(fingerprint) from config_state where name = ?",
                [visitor_keys.KEYS_FILE_STATE],
            ).fetchone()[0],
            None,
        ),
    )
    now = log_load.clock()
    if not rebuild:
        _refuse_a_clock_set_back(etl_path, now)
    inputs = inputs_fingerprint(settings, raw_dir, platforms)
    stored, previous_errors, current = _stored_state(etl_path)
    published = publish.published_generation(db_path)
    if (
        not rebuild
        and stored == inputs
        and current is not None
        and published == current
        and not _future_lines_to_retry(etl_path, now)
    ):
        # Same files, configuration, code and settings as the last load, and its figures
        # published: they stand. Skipping before opening anything keeps a daily no-op instant.
        report.files = [
            FileReport(platform, source, path, note=report_texts.UNCHANGED_FILE)
            for platform, source, path in _input_files(raw_dir, platforms)
        ]
        report.unchanged = True
        # What the last load found wrong still holds: say it again (and exit non-zero).
        report.errors = [
            report_texts.ERROR_STILL_HOLDS.format(error=error) for error in previous_errors
        ]
        return
    if not rebuild and not etl_path.exists():
        if _holds_hits(db_path):
            # It records no generation, so the dashboard file is then published whole.
            _adopt_single_file_warehouse(db_path, etl_path)
        elif _holds_published_data(db_path):
            raise failures.load_database_missing(db_path, etl_path)
    if rebuild or not etl_path.exists():
        report.method = LoadMethod.NEW
    else:
        report.method = _update_method(etl_path, settings, raw_dir, platforms)
    if report.method is LoadMethod.IN_PLACE:
        _load_in_place(
            settings,
            raw_dir,
            platforms,
            report,
            progress,
            inputs,
            etl_path,
            published,
            accept,
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
            from_current=report.method is not LoadMethod.NEW,
            accept=accept,
        )
        con = _connect(etl_path, settings)
        publication = publish.Publication(db_path, days_changed=False)
        try:
            try:
                report.publication = publication.write(con)
            except (OSError, duckdb.Error) as exc:
                raise failures.publication_failed(exc, db_path) from None
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
    accept: tuple[bool, bool],
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
                _load_into(con, settings, raw_dir, platforms, report, progress, accept)
                _record_load(con, inputs, report)
            with timed("commit"):
                con.execute("commit")
            visitor_keys.commit_pending(visitor_keys.keys_folder(settings))
            with timed("checkpoint"):
                con.execute("checkpoint")
            try:
                report.publication = publication.write(con)
            except (OSError, duckdb.Error) as exc:
                raise failures.publication_failed(exc, settings.db_path) from None
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


def _update_method(
    etl_path: Path, settings: Settings, raw_dir: Path, platforms: list[str]
) -> LoadMethod:
    """`IN_PLACE` (one transaction) for a small update of the database; `COPY` (a copy of the
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
        aggregates_current = migrations.daily_aggregates_current(con)
        # Addresses still to mask in every stored day: a copy, published whole.
        masked = migrations.stored_ips_masked(con)
        return known, same_settings and aggregates_current and masked

    # A database from an earlier version, without these tables, is updated on a copy.
    known, same_derivation = peek(etl_path, read, ({}, False))
    if not same_derivation:
        return LoadMethod.COPY
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
    return (
        LoadMethod.IN_PLACE
        if new_bytes <= settings.load_in_place_max_mb * 1024 * 1024
        else LoadMethod.COPY
    )


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
    accept: tuple[bool, bool] = (False, False),
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
            _load_into(con, settings, raw_dir, platforms, report, progress, accept)
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
    visitor_keys.commit_pending(visitor_keys.keys_folder(settings))


def _aside(path: Path) -> Path:
    """`<path>.loading`, where a new version of `path` is written."""
    return path.with_name(path.name + ".loading")


def _remove_leftovers(etl_path: Path) -> None:
    """What a killed load left: a partial copy of the database (gigabytes at scale 10)."""
    work_path = _aside(etl_path)
    for leftover in (work_path, work_path.with_name(work_path.name + ".wal")):
        leftover.unlink(missing_ok=True)


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
        raise failures.unreadable_warehouse(db_path)
    return holds


def _refuse_a_clock_set_back(etl_path: Path, now) -> None:
    """A machine clock earlier than the newest hit held, beyond the day a line may be ahead of
    the clock (etl/sql/10_stg_log_lines.sql), has been set back: every new line would be
    quarantined as in the future. Refused before anything is read."""
    newest = peek(
        etl_path, lambda con: con.execute("select max(ts_utc) from hits").fetchone()[0], None
    )
    if newest is not None and newest > now + timedelta(days=1):
        raise failures.clock_set_back(now, newest)


def _future_lines_to_retry(etl_path: Path, now) -> bool:
    """Whether lines quarantined as in the future are due by now, in a file still at the path
    it was read from (the same stream: its first line): the load must then run, even with the
    same inputs, to read them again. A stream whose file is gone does not keep every later
    load from being skipped."""

    def read(con) -> bool:
        due = log_load.future_lines_due(con, now)
        if not due:
            return False
        streams = con.execute(
            "select path, coalesce(line1_id, file_id) from load_files where list_contains(?, file_id)",
            [list(due)],
        ).fetchall()
        return any(logs.peek_identity(Path(path)) == line1 for path, line1 in streams)

    return peek(etl_path, read, False)


def _holds_published_data(db_path: Path) -> bool:
    """Whether the dashboard file `db_path` holds figures a load published: a generation, or
    visits. Then a missing load database is a lost one (a restore that kept only the
    dashboard's file), not a first load: rebuilding from the logs still on disk would drop
    the history of the logs rotated away since."""

    def read(con) -> bool:
        if publish.generation(con) is not None:
            return True
        return con.execute("select exists (select 1 from visits)").fetchone()[0]

    return bool(peek(db_path, read, False))


def _adopt_single_file_warehouse(db_path: Path, etl_path: Path) -> None:
    """A warehouse written before the split (one file, hits included) becomes the load's
    database as it is, so that its hits (of logs rotated away since) are kept; the dashboard
    file is then published from it."""
    work_path = _aside(etl_path)
    shutil.copyfile(db_path, work_path)
    files.fsync_path(work_path)
    os.replace(work_path, etl_path)
    files.fsync_path(etl_path.parent)


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
    accept: tuple[bool, bool] = (False, False),
):
    """The SQL steps of a load; `accept`: (accept_purge, accept_catalogue_drop)."""
    accept_purge, accept_catalogue_drop = accept
    run_script(con, "00_schema.sql")
    run_script(con, "01_vocabulary.sql")
    migrations.migrate(con)
    reference_load.load_reference(con)
    goals_changed = goals.load_goals(
        con, CONFIG_DIR / goals.GOALS_FILE, reference_load.page_types()
    )
    hosts_changed = hosts.load_hosts(con, CONFIG_DIR / hosts.HOSTS_FILE)
    load_annotations(con, raw_dir, report)
    canteens.load_canteen_inputs(con, raw_dir, report)
    _load_logs(con, settings, raw_dir, platforms, report, progress)
    _load_catalogue_if_changed(con, settings, raw_dir, platforms, report, accept_catalogue_drop)
    _apply_retention(con, settings, report, accept_purge)
    visit_settings = (settings.visit_inactivity_minutes, settings.visit_split_at_midnight)
    # New visit settings, or a warehouse whose daily aggregates are older than their current
    # definition: derive every day again, from the stored hits.
    if (
        con.execute("select * from visit_settings").fetchall() != [visit_settings]
        or not migrations.daily_aggregates_current(con)
        or goals_changed
        or hosts_changed
    ):
        con.execute("insert into touched_days select distinct platform, ts::date from hits")
        migrations.record_daily_aggregates_version(con)
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
        derive.daily_tables(con)
    derive.refresh_catalogue_visit_days(con)
    run_script(con, "90_summary.sql")
