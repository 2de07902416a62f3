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
