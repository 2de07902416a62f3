"""Quarantine reasons stored as codes (issue #29): the French sentences of earlier loads are
mapped to a code and a detail, the warehouse's quarantine tables are migrated on the next
load, and the French labels are defined once."""

from __future__ import annotations

import duckdb
import pytest

from app import labels
from etl import reasons
from etl.load import load
from etl.settings import Settings, etl_db_path
from tests.test_etl_logs import write_raw


@pytest.mark.parametrize(
    ("sentence", "code", "detail"),
    [
        ("SIRET invalide : « 7328293200007A »", "invalid_siret", "7328293200007A"),
        ("fournisseur inconnu : P9", "unknown_supplier", "P9"),
        ("champ obligatoire manquant : commune", "missing_field", "commune"),
        (
            "date invalide : date_creation « 31/02/2020 »",
            "invalid_date",
            "date_creation : 31/02/2020",
        ),
        (
            "date dans le futur : date_inscription « 01/01/2099 »",
            "future_date",
            "date_inscription : 01/01/2099",
        ),
        ("date dans le futur", "future_date", None),
        ("date invalide (antérieure à 1990)", "date_before_1990", None),
        ("date invalide", "invalid_date", None),
        ("date invalide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)", "invalid_date", None),
        ("identifiant en double dans le fichier : P1", "duplicate_id_in_file", "P1"),
        (
            "identifiant déjà présent dans producteurs_2020-04-01.csv : P1",
            "duplicate_id",
            "producteurs_2020-04-01.csv : P1",
        ),
        ("nombre de colonnes incorrect (10 au lieu de 9)", "wrong_column_count", "10/9"),
        ("format non reconnu", "malformed_log_line", None),
        ("fichier rejeté : fichier vide", "file_rejected", "fichier vide"),
        ("fichier sans ligne lisible : fichier vide", "unreadable_file", "fichier vide"),
        (
            "gzip tronqué : fin de fichier inattendue ; lignes lisibles chargées",
            "truncated_gzip",
            None,
        ),
        # Unknown: kept whole as the detail, nothing lost.
        (
            "une phrase qu'aucune version n'a écrite",
            "legacy",
            "une phrase qu'aucune version n'a écrite",
        ),
    ],
)
def test_old_sentences_map_to_a_code_and_a_detail(sentence, code, detail):
    got = reasons.code_of_legacy(sentence)
    assert got == (code, detail)
    assert got[0] in reasons.REASON_LABELS


def test_the_labels_are_defined_once_and_shown_by_the_dashboard():
    assert labels.REJECT_REASON_LABELS is reasons.REASON_LABELS
    assert reasons.reason_text("invalid_siret", "7328") == "SIRET invalide : 7328"
    assert reasons.reason_text("malformed_log_line") == "format non reconnu"


OLD_SCHEMA = """
drop table rejected_rows;
drop table rejected_overflow;
create table rejected_rows (
    platform varchar, source varchar not null, source_file varchar not null, file_id varchar,
    line_no bigint, reason varchar not null, raw_text varchar);
create table rejected_overflow (
    platform varchar, source varchar not null, source_file varchar not null, file_id varchar,
    reason varchar not null, n_rows bigint not null);
"""


def test_a_warehouse_of_the_old_schema_is_migrated_on_its_next_load(tmp_path):
    raw = write_raw(tmp_path)
    settings = Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    con = duckdb.connect(str(etl_db_path(settings.db_path)))
    path, file_id = con.execute(
        "select path, file_id from load_files where source = 'logs' order by path limit 1"
    ).fetchone()
    # The quarantine tables as loads before the codes wrote them, French sentences inside.
    con.execute(OLD_SCHEMA)
    con.executemany(
        "insert into rejected_rows values ('produits-frais', 'logs', ?, ?, ?, ?, ?)",
        [
            (path, file_id, 900, "format non reconnu", "junk"),
            (path, file_id, 901, "date dans le futur", "[01/Jan/2099:00:00:00 +0000]"),
            (path, None, None, "fichier sans ligne lisible : fichier vide", None),
            (path, file_id, 902, "motif inconnu d'une version de test", "x"),
        ],
    )
    con.execute(
        "insert into rejected_overflow values ('produits-frais', 'logs', ?, ?, 'ligne vide', 7)",
        [path, file_id],
    )
    con.execute("delete from config_state where name = 'inputs'")
    con.close()

    report = load(settings, progress=False)
    assert not report.unchanged
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    try:
        columns = con.execute(
            "select table_name, list(column_name order by column_index) from duckdb_columns() "
            "where table_name in ('rejected_rows', 'rejected_overflow') group by 1 order by 1"
        ).fetchall()
        assert columns == [
            ("rejected_overflow", ["platform", "source", "source_file", "file_id", "reason_code", "detail", "n_rows"]),
            ("rejected_rows", ["platform", "source", "source_file", "file_id", "line_no", "reason_code", "detail", "raw_text"]),
        ]  # fmt: skip
        assert con.execute(
            "select line_no, reason_code, detail, raw_text from rejected_rows "
            "where source_file = ? order by line_no nulls first",
            [path],
        ).fetchall() == [
            (None, "unreadable_file", "fichier vide", None),
            (900, "malformed_log_line", None, "junk"),
            (901, "future_date", None, "[01/Jan/2099:00:00:00 +0000]"),
            (902, "legacy", "motif inconnu d'une version de test", "x"),
        ]
        assert con.execute(
            "select reason_code, detail, n_rows from rejected_overflow where source_file = ?",
            [path],
        ).fetchall() == [("empty_line", None, 7)]
    finally:
        con.close()
    # Migrated once: the next load finds nothing to map.
    con = duckdb.connect(str(etl_db_path(settings.db_path)))
    try:
        assert reasons.migrate(con) is False
    finally:
        con.close()
