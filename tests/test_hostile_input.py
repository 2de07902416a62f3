"""Property-based tests: arbitrary bytes and mutated real-looking lines never crash a load,
and every input line or row ends up loaded or quarantined — the counts add up."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl.catalogue import SUPPLIER_COLUMNS
from etl.load import load
from etl.settings import Settings, etl_db_path
from tests.test_etl_logs import CURRENT_LOG

# Property tests, each loading dozens of generated inputs: tens of seconds.
pytestmark = pytest.mark.slow

PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def load_log_bytes(content: bytes) -> tuple[int, int, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "raw" / "produits-frais" / "logs"
        folder.mkdir(parents=True)
        (folder / "access.log").write_bytes(content)
        # A finished file (not one being written, whose unterminated last line waits).
        os.utime(folder / "access.log", (time.time() - 3600, time.time() - 3600))
        # Retention off: a mutated year must not purge lines and blur the accounting.
        load(
            Settings(
                raw_dir=Path(tmp) / "raw", db_path=Path(tmp) / "w.duckdb", retention_months=100_000
            ),
            progress=False,
        )
        con = duckdb.connect(str(etl_db_path(Path(tmp) / "w.duckdb")), read_only=True)
        row = con.execute("""select coalesce(sum(lines_read), 0),
                                    (select count(*) from hits),
                                    (select count(*) from rejected_rows where source = 'logs' and line_no is not null),
                                    (select count(*) from rejected_rows where source = 'logs' and line_no is null)
                             from load_files where source = 'logs'""").fetchone()
        con.close()
        return row


def expected_lines(content: bytes) -> int:
    # A hole of NULs at the start (copytruncate) is no line: skipped, counted as bytes.
    content = content.lstrip(b"\x00")
    if not content:
        return 0
    # A CR not followed by LF ends a line, for the whole file or a stretch of it (classic
    # Mac OS; docs/loading.md).
    content = re.sub(rb"\r(?!\n)", b"\n", content)
    return content.count(b"\n") + (0 if content.endswith(b"\n") else 1)


@PROPERTY_SETTINGS
@given(st.binary(min_size=1, max_size=2000))
@example(b"\x00")  # only a hole of NULs: a file with no line
@example(b"\x00\x00\n\x00")
@example(b"\x00" * 70_000 + b"x\n")  # a hole longer than the 64 KiB head
@example(b"\n\r\x00")  # LF then a lone CR: an empty line, then "\x00"
def test_arbitrary_bytes_never_crash_and_every_line_is_accounted_for(content):
    if content[:2] == b"\x1f\x8b":
        content = b"x" + content  # a gzip header is another test's business
    read, hits, rejected, files_rejected = load_log_bytes(content)
    assert read == expected_lines(content)
    assert read == hits + rejected
    # A file with no line at all (only NULs) is quarantined as a file, once.
    assert files_rejected == (1 if read == 0 else 0)


@st.composite
def mutated_log(draw):
    lines = [line.encode() for line in CURRENT_LOG if line]
    out = []
    for line in draw(st.lists(st.sampled_from(lines), min_size=1, max_size=12)):
        data = bytearray(line)
        for _ in range(draw(st.integers(0, 4))):
            position = draw(st.integers(0, len(data) - 1))
            action = draw(st.sampled_from(["replace", "delete", "insert"]))
            byte = draw(st.sampled_from(b'"\\[] -\t\x00\xff\xc3/?%'))
            if action == "replace":
                data[position] = byte
            elif action == "delete":
                del data[position]
            else:
                data.insert(position, byte)
        out.append(bytes(data).replace(b"\n", b" "))
    return b"\n".join(out) + b"\n"


@PROPERTY_SETTINGS
@given(mutated_log())
def test_mutated_real_lines_are_loaded_or_quarantined(content):
    read, hits, rejected, _ = load_log_bytes(content)
    assert read == content.count(b"\n")
    assert read == hits + rejected


field_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


@PROPERTY_SETTINGS
@given(
    st.lists(
        st.lists(
            field_text, min_size=len(SUPPLIER_COLUMNS) - 2, max_size=len(SUPPLIER_COLUMNS) + 1
        ),
        min_size=1,
        max_size=15,
    )
)
def test_arbitrary_supplier_rows_are_loaded_or_quarantined(rows):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(list(SUPPLIER_COLUMNS))
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "raw" / "produits-frais" / "suppliers"
        folder.mkdir(parents=True)
        (folder / "fournisseurs.csv").write_text(buffer.getvalue(), encoding="utf-8")
        report = load(
            Settings(raw_dir=Path(tmp) / "raw", db_path=Path(tmp) / "w.duckdb"), progress=False
        )
        con = duckdb.connect(str(etl_db_path(Path(tmp) / "w.duckdb")), read_only=True)
        loaded = con.execute("select count(*) from supplier_snapshots").fetchone()[0]
        rejected = con.execute(
            "select count(*) from rejected_rows where source = 'suppliers'"
        ).fetchone()[0]
        con.close()
    entry = next(f for f in report.files if f.source == "suppliers")
    # csv may read fewer records than rows written when a field holds a newline or quote: the
    # invariant is on what was read.
    assert entry.read == loaded + rejected
    assert entry.read == entry.loaded + entry.rejected
