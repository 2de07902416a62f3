"""File-system steps shared by the load, the Parquet export and the brief: a lock beside the
target (exclusive for those that write, shared for those that only read), and fsync so a switch
never makes half-written files visible after a crash."""

from __future__ import annotations

import errno
import fcntl
import os
import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path


class Busy(Exception):
    """Another process holds the lock; the message names the lock file."""


# How often a lock that is held is tried again while waiting for it (`wait_s` > 0).
LOCK_POLL_S = 0.2


def lock_path_of(target: Path) -> Path:
    return target.with_name(target.name + ".lock")


@contextmanager
def exclusive_lock(target: Path, wait_s: float = 0, readers_wait_s: float = 0):
    """Hold `<target>.lock` for the duration, or raise `Busy` if someone else does: at once,
    or after waiting up to `wait_s` seconds for it to be released; up to `readers_wait_s`
    when only readers hold it (`shared_lock`: a brief reads for seconds, a writer for
    minutes)."""
    lock_path = lock_path_of(target)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "w")  # noqa: SIM115 - the lock lives as long as the handle
    if readers_wait_s > wait_s and _readers_only(lock_path):
        wait_s = readers_wait_s
    with _flocked(handle, fcntl.LOCK_EX, wait_s, lock_path):
        yield


def _readers_only(lock_path: Path) -> bool:
    """No writer holds the lock: a shared lock can be taken (and is let go at once). Also
    true of a free lock, which the exclusive attempt then takes at once."""
    with open(lock_path) as probe:
        try:
            fcntl.flock(probe, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(probe, fcntl.LOCK_UN)
        return True


@contextmanager
def shared_lock(target: Path, wait_s: float = 0):
    """Hold `<target>.lock` shared, for a reader: any number of readers together, never while
    a writer holds it exclusive (the load, from its start to its publication), nor a writer
    while a reader holds it. `Busy` as `exclusive_lock`. The lock file is only opened for
    reading when it exists (the reader may not own it) and the target's folder is not created."""
    lock_path = lock_path_of(target)
    try:
        handle = open(lock_path)  # noqa: SIM115 - the lock lives as long as the handle
    except FileNotFoundError:
        handle = open(lock_path, "a")  # noqa: SIM115 - never locked yet: created, as the load does
    with _flocked(handle, fcntl.LOCK_SH, wait_s, lock_path):
        yield


@contextmanager
def _flocked(handle, mode: int, wait_s: float, lock_path: Path):
    # flock itself waits without a bound: polled instead, with a deadline.
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.close()
                raise Busy(str(lock_path)) from None
            time.sleep(min(LOCK_POLL_S, max(deadline - time.monotonic(), 0)))
        except BaseException:
            handle.close()
            raise
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


@contextmanager
def exclusive_lock_or_refuse(
    target: Path, refusal: Callable[[str], Exception], readers_wait_s: float = 0
):
    """`exclusive_lock`, raising `refusal(<lock file>)` (a French message) when it is held."""
    with ExitStack() as stack:
        try:
            stack.enter_context(exclusive_lock(target, readers_wait_s=readers_wait_s))
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
