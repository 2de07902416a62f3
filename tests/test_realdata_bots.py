"""Robots as Matomo sees them, measured on public user-agent lists (../shared/realdata, read
in place): the share of crawler fixtures classified as robots, and of browser fixtures kept as
humans, against the targets of issue #19. The rates measured are in docs/metrics.md ("Robot")."""

from __future__ import annotations

import json

import pytest
import yaml

from etl.settings import REPO_ROOT
from etl.user_agents import classify_table

REALDATA = REPO_ROOT.parent / "shared" / "realdata"
pytestmark = pytest.mark.skipif(
    not REALDATA.is_dir(), reason="../shared/realdata is not beside this checkout"
)

CRAWLERS_FLAGGED_MIN = 0.97
BROWSERS_KEPT_MIN = 0.98


def _lines(rel: str) -> list[str]:
    return [line for line in (REALDATA / rel).read_text(encoding="utf-8").splitlines() if line]


def _matomo_fixture(name: str) -> list[str]:
    path = REALDATA / "matomo-device-detector" / "Tests" / "fixtures" / name
    return [str(e["user_agent"]) for e in yaml.safe_load(path.read_text(encoding="utf-8"))]


def _robot_share(agents: list[str]) -> float:
    # Distinct agents, as the load classifies them (one page view per agent: no behaviour).
    table = classify_table(sorted(set(agents)))
    return sum(table.column("is_bot").to_pylist()) / table.num_rows


CRAWLERS = {
    "jaybizzle crawlers.txt": lambda: _lines(
        "jaybizzle-crawler-detect/tests/data/user_agent/crawlers.txt"
    ),
    "matomo bots.yml": lambda: _matomo_fixture("bots.yml"),
}
BROWSERS = {
    "microlinkhq index.json": lambda: json.loads(
        (REALDATA / "microlinkhq-top-user-agents" / "src" / "index.json").read_text(
            encoding="utf-8"
        )
    ),
    "matomo smartphone.yml": lambda: _matomo_fixture("smartphone.yml"),
    "matomo desktop.yml": lambda: _matomo_fixture("desktop.yml"),
}


# Device Detector takes ~5 ms an agent: 3,720 crawlers are ~20 s on the 2-core machine.
@pytest.mark.slow
@pytest.mark.parametrize("name", CRAWLERS)
def test_crawler_fixtures_are_robots(name):
    agents = CRAWLERS[name]()
    assert len(agents) > 1000, name
    share = _robot_share(agents)
    assert share >= CRAWLERS_FLAGGED_MIN, f"{name}: {share:.1%} flagged as robots"


@pytest.mark.parametrize("name", BROWSERS)
def test_browser_fixtures_stay_human(name):
    agents = BROWSERS[name]()
    assert len(agents) >= 100, name
    kept = 1 - _robot_share(agents)
    assert kept >= BROWSERS_KEPT_MIN, f"{name}: {kept:.1%} kept as humans"


def test_the_reason_names_the_source_and_the_robot():
    table = classify_table(
        [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "ApacheBench/2.3",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36",
        ]
    ).to_pylist()
    assert table[0]["bot_name"] == "device-detector: Googlebot"
    assert table[1]["is_bot"] and table[1]["bot_name"]
    assert not table[2]["is_bot"] and table[2]["bot_name"] is None


# Device types as Matomo names them: on each of Matomo's device fixtures, the agents we keep as
# humans must get the device type Matomo's own tests expect (issue #19: devices from Device
# Detector, not a hand-written regex). Measured: 99.8 to 100 % (docs/metrics.md, "Appareil").
DEVICE_AGREEMENT_MIN = 0.98
DEVICE_FIXTURES_KEPT_MIN = 0.90
DEVICE_FIXTURES = (
    "desktop",
    "smartphone",
    "tablet",
    "phablet",
    "tv",
    "console",
    "wearable",
    "feature_phone",
)


@pytest.mark.slow
@pytest.mark.parametrize("name", DEVICE_FIXTURES)
def test_device_types_agree_with_matomo_fixtures(name):
    path = REALDATA / "matomo-device-detector" / "Tests" / "fixtures" / f"{name}.yml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = {
        str(e["user_agent"]): ((e.get("device") or {}).get("type") or "unknown").replace(" ", "_")
        for e in entries
    }
    rows = classify_table(sorted(expected)).to_pylist()
    humans = [r for r in rows if not r["is_bot"]]
    assert len(humans) / len(rows) >= DEVICE_FIXTURES_KEPT_MIN, (
        f"{name}: robots {len(rows) - len(humans)}"
    )
    agree = sum(r["device_type"] == expected[r["user_agent"]] for r in humans)
    assert agree / len(humans) >= DEVICE_AGREEMENT_MIN, f"{name}: {agree}/{len(humans)} agree"
