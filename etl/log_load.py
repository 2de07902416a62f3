"""The access logs into the load's database: each log stream matched with what earlier loads
read of it (a grown live log read on, a rotated copy recognised, a rewritten one refused),
its lines parsed a slice at a time, classified and stored as hits; then the retention guard,
which purges old hits but refuses a purge that would empty a platform (a clock-skewed line).
"""

from __future__ import annotations

import hashlib
import sys
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
from tqdm import tqdm

from etl import derive, geo, logs, user_agents
from etl.inputs import _log_files
from etl.report import (
    FIRST_LINES_SHOWN,
    MAX_REJECTED_ROWS_PER_FILE,
    FileReport,
    LoadReport,
    _warn_about_quarantine,
    add_quarantine,
    fr_int,
)
from etl.scripts import run_script
from etl.settings import CONFIG_DIR, Settings
from etl.visitor_keys import KEYS_FILE_STATE, VisitorKeys, keys_folder
from etl.windows import _derive_windows


def url_settings() -> dict:
    patterns = tomllib.loads((CONFIG_DIR / "url_patterns.toml").read_text(encoding="utf-8"))
    return {
        "asset_pattern": patterns["asset_pattern"],
        "search_param": next(iter(patterns["platforms"].values()))["search_param"],
    }


# Lines parsed at a time: bounds memory whatever the size of a log file.
CHUNK_LINES = 250_000
# Staged lines modelled at a time: two of DuckDB's row groups (122,880 rows), so that the
# modelling runs on both cores, while a log block of 32 MB holds about 120,000 lines.
MODEL_LINES = 2 * 122_880
ARROW_BATCH_LINES = 16_384


def clock() -> datetime:
    """The load's clock (UTC): what "in the future" means for a line, and what the newest data
    held must not be after (`etl.load` refuses a clock set back)."""
    return datetime.now(UTC)


# The reason code of a line dated after the load's clock + 1 day (etl/sql/10_stg_log_lines.sql).
FUTURE_REASON = "future_date"


def future_lines_due(con, now: datetime) -> dict[str, int]:
    """Streams whose lines quarantined as in the future are all due by the clock `now` (each
    dated at most `now` + 1 day): file_id → the first of those lines, from which the stream is
    read again. Only streams whose quarantine is stored line by line (no overflow counted by
    reason) and none of whose hits were purged since, so that reading again counts nothing twice.
    The time is read back from the line kept (its first `[dd/Mon/yyyy:…]`: a masked address
    is `[IP masquée]`)."""
    return dict(
        con.execute(
            r"""select r.file_id, min(r.line_no)
               from rejected_rows r join load_files f using (file_id)
               where r.source = 'logs' and r.reason_code = ? and r.line_no is not null
                 and coalesce(f.rows_expired, 0) = 0
                 and not exists (select 1 from rejected_overflow o where o.file_id = r.file_id)
               group by r.file_id
               having bool_and(coalesce(try_strptime(
                   regexp_extract(r.raw_text, '\[([0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[^\]]+)\]', 1), '%d/%b/%Y:%H:%M:%S %z')
                   <= ?::timestamptz + interval 1 day, false))""",
            [FUTURE_REASON, now],
        ).fetchall()
    )


def _rewind_stream(con, stream: dict, first_line: int) -> dict:
    """Forget what was read of a stream from line `first_line` on (its hits and quarantined
    lines), so that this load reads those lines again, counted from the file's start: lines
    once quarantined as in the future, now that the clock has moved past them."""
    file_id, since = stream["file_id"], [stream["file_id"], first_line]
    con.execute(
        "insert into touched_days select distinct platform, ts::date from hits "
        "where file_id = ? and line_no >= ?",
        since,
    )
    hits = con.execute(
        "select count(*) from hits where file_id = ? and line_no >= ?", since
    ).fetchone()[0]
    rejected = con.execute(
        "select count(*) from rejected_rows where file_id = ? and line_no >= ?", since
    ).fetchone()[0]
    con.execute("delete from hits where file_id = ? and line_no >= ?", since)
    con.execute("delete from rejected_rows where file_id = ? and line_no >= ?", since)
    # No byte offset nor tail: the read counts its lines from the start.
    con.execute(
        """update load_files set lines_read = ?, rows_loaded = rows_loaded - ?,
               rows_rejected = rows_rejected - ?, bytes = null, disk_bytes = null,
               tail_bytes = null, tail_sha = null
           where file_id = ?""",
        [first_line - 1, hits, rejected, file_id],
    )
    return {
        **stream,
        "lines_read": first_line - 1,
        "bytes": None,
        "disk_bytes": None,
        "tail_bytes": None,
        "tail_sha": None,
    }


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


class _Streams:
    """The known streams, by id and by first line: looking one up costs the same with 10,000
    streams as with ten (a list scanned for each file made a load quadratic, issue #28)."""

    def __init__(self, streams: list[dict]):
        self.by_id: dict[str, dict] = {}
        self.by_line1: dict[str, list[str]] = {}
        for stream in streams:
            self.put(stream)

    @staticmethod
    def _line1(stream: dict) -> str:
        return stream["line1_id"] or stream["file_id"]

    def put(self, stream: dict) -> None:
        """Record `stream`, replacing the one of the same id; it is then the last tried."""
        old = self.by_id.pop(stream["file_id"], None)
        if old is not None:
            self.by_line1[self._line1(old)].remove(old["file_id"])
        self.by_id[stream["file_id"]] = stream
        self.by_line1.setdefault(self._line1(stream), []).append(stream["file_id"])

    def starting_with(self, line1: str) -> list[dict]:
        return [self.by_id[i] for i in self.by_line1.get(line1, [])]


def _match_stream(streams: _Streams, head: bytes) -> dict | None:
    """The recorded stream `head` continues: same first line and same head bytes (a stream
    recorded before heads were, by its first line alone)."""
    for stream in streams.starting_with(logs.file_identity(head)):
        if logs.same_head(head, stream["head_bytes"], stream["head_sha"]):
            return stream
    return None


def _is_loaded_prefix(stream: dict, head: bytes) -> bool:
    """Whether a file that `_match_stream` matched to `stream` is, whole, the head first
    recorded for it, while the stream was read further since: the plain log whose grown copy
    was gzipped and loaded, still beside it. Every line of it is loaded; read again, it
    would be refused as shorter than the stream."""
    whole = head.lstrip(b"\x00")
    return (
        stream["head_bytes"] is not None
        and len(whole) == stream["head_bytes"] < logs.HEAD_MATCH_BYTES
        and (stream["bytes"] or 0) > len(whole)
    )


def _new_stream_id(streams: _Streams, head: bytes) -> str:
    """The id of a stream not seen before: its first line's hash, as ever, unless another
    stream already starts with that line; then one that its head bytes make distinct."""
    line1 = logs.file_identity(head)
    if not streams.starting_with(line1):
        return line1
    return hashlib.sha256(line1.encode() + b"|" + logs.head_digest(head)[1].encode()).hexdigest()[
        :32
    ]


def _quarantine_file(con, platform: str, path: Path, code: str, detail: str) -> None:
    """A log file with no readable line, quarantined as a file: once, however many loads see it.
    `detail` is why, as the load says it."""
    con.execute(
        "delete from rejected_rows where source = 'logs' and source_file = ? and line_no is null",
        [str(path)],
    )
    con.execute(
        "insert into rejected_rows values (?, 'logs', ?, null, null, ?, ?, null)",
        [platform, str(path), code, detail],
    )


def _load_logs(con, settings, raw_dir, platforms, report, progress) -> None:
    con.execute("create or replace temp table touched_days (platform varchar, day date)")
    _reclassify_cached_user_agents(con)
    hosts = settings.platform_host_names()
    con.register(
        "v_platform_hosts",
        pa.table(
            {
                "platform": pa.array([p for p, names in hosts.items() for _ in names], pa.string()),
                "host": pa.array(
                    [h for names in hosts.values() for h in sorted(names)], pa.string()
                ),
            }
        ),
    )
    con.execute("create or replace temp table platform_hosts as select * from v_platform_hosts")
    con.unregister("v_platform_hosts")
    files = [
        (platform, path)
        for platform in platforms
        for path in _log_files(raw_dir, raw_dir / platform / "logs")
    ]
    streams = _Streams(_known_streams(con))
    # Small files are staged one after another and modelled together (`_Batch`): modelling
    # each on its own cost about twenty statements per file (issue #28).
    batch = _Batch(con, report, settings)
    due = future_lines_due(con, clock())
    retried: set[str] = set()
    keys = VisitorKeys(keys_folder(settings), report)
    batch.keys = keys
    # Checked readable before the load touched anything (etl/load.py); opened for this pass.
    batch.city = geo.open_city_db(settings.city_db_file())
    geo.record_sources(con, batch.city)
    loaded_now: set[str] = set()
    for platform, path in tqdm(
        files, desc="Journaux", unit="fichier", disable=not progress, file=sys.stderr
    ):
        entry = FileReport(platform, "logs", path)
        report.files.append(entry)
        disk_bytes = path.stat().st_size if path.exists() else None
        head = logs.peek_head(path)
        known = _match_stream(streams, head) if head else None
        if known and known["file_id"] in due:
            # Lines quarantined as in the future, no longer so: read again from the first.
            known = _rewind_stream(con, known, due.pop(known["file_id"]))
            streams.put(known)
            retried.add(known["file_id"])
        if known and disk_bytes is not None and known["disk_bytes"] == disk_bytes:
            entry.note = "déjà chargé (inchangé)"
            continue
        if known and _is_loaded_prefix(known, head):
            entry.note = "déjà chargé (début d'un journal lu plus loin depuis)"
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
            _quarantine_file(con, platform, path, "unreadable_file", str(exc))
            continue
        if not first_block:
            if stream.held_back:
                entry.note = "une seule ligne, encore en cours d'écriture : laissée pour le prochain chargement"
                report.pending_lines = True
                continue
            entry.note = stream.truncated_reason or (
                f"fichier vide ({_nuls_text(stream.leading_nuls)} seulement)"
                if stream.leading_nuls
                else "fichier vide"
            )
            report.errors.append(f"{path} : {entry.note}")
            _quarantine_file(con, platform, path, "unreadable_file", entry.note)
            continue
        if not resume_at:
            known = _match_stream(streams, first_block)
        identity = known["file_id"] if known else _new_stream_id(streams, first_block)
        entry.file_id = identity
        already = known["lines_read"] if known else 0
        fmt = logs.detect_format(logs.sample_lines(first_block))
        read_now = 0
        # One batch holds one platform's files, each stream once (its counts are its own).
        if batch.platform not in (None, platform) or identity in batch.entries:
            batch.model()
        batch.platform = platform
        batch.entries[identity] = entry
        try:
            tables = (
                _line_tables(next(blocks, b""), blocks, 0, lines_before=already)
                if resume_at
                else _line_tables(first_block, blocks, already)
            )
            for table in tables:
                read_now += table.num_rows
                for offset in range(0, table.num_rows, CHUNK_LINES):
                    batch.staged += _stage_log_lines(
                        con,
                        platform,
                        path,
                        identity,
                        fmt,
                        table.slice(offset, CHUNK_LINES),
                        rejected_before=entry.rejected,
                    )
                    if batch.staged >= MODEL_LINES:
                        batch.model()
                        batch.platform = platform
                        batch.entries[identity] = entry
                del table
        except logs.LogReadError as exc:  # the file vanished or broke while being read
            stream.truncated_reason, stream.truncated_code = str(exc), "read_interrupted"
        except logs.StreamMismatch as exc:
            # Nothing of it is kept: what was staged or stored of this file by this load goes.
            batch.forget(identity)
            con.execute("delete from hits where file_id = ? and line_no > ?", [identity, already])
            con.execute(
                "delete from rejected_rows where file_id = ? and line_no > ?", [identity, already]
            )
            _refuse_rewritten(con, report, entry, platform, path, str(exc))
            continue
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
            # A gzip cut short says all in its code; an interrupted read keeps the system's why.
            con.execute(
                "insert into rejected_rows values (?, 'logs', ?, ?, null, ?, ?, null)",
                [
                    platform,
                    str(path),
                    identity,
                    stream.truncated_code,
                    stream.truncated_reason
                    if stream.truncated_code == "read_interrupted"
                    else None,
                ],
            )
            report.errors.append(f"{path} : {stream.truncated_reason} ; lignes lisibles chargées")
        entry.read = read_now
        if stream.leading_nuls:
            report.errors.append(
                f"{path} : {_nuls_text(stream.leading_nuls)} en tête du fichier, ignorés (trou "
                "laissé par une rotation copytruncate d'un journal que le serveur n'ouvre pas en "
                "mode ajout, O_APPEND) ; les lignes qui les suivent sont chargées. Préférez une "
                "rotation par renommage (create + signal de réouverture)"
            )
        entry.note = (
            f"format {fmt}"
            + (
                f", lignes datées dans le futur relues à partir de la ligne {already + 1}"
                if identity in retried
                else ""
            )
            + (f", reprise après la ligne {already}" if already else "")
            + (f" (octet {resume_at})" if resume_at else "")
            + (", fins de ligne CR (Mac OS classique)" if stream.cr_line_ends else "")
            + (
                f", {_nuls_text(stream.leading_nuls)} en tête ignorés"
                if stream.leading_nuls
                else ""
            )
            + (f" ; {stream.truncated_reason}" if stream.truncated_reason else "")
            + (
                " ; dernière ligne en cours d'écriture, laissée pour le prochain chargement"
                if stream.held_back
                else ""
            )
        )
        head_bytes, head_sha = logs.head_digest(stream.head if resume_at else first_block)
        if known and known["head_sha"]:
            # The stream's first recorded head, not this file's longer one: a shorter file of
            # the stream still beside it (the plain log whose grown copy was gzipped) must
            # still match, or all its lines would load again as a new stream's.
            head_bytes, head_sha = known["head_bytes"], known["head_sha"]
        tail_bytes, tail_sha = stream.tail_digest()
        # A last line held back: the size on disk is not recorded, so that the next load reads
        # the file on even when it has not grown since.
        batch.finish(
            entry,
            {
                "platform": platform,
                "bytes": stream.size,
                "disk_bytes": None if stream.held_back else disk_bytes,
                "lines_read": already + entry.read,
                "line1_id": logs.file_identity(first_block),
                "head_bytes": head_bytes,
                "head_sha": head_sha,
                "tail_bytes": tail_bytes,
                "tail_sha": tail_sha,
            },
            hosts.get(platform),
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
        streams.put(record)
        loaded_now.add(identity)
    batch.model()

    for window in _derive_windows(con):
        run_script(
            con,
            "30_bots_by_behaviour.sql",
            {"max_per_minute": settings.bot_max_requests_per_minute, **window},
        )
    if batch.city is not None:
        batch.city.close()
    # The time zone applied to the maximum, not to every row: one value, not a scan of hits.
    newest = con.execute("select timezone('Europe/Paris', max(ts_utc))::date from hits").fetchone()[
        0
    ]
    if newest:
        keys.destroy_before(newest - timedelta(days=settings.visitor_key_retention_days))
    # The keys are written aside; they replace the keys file once this load has committed.
    con.execute(
        "insert or replace into config_state values (?, ?)",
        [KEYS_FILE_STATE, keys.save_pending()],
    )
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


def _nuls_text(count: int) -> str:
    """« 81 920 octets nuls »."""
    return f"{fr_int(count)} octet{'s' if count > 1 else ''} nul{'s' if count > 1 else ''}"


def _hosts_text(counts: dict[str, int], shown: int = 10) -> str:
    """« a.fr : 12, b.fr : 3 … », the most frequent hosts first."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    text = ", ".join(f"{host} : {fr_int(n)}" for host, n in ranked[:shown])
    return text + (f" et {len(ranked) - shown} autres" if len(ranked) > shown else "")


def _report_hosts(report: LoadReport, entry: FileReport, own: set[str] | None) -> None:
    """Other sites of a vhost_combined log: the lines excluded said (Information), or, without
    host names for the platform, a log of several hosts counted whole said (ATTENTION)."""
    if own:
        excluded = sum(entry.other_hosts.values())
        if excluded and excluded == sum(entry.hosts.values()):
            report.errors.append(
                f"{entry.path} : aucune ligne de {', '.join(sorted(own))} ; toutes les lignes "
                f"({fr_int(excluded)}) sont d'autres sites et ont été exclues "
                f"({_hosts_text(entry.other_hosts)}) : vérifiez le réglage platform_hosts "
                "(OBSERVATOIRE_PLATFORM_HOSTS, docs/settings.md)"
            )
        elif excluded:
            plural = "s" if excluded > 1 else ""
            report.infos.append(
                f"{entry.path} : {fr_int(excluded)} ligne{plural} d'autres sites exclue{plural} "
                f"({_hosts_text(entry.other_hosts)}) ; seuls {', '.join(sorted(own))} comptent "
                f"pour {entry.platform}."
            )
    elif len(entry.hosts) > 1:
        report.errors.append(
            f"{entry.path} : journal de {len(entry.hosts)} sites ({_hosts_text(entry.hosts)}), "
            f"tous comptés pour {entry.platform} : indiquez les noms d'hôte de la plateforme "
            "dans le réglage platform_hosts (OBSERVATOIRE_PLATFORM_HOSTS, docs/settings.md) "
            "pour exclure les autres sites"
        )


def _warn_about_missing_agents(report: LoadReport, entry: FileReport, settings: Settings) -> None:
    """Lines of the common format, which logs no user agent: the robot rule by agent cannot
    decide, only robots by behaviour are excluded. Said, so that the figures are read so."""
    if entry.lines_without_agent:
        n = entry.lines_without_agent
        report.errors.append(
            f"{entry.path} : {fr_int(n)} ligne{'s' if n > 1 else ''} sans agent utilisateur "
            "(format common) : les robots n'y sont reconnus qu'à leur comportement "
            f"(/robots.txt, plus de {settings.bot_max_requests_per_minute} requêtes par minute) ; "
            "les autres robots comptent dans les visites. Journalisez au format combined "
            "pour les exclure"
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
    _quarantine_file(con, platform, path, "file_refused", reason)


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
    con,
    platform: str,
    path: Path,
    file_id: str,
    fmt: str,
    lines: pa.Table,
    rejected_before: int = 0,
) -> int:
    """Parse one slice of a log file into the staging tables; returns its number of lines.
    `rejected_before`: lines of the file this load quarantined in slices already modelled,
    so that only the first MAX_REJECTED_ROWS_PER_FILE are staged with their text."""
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
            "load_clock": clock(),
            "max_rejected_rows": MAX_REJECTED_ROWS_PER_FILE,
            "rejected_before": rejected_before,
            **logs.patterns_in_order(fmt),
        },
    )
    con.unregister("raw_lines")
    return lines.num_rows


class _Batch:
    """Log files staged and not yet modelled: those of one platform, each stream once, until
    MODEL_LINES lines are staged. Modelled together (`_model_staged_lines`), then each file's
    counts recorded in `load_files` and its warnings said, in the order the files were read."""

    def __init__(self, con, report: LoadReport, settings: Settings):
        self.con, self.report, self.settings = con, report, settings
        self.keys: VisitorKeys | None = None
        self.city: geo.CityDb | None = None  # departments, when a city database is given
        self.platform: str | None = None
        self.entries: dict[str, FileReport] = {}  # file_id → its entry, files staged
        self.staged = 0  # lines staged
        self.finished: list[tuple[FileReport, dict, set[str] | None]] = []

    def finish(self, entry: FileReport, row: dict, own_hosts: set[str] | None) -> None:
        """A file read to its end: recorded once its lines are modelled."""
        self.finished.append((entry, row, own_hosts))

    def forget(self, file_id: str) -> None:
        """What was staged of one file goes (a file found rewritten while read); the others
        of the batch stay."""
        self.entries.pop(file_id, None)
        staging = {
            row[0]
            for row in self.con.execute(
                "select table_name from duckdb_tables() where temporary"
            ).fetchall()
        }
        for table in ("stg_parsed", "stg_rejected", "stg_rejected_overflow"):
            if table in staging:
                self.con.execute(f"delete from {table} where file_id = ?", [file_id])

    def model(self) -> None:
        if self.staged:
            _model_staged_lines(self.con, self.keys, self.platform, self.entries, self.city)
        for entry, _, own_hosts in self.finished:
            _warn_about_quarantine(self.report, entry)
            _report_hosts(self.report, entry, own_hosts)
            _warn_about_missing_agents(self.report, entry, self.settings)
        _record_log_files(
            self.con,
            [
                {
                    **row,
                    "file_id": entry.file_id,
                    "path": str(entry.path),
                    "loaded": entry.loaded,
                    "rejected": entry.rejected,
                }
                for entry, row, _ in self.finished
            ],
        )
        self.platform, self.entries, self.staged, self.finished = None, {}, 0, []


_LOG_FILE_COLUMNS = {
    "file_id": pa.string(),
    "platform": pa.string(),
    "path": pa.string(),
    "bytes": pa.int64(),
    "disk_bytes": pa.int64(),
    "lines_read": pa.int64(),
    "loaded": pa.int64(),
    "rejected": pa.int64(),
    "line1_id": pa.string(),
    "head_bytes": pa.int64(),
    "head_sha": pa.string(),
    "tail_bytes": pa.int64(),
    "tail_sha": pa.string(),
}


def _record_log_files(con, rows: list[dict]) -> None:
    """The files' lines in `load_files`, in one statement: what this load read and made of
    each added to what earlier loads did."""
    if not rows:
        return
    con.register(
        "v_log_files",
        pa.table(
            {
                name: pa.array([row[name] for row in rows], kind)
                for name, kind in _LOG_FILE_COLUMNS.items()
            }
        ),
    )
    con.execute(
        """insert or replace into load_files
               (file_id, platform, source, path, bytes, disk_bytes, lines_read, rows_loaded,
                rows_rejected, loaded_at, rows_expired, line1_id, head_bytes, head_sha,
                tail_bytes, tail_sha)
           select n.file_id, n.platform, 'logs', n.path, n.bytes, n.disk_bytes, n.lines_read,
                  coalesce(o.rows_loaded, 0) + n.loaded, coalesce(o.rows_rejected, 0) + n.rejected,
                  now(), coalesce(o.rows_expired, 0), n.line1_id, n.head_bytes, n.head_sha,
                  n.tail_bytes, n.tail_sha
           from v_log_files as n left join load_files as o using (file_id)"""
    )
    con.unregister("v_log_files")


def _model_staged_lines(
    con,
    keys: VisitorKeys,
    platform: str,
    entries: dict[str, FileReport],
    city: geo.CityDb | None = None,
) -> None:
    """Classify and store the staged lines of `entries` (file_id → entry, one platform) as
    hits, quarantine the others, add each file's counts to its entry, empty the staging."""
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
    geo.stage(con, city)  # country and department of each distinct address: `stg_geo`
    run_script(con, "20_hits.sql", url_settings())
    for file_id, loaded, without_agent in con.execute(
        "select file_id, count(*), count(*) filter (where not agent_logged) from stg_hits group by 1"
    ).fetchall():
        entries[file_id].loaded += loaded
        entries[file_id].lines_without_agent += without_agent
    for file_id, host, lines, other in con.execute(
        """select s.file_id, mask_ips(s.vhost), count(*), o.vhost is not null from stg_hits as s
           left join stg_other_hosts as o on o.platform = s.platform and o.vhost = s.vhost
           where s.vhost is not null group by all"""
    ).fetchall():
        entry = entries[file_id]
        entry.hosts[host] = entry.hosts.get(host, 0) + lines
        if other:
            entry.other_hosts[host] = entry.other_hosts.get(host, 0) + lines
    # Staging kept the text of each file's first MAX_REJECTED_ROWS_PER_FILE quarantined lines
    # only (etl/sql/10_stg_log_lines.sql); the others come counted by code.
    con.execute("insert into rejected_rows select * from stg_rejected")
    # Every quarantined line is said in the load's summary, by file and reason, whatever the
    # count: those kept one by one with their first line numbers, the others counted.
    for file_id, code, n, first_lines in con.execute(
        f"""select file_id, reason_code, count(*),
                   list(line_no order by line_no)[1:{FIRST_LINES_SHOWN}]
            from stg_rejected group by file_id, reason_code
            union all
            select file_id, reason_code, sum(n_rows)::bigint, []::bigint[]
            from stg_rejected_overflow group by all having sum(n_rows) > 0"""
    ).fetchall():
        add_quarantine(entries[file_id], code, n, first_lines)
    con.execute(
        """insert into rejected_overflow
           select platform, 'logs', source_file, file_id, reason_code, null, sum(n_rows)
           from stg_rejected_overflow group by all having sum(n_rows) > 0"""
    )
    for file_id, rejected in con.execute(
        """select file_id, sum(n)::bigint from (
               select file_id, count(*) as n from stg_rejected group by 1
               union all select file_id, sum(n_rows) from stg_rejected_overflow group by 1)
           group by 1"""
    ).fetchall():
        entries[file_id].rejected += rejected
    # The raw IPs die with the staging tables, before the warehouse is written.
    con.execute(
        "drop view stg_hits; drop table stg_parsed; drop table stg_rejected; "
        "drop table stg_rejected_overflow; drop table visitor_keys; drop table stg_other_hosts; "
        "drop table stg_geo"
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


def _reclassify_cached_user_agents(con) -> None:
    """A warehouse whose agents were classified by another version of the rules: every
    cached agent is classified again (once per agent, as for new ones) and the hits whose
    robot verdict changed follow (etl/sql/25_reclassify_agents.sql)."""
    if con.execute(
        "select fingerprint from config_state where name = 'user_agents'"
    ).fetchall() == [(user_agents.CLASSIFIER_VERSION,)]:
        return
    cached = [row[0] for row in con.execute("select user_agent from user_agents").fetchall()]
    con.register("v_ua_new", user_agents.classify_table(cached))
    con.execute("create or replace temp table ua_new as select * from v_ua_new")
    con.unregister("v_ua_new")
    run_script(con, "25_reclassify_agents.sql")
    con.execute(
        "insert or replace into config_state values ('user_agents', ?)",
        [user_agents.CLASSIFIER_VERSION],
    )


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
        derive.daily_tables(con)
        expired = dict(con.execute("select file_id, n from expired_by_file").fetchall())
        for entry in report.files:
            if entry.file_id in expired:  # files read by this load; the others are in load_files
                entry.loaded -= expired[entry.file_id]
                entry.expired += expired[entry.file_id]
        report.purges.append(
            f"rétention ({settings.retention_months} mois) : {platform}, "
            f"{fr_int(lost)} requêtes antérieures au {cutoff:%d/%m/%Y} purgées ({share} %)"
        )
