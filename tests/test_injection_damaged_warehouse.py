"""A damaged dashboard file (truncated, or partly overwritten) gives every page one French
message, without DuckDB's English text, the server's paths or a traceback, and the page
stops there (app/db.py)."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import labels
from tests.test_pages_apptest import DASHBOARD, PAGES, TIMEOUT


def _truncated(data: bytes) -> bytes:
    # Half the file: the header and the catalogue are whole, so the file opens and its first
    # queries answer; the blocks of the larger tables are gone.
    return data[: len(data) // 2]


def _cut_short(data: bytes) -> bytes:
    return data[:5000]  # not even the catalogue: DuckDB refuses to open it


def _overwritten(data: bytes) -> bytes:
    # A fifth of the file in the middle replaced by random bytes: the blocks stored there
    # fail their checksum when a query reads them.
    rng = random.Random(20200330)
    start, end = int(len(data) * 0.4), int(len(data) * 0.6)
    return data[:start] + rng.randbytes(end - start) + data[end:]


DAMAGES = {"truncated": _truncated, "cut-short": _cut_short, "overwritten": _overwritten}


@pytest.fixture(scope="module", params=list(DAMAGES))
def damaged(request, small_warehouse, tmp_path_factory) -> tuple[str, Path]:
    path = tmp_path_factory.mktemp(f"damaged-{request.param}") / "warehouse.duckdb"
    path.write_bytes(DAMAGES[request.param](small_warehouse.read_bytes()))
    return request.param, path


def test_the_damage_makes_duckdb_fail(damaged):
    """The damaged files do fail (else the test below would prove nothing): on opening, or
    on reading the whole of the visits."""
    _name, path = damaged
    with pytest.raises(duckdb.Error):
        con = duckdb.connect(str(path), read_only=True)
        try:
            for (table,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
                con.execute(f'SELECT * FROM "{table}"').fetchall()
        finally:
            con.close()


def page_texts(at: AppTest) -> list[str]:
    texts = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "title",
        "subheader",
        "exception",
        "code",
        "text",
    ):
        texts += [str(element.value) for element in at.get(kind)]
    return texts


def assert_clean_or_french_message(at: AppTest, path: Path) -> bool:
    """No exception, no DuckDB text, no path: the page is whole or shows the French message
    alone (True then)."""
    assert not at.exception, [e.value for e in at.exception][:1]
    errors = [e.value for e in at.error]
    assert errors in ([], [labels.WAREHOUSE_UNREADABLE]), errors
    texts = page_texts(at)
    for leak in (str(path.parent), "duckdb", "Error", "Traceback", "Corrupt", "/tmp"):
        assert not any(leak in text for text in texts), (leak, texts)
    return bool(errors)


def test_a_damaged_warehouse_gives_a_french_message_and_stops(damaged, monkeypatch):
    """Every page, after the home page (each reads other tables, so other blocks): those
    that read a damaged block show the French message and stop; the damage reaches at least
    one of them (every one when the file cannot even be opened)."""
    name, path = damaged
    monkeypatch.setenv("OBSERVATOIRE_DB", str(path))
    stopped = []
    for page in PAGES:
        at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT).run()
        assert_clean_or_french_message(at, path)
        at.switch_page(page).run()
        if assert_clean_or_french_message(at, path):
            stopped.append(page)
    assert stopped, f"{name}: no page met the damage"
    if name == "cut-short":
        assert stopped == PAGES


def test_a_query_over_the_memory_limit_says_so_not_that_the_file_is_damaged(
    warehouse_env, monkeypatch
):
    """DuckDB's out-of-memory error (150 searches of 5 MB passed the 256 MB limit) is no
    damage: its own French message, no DuckDB text."""
    import streamlit as st

    from app import queries

    def site_searches(conn, filters):
        raise duckdb.OutOfMemoryException(
            "Out of Memory Error: failed to pin block of size 4.7 MiB (239.4 MiB/244.1 MiB used)"
        )

    monkeypatch.setattr(queries, "site_searches", site_searches)
    st.cache_data.clear()  # an earlier test's figures would answer without the query
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT).run()
    at.switch_page("app_pages/frequentation.py").run()
    assert not at.exception, [e.value for e in at.exception][:1]
    assert [e.value for e in at.error] == [labels.QUERY_OUT_OF_MEMORY]
    assert not any("Memory Error" in text or "MiB" in text for text in page_texts(at))
