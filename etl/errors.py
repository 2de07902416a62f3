"""The errors that stop a load, each with the exit code of `python -m etl load`."""

from __future__ import annotations


class LoadError(Exception):
    """A load that cannot run (missing raw folder, another load running …). French message."""

    exit_code = 2


class WarehouseDamaged(LoadError):
    """The load's database (or a file the load must read) is damaged; nothing was changed."""

    exit_code = 3


class WriteFailed(LoadError):
    """Writing failed (disk full or failing, or no right to write a folder or file: the
    message then says « écriture refusée » and names it); nothing was changed."""

    exit_code = 4
