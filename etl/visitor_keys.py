"""The daily keys of the visitor hash, kept outside the warehouse (`state/visitor_keys.json`)."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from datetime import date
from pathlib import Path

from etl import files
from etl.errors import LoadError
from etl.report import LoadReport


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
    def pending_path(folder: Path) -> Path:
        """Where a load writes the keys it used before its commit (`visitor_keys.json.pending`)."""
        return Path(folder) / "visitor_keys.json.pending"

    @staticmethod
    def check_of(key: str) -> str:
        """What the warehouse keeps of a key: its hash, which reveals nothing of the key."""
        return hashlib.sha256(f"observatoire-key-check|{key}".encode()).hexdigest()

    def key_for(self, day: date) -> str:
        return self.keys.setdefault(day.isoformat(), secrets.token_hex(32))

    def destroy_before(self, day: date) -> None:
        self.keys = {d: k for d, k in self.keys.items() if d >= day.isoformat()}

    def save_pending(self) -> str:
        """Write the keys as the pending file, and return its digest, which the load records in
        its transaction (`config_state.visitor_keys_file`). The keys file itself is replaced
        only once the load has committed (`commit_pending`): a load killed before its commit
        must leave the keys its database was written with, a day's key destroyed included."""
        pending = self.pending_path(self.path.parent)
        pending.parent.mkdir(parents=True, exist_ok=True)
        content = json.dumps(self.keys).encode()
        tmp = pending.with_name(pending.name + ".tmp")
        with open(tmp, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, pending)
        return hashlib.sha256(content).hexdigest()


def keys_folder(settings) -> Path:
    """The folder of the keys file: `state_dir`, by default `state/` beside the warehouse."""
    return Path(settings.state_dir or Path(settings.db_path).parent / "state")


# The name under which a load records the digest of the keys file it leaves (config_state).
KEYS_FILE_STATE = "visitor_keys_file"


def commit_pending(folder: Path) -> None:
    """After the load's commit: the pending keys become the keys file (one `os.replace`)."""
    pending = VisitorKeys.pending_path(folder)
    if pending.is_file():
        os.replace(pending, Path(folder) / "visitor_keys.json")
        files.fsync_path(Path(folder))


def reconcile_pending(folder: Path, recorded: str | None) -> None:
    """A pending keys file left by a load killed around its commit: kept as the keys file
    when the database records its digest (the commit was made, the switch was not), else
    removed (the load did not commit: its database still goes with the keys file)."""
    pending = VisitorKeys.pending_path(folder)
    if not pending.is_file():
        return
    try:
        digest = hashlib.sha256(pending.read_bytes()).hexdigest()
    except OSError:
        digest = None
    if (
        recorded is not None
        and digest == recorded
        and not (Path(folder) / "visitor_keys.json").is_dir()
    ):
        commit_pending(folder)
    else:
        pending.unlink(missing_ok=True)
