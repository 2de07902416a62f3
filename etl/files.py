"""File-system steps shared by the load and the Parquet export: an exclusive lock beside the
target, and fsync so a switch never makes half-written files visible after a crash."""
from __future__ import annotations

import fcntl
import os
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable


class Busy(Exception):
    """Another process holds the lock; the message names the lock file."""


@contextmanager
def exclusive_lock(target: Path):
    """Hold `<target>.lock` for the duration, or raise `Busy` at once if someone else does."""
    lock_path = target.with_name(target.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock_path, "w")
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
