"""Every numeric setting is checked against its type and range before a load touches anything
(issue #28): a `nan` purge share purged 100 %, an inactivity of 0 or -30 minutes multiplied
visits, a robot threshold of 0 made every visitor a robot, a retention beyond DuckDB's dates
ended in « ERREUR INTERNE ». Each is refused with exit 2 and a French message naming the
variable, the value as written and the allowed range."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from etl.load import LoadError, load
from etl.settings import REPO_ROOT, Settings, SettingsError
from tests.bounds import CLI_TIMEOUT_S
from tests.test_etl_logs import CURRENT_LOG

NUMERIC = [f for f in fields(Settings) if type(f.default) in (int, float)]
# Settings where 0 means something: refuse every purge or catalogue drop, always load on a copy.
ZERO_ALLOWED = {"retention_max_purge_share", "catalogue_max_drop_share", "load_in_place_max_mb"}
HOSTILE = ["nan", "NaN", "inf", "-inf", "0", "-30", "1e400", "99999999999999999999", "douze", ""]


def test_the_numeric_settings_are_those_the_table_expects():
    assert {f.name for f in NUMERIC if f.metadata["range"][0] == 0} == ZERO_ALLOWED
    assert len(NUMERIC) == 9


@pytest.mark.parametrize(
    ("name", "value"),
    [(f.name, value) for f in NUMERIC for value in HOSTILE],
)
def test_a_hostile_value_of_a_numeric_setting_is_refused_naming_it(monkeypatch, name, value):
    monkeypatch.setenv(f"OBSERVATOIRE_{name.upper()}", value)
    if value == "0" and name in ZERO_ALLOWED:
        assert getattr(Settings.from_env(), name) == 0
        return
    with pytest.raises(SettingsError) as refused:
        Settings.from_env()
    message = str(refused.value)
    assert message.startswith(f"réglage invalide : OBSERVATOIRE_{name.upper()}=« {value} » (")
    assert " attendu, défaut " in message and "docs/settings.md" in message


@pytest.mark.parametrize("field", NUMERIC, ids=lambda f: f.name)
def test_direct_values_are_checked_and_the_bounds_accepted(field):
    low, high = field.metadata["range"]
    assert getattr(Settings(**{field.name: low}), field.name) == low
    assert getattr(Settings(**{field.name: high}), field.name) == high
    for bad in (float("nan"), float("inf"), low - 1, high + 1, True, "3"):
        with pytest.raises(SettingsError, match=f"OBSERVATOIRE_{field.name.upper()}="):
            Settings(**{field.name: bad})


def test_the_message_says_the_range_in_french():
    with pytest.raises(SettingsError) as refused:
        Settings(visit_inactivity_minutes=0)
    assert str(refused.value) == (
        "réglage invalide : OBSERVATOIRE_VISIT_INACTIVITY_MINUTES=« 0 » (nombre entier de 1 à "
        "1\u202f440 attendu, défaut 30 ; docs/settings.md)"
    )
    with pytest.raises(SettingsError) as refused:
        Settings(retention_max_purge_share=float("nan"))
    assert "« nan » (nombre de 0 à 1 attendu, défaut 0,1" in str(refused.value)


def test_a_yes_no_setting_refuses_what_is_neither(monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_VISIT_SPLIT_AT_MIDNIGHT", "non")
    assert Settings.from_env().visit_split_at_midnight is False
    monkeypatch.setenv("OBSERVATOIRE_VISIT_SPLIT_AT_MIDNIGHT", "peut-être")
    with pytest.raises(SettingsError, match="oui ou non attendu"):
        Settings.from_env()


def test_the_load_checks_its_settings_before_touching_anything(tmp_path):
    settings = Settings(raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb")
    object.__setattr__(settings, "retention_max_purge_share", float("nan"))  # past __post_init__
    with pytest.raises(LoadError, match="OBSERVATOIRE_RETENTION_MAX_PURGE_SHARE=« nan »"):
        load(settings, progress=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("OBSERVATOIRE_RETENTION_MAX_PURGE_SHARE", "nan"),
        ("OBSERVATOIRE_VISIT_INACTIVITY_MINUTES", "-30"),
        ("OBSERVATOIRE_BOT_MAX_REQUESTS_PER_MINUTE", "0"),
        ("OBSERVATOIRE_RETENTION_MONTHS", "99999999999"),
    ],
)
def test_the_command_refuses_a_hostile_setting_with_exit_2(tmp_path, variable, value):
    logs = tmp_path / "raw" / "produits-frais" / "logs"
    logs.mkdir(parents=True)
    (logs / "access.log.1").write_text("\n".join(CURRENT_LOG) + "\n")
    db = tmp_path / "w.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", "--quiet", "--raw", str(tmp_path / "raw")]
        + ["--db", str(db)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, variable: value, "OBSERVATOIRE_STATE_DIR": str(tmp_path / "state")},
        timeout=CLI_TIMEOUT_S,
    )
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stderr.startswith(f"ERREUR : réglage invalide : {variable}=« {value} » (")
    assert "Traceback" not in done.stderr and "INTERNE" not in done.stderr
    assert not Path(db).exists() and not (tmp_path / "state").exists()
