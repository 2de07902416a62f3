"""The meeting brief from the command line, without a browser session (docs/brief.md).

    python -m app.brief --period last-week|last-month|YYYY-MM-DD:YYYY-MM-DD
        [--platform CODE] [--categories CODE,...] [--departments CODE,...] [--db FILE] [--out DIR]
        [--send [--force]]

Writes into the outbox folder (default `outbox/` at the repository root) the HTML brief of
`app.report`, its PDF (headless Chromium) and the scorecard as CSV (French Excel) and XLSX,
named by platform, period and data date: the same period and the same data give the same
names, and a rerun replaces each file atomically. The figures are the dashboard's: the same
filters model (`Filters`), the same overview (`overview.build`, its queries run here on a
read-only connection of our own instead of Streamlit's cache), the same report and exports.

With `--send`, the brief is then e-mailed (app/delivery.py: SMTP settings, message, sending),
unless the same brief (platform, period, filters) was already sent from the same data: the
published warehouse's generation and the targets file, recorded in `<outbox>/.brief-state.json`
after each send that succeeded. Nothing is sent without `--send`, nor without configuration.

The published warehouse is opened and read under the load's lock, held shared
(`etl/files.py`, docs/brief.md "The lock shared with the load"): a brief waits up to
`LOCK_WAIT_S` for a load that is running, and no load starts while it reads. It is meant to be
run by a systemd timer or cron (`deploy/systemd/`, docs/brief.md "Scheduling").

No Streamlit session is involved, and no traceback reaches the terminal: every failure is one
French line on stderr and an exit code (EXIT_* below, documented in docs/brief.md).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

# First, before app.db: keeps Streamlit's "no runtime" warning off stderr (app/headless.py).
import app.headless  # noqa: F401
from app import db, delivery, exports, labels, overview, queries, report, scorecard
from app.filtering import CUSTOM_PERIOD, DEFAULT_PLATFORM, PLATFORMS, FilterContext, Filters
from app.fmt import fr_date, fr_datetime, fr_duration
from etl import files
from etl.terminal_text import ARGPARSE_FR, printable

# Exit codes, for a scheduler to tell failures apart (docs/brief.md).
EXIT_OK = 0
EXIT_BAD_ARGUMENTS = 2  # also argparse's own code for an unknown option
EXIT_WAREHOUSE = 3  # no warehouse, an empty, outdated or unreadable one: nothing written
EXIT_NO_CHROMIUM = 4  # HTML, CSV and XLSX written, no PDF: Chromium is not installed
EXIT_FAILED = 5  # anything else (PDF printing failed, disk, targets file, a bug)
EXIT_SEND_FAILED = 6  # --send: the four files written, the e-mail not sent (not recorded)
EXIT_PARTLY_SENT = 7  # --send: the server refused some recipients (the send is recorded)
EXIT_BUSY = 8  # a load held the warehouse's lock for LOCK_WAIT_S: nothing written

# How long a brief waits for a load that is running to publish (the load's lock): 10 minutes,
# beyond a daily load's usual length, short of a scheduler's next run; then exit 8.
LOCK_WAIT_S = 600

DEFAULT_OUTBOX = delivery.DEFAULT_OUTBOX  # `outbox/` at the repository root
LAST_WEEK, LAST_MONTH = "last-week", "last-month"
_PERIOD_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2})$")


class BriefError(Exception):
    """A brief that cannot be produced (in whole or in part): French message, exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --- Periods -----------------------------------------------------------------------------------


def last_complete_week(data_end: date) -> tuple[date, date]:
    """The last Monday–Sunday week that ends on or before `data_end` (the data's last day,
    not the wall clock: a Thursday gives the week ending the Sunday before)."""
    sunday = data_end - timedelta(days=(data_end.weekday() + 1) % 7)
    return sunday - timedelta(days=6), sunday


def last_complete_month(data_end: date) -> tuple[date, date]:
    """The last calendar month that ends on or before `data_end`."""
    if (data_end + timedelta(days=1)).day == 1:
        return data_end.replace(day=1), data_end
    end = data_end.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def parse_period(spec: str) -> str | tuple[date, date]:
    """`last-week`, `last-month`, or the (start, end) of `YYYY-MM-DD:YYYY-MM-DD`; a
    BriefError (bad arguments) otherwise. Checked before the warehouse is opened."""
    if spec in (LAST_WEEK, LAST_MONTH):
        return spec
    found = _PERIOD_RANGE.match(spec.strip())
    try:
        start, end = (date.fromisoformat(found[1]), date.fromisoformat(found[2]))
    except (TypeError, ValueError):
        start = end = None
    if start is None or start > end:
        raise BriefError(labels.BRIEF_BAD_PERIOD.format(value=printable(spec)), EXIT_BAD_ARGUMENTS)
    return start, end


def resolve_period(period: str | tuple[date, date], ctx: FilterContext) -> tuple[date, date]:
    """The dates of `period` (from `parse_period`) against the warehouse's data span: a
    preset must fall wholly within the data, a range must overlap it (the brief then says
    where the data stops, as the dashboard does)."""
    span = {"data_start": fr_date(ctx.data_start), "data_end": fr_date(ctx.data_end)}
    if isinstance(period, str):
        resolve = last_complete_week if period == LAST_WEEK else last_complete_month
        start, end = resolve(ctx.data_end)
        if start < ctx.data_start:
            raise BriefError(
                labels.BRIEF_NO_COMPLETE_PERIOD.format(
                    **span, period=labels.BRIEF_PERIOD_NAMES[period]
                ),
                EXIT_BAD_ARGUMENTS,
            )
        return start, end
    start, end = period
    if end < ctx.data_start or start > ctx.data_end:
        raise BriefError(
            labels.BRIEF_PERIOD_OUTSIDE_DATA.format(start=fr_date(start), end=fr_date(end), **span),
            EXIT_BAD_ARGUMENTS,
        )
    return start, end


# --- Filters -----------------------------------------------------------------------------------


def _codes(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def brief_filters(
    ctx: FilterContext,
    *,
    platform: str | None,
    start: date,
    end: date,
    departments: Sequence[str] = (),
    categories: Sequence[str] = (),
) -> Filters:
    """The dashboard's `Filters` for the brief (checked by `Filters.from_widgets`, as the
    sidebar's); a code the warehouse does not know is refused, named, rather than dropped."""
    if categories and platform is None:
        raise BriefError(labels.BRIEF_CATEGORIES_NEED_PLATFORM, EXIT_BAD_ARGUMENTS)
    chosen = platform or DEFAULT_PLATFORM
    filters = Filters.from_widgets(
        ctx,
        platform=chosen,
        period=CUSTOM_PERIOD,
        start=start,
        end=end,
        departments=departments,
        categories=categories,
    )
    # Both lists checked, then refused in one message naming every unknown code.
    problems = []
    unknown = [c for c in dict.fromkeys(departments) if c not in filters.departments]
    if unknown:
        problems.append(
            labels.BRIEF_UNKNOWN_DEPARTMENTS.format(
                codes=printable(", ".join(unknown)), known=", ".join(ctx.departments)
            )
        )
    unknown = [c for c in dict.fromkeys(categories) if c not in filters.categories]
    if unknown:
        problems.append(
            labels.BRIEF_UNKNOWN_CATEGORIES.format(
                platform=labels.PLATFORM_NAMES[chosen],
                codes=printable(", ".join(unknown)),
                known=", ".join(ctx.categories.get(chosen, {})),
            )
        )
    if problems:
        raise BriefError(" ".join(problems), EXIT_BAD_ARGUMENTS)
    return filters


# --- Files -------------------------------------------------------------------------------------


def file_stem(platform: str | None, filters: Filters, data_end: date) -> str:
    """brief_<platform or both>_<start>_<end>_donnees-<data end>, and a short fingerprint of
    the department and category filters when there are any (two briefs of one period with
    different filters must not replace each other). Filters are canonical (`Filters`), so
    the same choice gives the same name whatever the order it was typed in."""
    parts = [
        labels.BRIEF_FILE_PREFIX,
        platform or labels.BRIEF_FILE_BOTH_PLATFORMS,
        f"{filters.start:%Y-%m-%d}_{filters.end:%Y-%m-%d}",
        f"{labels.BRIEF_FILE_DATA}-{data_end:%Y-%m-%d}",
    ]
    if filters.departments or filters.categories:
        choice = (
            f"departments={','.join(filters.departments)};categories={','.join(filters.categories)}"
        )
        digest = hashlib.sha256(choice.encode("utf-8")).hexdigest()[:8]
        parts.append(f"{labels.BRIEF_FILE_FILTERS}-{digest}")
    return "_".join(parts)


def brief_identity(platform: str | None, filters: Filters) -> str:
    """What makes two briefs the same brief, whatever the data: platform, period, filters
    (canonical, as `file_stem`); the key of `.brief-state.json`."""
    return ";".join(
        [
            f"platform={platform or labels.BRIEF_FILE_BOTH_PLATFORMS}",
            f"start={filters.start:%Y-%m-%d}",
            f"end={filters.end:%Y-%m-%d}",
            f"departments={','.join(filters.departments)}",
            f"categories={','.join(filters.categories)}",
        ]
    )


def data_fingerprint(conn: duckdb.DuckDBPyConnection, file_version: str) -> str:
    """The data a brief is made from: the generation the load drew for the published
    warehouse (`config_state`, etl/publish.py), else `file_version` (size and modification
    time, taken before the file was opened: a file switched in meanwhile then counts as a
    change, never the reverse); and a digest of the targets file, which decides the verdicts."""
    found = queries.published_generation(conn)
    data = f"generation={found}" if found else file_version
    try:
        targets = hashlib.sha256(scorecard.TARGETS_FILE.read_bytes()).hexdigest()[:16]
    except OSError:
        targets = "none"
    return f"{data};targets={targets}"


def _write_failed(out: Path, error: OSError) -> BriefError:
    """A file of the brief that could not be written (disk full, permissions): kept apart
    from the other failures, exit EXIT_FAILED."""
    return BriefError(
        labels.BRIEF_WRITE_FAILED.format(
            out=printable(str(out)), detail=printable(error.strerror or type(error).__name__)
        ),
        EXIT_FAILED,
    )


def write_atomic(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a temporary file beside it, then `os.replace`, so a
    reader (or the e-mail of a later slice) never sees half a file and a rerun leaves one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# --- The command -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    period: str | tuple[date, date]
    platform: str | None
    departments: tuple[str, ...]
    categories: tuple[str, ...]
    db_path: Path
    out: Path
    send: bool = False
    force: bool = False
    smtp: delivery.SmtpSettings | None = None


@dataclass(frozen=True)
class Brief:
    """What `produce` made: the brief's identity and data fingerprint, its report content
    (the e-mail's text comes from it) and its files by suffix."""

    identity: str
    fingerprint: str
    content: report.ReportContent
    files: dict[str, Path]


def _parser() -> argparse.ArgumentParser:
    # argparse's own words in French, as the ETL's commands print them.
    argparse._ = lambda text: ARGPARSE_FR.get(text, text)
    parser = argparse.ArgumentParser(
        prog="python -m app.brief", description=labels.BRIEF_DESCRIPTION
    )
    parser.add_argument("--period", required=True, help=labels.BRIEF_HELP_PERIOD)
    parser.add_argument("--platform", choices=PLATFORMS, help=labels.BRIEF_HELP_PLATFORM)
    parser.add_argument("--categories", help=labels.BRIEF_HELP_CATEGORIES)
    parser.add_argument("--departments", help=labels.BRIEF_HELP_DEPARTMENTS)
    parser.add_argument("--db", type=Path, help=labels.BRIEF_HELP_DB)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTBOX, help=labels.BRIEF_HELP_OUT)
    parser.add_argument("--send", action="store_true", help=labels.BRIEF_HELP_SEND)
    parser.add_argument("--force", action="store_true", help=labels.BRIEF_HELP_FORCE)
    return parser


def parse_options(argv: Sequence[str] | None) -> Options:
    """The command line, checked as far as it can be without the warehouse."""
    args = _parser().parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        raise BriefError(
            labels.BRIEF_OUT_NOT_A_FOLDER.format(path=printable(str(args.out))),
            EXIT_BAD_ARGUMENTS,
        )
    period = parse_period(args.period)
    smtp = None
    if args.send:  # the settings are read, and checked, only when a send is asked for
        try:
            smtp = delivery.SmtpSettings.load()
        except delivery.DeliveryError as error:
            raise BriefError(str(error), EXIT_BAD_ARGUMENTS) from None
        if not smtp.configured:
            raise BriefError(labels.BRIEF_SEND_NOT_CONFIGURED, EXIT_BAD_ARGUMENTS)
    return Options(
        period=period,
        platform=args.platform,
        departments=_codes(args.departments),
        categories=_codes(args.categories),
        db_path=(args.db.expanduser() if args.db else db.warehouse_path()),
        out=args.out,
        send=args.send,
        force=args.force,
        smtp=smtp,
    )


def _open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    shown = printable(str(path))
    if not path.is_file():
        raise BriefError(labels.BRIEF_NO_WAREHOUSE.format(path=shown), EXIT_WAREHOUSE)
    try:
        conn = db.open_read_only(str(path))
        missing = queries.missing_tables(conn)
    except duckdb.Error:
        raise BriefError(
            labels.BRIEF_WAREHOUSE_UNREADABLE.format(path=shown), EXIT_WAREHOUSE
        ) from None
    if missing:
        conn.close()
        raise BriefError(
            labels.BRIEF_WAREHOUSE_OUTDATED.format(path=shown, tables=", ".join(missing)),
            EXIT_WAREHOUSE,
        )
    return conn


@contextmanager
def _warehouse_lock(path: Path) -> Iterator[None]:
    """The load's lock on `path` (`<file>.lock`, etl/files.py), held shared; a BriefError
    (exit 8) when a load still holds it after `LOCK_WAIT_S`."""
    if not path.parent.is_dir():  # nothing to lock: `_open_warehouse` says the file is missing
        yield
        return
    with ExitStack() as stack:
        try:
            stack.enter_context(files.shared_lock(path, wait_s=LOCK_WAIT_S))
        except files.Busy as busy:
            raise BriefError(
                labels.BRIEF_WAREHOUSE_BUSY.format(
                    lock=printable(str(busy)), waited=fr_duration(LOCK_WAIT_S)
                ),
                EXIT_BUSY,
            ) from None
        except OSError as error:  # a lock file this account may not open, nor create
            raise BriefError(
                labels.BRIEF_LOCK_UNAVAILABLE.format(
                    lock=printable(str(files.lock_path_of(path))),
                    detail=printable(error.strerror or type(error).__name__),
                ),
                EXIT_WAREHOUSE,
            ) from None
        yield


def _file_version(path: Path) -> str:
    try:
        found = path.stat()
    except OSError:
        return "file=none"
    return f"file={found.st_size}:{found.st_mtime_ns}"


def produce(
    options: Options,
    written: list[Path],
    unchanged: Callable[[str, str], bool] = lambda identity, fingerprint: False,
) -> Brief | None:
    """Write the brief's files into `options.out`, appending each path to `written` as it
    is written; a BriefError says what failed (files written before it are kept). None,
    and nothing written, when `unchanged(identity, fingerprint)` says this brief was already
    delivered from the same data (checked before any figure is computed)."""
    # The published file is opened and read under the load's lock, shared: a brief waits for
    # a load that is running (and then reads its figures), and a load does not start while
    # the figures are read. Released once they are: the PDF and the e-mail need no warehouse.
    with _warehouse_lock(options.db_path):
        file_version = _file_version(options.db_path)
        conn = _open_warehouse(options.db_path)
        shown = printable(str(options.db_path))
        try:
            try:
                info = queries.load_info(conn)
                if info["data_end"] is None:
                    raise BriefError(
                        labels.BRIEF_WAREHOUSE_EMPTY.format(path=shown), EXIT_WAREHOUSE
                    )
                ctx = queries.filter_context(conn)
                start, end = resolve_period(options.period, ctx)
                filters = brief_filters(
                    ctx,
                    platform=options.platform,
                    start=start,
                    end=end,
                    departments=options.departments,
                    categories=options.categories,
                )
                identity = brief_identity(options.platform, filters)
                fingerprint = data_fingerprint(conn, file_version)
                if unchanged(identity, fingerprint):
                    return None
                try:
                    config = scorecard.load_config()
                except scorecard.ScorecardConfigError as error:
                    raise BriefError(str(error), EXIT_FAILED) from None
                items = overview.build(
                    filters,
                    ctx,
                    config,
                    call=lambda fn, *args: fn(conn, *args),
                    platforms=(options.platform,) if options.platform else PLATFORMS,
                )
            except duckdb.OutOfMemoryException:
                raise BriefError(labels.BRIEF_OUT_OF_MEMORY, EXIT_FAILED) from None
            except (duckdb.ParserException, duckdb.BinderException):
                raise  # our own SQL: a bug, reported as such by `main`
            except duckdb.Error:
                raise BriefError(
                    labels.BRIEF_WAREHOUSE_UNREADABLE.format(path=shown), EXIT_WAREHOUSE
                ) from None
        finally:
            conn.close()

    content = overview.report_content(items, filters, ctx, config, info)
    page = report.render_html(content)
    columns = overview.scorecard_export(items, config.settings)
    period = labels.PERIOD_TEXT.format(start=fr_date(filters.start), end=fr_date(filters.end))
    title = f"{labels.SCORECARD_TITLE} — {period}"
    subtitle = " · ".join(f"{p.name} : {p.filters_text}" for p in content.platforms)
    stem = file_stem(options.platform, filters, info["data_end"])
    out = options.out
    files = {
        f"{stem}.html": lambda: page.encode("utf-8"),
        f"{stem}.csv": lambda: exports.to_csv(columns),
        f"{stem}.xlsx": lambda: exports.to_xlsx(columns, title=title, subtitle=subtitle),
    }
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            write_atomic(out / name, data())
            written.append(out / name)
    except OSError as error:
        raise _write_failed(out, error) from None

    # The PDF last: without Chromium the other files are still there to be read or sent.
    if report.chromium_path() is None:
        raise BriefError(labels.BRIEF_NO_CHROMIUM.format(out=printable(str(out))), EXIT_NO_CHROMIUM)
    try:
        pdf = report.render_pdf(page)
    except report.ReportError as error:
        # The cause's kind (a timeout, Chromium's exit status), as the dashboard's message.
        detail = type(error.__cause__).__name__ if error.__cause__ else "empty"
        raise BriefError(
            labels.BRIEF_PDF_FAILED.format(out=printable(str(out)), detail=detail), EXIT_FAILED
        ) from None
    try:
        write_atomic(out / f"{stem}.pdf", pdf)
    except OSError as error:
        raise _write_failed(out, error) from None
    written.append(out / f"{stem}.pdf")
    return Brief(
        identity=identity,
        fingerprint=fingerprint,
        content=content,
        files={path.suffix: path for path in written},
    )


def deliver(options: Options, brief: Brief) -> list[str]:
    """E-mail the brief (PDF and CSV attached) and record the send in the outbox's state;
    the French lines for stdout. A BriefError (exit 6 or 7) when the server refused it."""
    settings = options.smtp
    assert settings is not None and settings.configured
    out = printable(str(options.out))
    attachments = [brief.files[".pdf"], brief.files[".csv"]]
    try:
        message = delivery.build_message(settings, brief.content, attachments)
        accepted = delivery.send(settings, message)
        failure = None
    except delivery.PartlyRefused as error:
        accepted, failure = error.accepted, BriefError(str(error), EXIT_PARTLY_SENT)
    except delivery.DeliveryError as error:
        raise BriefError(
            labels.BRIEF_SEND_FAILED.format(detail=str(error), out=out), EXIT_SEND_FAILED
        ) from None
    # Recorded only once the server took the message, read again just before: a send that
    # failed leaves the previous record, and the next run tries again.
    state = delivery.SentState.read(options.out)
    state.record(brief.identity, brief.fingerprint, accepted, [p.name for p in attachments])
    try:
        write_atomic(state.path, state.to_bytes())
    except OSError as error:
        raise BriefError(
            labels.BRIEF_STATE_NOT_WRITTEN.format(
                path=printable(str(state.path)),
                detail=printable(error.strerror or type(error).__name__),
            ),
            EXIT_FAILED,
        ) from None
    if failure:
        raise failure
    server = printable(f"{settings.host}:{settings.effective_port}")
    return [labels.BRIEF_SENT.format(recipients=delivery.recipients_text(accepted), server=server)]


def _unchanged(options: Options) -> Callable[[str, str], bool]:
    """With --send and without --force: whether this brief was already sent from this data
    (the state's record, kept to say when)."""
    if not options.send or options.force:
        return lambda identity, fingerprint: False
    state = delivery.SentState.read(options.out)

    def unchanged(identity: str, fingerprint: str) -> bool:
        if not state.already_sent(identity, fingerprint):
            return False
        sent_at = state.entries[identity].get("sent_at")
        try:
            shown = fr_datetime(datetime.fromisoformat(str(sent_at)).astimezone(delivery.PARIS))
        except ValueError:
            shown = "?"
        print(labels.BRIEF_UNCHANGED.format(sent_at=shown))
        return True

    return unchanged


def main(argv: Sequence[str] | None = None) -> int:
    written: list[Path] = []
    notes: list[str] = []
    produced_only = False  # an error before any e-mail was tried: say that none was sent
    try:
        options = parse_options(argv)
        produced_only = options.send
        made = produce(options, written, _unchanged(options))
        produced_only = False
        if made is not None and options.send:
            notes = deliver(options, made)
        code = EXIT_OK
    except SystemExit as exit_:  # argparse: its own message is printed, `--help` exits 0
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_ARGUMENTS
    except BriefError as error:
        code, message = error.exit_code, str(error)
    except Exception as error:  # a bug: one French line, never a traceback
        detail = printable(f"{type(error).__name__}: {error}".splitlines()[0][:300])
        code, message = EXIT_FAILED, labels.BRIEF_INTERNAL_ERROR.format(detail=detail)
    for path in written:
        print(labels.BRIEF_WRITTEN.format(path=printable(str(path))))
    for note in notes:
        print(note)
    if produced_only and written:
        message += labels.BRIEF_NOT_SENT
    if code != EXIT_OK:
        print(labels.BRIEF_ERROR_PREFIX + message, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
