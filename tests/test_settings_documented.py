"""Every setting has a help line and a row in docs/settings.md (datasette's habit)."""

from dataclasses import fields

from app import delivery
from etl.settings import REPO_ROOT, Settings, range_text


def test_every_setting_is_documented():
    doc = (REPO_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f.metadata.get("help"), f.name
        assert f"| `{f.name}` |" in doc, f"{f.name} missing from docs/settings.md"


def test_environment_overrides(monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_VISIT_INACTIVITY_MINUTES", "60")
    monkeypatch.setenv("OBSERVATOIRE_VISIT_SPLIT_AT_MIDNIGHT", "false")
    settings = Settings.from_env()
    assert settings.visit_inactivity_minutes == 60
    assert settings.visit_split_at_midnight is False


def test_every_numeric_setting_has_a_range_and_the_docs_say_it():
    doc = (REPO_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = {line.split("`")[1]: line for line in doc.splitlines() if line.startswith("| `")}
    for f in fields(Settings):
        if type(f.default) in (int, float):
            low, high = f.metadata.get("range", (None, None))
            assert low is not None and low <= f.default <= high, f.name
            assert f"| {range_text(f)} |" in rows[f.name], f.name


def test_every_smtp_setting_is_documented():
    """The brief's e-mail settings (app/delivery.py): in docs/settings.md and docs/brief.md."""
    docs = [
        (REPO_ROOT / "docs" / name).read_text(encoding="utf-8")
        for name in ("settings.md", "brief.md")
    ]
    names = [f"{delivery.ENV_PREFIX}{f.name.upper()}" for f in fields(delivery.SmtpSettings)]
    for f in fields(delivery.SmtpSettings):
        assert f.metadata.get("help"), f.name
    for doc in docs:
        for name in [*names, delivery.FILE_ENV_VAR]:
            assert f"| `{name}` |" in doc, f"{name} missing"
