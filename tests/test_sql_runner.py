"""The one SQL runner (etl/sqlrun.py), shared by the ETL and the app: which `$name` parameters
a statement uses, how a script is cut into statements, how includes expand."""

import ast
from pathlib import Path

import duckdb
import pytest

from app import queries
from etl import scripts, sqlrun

REPO = Path(__file__).resolve().parents[1]
PARAMS = {"first": 1, "first_day": "2020-04-01", "day": "x", "x": 7}


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select $first_day::date", ["first_day"]),
        ("select $first + 1, $first_day::date", ["first", "first_day"]),
        ("select $first, $first", ["first"]),
        ("select 1", []),
        ("select 1 -- $x in a line comment", []),
        ("select 1 /* $x in a block comment */", []),
        ("select '$x in a literal', 'it''s $x too'", []),
        ("select '--' || $x", ["x"]),  # `--` inside a literal starts no comment
        ('select 1 as "$x"', []),  # a quoted identifier
        ("select regexp_matches(s, '^a$') from t where d = $day", ["day"]),
    ],
)
def test_parameters_are_whole_names_outside_comments_and_literals(sql, expected):
    assert sqlrun.params_in(sql) == expected


def test_only_used_parameters_are_bound_and_duckdb_accepts_them():
    con = duckdb.connect()
    statement = "select $first_day::date as d -- not $first"
    assert sqlrun.bind(statement, PARAMS) == {"first_day": "2020-04-01"}
    assert sqlrun.execute(con, statement, PARAMS).fetchone()[0].isoformat() == "2020-04-01"
    # What the narrowing avoids: DuckDB refuses a parameter the statement does not use.
    with pytest.raises(duckdb.Error):
        con.execute(statement, PARAMS)


def test_a_missing_parameter_is_an_error_naming_it():
    with pytest.raises(sqlrun.MissingParameterError, match=r"\$last_day") as error:
        sqlrun.bind("select $first_day, $last_day", {"first_day": 1})
    assert error.value.missing == ["last_day"]
    # The app's runner raises the same error before touching the database.
    with pytest.raises(KeyError, match="last_day"):
        queries.run(duckdb.connect(), "select $last_day", {})


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("select 1;\nselect 2;", ["select 1;", "select 2;"]),
        ("-- header\n\nselect 1;\n-- only a comment;\n", ["select 1;"]),
        ("select 'a;b';\nselect 2", ["select 'a;b';", "select 2"]),
        ("select 1; -- a; trailing\nselect 2;", ["select 1;", "select 2;"]),
        ("select 1 /* ; */ + 1;", ["select 1 /* ; */ + 1;"]),
        (";;\n", []),
    ],
)
def test_a_script_is_cut_at_semicolons_outside_comments_and_literals(script, expected):
    assert sqlrun.split_statements(script) == expected


def test_includes_expand_nested_and_refuse_a_cycle(tmp_path):
    (tmp_path / "outer.sql").write_text("a as (select 1),\n-- include: inner\n")
    (tmp_path / "inner.sql").write_text("b as (select 2)\n")
    text = "with\n-- include: outer\nselect * from b"
    assert sqlrun.expand_includes(text, tmp_path) == (
        "with\na as (select 1),\nb as (select 2)\nselect * from b"
    )
    (tmp_path / "loop.sql").write_text("-- include: loop\n")
    with pytest.raises(ValueError, match="nested too deep"):
        sqlrun.expand_includes("-- include: loop", tmp_path)


def test_identifiers_fill_placeholders_and_refuse_non_identifiers():
    assert sqlrun.fill_identifiers("select {col} from {t}", {"col": "day", "t": "x.y"}) == (
        "select day from x.y"
    )
    with pytest.raises(ValueError):
        sqlrun.fill_identifiers("select {col}", {"col": "1; drop table t"})


def test_the_etl_runs_a_script_through_the_same_rule(tmp_path, monkeypatch):
    (tmp_path / "t.sql").write_text(
        "-- $first is not bound here\ncreate table t as select $first_day::date as d;\n"
        "insert into t select $first_day::date + $first;\n"
    )
    monkeypatch.setattr(scripts, "SQL_DIR", tmp_path)
    con = duckdb.connect()
    scripts.run_script(con, "t.sql", PARAMS)
    assert [r[0].isoformat() for r in con.execute("select d from t order by d").fetchall()] == [
        "2020-04-01",
        "2020-04-02",
    ]


def test_every_etl_and_app_sql_file_splits_and_names_known_parameters():
    # Each file parses into statements; every parameter is a plain name (a typo like `$ day`
    # or a `$` glued to a literal would show here).
    files = sorted((REPO / "etl/sql").glob("*.sql")) + sorted((REPO / "app/sql").rglob("*.sql"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert sqlrun.split_statements(text) or path.parent.name == "include", path
        for name in sqlrun.params_in(text):
            assert name.isidentifier(), (path, name)


def test_the_app_imports_only_the_runner_from_etl():
    # The app reads a published file; it must not depend on ETL state or settings.
    imported = set()
    for path in [
        *(REPO / "app").rglob("*.py"),
        *(REPO / "app_pages").rglob("*.py"),
        REPO / "dashboard.py",
    ]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("etl"):
                imported |= {f"{node.module}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names if a.name.startswith("etl")}
    # And leaf modules that import nothing from the ETL: the quarantine reasons' labels,
    # defined once for the load and the dashboard; the brief command's terminal text and the
    # load's lock, which it shares (app/brief.py).
    assert imported <= {
        "etl.sqlrun",
        "etl.reason_labels.REASON_LABELS",
        "etl.terminal_text.printable",
        "etl.terminal_text.ARGPARSE_FR",
        "etl.files",
    }, imported
    for leaf in ("reason_labels.py", "terminal_text.py", "files.py"):
        tree = ast.parse((REPO / "etl" / leaf).read_text(encoding="utf-8"))
        assert not [
            n
            for n in ast.walk(tree)
            if (isinstance(n, ast.ImportFrom) and (n.module or "").startswith("etl"))
            or (isinstance(n, ast.Import) and any(a.name.startswith("etl") for a in n.names))
        ], leaf
    assert imported, "the app is expected to run its SQL through etl.sqlrun"
