"""`python -m app.brief`: the meeting brief written to an outbox without a browser session.

The command is run once as a subprocess on the small test warehouse (with Chromium: the PDF
is printed, as by the dashboard's report tests, and fails rather than skips without it); the
other cases call `brief.main` in the test's process, which is the same code path.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from app import brief, labels, queries, report, scorecard
from app.filtering import FilterContext
from app.fmt import fr_int
from tests import pdf_text
from tests.bounds import CLI_TIMEOUT_S
from tests.conftest import REPO_ROOT

PERIOD = ("2020-05-04", "2020-05-10")
PLATFORM = "produits-frais"
DEPARTMENTS = ("37", "18")  # typed out of order: the file name and the brief use the canonical


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.brief", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )


def _main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = brief.main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def ctx(small_warehouse) -> FilterContext:
    with duckdb.connect(str(small_warehouse), read_only=True) as conn:
        return queries.filter_context(conn)


@pytest.fixture(scope="module")
def category(ctx) -> tuple[str, str]:
    """A category of the platform with its name: (code, name)."""
    return next(iter(ctx.categories[PLATFORM].items()))


def _args(small_warehouse, out: Path, category: str) -> list[str]:
    return [
        "--period",
        ":".join(PERIOD),
        "--platform",
        PLATFORM,
        "--categories",
        category,
        "--departments",
        ",".join(DEPARTMENTS),
        "--db",
        str(small_warehouse),
        "--out",
        str(out),
    ]


@pytest.fixture(scope="module")
def produced(small_warehouse, category, tmp_path_factory):
    """The command run once, as the scheduler will run it: (process, outbox, arguments)."""
    out = tmp_path_factory.mktemp("outbox")
    args = _args(small_warehouse, out, category[0])
    return _run(*args), out, args


def _file(out: Path, suffix: str) -> Path:
    (found,) = out.glob(f"*{suffix}")
    return found


def test_the_command_writes_four_files_named_by_platform_period_and_data_date(produced, ctx):
    process, out, _ = produced
    assert process.returncode == brief.EXIT_OK, process.stderr
    assert process.stderr == ""  # nothing but our own messages on stderr, and none here
    names = sorted(path.name for path in out.iterdir())
    stem = f"brief_produits-frais_2020-05-04_2020-05-10_donnees-{ctx.data_end:%Y-%m-%d}_filtres-"
    assert len(names) == 4, names
    assert all(name.startswith(stem) for name in names), names
    assert len({name.split(".")[0] for name in names}) == 1
    assert sorted(name.split(".")[1] for name in names) == ["csv", "html", "pdf", "xlsx"]
    assert re.fullmatch(re.escape(stem) + r"[0-9a-f]{8}\.pdf", _file(out, ".pdf").name)
    # Each written file is listed on stdout, in French.
    assert process.stdout.count(labels.BRIEF_WRITTEN.split("{")[0]) == 4


def test_the_pdf_is_french_with_the_period_and_filters(produced, ctx, category):
    _, out, _ = produced
    pdf = _file(out, ".pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = [re.sub(r"\s+", " ", text) for text in pdf_text.pages(pdf)]
    assert len(pages) == 2  # the summary, the one platform's scorecard
    text = " ".join(pages)
    assert "Observatoire des circuits courts — note de synthèse" in text
    assert "du 4 mai 2020 au 10 mai 2020" in text
    # The filters, canonical (the warehouse's order, whatever the order typed) and named.
    departments = ", ".join(ctx.department_label(code) for code in ("18", "37"))
    assert f"départements : {departments}" in text
    assert f"catégories : {category[1]}" in text
    assert "Page 1 sur 2" in text and "Page 2 sur 2" in text
    assert labels.PLATFORM_NAMES["equipements-protection"] not in text  # one platform asked


def test_the_html_holds_the_warehouse_figures(produced, small_warehouse, ctx, category):
    _, out, _ = produced
    page = _file(out, ".html").read_text(encoding="utf-8")
    filters = brief.brief_filters(
        ctx,
        platform=PLATFORM,
        start=date.fromisoformat(PERIOD[0]),
        end=date.fromisoformat(PERIOD[1]),
        departments=DEPARTMENTS,
        categories=(category[0],),
    )
    with duckdb.connect(str(small_warehouse), read_only=True) as conn:
        visits = queries.visits_summary(conn, filters)["visits"]
    assert visits > 0
    assert f'<td class="num">{fr_int(visits)}</td>' in page
    assert html.escape(category[1]) in page


def test_the_csv_is_for_excel_in_french_with_accents_intact(produced):
    _, out, _ = produced
    data = _file(out, ".csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [labels.SCORECARD_PLATFORM_COLUMN, *labels.SCORECARD_EXPORT_COLUMNS.values()]
    assert "Critère" in rows[0] and "Évolution vs période précédente" in rows[0]
    body = rows[1:]
    assert body and all(row[0] == "Produits frais locaux" for row in body)
    statuses = {row[-1] for row in body}
    assert statuses <= set(labels.SCORECARD_STATUS.values()), statuses
    # Numbers with a decimal comma, never a dot or a thousands separator.
    values = [row[2] for row in body if row[2]]
    assert values and all(re.fullmatch(r"-?\d+(,\d+)?", v) for v in values), values


def test_the_xlsx_cells_are_numbers(produced):
    _, out, _ = produced
    sheet = openpyxl.load_workbook(_file(out, ".xlsx")).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]  # title, filters, blank line, then the header (app/exports.py)
    assert header[0] == labels.SCORECARD_PLATFORM_COLUMN
    assert "du 4 mai 2020 au 10 mai 2020" in rows[0][0]
    body = [row for row in rows[4:] if any(v is not None for v in row)]
    value, target = header.index("Valeur"), header.index("Cible (minimum)")
    assert body
    assert all(isinstance(row[target], int | float) for row in body)
    assert all(isinstance(row[value], int | float) for row in body if row[value] is not None)
    assert any(isinstance(row[value], int | float) for row in body)


def test_a_rerun_replaces_the_files_and_adds_none(produced):
    _, out, args = produced
    before = {path.name: path.stat().st_ino for path in out.iterdir()}
    code, stdout, stderr = _main(*args)
    assert code == brief.EXIT_OK, stderr
    after = {path.name: path.stat().st_ino for path in out.iterdir()}
    assert sorted(after) == sorted(before)  # same names, no temporary file left
    # Each file was replaced by a new one (written aside, then renamed over the old one).
    assert all(after[name] != before[name] for name in before)


def test_without_filters_the_brief_covers_both_platforms(
    small_warehouse, ctx, tmp_path, monkeypatch
):
    monkeypatch.setattr(report, "chromium_path", lambda: None)  # the HTML is enough here
    code, _, _ = _main(
        "--period", "last-week", "--db", str(small_warehouse), "--out", str(tmp_path)
    )
    assert code == brief.EXIT_NO_CHROMIUM
    start, end = brief.last_complete_week(ctx.data_end)
    stem = f"brief_deux-plateformes_{start}_{end}_donnees-{ctx.data_end}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{stem}.csv",
        f"{stem}.html",
        f"{stem}.xlsx",
    ]
    page = (tmp_path / f"{stem}.html").read_text(encoding="utf-8")
    assert all(html.escape(name) in page for name in labels.PLATFORM_NAMES.values())


def test_without_chromium_the_other_files_are_written(small_warehouse, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    code, stdout, stderr = _main(
        "--period", "last-month", "--db", str(small_warehouse), "--out", str(tmp_path)
    )
    assert code == brief.EXIT_NO_CHROMIUM == 4
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv", ".html", ".xlsx"]
    assert stderr.count("\n") == 1
    assert stderr.startswith("ERREUR : note PDF non produite : Chromium n'est pas installé")
    assert stdout.count("\n") == 3


def test_an_outbox_that_cannot_be_written_exits_5_and_names_it(
    small_warehouse, tmp_path, monkeypatch
):
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    code, stdout, stderr = _main(
        "--period", "last-month", "--db", str(small_warehouse), "--out", str(blocker / "outbox")
    )
    assert code == brief.EXIT_FAILED == 5
    assert stderr.startswith(f"ERREUR : écriture impossible dans « {blocker / 'outbox'} »")
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert stdout == ""


def test_a_missing_warehouse_exits_3_with_a_french_message(tmp_path):
    process = _run(
        "--period",
        "last-week",
        "--db",
        str(tmp_path / "absent.duckdb"),
        "--out",
        str(tmp_path / "o"),
    )
    assert process.returncode == brief.EXIT_WAREHOUSE == 3
    assert process.stderr.startswith("ERREUR : aucun entrepôt de données à l'emplacement")
    assert process.stderr.count("\n") == 1 and "Traceback" not in process.stderr
    assert process.stdout == ""
    assert not (tmp_path / "o").exists()


def test_an_outdated_or_damaged_warehouse_exits_3(tmp_path):
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()  # a DuckDB file without the warehouse's tables
    code, _, stderr = _main("--period", "last-week", "--db", str(empty), "--out", str(tmp_path))
    assert code == brief.EXIT_WAREHOUSE
    assert "a été chargé par une version précédente" in stderr
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"not a database" * 1000)
    code, _, stderr = _main("--period", "last-week", "--db", str(damaged), "--out", str(tmp_path))
    assert code == brief.EXIT_WAREHOUSE
    assert "illisible ou endommagé" in stderr and stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "hier"], "période « hier » invalide"),
        (["--period", "2020-05-10:2020-05-04"], "la première au plus tard"),
        (["--period", "2020-02-30:2020-03-04"], "invalide"),
        (["--period", "2019-01-01:2019-01-31"], "ne recoupe pas les données"),
        (["--period", "last-week", "--categories", "miel"], "--categories demande --platform"),
        (
            ["--period", "last-week", "--departments", "18,99,2A"],
            "inconnu(s) de l'entrepôt : 99, 2A",
        ),
        (
            ["--period", "last-week", "--platform", PLATFORM, "--categories", "masques,inconnue"],
            "inconnue(s) pour Produits frais locaux : masques, inconnue",
        ),
    ],
)
def test_bad_arguments_exit_2_with_a_french_message(small_warehouse, tmp_path, args, message):
    code, stdout, stderr = _main(*args, "--db", str(small_warehouse), "--out", str(tmp_path))
    assert code == brief.EXIT_BAD_ARGUMENTS == 2
    assert stderr.startswith("ERREUR : ") and message in stderr, stderr
    assert stderr.count("\n") == 1 and stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_option_is_argparse_s_exit_2(tmp_path):
    code, _, stderr = _main("--period", "last-week", "--mail")
    assert code == brief.EXIT_BAD_ARGUMENTS
    assert "--mail" in stderr


def test_a_broken_targets_file_exits_5(small_warehouse, tmp_path, monkeypatch):
    broken = tmp_path / "scorecard.toml"
    broken.write_text("[settings\n", encoding="utf-8")
    monkeypatch.setattr(scorecard, "TARGETS_FILE", broken)
    out = tmp_path / "out"
    code, _, stderr = _main(
        "--period", "last-week", "--db", str(small_warehouse), "--out", str(out)
    )
    assert code == brief.EXIT_FAILED == 5
    assert "Fichier des cibles scorecard.toml inutilisable" in stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("data_end", "week"),
    [
        (date(2020, 12, 31), (date(2020, 12, 21), date(2020, 12, 27))),  # a Thursday
        (date(2020, 12, 27), (date(2020, 12, 21), date(2020, 12, 27))),  # a Sunday: its week
        (date(2020, 12, 28), (date(2020, 12, 21), date(2020, 12, 27))),  # a Monday
        (date(2020, 5, 10), (date(2020, 5, 4), date(2020, 5, 10))),
    ],
)
def test_last_week_is_the_last_complete_monday_to_sunday(data_end, week):
    assert brief.last_complete_week(data_end) == week


@pytest.mark.parametrize(
    ("data_end", "month"),
    [
        (date(2020, 12, 31), (date(2020, 12, 1), date(2020, 12, 31))),  # the month is complete
        (date(2020, 12, 30), (date(2020, 11, 1), date(2020, 11, 30))),
        (date(2021, 3, 1), (date(2021, 2, 1), date(2021, 2, 28))),
        (date(2020, 3, 15), (date(2020, 2, 1), date(2020, 2, 29))),  # leap year
    ],
)
def test_last_month_is_the_last_complete_calendar_month(data_end, month):
    assert brief.last_complete_month(data_end) == month


def test_periods_resolve_against_the_data_not_the_clock():
    ctx = FilterContext(
        data_start=date(2020, 3, 30), data_end=date(2020, 12, 31), departments={}, categories={}
    )
    assert brief.resolve_period("last-week", ctx) == (date(2020, 12, 21), date(2020, 12, 27))
    assert brief.resolve_period("last-month", ctx) == (date(2020, 12, 1), date(2020, 12, 31))
    # A range running past the data is kept (the brief says where the data stops).
    wide = (date(2020, 12, 1), date(2021, 1, 31))
    assert brief.resolve_period(wide, ctx) == wide
    # Data shorter than a complete week or month: refused, not a partial period.
    short = FilterContext(
        data_start=date(2020, 3, 30), data_end=date(2020, 4, 3), departments={}, categories={}
    )
    for preset in ("last-week", "last-month"):
        with pytest.raises(brief.BriefError) as refused:
            brief.resolve_period(preset, short)
        assert refused.value.exit_code == brief.EXIT_BAD_ARGUMENTS


def test_file_names_do_not_depend_on_the_order_codes_are_typed(ctx):
    def stem(departments):
        filters = brief.brief_filters(
            ctx,
            platform=None,
            start=date(2020, 5, 4),
            end=date(2020, 5, 10),
            departments=departments,
        )
        return brief.file_stem(None, filters, date(2020, 12, 31))

    assert stem(("37", "18")) == stem(("18", "37", "18"))
    assert stem(("18",)) != stem(("37",))
    assert stem(()) == "brief_deux-plateformes_2020-05-04_2020-05-10_donnees-2020-12-31"
