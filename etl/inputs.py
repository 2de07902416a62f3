"""The raw files a load reads, and what lies in the raw folder that it does not read (and why).

Only regular files inside the raw folder (links resolved), with names the warehouse can store,
directly in a platform's `logs/`, `suppliers/` or `listings/` folder (`.csv` for the latter).
"""

from __future__ import annotations

import os
from pathlib import Path

from etl import files
from etl.settings import SOURCES


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
