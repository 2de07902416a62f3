"""Directorates open the dashboard while the nightly load runs: pages requested again and
again during repeated loads of the same warehouse never fail."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from etl.demo import generate
from etl.settings import REPO_ROOT
from tests.bounds import CLI_TIMEOUT_S

# Repeated whole loads beside page runs: a minute and more (docs/testing.md).
pytestmark = pytest.mark.slow

PAGES = ["app_pages/vue_ensemble.py", "app_pages/frequentation.py", "app_pages/qualite.py"]


def test_pages_keep_answering_while_loads_replace_the_warehouse(tmp_path, monkeypatch):
    raw, db = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    generate(raw, scale=0.02, seed=3)
    command = [
        sys.executable,
        "-m",
        "etl",
        "load",
        "--raw",
        str(raw),
        "--db",
        str(db),
        "--quiet",
        "--rebuild",
    ]
    subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True, timeout=CLI_TIMEOUT_S)
    monkeypatch.setenv("OBSERVATOIRE_DB", str(db))

    loads_finished, errors = 0, []
    loader = subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # Generous: the loop ends as soon as three loads have finished; a busy machine is slower.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and loads_finished < 3:
            for page in PAGES:
                at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60).run()
                at.switch_page(page).run()
                errors += [f"{page}: {e.value}" for e in at.exception]
                errors += [f"{page}: {e.value}" for e in at.error]
            if loader.poll() is not None:
                assert loader.returncode == 0
                loads_finished += 1
                loader = subprocess.Popen(
                    command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
    finally:
        # Whatever happened above, no load is left running after the test.
        if loader.poll() is None:
            loader.kill()
        loader.wait(timeout=CLI_TIMEOUT_S)
    assert loads_finished >= 3, "the loads did not overlap the page runs as intended"
    assert errors == []
