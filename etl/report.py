"""What a load says: each file's counts and notes (`FileReport`), the load's report
(`LoadReport`, with how the database and the dashboard file were written), the warnings about
files mostly quarantined, and the French text `print_report` prints."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from etl.publish import PublishMode
from etl.reasons import reason_text
from etl.terminal_text import printable  # noqa: F401 - the load's report prints with it


class LoadMethod(Enum):
    """How the load's database was written (its French labels: `METHOD_LABELS`)."""

    IN_PLACE = "in_place"  # one transaction in the database itself
    COPY = "copy"  # a copy of the database, loaded then switched in
    NEW = "new"  # a new database (first load, rebuild)


@dataclass
class FileReport:
    platform: str
    source: str
    path: Path
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    expired: int = 0  # loaded, then purged by retention in this same load (older than the window)
    blank: int = 0  # CSV rows whose every field is empty: skipped, outside `read`, reported
    # Canteen and PAT rows of other departments than the region's: read, deliberately not
    # loaded (etl/canteens.py), so that read = loaded + rejected + expired + out_of_scope.
    out_of_scope: int = 0
    # Quarantined rows by reason code (etl/reasons.py; CSV: those of the file; logs: those of
    # this load): (code, rows, first line numbers), printed in French whatever their number,
    # so that no row leaves the figures unsaid.
    quarantine: list[tuple[str, int, list[int]]] = field(default_factory=list)
    note: str = ""
    file_id: str | None = None
    # Log files: lines per virtual host (vhost_combined; IPs masked), those of hosts that are
    # not the platform's (excluded), and lines of a format without user agent (common).
    hosts: dict[str, int] = field(default_factory=dict)
    other_hosts: dict[str, int] = field(default_factory=dict)
    lines_without_agent: int = 0


# load_files.platform of the files that belong to every platform: the analysts' annotations
# and the shared canteen files (etl/annotations.py, etl/canteens.py).
ALL_PLATFORMS = "toutes"


def record_shared_file(con, entry: FileReport, path: Path, size: int | None) -> None:
    """The `load_files` row of a file of every platform, from its report entry."""
    con.execute(
        """insert or replace into load_files (file_id, platform, source, path, bytes,
                   disk_bytes, lines_read, rows_loaded, rows_rejected, rows_blank,
                   rows_out_of_scope, loaded_at)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())""",
        [
            f"{entry.source}:{path}",
            ALL_PLATFORMS,
            entry.source,
            str(path),
            size,
            size,
            entry.read,
            entry.loaded,
            entry.rejected,
            entry.blank,
            entry.out_of_scope,
        ],
    )


def rejected_row(platform: str | None, source: str, path: Path, line_no, code, detail, raw) -> dict:
    """One `rejected_rows` row of a CSV file (platform None: a file of every platform)."""
    return {
        "platform": platform,
        "source": source,
        "source_file": str(path),
        "line_no": line_no,
        "reason_code": code,
        "detail": detail,
        "raw_text": raw,
    }


@dataclass
class LoadReport:
    files: list[FileReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False  # nothing new since the last load: the warehouse was left as is
    method: LoadMethod | None = None  # how the load's database was written
    publication: PublishMode | None = None  # how the dashboard file was written
    pending_lines: bool = False  # a live log's last line left for the next load
    purges: list[str] = field(default_factory=list)  # what retention purged, said (not a warning)
    infos: list[str] = field(
        default_factory=list
    )  # what else the load left out, said (not a warning)
    purge_refused: bool = False  # the next load runs again (with --accept-purge, the purge is made)
    # A catalogue reload refused (too much taken off the offer): the previous catalogue stays,
    # and the next load reads the files again (with --accept-catalogue-drop, it is replaced).
    catalogue_refused: bool = False

    def totals(self) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = {}
        for f in self.files:
            row = out.setdefault((f.platform, f.source), [0, 0, 0, 0, 0, 0])
            row[0] += 1
            row[1] += f.read
            row[2] += f.loaded
            row[3] += f.rejected
            row[4] += f.expired
            row[5] += f.out_of_scope
        return out


# Quarantined lines stored one by one per file and load; beyond, they are counted by code
# in `rejected_overflow` (8 KB of gzip can hold 8 million empty lines).
MAX_REJECTED_ROWS_PER_FILE = 10_000
# A file with at least this share of its lines quarantined (at least 10 of them, or all) is
# reported: it is probably not an access log, or not in a format the load knows.
QUARANTINE_WARNING_SHARE = 0.10


def _warn_about_quarantine(
    report: LoadReport, entry: FileReport, cap: int | None = None, hint: str | None = None
) -> None:
    """A file mostly quarantined, or whose quarantine was capped, is said, not only counted."""
    if (
        entry.read
        and (entry.rejected >= 10 or entry.loaded == 0)
        and entry.rejected / entry.read >= QUARANTINE_WARNING_SHARE
    ):
        share = f"{100 * entry.rejected / entry.read:.1f}".replace(".", ",")
        hint = hint or (
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


FIRST_LINES_SHOWN = 5


def add_quarantine(entry: FileReport, code: str, n: int, line_nos: list[int]) -> None:
    """Count `n` more rows quarantined for reason `code` in `entry` (a log file is read in
    blocks: each adds its own), keeping the first line numbers."""
    for i, (known, count, lines) in enumerate(entry.quarantine):
        if known == code:
            first = sorted(set(lines) | set(line_nos))[:FIRST_LINES_SHOWN]
            entry.quarantine[i] = (code, count + n, first)
            break
    else:
        entry.quarantine.append((code, n, sorted(line_nos)[:FIRST_LINES_SHOWN]))
    entry.quarantine.sort(key=lambda q: (-q[1], q[0]))


def fr_int(n: int) -> str:
    """12345 → « 12 345 » (narrow no-break space, as the dashboard writes numbers)."""
    return f"{n:,}".replace(",", "\u202f")


def quarantined_rows(code: str, n: int, line_nos: list[int]) -> str:
    """`2 lignes « SIRET invalide » (lignes 5, 9)` for `invalid_siret`: the French label, the
    first line numbers, `…` for more (rows beyond those kept one by one are counted without
    their line)."""
    reason = reason_text(code)
    rows = "1 ligne" if n == 1 else f"{fr_int(n)} lignes"
    if not line_nos:
        return f"{rows} « {reason} »"
    shown = ", ".join(str(line_no) for line_no in line_nos) + (" …" if n > len(line_nos) else "")
    return f"{rows} « {reason} » ({'ligne' if len(line_nos) == 1 and n == 1 else 'lignes'} {shown})"


# What the report prints of the load method and the publication mode.
# The load's notes on its inputs (etl/load.py), in French like the rest of the report.
UNKNOWN_PLATFORM_FOLDER = "dossier ignoré (plateforme inconnue) : {path}"
UNCHANGED_FILE = "inchangé depuis le dernier chargement"
ERROR_STILL_HOLDS = "{error} (constaté au chargement précédent, fichier inchangé)"


def city_database(city) -> str:
    """Which city database located the visitors (its type, build date and path)."""
    built = city.built_on
    return (
        f"départements des visiteurs : base {city.database_type} du "
        f"{built[8:]}/{built[5:7]}/{built[:4]} ({city.path})."
    )


METHOD_LABELS = {
    LoadMethod.IN_PLACE: "mise à jour en place (une transaction)",
    LoadMethod.COPY: "mise à jour sur une copie, remise en place à la fin (beaucoup de lignes "
    "nouvelles, ou tous les jours recalculés)",
    LoadMethod.NEW: "écrite à neuf",
}
PUBLICATION_LABELS = {
    PublishMode.DAYS: "jours modifiés réécrits",
    PublishMode.WHOLE: "copié en entier",
}


class _PrintableLines:
    """A text stream for `print`: each message goes through `printable`, and only the line end
    `print` writes after it (a separate write) is a real one."""

    def __init__(self, out) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text if text == "\n" else printable(text))


def print_report(report: LoadReport, out=sys.stdout) -> None:
    out = _PrintableLines(out)
    labels = {
        "logs": "journaux",
        "suppliers": "fournisseurs",
        "listings": "annonces",
        "annotations": "annotations",
        "canteens": "cantines",
        "canteen_declarations": "télédécl.",
        "food_projects": "PAT",
        "organic_operators": "opér. bio",
        "canteen_files": "non reconnu",
    }
    # The column appears only when the canteen files put rows out of the region's scope.
    scoped = any(f.out_of_scope for f in report.files)
    print(
        f"{'plateforme':<24} {'source':<13} {'fichiers':>8} {'lus':>11} {'chargés':>11} {'quarantaine':>11}"
        f" {'expirés':>9}" + (f" {'hors région':>11}" if scoped else ""),
        file=out,
    )
    for (platform, source), (n_files, read, loaded, rejected, expired, out_of_scope) in sorted(
        report.totals().items()
    ):
        print(
            f"{platform:<24} {labels[source]:<13} {n_files:>8} {read:>11} {loaded:>11} {rejected:>11}"
            f" {expired:>9}" + (f" {out_of_scope:>11}" if scoped else ""),
            file=out,
        )
    for f in report.files:
        if f.blank:  # skipped, never silently: `;;;;` rows of a spreadsheet's formatted cells
            lines = (
                "1 ligne vide ignorée"
                if f.blank == 1
                else f"{fr_int(f.blank)} lignes vides ignorées"
            )
            print(f"Information : {f.path} : {lines} (aucun champ rempli).", file=out)
    for f in report.files:
        for code, n, line_nos in f.quarantine:
            print(f"Quarantaine : {f.path} : {quarantined_rows(code, n, line_nos)}", file=out)
    for purge in report.purges:
        print(f"Information : {purge}.", file=out)
    for info in report.infos:
        print(f"Information : {info}", file=out)
    for error in report.errors:
        print(f"ATTENTION : {error}", file=out)
    if report.method is not None:
        print(
            f"Base du chargement {METHOD_LABELS[report.method]} ; fichier du tableau de bord : "
            f"{PUBLICATION_LABELS[report.publication]}.",
            file=out,
        )
    if report.unchanged:
        print(
            "Rien de nouveau depuis le dernier chargement (fichiers, configuration et réglages "
            "identiques) : entrepôt laissé tel quel.",
            file=out,
        )
    print(f"Chargement terminé en {report.seconds:.1f} s.", file=out)
