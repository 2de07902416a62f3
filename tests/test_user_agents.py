"""Device type, browser and OS of a user agent, as Matomo's Device Detector names them."""

from contextlib import contextmanager
from pathlib import Path

import pytest

from etl import user_agents
from etl.user_agents import classify_table
from tests.test_etl_logs import CHROME, FIREFOX, GOOGLEBOT, line
from tests.test_log_operations import _load, _rows


def test_desktop_os_without_a_named_device_is_a_desktop_as_in_matomo():
    # Device Detector's Python port names no device for Chrome on Linux; Matomo's rule (a
    # desktop OS family is a desktop) must give one, and a phone OS must not become a desktop.
    rows = classify_table(
        [
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/81.0.4044.138 Safari/537.36",
            "Mozilla/5.0 (Linux; Android 10; SM-G973F) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/81.0.4044.117 Mobile Safari/537.36",
            "Mozilla/5.0 (iPad; CPU OS 13_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/13.1 Mobile/15E148 Safari/604.1",
        ]
    ).to_pylist()
    assert [r["device_type"] for r in rows] == ["desktop", "smartphone", "tablet"]
    assert [(r["browser"], r["os"]) for r in rows] == [
        ("Chrome", "GNU/Linux"),
        ("Chrome Mobile", "Android"),
        ("Mobile Safari", "iPadOS"),
    ]


AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/81.0.4044.138 Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/7.68.0",
    None,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 13_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/13.1 Mobile/15E148 Safari/604.1",
    "python-requests/2.23.0",
]


@contextmanager
def _classifier(monkeypatch, background_from: int):
    monkeypatch.setattr(user_agents, "BACKGROUND_FROM", background_from)
    classifier = user_agents.AgentClassifier()
    try:
        yield classifier
    finally:
        classifier.close()


@pytest.mark.parametrize("background_from", [1, 1000])
def test_agents_classified_ahead_are_those_of_the_table(monkeypatch, background_from):
    # In the background processes (from one agent) or in the load's own (under the
    # threshold): the same rows as `classify_table`, in the order asked, duplicates included,
    # whether handed over before (`submit`) or only when asked.
    with _classifier(monkeypatch, background_from) as classifier:
        classifier.submit(AGENTS[:3])
        asked = [AGENTS[2], *AGENTS, AGENTS[0]]
        assert classifier.table(asked).to_pylist() == classify_table(asked).to_pylist()
        assert classifier.table([]).num_rows == 0


def test_the_process_stops_once_idle_and_starts_again_for_a_large_batch(monkeypatch):
    # Its compiled regexes weigh 160 MB: it must not outlive its work beside the load.
    with _classifier(monkeypatch, 2) as classifier:
        classifier.submit(AGENTS[:3])
        assert classifier.running
        classifier.table(AGENTS[:3])
        classifier.release_if_idle()
        assert not classifier.running
        assert classifier.table(AGENTS[:4]).to_pylist() == classify_table(AGENTS[:4]).to_pylist()
        assert not classifier.running  # one new agent: classified here
        classifier.submit(AGENTS[4:])
        assert classifier.running
        assert classifier.table(AGENTS).to_pylist() == classify_table(AGENTS).to_pylist()


def test_a_failure_in_the_background_reaches_the_load(monkeypatch):
    with _classifier(monkeypatch, 1) as classifier:
        classifier.submit([b"not a string"])  # Device Detector fails on bytes
        with pytest.raises(TypeError):
            classifier.table([b"not a string"])


def test_a_load_classifies_the_same_in_the_background(monkeypatch, tmp_path):
    # The load hands each slice's new agents over as it stages them (etl/log_load.py); one
    # agent holds an echoed address, which the hits store masked: the agents and the hits'
    # verdicts must be those of a load that classifies them all in its own process.
    echoed = f"{FIREFOX} client/90.9.9.9"
    lines = [
        line(f"90.1.1.{n}", f"01/Apr/2020:10:{n:02d}:00 +0200", "GET / HTTP/1.1", agent=agent)
        for n, agent in enumerate([CHROME, FIREFOX, GOOGLEBOT, echoed, "curl/7.68.0"])
    ]

    def loaded(background_from: int, folder: Path):
        monkeypatch.setattr(user_agents, "BACKGROUND_FROM", background_from)
        settings, report, _ = _load(folder, {"access.log": lines})
        assert report.errors == []
        return [
            _rows(settings, "select * from user_agents order by user_agent"),
            _rows(
                settings,
                "select line_no, user_agent, is_bot, exclusion_reason from hits order by line_no",
            ),
        ]

    background = loaded(1, tmp_path / "background")
    assert background == loaded(1000, tmp_path / "inline")
    assert len(background[0]) == 5
    assert not any("90.9.9.9" in row[0] for row in background[0])
