"""Every setting has a help line and a row in docs/settings.md (datasette's habit)."""

from dataclasses import fields

from etl.settings import REPO_ROOT, Settings


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
