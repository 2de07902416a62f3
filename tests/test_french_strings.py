"""No French text shown to users outside `app/labels.py` (issue #16).

Every `.py` file under `app/` and `app_pages/`, and `dashboard.py`, is parsed with `ast`; each string
constant (f-string parts included) that looks like French prose is reported with its place.
Docstrings, English error messages of `raise`, CSS/HTML/JS blobs and SQL text are not looked at.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "app" / "labels.py"

# Files whose strings are not checked, each with its reason.
ALLOWED_FILES = {
    # Translation table of Streamlit's own English interface (English key -> French), drawn
    # as a script by dashboard.py; keys must match Streamlit's strings, see its docstring.
    "app/french_ui.py": "Streamlit's interface strings translated, next to their script",
}
# Exact strings allowed anywhere, each with its reason.
ALLOWED_STRINGS = {
    ",\u202f": "Plotly number separators (decimal comma, narrow no-break space), not a text",
    ",\u00a0": "the report charts' Plotly separators (decimal comma, no-break space), not a text",
    "Source Sans, Source Sans Pro, Arial, sans-serif": "a CSS font stack ('Sans' is no word)",
    "Œ": "slugify() spells the ligature out for file names",
    "œ": "slugify() spells the ligature out for file names",
}

ACCENTED = re.compile("[àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»\u00a0\u202f]")
FUNCTION_WORDS = [
    "le",
    "la",
    "les",
    "des",
    "du",
    "de",
    "un",
    "une",
    "et",
    "en",
    "pour",
    "par",
    "sur",
    "avec",
    "sans",
    "au",
    "aux",
    "est",
    "sont",
    "ce",
    "cette",
    "ces",
    "qui",
    "que",
    "dans",
    "plus",
    "aucun",
    "aucune",
    "soit",
]
# Whole words: "sans-serif" holds no French "sans".
FRENCH_WORD = re.compile(r"(?<![\w-])(?:" + "|".join(FUNCTION_WORDS) + r")(?![\w-])", re.I)
WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)+")
CSS_RULE = re.compile(r"\{[^{}]*:[^{}]*;[^{}]*\}")
TAG = re.compile(r"<[^<>]*>")
SQL = re.compile(r"^\s*(SELECT|WITH|INSERT|CREATE|UPDATE|DELETE|FROM|ATTACH|COPY)\b", re.I)


def looks_french(text: str) -> bool:
    """Whether a string constant looks like French prose a user would read."""
    if CSS_RULE.search(text):  # CSS or JS: a `{ name: value; }` block
        return False
    text = TAG.sub(" ", text)  # HTML tags go, the text between them stays
    stripped = text.strip()
    if not stripped or SQL.match(stripped):
        return False
    if ACCENTED.search(text):
        return True
    return bool(WORDS.search(text) and FRENCH_WORD.search(text))


def _docstring_ids(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _raised_ids(tree: ast.AST) -> set[int]:
    """Strings inside `raise SomethingError(...)`: English messages for developers."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            ids.update(id(sub) for sub in ast.walk(node.exc))
    return ids


def french_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string constant of `source` that looks like French prose."""
    tree = ast.parse(source)
    skipped = _docstring_ids(tree) | _raised_ids(tree)
    found = []
    for node in ast.walk(tree):
        # An f-string is also read whole, each value standing as a word: f"{a} sur {b}".
        if isinstance(node, ast.JoinedStr) and id(node) not in skipped:
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "X" for part in node.values
            )
            if text not in ALLOWED_STRINGS and looks_french(text):
                found.append((node.lineno, text))
                skipped.update(id(part) for part in node.values)
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
            and node.value not in ALLOWED_STRINGS
            and looks_french(node.value)
        ):
            found.append((node.lineno, node.value))
    return sorted(found)


def checked_files() -> list[Path]:
    files = [*sorted((ROOT / "app").rglob("*.py")), *sorted((ROOT / "app_pages").rglob("*.py"))]
    files.append(ROOT / "dashboard.py")
    return [f for f in files if f != LABELS and f.relative_to(ROOT).as_posix() not in ALLOWED_FILES]


def test_no_french_string_outside_labels():
    strays = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in checked_files()
        for line, text in french_strings(path.read_text(encoding="utf-8"))
    ]
    assert not strays, "French text outside app/labels.py:\n" + "\n".join(strays)


def test_checker_finds_a_planted_label():
    source = 'import streamlit as st\nst.caption("Aucune donnée pour cette période")\n'
    assert french_strings(source) == [(2, "Aucune donnée pour cette période")]
    assert french_strings('x = f"{n} lignes pour la période {p}"\n')
    assert french_strings('st.caption("Voir la carte")\n')
    assert french_strings('subtitle = f"{subtitle} · au {end}"\n')
    assert french_strings('value = f"{fr_int(n)} sur {fr_int(total)}"\n')
    # Format fields, a colon and a semicolon do not make a text CSS.
    assert french_strings('note = "Du {start} au {end} : données partielles ; voir plus bas."\n')


def test_checker_leaves_english_css_and_sql_alone():
    source = '''
"""Module docstring with une donnée."""
import streamlit as st

CSS = "<style>.note { color: grey; }</style>"
STYLE = "div.x { margin: 0; padding: 1rem; }"
SQL = "SELECT count(*) AS visits FROM visits WHERE day BETWEEN $start AND $end"
st.caption(labels.NO_DATA)
name = "visits_by_day"
title = "Visits per day for the chosen period"
FONT = "Source Sans, Source Sans Pro, Arial, sans-serif"
label = f"{name} ({code})"


def f():
    """Renvoie les données."""
    raise ValueError("unknown platform code in the page address")
'''
    assert french_strings(source) == []
