"""The suppliers' and listings' CSV exports into the load's database, rebuilt only when the
files (or the code and reference data behind them) changed since the last load."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from etl import catalogue, reasons
from etl.fingerprints import _digest_csv, _digest_files
from etl.inputs import _input_files
from etl.report import FileReport, LoadReport, _warn_about_quarantine, fr_int, rejected_row
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
            SQL_DIR / "49_value_rules.sql",
            SQL_DIR / "50_catalogue.sql",
            # The scopes are published with the catalogue: a change must reach the dashboard.
            SQL_DIR / "92_scopes.sql",
            Path(catalogue.__file__),
            Path(__file__),
        ],
    )
    return digest.hexdigest()


# Quarantined catalogue rows of each file by reason code (as the dashboard's *Qualité* page
# groups them), with the first line numbers. Rejected files (no line) are said apart.
_QUARANTINE_BY_REASON = """
with reasons as (
    select source_file, source, line_no, 1 as n_rows, reason_code from rejected_rows
    where source in ('suppliers', 'listings') and line_no is not null
    union all
    select source_file, source, null, n_rows, reason_code from rejected_overflow
    where source in ('suppliers', 'listings')
)
select source_file, source, reason_code, sum(n_rows)::bigint as n_rows,
       list(line_no order by line_no) filter (where line_no is not null)[1:5] as first_lines
from reasons
group by source_file, source, reason_code
order by source_file, n_rows desc, reason_code
"""


def _quarantine_by_reason(con) -> dict[tuple[str, str], list[tuple[str, int, list[int]]]]:
    out: dict[tuple[str, str], list[tuple[str, int, list[int]]]] = {}
    for source_file, source, code, n, first_lines in con.execute(_QUARANTINE_BY_REASON).fetchall():
        out.setdefault((source_file, source), []).append((code, n, first_lines or []))
    return out


def _load_catalogue_if_changed(
    con,
    settings: Settings,
    raw_dir: Path,
    platforms: list[str],
    report: LoadReport,
    accept_drop: bool = False,
) -> None:
    """The catalogue is rebuilt from its CSV files only when they (or the code, settings and
    reference data behind it) changed: a daily load of new log lines then leaves it as it is.
    A rebuild that would take more than `catalogue_max_drop_share` of a platform's active
    suppliers or listings off the offer is refused unless `accept_drop` (`_drops_refused`)."""
    earliest_year = settings.catalogue_earliest_year
    fingerprint = catalogue_fingerprint(raw_dir, platforms, earliest_year)
    stored = dict(
        con.execute(
            "select name, fingerprint from config_state "
            "where name in ('catalogue', 'catalogue_errors')"
        ).fetchall()
    )
    if stored.get("catalogue") == fingerprint:
        _report_previous_files(
            con, raw_dir, platforms, report, "inchangé depuis le dernier chargement"
        )
        report.errors += [
            f"{error} (constaté au chargement précédent, fichier inchangé)"
            for error in json.loads(stored.get("catalogue_errors") or "[]")
        ]
        return
    errors_before = len(report.errors)
    files_before = len(report.files)
    _save_catalogue(con)

    def guard() -> bool:
        """True when the new catalogue may replace the previous one."""
        drops = _catalogue_drops(con, raw_dir, platforms)
        refused = [drop for drop in drops if drop.share > settings.catalogue_max_drop_share]
        if refused and not accept_drop:
            report.errors += [drop.refusal(settings.catalogue_max_drop_share) for drop in refused]
            return False
        report.infos += [drop.accepted() for drop in refused]
        return True

    if not _load_catalogue(con, raw_dir, platforms, report, earliest_year, guard):
        _restore_catalogue(con)
        report.catalogue_refused = True
        del report.files[files_before:]
        _report_previous_files(
            con, raw_dir, platforms, report, "refusé : catalogue précédent conservé"
        )
        return
    con.execute(
        "insert or replace into config_state values ('catalogue', ?), ('catalogue_errors', ?)",
        [fingerprint, json.dumps(report.errors[errors_before:], ensure_ascii=False)],
    )


def _report_previous_files(
    con, raw_dir: Path, platforms: list[str], report: LoadReport, note: str
) -> None:
    """Each catalogue file with the counts the catalogue in place was loaded with."""
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
                    note=note,
                )
            )


# What a catalogue reload replaces: the models, and the catalogue's rows of the tables it
# shares with the logs. Saved before the reload, put back when the reload is refused.
_CATALOGUE_MODELS = ("suppliers", "listings", "supplier_snapshots", "listing_snapshots")
_CATALOGUE_SHARED = ("load_files", "rejected_rows", "rejected_overflow")


def _existing_tables(con) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where not temporary"
        ).fetchall()
    }


def _save_catalogue(con) -> None:
    existing = _existing_tables(con)
    for table in _CATALOGUE_MODELS:
        if table in existing:
            con.execute(f"create or replace temp table previous_{table} as select * from {table}")
        else:
            con.execute(f"drop table if exists previous_{table}")
    for table in _CATALOGUE_SHARED:
        con.execute(
            f"create or replace temp table previous_{table} as select * from {table} "
            "where source in ('suppliers', 'listings')"
        )


def _restore_catalogue(con) -> None:
    saved = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where temporary"
        ).fetchall()
    }
    for table in _CATALOGUE_MODELS:
        if f"previous_{table}" in saved:
            con.execute(f"create or replace table {table} as select * from previous_{table}")
        else:
            con.execute(f"drop table if exists {table}")
    for table in _CATALOGUE_SHARED:
        con.execute(f"delete from {table} where source in ('suppliers', 'listings')")
        con.execute(f"insert into {table} select * from previous_{table}")


@dataclass
class CatalogueDrop:
    """What a catalogue reload takes off a platform's offer: `lost` of its `before` active
    suppliers or listings, and the files that did it."""

    platform: str
    source: str
    before: int
    lost: int
    blamed: list[str]

    @property
    def share(self) -> float:
        return self.lost / self.before

    def _what(self) -> str:
        noun = "fournisseurs actifs" if self.source == "suppliers" else "annonces actives"
        share = f"{100 * self.share:.1f}".replace(".", ",")
        return (
            f"{share} % des {noun} de {self.platform} ({fr_int(self.lost)} sur "
            f"{fr_int(self.before)})"
        )

    def refusal(self, max_share: float) -> str:
        limit = f"{100 * max_share:g}".replace(".", ",")
        return (
            f"catalogue refusé : {', '.join(self.blamed)} retirerait {self._what()}, plus que "
            f"le maximum de {limit} % (catalogue_max_drop_share) ; le catalogue précédent est "
            "conservé. Vérifiez l'export (tronqué, ancien ?) ; si ce retrait est voulu, relancez "
            "avec --accept-catalogue-drop."
        )

    def accepted(self) -> str:
        return (
            f"catalogue : {', '.join(self.blamed)} retire {self._what()} "
            "(accepté, --accept-catalogue-drop)."
        )


_LOST = {
    "suppliers": """
        select p.supplier_id, null::varchar as reason_code from previous_suppliers as p
        where p.platform = $platform and p.is_active
          and not exists (select 1 from suppliers as s where s.platform = p.platform
                          and s.supplier_id = p.supplier_id and s.is_active)""",
    "listings": """
        select p.listing_id, (select min(c.reject_code) from stg_listings_checked as c
                              where c.platform = p.platform and c.id_annonce = p.listing_id
                                and c.reject_code = 'unknown_supplier')
        from previous_listings as p
        where p.platform = $platform and p.is_active
          and not exists (select 1 from listings as l where l.platform = p.platform
                          and l.listing_id = p.listing_id and l.is_active)""",
}


def _catalogue_drops(con, raw_dir: Path, platforms: list[str]) -> list[CatalogueDrop]:
    """Per platform, the active suppliers and listings of the previous catalogue that the
    reloaded one no longer offers, with the files to blame: those of the source that are new,
    changed in size or deleted since the previous load (all of them when none is); for
    listings lost because their supplier is gone, the suppliers' files."""
    saved = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where temporary"
        ).fetchall()
    }
    previous_sizes = dict(con.execute("select path, bytes from previous_load_files").fetchall())
    current = _input_files(raw_dir, platforms)

    def changed_files(platform: str, source: str) -> list[str]:
        paths = [p for pf, src, p in current if pf == platform and src == source]
        changed = []
        for path in paths:
            try:
                size = path.stat().st_size
            except OSError:
                size = None
            if previous_sizes.get(str(path)) != size:
                changed.append(path.name)
        prefix = str(raw_dir / platform / source)
        changed += [
            f"{Path(old).name} (supprimé)"
            for old in previous_sizes
            if old.startswith(prefix) and Path(old) not in paths
        ]
        return changed or [path.name for path in paths] or [f"{platform}/{source} (aucun fichier)"]

    drops = []
    for platform in platforms:
        for source in ("suppliers", "listings"):
            if f"previous_{source}" not in saved:
                continue  # a first catalogue: nothing to lose
            before = con.execute(
                f"select count(*) from previous_{source} where platform = ? and is_active",
                [platform],
            ).fetchone()[0]
            if not before:
                continue
            lost = con.execute(_LOST[source].replace("$platform", "?"), [platform]).fetchall()
            if not lost:
                continue
            via_suppliers = sum(1 for _, reason in lost if reason is not None)
            blamed = []
            if via_suppliers < len(lost):
                blamed += changed_files(platform, source)
            if via_suppliers:
                blamed += [
                    name for name in changed_files(platform, "suppliers") if name not in blamed
                ]
            drops.append(CatalogueDrop(platform, source, before, len(lost), blamed))
    return drops


def _hint(entry: FileReport, report: LoadReport) -> str | None:
    """What to check for a listings file mostly quarantined for lack of a known supplier: the
    suppliers' export of its platform, not the listings file."""
    unknown = sum(n for code, n, _ in entry.quarantine if code == "unknown_supplier")
    if entry.source != "listings" or 2 * unknown <= entry.rejected:
        return None
    names = [
        f.path.name
        for f in report.files
        if f.platform == entry.platform and f.source == "suppliers"
    ]
    return (
        "la plupart faute de fournisseur connu : vérifiez l'export des fournisseurs de "
        f"{entry.platform} ({', '.join(names) or 'aucun fichier'})"
    )


def _identical_copies(paths: list[Path]) -> dict[Path, Path]:
    """Each file whose bytes are those of another file of the same folder, with that other
    file: a copy (`producteurs_2020-04-01 - Copie.csv`) beside its original, which keeps its
    rows. The original is the one whose name is no copy's, else the first in name order."""
    by_content: dict[str, list[Path]] = {}
    for path in paths:
        try:
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue  # said when the file is read
        by_content.setdefault(content, []).append(path)
    copies = {}
    for same in by_content.values():
        original = min(same, key=lambda p: (catalogue.is_copy_name(p), p.name))
        copies.update({path: original for path in same if path != original})
    return copies


def create_staging_tables(con) -> None:
    """The staging tables of the CSV rows (`stg_suppliers`, `stg_listings`), empty: every
    column of the export as text, with the file, the line and the raw text."""
    for source, columns in catalogue.COLUMNS_BY_SOURCE.items():
        con.register(
            "v_stg_empty",
            pa.table(
                {
                    name: pa.array([], pa.int64() if name == "line_no" else pa.string())
                    for name in ["line_no", "raw_text", *columns]
                }
                | {
                    "platform": pa.array([], pa.string()),
                    "source_file": pa.array([], pa.string()),
                    "snapshot_date": pa.array([], pa.date32()),
                }
            ),
        )
        con.execute(f"create or replace temp table stg_{source} as select * from v_stg_empty")
        con.unregister("v_stg_empty")


def build_catalogue_tables(
    con, earliest_year: int, csv_rejected: list[dict] = (), copy_files: set[str] = frozenset()
) -> None:
    """`suppliers`, `listings` and their snapshots from the staged rows, by
    etl/sql/50_catalogue.sql; `csv_rejected`: the rows the CSV reader quarantined, `copy_files`
    the files named as copies. On empty staging tables: the catalogue tables, empty, with
    their real columns (tests/fake_warehouse.py builds its catalogue on them)."""
    con.register(
        "v_csv_rejected",
        pa.Table.from_pylist(list(csv_rejected), schema=reasons.REJECTED_ROW_SCHEMA),
    )
    con.execute("create or replace temp table stg_csv_rejected as select * from v_csv_rejected")
    con.unregister("v_csv_rejected")
    # Files named as copies (`… - Copie.csv`, `… (1).csv`): their rows give way to their
    # original's when both hold an id (etl/sql/50_catalogue.sql).
    copies = sorted(copy_files)
    con.register("v_copy_files", pa.table({"source_file": pa.array(copies, pa.string())}))
    con.execute("create or replace temp table stg_copy_files as select * from v_copy_files")
    con.unregister("v_copy_files")
    run_script(con, "49_value_rules.sql")
    run_script(
        con,
        "50_catalogue.sql",
        {"earliest_year": earliest_year, "max_rejected_rows": catalogue.MAX_REJECTED_ROWS},
    )


def _load_catalogue(
    con,
    raw_dir: Path,
    platforms: list[str],
    report: LoadReport,
    earliest_year: int,
    guard=None,
) -> bool:
    """Read every catalogue file and rebuild the catalogue tables. `guard`, called once the
    new tables are built, may refuse them: False is then returned before anything is counted,
    and the caller puts the previous catalogue back."""
    # Each file's rows go into the staging tables as soon as it is read, its Arrow table then
    # dropped: the rows of every file held at once took over 1 GiB for a million (issue #28).
    create_staging_tables(con)
    csv_rejected: list[dict] = []
    csv_overflow: list[tuple] = []
    copy_files: set[str] = set()
    con.execute("delete from load_files where source in ('suppliers', 'listings')")
    for platform in platforms:
        for source in ("suppliers", "listings"):
            # The files a load reads, links out of the raw folder excluded.
            paths = [p for _, src, p in _input_files(raw_dir, [platform]) if src == source]
            originals = _identical_copies(paths)
            for path in paths:
                entry = FileReport(platform, source, path)
                report.files.append(entry)
                try:
                    if path in originals:
                        raise catalogue.CsvFileError(
                            f"copie de {originals[path].name} (contenu identique), ignorée : "
                            "supprimez-la"
                        )
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
                            "reason_code": "file_rejected",
                            "detail": str(exc),
                            "raw_text": None,
                        }
                    )
                    continue
                con.register("v_stg_file", parsed.table)
                con.execute(
                    f"""insert into stg_{source} by name
                        select *, ? as platform, ? as source_file, ?::date as snapshot_date
                        from v_stg_file""",
                    [platform, str(path), parsed.snapshot_date],
                )
                con.unregister("v_stg_file")
                if catalogue.is_copy_name(path):
                    copy_files.add(str(path))
                for line_no, code, detail, raw in parsed.rejected:
                    csv_rejected.append(
                        rejected_row(platform, source, path, line_no, code, detail, raw)
                    )
                for code, n in parsed.rejected_overflow.items():
                    csv_overflow.append((platform, source, str(path), None, code, None, n))
                entry.read = parsed.rows_read
                entry.blank = parsed.blank_rows
                entry.note = f"{parsed.encoding}, séparateur « {parsed.delimiter} »" + (
                    f", colonnes ignorées : {', '.join(parsed.extra_columns)}"
                    if parsed.extra_columns
                    else ""
                )
                # Unknown columns, lines of another encoding: loaded, but said (an ATTENTION line).
                report.errors += [f"{path} : {warning}" for warning in parsed.warnings]
                if not parsed.rows_read:
                    # A header alone is most often an export cut short: said, in its own name
                    # (a suppliers file without rows would otherwise show only as its
                    # listings' « fournisseur inconnu »).
                    report.errors.append(
                        f"{path} : aucune ligne de données (en-tête seul) : export tronqué ?"
                        + (
                            f" Les annonces de {platform} sans autre fournisseur connu iront en "
                            "quarantaine « fournisseur inconnu »."
                            if source == "suppliers"
                            else ""
                        )
                    )
                parsed = None  # its rows are staged: not held while the next file is read
    build_catalogue_tables(con, earliest_year, csv_rejected, copy_files)
    if guard is not None and not guard():
        return False
    con.execute("delete from rejected_overflow where source in ('suppliers', 'listings')")
    if csv_overflow:
        con.executemany("insert into rejected_overflow values (?, ?, ?, ?, ?, ?, ?)", csv_overflow)
    con.execute("insert into rejected_overflow select * from stg_catalogue_overflow")
    counts = {
        (r[0], r[1]): (r[2], r[3])
        for r in con.execute(
            """select source_file, source, sum(loaded), sum(rejected) from (
               select source_file, 'suppliers' as source, count(*) as loaded, 0 as rejected from stg_suppliers_checked where reject_code is null group by 1
               union all select source_file, 'listings', count(*), 0 from stg_listings_checked where reject_code is null group by 1
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
                _warn_about_quarantine(
                    report, entry, cap=catalogue.MAX_REJECTED_ROWS, hint=_hint(entry, report)
                )
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
    return True
