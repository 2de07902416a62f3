"""File-system steps shared by the load and the Parquet export: an exclusive lock beside the
target, and fsync so a switch never makes half-written files visible after a crash."""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path


class Busy(Exception):
    """Another process holds the lock; the message names the lock file."""


@contextmanager
def exclusive_lock(target: Path):
    """Hold `<target>.lock` for the duration, or raise `Busy` at once if someone else does."""
    lock_path = target.with_name(target.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "w")  # noqa: SIM115 - the lock lives as long as the handle
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise Busy(str(lock_path)) from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


@contextmanager
def exclusive_lock_or_refuse(target: Path, refusal: Callable[[str], Exception]):
    """`exclusive_lock`, raising `refusal(<lock file>)` (a French message) when it is held."""
    with ExitStack() as stack:
        try:
            stack.enter_context(exclusive_lock(target))
        except Busy as busy:
            raise refusal(str(busy)) from None
        yield


def fsync_path(path: Path) -> None:
    """Flush a file or a directory entry to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_OS_ERRORS_FR = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "fichier introuvable",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota disque dépassé",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ELOOP: "trop de liens symboliques",
    errno.ENAMETOOLONG: "nom de fichier trop long",
}


def os_error_fr(exc: OSError) -> str:
    """An operating-system error in French: its own text (`Permission denied`) is English."""
    if isinstance(exc, TimeoutError) and exc.errno is None:
        return "opération bloquée, abandonnée après son délai (disque lent ou bloqué)"
    return _OS_ERRORS_FR.get(
        exc.errno, f"erreur système (errno {exc.errno})" if exc.errno else "erreur d'entrée-sortie"
    )
