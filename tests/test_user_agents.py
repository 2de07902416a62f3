"""Device type, browser and OS of a user agent, as Matomo's Device Detector names them."""

from etl.user_agents import classify_table


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
