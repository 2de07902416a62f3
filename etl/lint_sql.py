"""sqlfluff over the project's SQL, as the runner sees it: `python -m etl.lint_sql [files]`.

The app queries are linted on their expanded text (`-- include:` lines replaced by the
fragment, as `etl/sqlrun.py` does), so each fragment is checked inside the queries using it;
a violation is reported at its original file and line (the fragment's when it lies in one).
Rules and dialect come from `pyproject.toml` (`[tool.sqlfluff.*]`); files are skipped as
`.sqlfluffignore` says. Exit status 1 when any file has a violation or does not parse.
"""

from __future__ import annotations

import sys
from pathlib import Path

from etl import sqlrun

ROOT = Path(__file__).resolve().parent.parent
SQL_DIRS = (ROOT / "etl" / "sql", ROOT / "app" / "sql")
INCLUDE_DIR = ROOT / "app" / "sql" / "include"


def expand_with_origins(path: Path, depth: int = 0) -> tuple[str, list[tuple[Path, int]]]:
    """The text of `path` with includes expanded, and for each of its lines the (file, line)
    it comes from. Same expansion as `sqlrun.expand_includes` (checked by the caller)."""
    if depth > sqlrun.MAX_INCLUDE_DEPTH:
        raise ValueError("includes nested too deep (a fragment includes itself?)")
    lines: list[str] = []
    origins: list[tuple[Path, int]] = []
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.split("\n"), start=1):
        match = sqlrun._INCLUDE.fullmatch(line)
        if match:
            fragment, fragment_origins = expand_with_origins(
                INCLUDE_DIR / f"{match.group(1)}.sql", depth + 1
            )
            fragment = fragment.rstrip()
            fragment_lines = fragment.split("\n")
            lines.extend(fragment_lines)
            origins.extend(fragment_origins[: len(fragment_lines)])
        else:
            lines.append(line)
            origins.append((path, number))
    return "\n".join(lines), origins


def sql_files(args: list[str]) -> list[Path]:
    if args:
        return [Path(a).resolve() for a in args]
    return sorted(p for d in SQL_DIRS for p in d.rglob("*.sql"))


def main(argv: list[str] | None = None) -> int:
    from sqlfluff.core import FluffConfig, Linter
    from sqlfluff.core.linter.discovery import paths_from_path

    config = FluffConfig.from_path(str(ROOT))
    linter = Linter(config=config)
    # .sqlfluffignore applies (it leaves out app/sql/include/, linted inside the queries)
    kept = {
        Path(p).resolve() for d in SQL_DIRS for p in paths_from_path(str(d), working_path=str(ROOT))
    }
    failures = 0
    for path in sql_files(sys.argv[1:] if argv is None else argv):
        rel = path.relative_to(ROOT)
        if path not in kept:
            continue
        text, origins = expand_with_origins(path)
        expected = sqlrun.expand_includes(path.read_text(encoding="utf-8"), INCLUDE_DIR)
        assert text == expected, f"{rel}: expansion differs from etl/sqlrun.py"
        result = linter.lint_string(text, fname=str(rel))
        for violation in result.get_violations():
            failures += 1
            line = violation.line_no or 1
            origin, origin_line = origins[line - 1] if line <= len(origins) else (path, line)
            where = f"{origin.relative_to(ROOT)}:{origin_line}:{violation.line_pos}"
            via = "" if origin == path else f" (in {rel})"
            print(f"{where}: {violation.rule_code()} {violation.desc()}{via}")
    if failures:
        print(f"sqlfluff: {failures} violation(s)", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
