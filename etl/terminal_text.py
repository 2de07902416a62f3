"""Text for a terminal, shared by the ETL's commands and the brief command (app/brief.py):
what a printed line may hold, and argparse's own words in French. A leaf module: it imports
nothing from the ETL, so the app may import it without depending on the load
(tests/test_sql_runner.py)."""

from __future__ import annotations

import re

# argparse's own words (usage, errors, help), in French: it reads them through gettext,
# whose catalogue has no French here.
ARGPARSE_FR = {
    "usage: ": "usage : ",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "show this help message and exit": "afficher cette aide et quitter",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "positional arguments": "arguments",
    "options": "options",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (parmi %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "expected one argument": "une valeur est attendue",
}


# Characters a terminal acts on rather than shows: C0 and C1 controls (escape sequences,
# carriage return, backspace, new line), Unicode line separators and bidirectional overrides.
# A file name or a quoted value holding one could otherwise forge an `ATTENTION` line or
# repaint the operator's terminal.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` on one line, every character a terminal would act on written as an escape
    (`\\x1b`, `\\n`, `\\u202e`), so that what the load prints is what the files hold."""

    def escape(match: re.Match) -> str:
        char = match.group()
        code = ord(char)
        if char in "\n\r\t":
            return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[char]
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)
