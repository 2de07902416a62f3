"""Property suite over whole raw folders (issue 15): random mixes of valid logs and hostile
files are dropped beside a loaded history, and the load, run as cron runs it, must: exit 0
or 1 (docs/loading.md), print no traceback, stay under 1 GiB, lose no earlier visit, account
for every line of every file (read = kept + quarantined + expired), and store no byte of a
file outside data/raw."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.settings import etl_db_path
from tests.test_etl_logs import CURRENT_LOG, line
from tests.test_hostile_logs import _peak_rss_mb_of_load

SECRET = b"SECRET-OUTSIDE-RAW-7781"
OLD = time.time() - 3600


def _valid(rng: random.Random, day: int, n: int) -> bytes:
    rows = [
        line(
            f"90.{rng.randrange(250)}.{rng.randrange(250)}.{rng.randrange(250)}",
            f"{day:02d}/May/2020:{rng.randrange(24):02d}:{rng.randrange(60):02d}:00 +0200",
            f"GET /produit/{rng.randrange(50)}-x HTTP/1.1",
        )
        for _ in range(n)
    ]
    return ("\n".join(rows) + "\n").encode()


def _hostile(kind: str, rng: random.Random, base_first_line: bytes) -> bytes:
    if kind == "valid":
        return _valid(rng, rng.randrange(10, 28), rng.randrange(1, 40))
    if kind == "future":
        return (
            _valid(rng, 12, 3)
            + line("90.1.1.1", "01/Jan/2099:00:00:00 +0000", "GET / HTTP/1.1").encode()
            + b"\n"
        )
    if kind == "skewed_now":
        now = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(time.time() - 3600))
        return line("90.1.1.2", now, "GET / HTTP/1.1").encode() + b"\n"
    if kind == "bad_offsets":
        return (
            "\n".join(
                line("90.1.1.3", f"01/May/2020:10:00:00 {o}", "GET / HTTP/1.1")
                for o in ("+2400", "+9999", "-1200", "+0000")
            ).encode()
            + b"\n"
        )
    if kind == "junk":
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))).replace(
            b"\x1f\x8b", b"xx"
        )
    if kind == "cr_only":
        return _valid(rng, 14, 10).replace(b"\n", b"\r")
    if kind == "truncated_gzip":
        data = gzip.compress(_valid(rng, 15, 200))
        return data[: len(data) // 2]
    if kind == "empty_lines_bomb":
        return gzip.compress(b"\n" * 20_000)
    if kind == "endless_line_bomb":
        return gzip.compress(b"B" * (6 * 1024 * 1024))
    if kind == "shares_first_line":
        return base_first_line + _valid(rng, 16, 5)
    if kind == "empty":
        return b""
    if kind == "blank_and_bom":
        return b"\xef\xbb\xbf\n\n  \n"
    raise AssertionError(kind)


KINDS = [
    "valid",
    "future",
    "skewed_now",
    "bad_offsets",
    "junk",
    "cr_only",
    "truncated_gzip",
    "empty_lines_bomb",
    "endless_line_bomb",
    "shares_first_line",
    "empty",
    "blank_and_bom",
    "symlink_out",
    "directory",
    "unknown_platform",
    "junk_csv",
]


def _query(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# Loads several generated hostile folders: tens of seconds.
@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(KINDS), min_size=1, max_size=7), st.integers(0, 2**32 - 1))
def test_any_mix_of_hostile_files_keeps_the_history_and_the_accounting(kinds, seed):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        raw, db = tmp / "raw", tmp / "w.duckdb"
        logs = raw / "produits-frais" / "logs"
        logs.mkdir(parents=True)
        base = ("\n".join(l for l in CURRENT_LOG if l) + "\n").encode() + _valid(rng, 5, 30)
        (logs / "access.log.30").write_bytes(base)
        os.utime(logs / "access.log.30", (OLD, OLD))
        os.environ["OBSERVATOIRE_STATE_DIR"] = str(tmp / "state")
        try:
            peak, done = _peak_rss_mb_of_load(raw, db)
            assert done.returncode in (0, 1), done.stderr
            before = dict(
                _query(etl_db_path(db), "select day, sum(visits) from visits_daily group by 1")
            )

            secret = tmp / "secret.log"
            secret.write_bytes(SECRET + b"\n" + base)
            for i, kind in enumerate(kinds):
                name = f"access.log.{i}" + (".gz" if "gzip" in kind or "bomb" in kind else "")
                if kind == "symlink_out":
                    (logs / f"access.log.link{i}").symlink_to(secret)
                elif kind == "directory":
                    (logs / f"access.log.dir{i}").mkdir()
                elif kind == "unknown_platform":
                    (raw / f"plateforme-{i}" / "logs").mkdir(parents=True)
                    (raw / f"plateforme-{i}" / "logs" / "access.log").write_bytes(SECRET + b"\n")
                elif kind == "junk_csv":
                    folder = raw / "produits-frais" / "listings"
                    folder.mkdir(exist_ok=True)
                    (folder / f"annonces-{i}.csv").write_bytes(
                        bytes(rng.randrange(256) for _ in range(500))
                    )
                else:
                    (logs / name).write_bytes(_hostile(kind, rng, base.split(b"\n")[0] + b"\n"))
                    os.utime(logs / name, (OLD, OLD))

            peak, done = _peak_rss_mb_of_load(raw, db)
            output = done.stdout + done.stderr
            assert done.returncode in (0, 1), (kinds, done.returncode, output[-3000:])
            assert "Traceback" not in output and "Error:" not in output, output[-3000:]
            assert peak < 1024, (kinds, peak)

            after = dict(
                _query(etl_db_path(db), "select day, sum(visits) from visits_daily group by 1")
            )
            lost = {
                day: (n, after.get(day, 0)) for day, n in before.items() if after.get(day, 0) < n
            }
            assert not lost, (kinds, lost)
            mismatches = _query(
                etl_db_path(db),
                """
                select path, lines_read, rows_loaded, rows_rejected, rows_expired from load_files f
                where lines_read <> rows_loaded + rows_rejected + coalesce(rows_expired, 0)
                   or (source = 'logs' and rows_loaded <> (select count(*) from hits h where h.file_id = f.file_id))""",
            )
            assert not mismatches, (kinds, mismatches)
            for path in (db, etl_db_path(db)):
                assert SECRET not in path.read_bytes(), (kinds, path.name)
        finally:
            os.environ.pop("OBSERVATOIRE_STATE_DIR", None)
            shutil.rmtree(tmp, ignore_errors=True)
