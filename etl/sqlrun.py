"""The one SQL runner of the project, shared by the ETL (`etl/scripts.py`) and the app
(`app/queries/engine.py`): statement splitting, `-- include:` expansion, `$name` parameters.

Pure: no Streamlit, no ETL state, no settings, so the app may import it (the only module of
`etl/` it imports). One rule for parameters everywhere: `$name` is a parameter where it stands
whole (`$first` is not inside `$first_day`) outside comments and string literals; a statement
is given exactly the parameters it names (DuckDB refuses unused ones) and a missing one is an
error naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

# A whole parameter name: the greedy match takes `$first_day` whole, never `$first` in it.
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# `-- include: visit_scope` on a line of its own is replaced by <include_dir>/visit_scope.sql.
_INCLUDE = re.compile(r"^[ \t]*-- include: ([a-z0-9_]+)[ \t]*$", re.MULTILINE)
MAX_INCLUDE_DEPTH = 5


class MissingParameterError(KeyError):
    """The SQL names `$name` parameters the caller did not give."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(f"missing SQL parameters: {', '.join('$' + m for m in missing)}")


def _segments(sql: str) -> list[tuple[str, str]]:
    """`sql` cut into ("code" | "comment" | "literal", text) pieces, in order; joined back they
    give `sql`. Comments are `--` to the end of the line and `/* */`; literals are `'...'`
    (`''` inside) and quoted identifiers `"..."`."""
    out: list[tuple[str, str]] = []
    i, start, n = 0, 0, len(sql)

    def flush(upto: int) -> None:
        if upto > start:
            out.append(("code", sql[start:upto]))

    while i < n:
        two = sql[i : i + 2]
        if two == "--":
            end = sql.find("\n", i)
            end = n if end < 0 else end
            kind = "comment"
        elif two == "/*":
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            kind = "comment"
        elif sql[i] in "'\"":
            quote, end = sql[i], i + 1
            while end < n:
                if sql[end] == quote:
                    if sql[end + 1 : end + 2] == quote:  # a doubled quote stays inside
                        end += 2
                        continue
                    end += 1
                    break
                end += 1
            kind = "literal"
        else:
            i += 1
            continue
        flush(i)
        out.append((kind, sql[i:end]))
        i = start = end
    flush(n)
    return out


def code_only(sql: str) -> str:
    """`sql` with comments removed and string literals emptied (`''`): what a parameter or a
    statement separator is searched in."""
    parts = []
    for kind, text in _segments(sql):
        if kind == "code":
            parts.append(text)
        elif kind == "literal":
            parts.append(text[0] * 2)
        elif text.startswith("--"):
            parts.append("")
        else:
            parts.append(" ")
    return "".join(parts)


def params_in(sql: str) -> list[str]:
    """The `$name` parameters `sql` uses, whole names, in first-use order, ignoring those in
    comments and string literals."""
    return list(dict.fromkeys(_PARAM.findall(code_only(sql))))


def bind(sql: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The parameters of `params` that `sql` uses; MissingParameterError if it names others."""
    params = params or {}
    used = params_in(sql)
    missing = [name for name in used if name not in params]
    if missing:
        raise MissingParameterError(missing)
    return {name: params[name] for name in used}


def split_statements(script: str) -> list[str]:
    """The statements of `script`, cut at each `;` outside comments and literals, each with
    its leading comment lines dropped; statements holding only comments are left out."""
    out, current = [], []
    for kind, text in _segments(script):
        if kind != "code":
            current.append(text)
            continue
        pieces = text.split(";")
        for piece in pieces[:-1]:
            current.append(piece + ";")
            _keep(out, "".join(current))
            current = []
        current.append(pieces[-1])
    _keep(out, "".join(current))
    return out


def _keep(out: list[str], statement: str) -> None:
    if not code_only(statement).strip().strip(";").strip():
        return
    lines = statement.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    out.append("\n".join(lines).strip())


def expand_includes(text: str, include_dir: Path, depth: int = 0) -> str:
    """Replace each `-- include: name` line by `include_dir/name.sql`, itself expanded (a
    fragment may include another); names are identifiers from the SQL files, not user input."""
    if depth > MAX_INCLUDE_DEPTH:
        raise ValueError("includes nested too deep (a fragment includes itself?)")

    def replace(match: re.Match) -> str:
        fragment = (Path(include_dir) / f"{match.group(1)}.sql").read_text(encoding="utf-8")
        return expand_includes(fragment.rstrip(), include_dir, depth + 1)

    return _INCLUDE.sub(replace, text)


def fill_identifiers(sql: str, identifiers: Mapping[str, str] | None) -> str:
    """Fill `{name}` placeholders with table or column names, which SQL cannot bind; they come
    from the code, never from data."""
    for placeholder, identifier in (identifiers or {}).items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", identifier):
            raise ValueError(f"not an identifier: {identifier!r}")
        sql = sql.replace("{" + placeholder + "}", identifier)
    return sql


def execute(con: duckdb.DuckDBPyConnection, statement: str, params: Mapping | None = None):
    """Execute one statement on `con`, bound to exactly the parameters it names."""
    bound = bind(statement, params)
    return con.execute(statement, bound) if bound else con.execute(statement)


def run_statements(
    con: duckdb.DuckDBPyConnection, script: str, params: Mapping | None = None, on_statement=None
) -> None:
    """Run `script` statement by statement, each bound to the parameters it names.
    `on_statement(statement)` returns a context manager wrapping each execution (timing)."""
    for statement in split_statements(script):
        if on_statement is None:
            execute(con, statement, params)
        else:
            with on_statement(statement):
                execute(con, statement, params)
