"""Classification of distinct user agents: robot or not, device type, browser, OS.

Robots are recognised with the crawler list of the `crawler-user-agents` package (the
community-maintained monperrus list), not a hand-written regex list. Browser, OS and device
come from `ua-parser` (the uap-core rules). Both run once per *distinct* user agent, which
is a few thousand strings even for millions of hits.
"""

from __future__ import annotations

import re
from functools import lru_cache

import crawleruseragents
import pyarrow as pa
from ua_parser import parse as parse_user_agent

# Stored codes; the French labels are in app/labels.py (DEVICE_LABELS).
DEVICE_DESKTOP = "desktop"
DEVICE_MOBILE = "mobile"
DEVICE_TABLET = "tablet"
DEVICE_OTHER = "other"

_DESKTOP_OS = {
    "Windows",
    "Mac OS X",
    "Linux",
    "Ubuntu",
    "Chrome OS",
    "Fedora",
    "Debian",
    "FreeBSD",
    "OpenBSD",
}
_MOBILE_OS = {"Android", "iOS", "Windows Phone", "BlackBerry OS", "KaiOS", "Firefox OS"}
_TABLET_HINT = re.compile(r"iPad|Tablet|Kindle|Silk|SM-T\d|Nexus (7|9|10)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _crawler_regex() -> re.Pattern:
    patterns = [entry["pattern"] for entry in crawleruseragents.CRAWLER_USER_AGENTS_DATA]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def crawler_name(user_agent: str | None) -> str | None:
    """The crawler-list pattern the agent matches, or None for a browser."""
    if not user_agent:
        return "user agent absent"
    match = _crawler_regex().search(user_agent)
    return match.group(0) if match else None


def classify(user_agent: str | None) -> dict:
    bot = crawler_name(user_agent)
    if not user_agent:
        return {
            "user_agent": user_agent,
            "is_bot": True,
            "bot_name": bot,
            "browser": "Inconnu",
            "os": "Inconnu",
            "device_type": DEVICE_OTHER,
        }
    parsed = parse_user_agent(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent else "Inconnu"
    os_family = parsed.os.family if parsed.os else "Inconnu"
    device_family = parsed.device.family if parsed.device else ""
    if bot or device_family == "Spider":
        device = DEVICE_OTHER
    elif _TABLET_HINT.search(user_agent) or (os_family == "Android" and "Mobile" not in user_agent):
        device = DEVICE_TABLET
    elif os_family in _MOBILE_OS:
        device = DEVICE_MOBILE
    elif os_family in _DESKTOP_OS:
        device = DEVICE_DESKTOP
    else:
        device = DEVICE_OTHER
    return {
        "user_agent": user_agent,
        "is_bot": bot is not None or device_family == "Spider",
        "bot_name": bot or ("Spider" if device_family == "Spider" else None),
        "browser": browser if browser != "Other" else "Autre",
        "os": os_family if os_family != "Other" else "Autre",
        "device_type": device,
    }


def classify_table(user_agents: list[str | None]) -> pa.Table:
    rows = [classify(ua) for ua in user_agents]
    return pa.Table.from_pylist(
        rows,
        schema=pa.schema(
            [
                ("user_agent", pa.string()),
                ("is_bot", pa.bool_()),
                ("bot_name", pa.string()),
                ("browser", pa.string()),
                ("os", pa.string()),
                ("device_type", pa.string()),
            ]
        ),
    )
