"""Quarantine reasons: the stable code each producer stores (`rejected_rows.reason_code`,
`rejected_overflow.reason_code`), its French label, and the migration of the French
sentences earlier loads stored.

A reason is a code plus, in `detail`, the value or the field it quotes (NULL when none): two
bad SIRETs are one code with two details, so that counts group by code. The labels are
defined here once: the load's summary prints them, and `app/labels.py` re-exports them for
the dashboard.
"""

from __future__ import annotations

import re

import pyarrow as pa

# Code → French label: a module of constants the dashboard imports too (app/labels.py).
from etl.reason_labels import REASON_LABELS
from etl.scripts import run_script

# A quarantined row as the readers hand it to SQL (CSV exports, annotations): the columns of
# `rejected_rows` (etl/sql/00_schema.sql) but the file's id, which SQL adds.
REJECTED_ROW_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("source", pa.string()),
        ("source_file", pa.string()),
        ("line_no", pa.int64()),
        ("reason_code", pa.string()),
        ("detail", pa.string()),
        ("raw_text", pa.string()),
    ]
)


def reason_text(code: str, detail: str | None = None) -> str:
    """The French reason as the load prints it: `SIRET invalide : 7328…`."""
    label = REASON_LABELS.get(code, code)
    return label if detail is None else f"{label} : {detail}"


# The French sentences of earlier loads → (code, detail template). Tried in order, matched
# whole; the first that matches wins (`date dans le futur : …` before `date dans le futur`).
_FIELD_VALUE = r"(\w+) « (.*) »"
LEGACY_REASONS: list[tuple[str, str, str | None]] = [
    (r"fichier rejeté : (.*)", "file_rejected", r"\1"),
    (r"guillemet non fermé", "unclosed_quote", None),
    (r"encodage invalide sur cette ligne.*", "invalid_encoding", None),
    (r"caractère nul \(octet 0\) dans la ligne", "nul_character", None),
    (r"champ trop long \((.*)\)", "field_too_long", r"\1"),
    (r"ligne illisible \(format CSV non reconnu\)", "unreadable_csv_line", None),
    (r"nombre de colonnes incorrect \((\d+) au lieu de (\d+)\)", "wrong_column_count", r"\1/\2"),
    (r"champ obligatoire manquant : (\w+)", "missing_field", r"\1"),
    (r"année sur deux chiffres : " + _FIELD_VALUE, "two_digit_year", r"\1 : \2"),
    (r"date invalide : " + _FIELD_VALUE, "invalid_date", r"\1 : \2"),
    (r"date hors plage plausible : " + _FIELD_VALUE, "implausible_date", r"\1 : \2"),
    (r"date dans le futur : " + _FIELD_VALUE, "future_date", r"\1 : \2"),
    (r"type de fournisseur inconnu : « (.*) »", "unknown_supplier_kind", r"\1"),
    (r"SIRET invalide : « (.*) »", "invalid_siret", r"\1"),
    (r"code postal invalide : « (.*) »", "invalid_postal_code", r"\1"),
    (r"statut inconnu : « (.*) »", "unknown_status", r"\1"),
    (r"prix invalide : « (.*) »", "invalid_price", r"\1"),
    (r"prix négatif : « (.*) »", "negative_price", r"\1"),
    (r"capacité invalide : « (.*) »", "invalid_capacity", r"\1"),
    (r"capacité négative : « (.*) »", "negative_capacity", r"\1"),
    (r"fournisseur inconnu : (.*)", "unknown_supplier", r"\1"),
    (r"identifiant en double dans le fichier : (.*)", "duplicate_id_in_file", r"\1"),
    (r"identifiant déjà présent dans (.*?) : (.*)", "duplicate_id", r"\1 : \2"),
    (r"ligne vide", "empty_line", None),
    (r"ligne trop longue", "line_too_long", None),
    (r"format non reconnu", "malformed_log_line", None),
    (r"date dans le futur", "future_date", None),
    (r"date invalide \(antérieure à 1990\)", "date_before_1990", None),
    (r"date invalide", "invalid_date", None),
    (r"fichier sans ligne lisible : (.*)", "unreadable_file", r"\1"),
    (r"fichier refusé : (.*)", "file_refused", r"\1"),
    (r"gzip tronqué.* ; lignes lisibles chargées", "truncated_gzip", None),
    (r"gzip corrompu.* ; lignes lisibles chargées", "corrupt_gzip", None),
    (r"(.*) ; lignes lisibles chargées", "read_interrupted", r"\1"),
    (r"date manquante", "missing_date", None),
    (r"date invalide \(attendu .*\)", "invalid_date", None),
    (r"plateforme inconnue \(.*\)", "unknown_platform", None),
    (r"libellé vide", "empty_label", None),
    (r"libellé commençant par .*", "formula_label", None),
]
_LEGACY = [
    (re.compile(pattern, re.DOTALL), code, detail) for pattern, code, detail in LEGACY_REASONS
]


def code_of_legacy(reason: str) -> tuple[str, str | None]:
    """(code, detail) of a French sentence an earlier load stored; `legacy` with the sentence
    as detail when no rule knows it, so that nothing is lost."""
    for pattern, code, detail in _LEGACY:
        match = pattern.fullmatch(reason)
        if match:
            return code, match.expand(detail) if detail else None
    return "legacy", reason


def migrate(con) -> bool:
    """Give a warehouse whose quarantine tables still store `reason` sentences the columns
    `reason_code` and `detail` (etl/sql/00_schema.sql), mapped by `code_of_legacy`, and drop
    `reason`. Run after 00_schema.sql on every load; a no-op once migrated. True if it ran."""
    tables = [
        table
        for (table,) in con.execute(
            """select table_name from duckdb_columns()
               where not internal and schema_name = 'main' and column_name = 'reason'
                 and table_name in ('rejected_rows', 'rejected_overflow')"""
        ).fetchall()
    ]
    if not tables:
        return False
    reasons = {
        reason
        for table in tables
        for (reason,) in con.execute(f"select distinct reason from {table}").fetchall()
    }
    mapped = [(reason, *code_of_legacy(reason)) for reason in sorted(reasons)]
    con.register(
        "v_legacy_reasons",
        pa.table(
            {
                "reason": [m[0] for m in mapped],
                "reason_code": [m[1] for m in mapped],
                "detail": [m[2] for m in mapped],
            },
            schema=pa.schema(
                [("reason", pa.string()), ("reason_code", pa.string()), ("detail", pa.string())]
            ),
        ),
    )
    # The old tables step aside, the schema creates the new ones, and the rows move across.
    for table in tables:
        con.execute(f"alter table {table} rename to {table}_legacy")
    run_script(con, "00_schema.sql")
    for table in tables:
        columns = [
            name
            for (name,) in con.execute(
                "select column_name from duckdb_columns() where table_name = ? "
                "and schema_name = 'main' order by column_index",
                [table],
            ).fetchall()
        ]
        picked = ", ".join(
            f"m.{c}" if c in ("reason_code", "detail") else f"o.{c}" for c in columns
        )
        con.execute(
            f"""insert into {table} ({", ".join(columns)})
                select {picked} from {table}_legacy as o
                join v_legacy_reasons as m using (reason)"""
        )
        con.execute(f"drop table {table}_legacy")
    con.unregister("v_legacy_reasons")
    return True
