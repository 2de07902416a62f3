"""What a load depends on, hashed, and what the last load recorded of it.

`inputs_fingerprint` hashes the raw files (log streams by identity and size, CSV files by
content), the settings, configuration, reference data, SQL and ETL code; `_record_load` stores
it with the load's errors and a new generation, `_stored_state` reads them back. The same
fingerprint, with its figures published, means the next load has nothing to do.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from pathlib import Path

from etl import logs
from etl.annotations import annotations_path
from etl.canteens import canteen_files
from etl.inputs import _input_files
from etl.report import LoadReport
from etl.scripts import peek
from etl.settings import CONFIG_DIR, REFERENCE_DIR, SQL_DIR, Settings


def _record_load(con, inputs: str, report: LoadReport) -> None:
    """What the next load compares with: the inputs, what was wrong with them, and a new
    generation, which the dashboard file copies when it is published."""
    # A live log's last line left for later: the next load must read the file again even
    # when nothing changed, so it does not count as "the same inputs".
    inputs = (
        inputs
        + ("|ligne en attente" if report.pending_lines else "")
        + ("|purge refusée" if report.purge_refused else "")
        + ("|catalogue refusé" if report.catalogue_refused else "")
    )
    con.execute(
        "insert or replace into config_state values ('inputs', ?), ('inputs_errors', ?), ('generation', ?)",
        [inputs, json.dumps(report.errors, ensure_ascii=False), secrets.token_hex(16)],
    )


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
    # The analysts' annotations beside the raw folder (etl/annotations.py), present or not.
    notes = annotations_path(raw_dir)
    if notes.is_file():
        _digest_csv(digest, "", "annotations", notes)
    # The shared canteen and PAT files (etl/canteens.py).
    for path in canteen_files(raw_dir):
        _digest_csv(digest, "", "cantines", path)
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
