"""Shared fixtures: a small warehouse built once per test session.

`small_warehouse` is the only place that knows how the test warehouse is made: the demo
generator at a small scale with a fixed seed, then the real ETL (`OBSERVATOIRE_TEST_WAREHOUSE=fake`
uses the hand-made tests/fake_warehouse.py instead, for quick page work). Tests compare what
the app shows with SQL run on the same file, so they do not depend on which builder made it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests import fake_warehouse

# Time limits by marker, the `slow` check of `make check`, the running test's name.
pytest_plugins = ["tests.bounds"]

REPO_ROOT = Path(__file__).resolve().parent.parent


# A demo generation or a load of the small test warehouse: seconds, minutes on a busy runner.
PIPELINE_TIMEOUT_S = 240

# The real pipeline by default; `fake` for the hand-made warehouse.
TEST_WAREHOUSE = os.environ.get("OBSERVATOIRE_TEST_WAREHOUSE", "real")


def _build_with_pipeline(folder: Path) -> Path:
    raw, db = folder / "raw", folder / "warehouse.duckdb"
    for args in (
        ["demo", "--raw", str(raw), "--scale", "0.05", "--seed", "7"],
        ["load", "--raw", str(raw), "--db", str(db)],
    ):
        subprocess.run(
            [sys.executable, "-m", "etl", *args],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
            timeout=PIPELINE_TIMEOUT_S,
        )
    return db


@pytest.fixture(scope="session")
def small_warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("warehouse")
    if TEST_WAREHOUSE == "real":
        return _build_with_pipeline(folder)
    return fake_warehouse.build(folder / "warehouse.duckdb", scale=0.1)


@pytest.fixture(scope="session")
def conn(small_warehouse):
    """Read-only connection to the small warehouse, as the dashboard opens it."""
    connection = duckdb.connect(str(small_warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def hits_conn(small_warehouse):
    """Read-only connection to the database holding the hits: the load's database beside the
    dashboard's file (the hand-made warehouse keeps them in its single file)."""
    beside = small_warehouse.with_name(f"{small_warehouse.stem}.etl{small_warehouse.suffix}")
    connection = duckdb.connect(str(beside if beside.exists() else small_warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture
def warehouse_env(small_warehouse, monkeypatch) -> Path:
    """Point the app at the small warehouse through OBSERVATOIRE_DB."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(small_warehouse))
    return small_warehouse


@pytest.fixture(scope="module")
def module_warehouse_env(small_warehouse) -> Iterator[Path]:
    """`warehouse_env` for a module-scoped fixture (pytest's `monkeypatch` is per test): the
    pages of a module drawn once and read by several tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OBSERVATOIRE_DB", str(small_warehouse))
        yield small_warehouse
