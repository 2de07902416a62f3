"""What the load prints is what the files hold: a file name or a value carrying terminal
escape sequences, carriage returns or new lines reaches the operator's terminal escaped, so it
can neither repaint the screen nor forge an `ATTENTION` line (issue #28)."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from etl.load import load, print_report
from etl.report import printable
from etl.settings import REPO_ROOT, Settings
from tests.bounds import CLI_TIMEOUT_S
from tests.test_etl_logs import line

FORGED = "ATTENTION : tout va bien"
LOG_NAME = f"access\x1b[2J\r\n{FORGED}.log"
CSV_NAME = "producteurs\x1b]0;titre\x07\u202egnp.csv"
# What a terminal acts on; a printed report holds none but its own line ends.
ACTED_ON = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _hostile_folder(tmp_path):
    raw = tmp_path / "raw" / "produits-frais"
    (raw / "logs").mkdir(parents=True)
    (raw / "logs" / LOG_NAME).write_text(
        line("90.1.1.1", "02/Apr/2020:09:00:00 +0200", "GET / HTTP/1.1")
        + "\n"
        + "\x1b[31mjunk\x07\n" * 12,  # mostly quarantined: the load names the file
        encoding="utf-8",
    )
    (raw / "suppliers").mkdir()
    (raw / "suppliers" / CSV_NAME).write_text(
        # An unknown column: the load names the file in an ATTENTION line.
        "id_fournisseur;nom;type;code_postal;commune;date_inscription;remarque\x1b[8m\n"
        "P1;Ferme du Chêne;producteur;37000;Tours;01/04/2020;\n"
        "P2;Ferme\x1b[2K;producteur;37000;Tours;01/04/2020;x\n",
        encoding="utf-8",
    )
    return tmp_path / "raw"


def _assert_inert(text: str) -> None:
    assert not ACTED_ON.findall(text), sorted(set(ACTED_ON.findall(text)))
    assert not [l for l in text.splitlines() if l.startswith(FORGED)], text


def test_the_printed_report_escapes_what_a_terminal_would_act_on(tmp_path):
    raw = _hostile_folder(tmp_path)
    report = load(Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb"), progress=False)
    out = io.StringIO()
    print_report(report, out)
    text = out.getvalue()
    _assert_inert(text)
    # The names are there, escaped, so the operator can still find the files.
    assert printable(LOG_NAME) in text
    assert "producteurs\\x1b]0;titre\\x07\\u202egnp.csv" in text


def _load_command(raw, db) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", "--raw", str(raw), "--db", str(db)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )


def test_the_command_line_prints_nothing_a_terminal_would_act_on(tmp_path):
    done = _load_command(_hostile_folder(tmp_path), tmp_path / "w.db")
    assert done.returncode in (0, 1), done.stderr
    _assert_inert(done.stdout)
    _assert_inert(done.stderr)


def test_printable_escapes_controls_and_keeps_french_text():
    assert printable("Chêne « bio » – 12,5 %") == "Chêne « bio » – 12,5 %"
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("un\nATTENTION : x") == "un\\nATTENTION : x"
    assert printable("\r\t\x00\x7f\x85\u2028\u202e") == "\\r\\t\\x00\\x7f\\x85\\u2028\\u202e"


def test_an_error_naming_a_hostile_path_is_printed_escaped(tmp_path):
    done = _load_command(tmp_path / f"brut\x1b[2J\n{FORGED}", tmp_path / "w")
    assert done.returncode == 2, done.stderr
    _assert_inert(done.stderr)
    assert "brut\\x1b[2J\\nATTENTION : tout va bien" in done.stderr
