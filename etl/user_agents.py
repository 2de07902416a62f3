"""Classification of distinct user agents: robot or not, device type, browser, OS.

Robots are recognised as Matomo recognises them, with `device-detector` (the Python port of
Matomo's Device Detector: its bot list), with the community crawler list of the
`crawler-user-agents` package as a second opinion, ua-parser's `Spider` device, and the
project's rules for what is no browser: an HTTP library or a client Device Detector cannot
name (a browser always has a known client; `Mozilla/…` agents excepted, old browsers), and
robot signs in the agent (`bot`, `crawl`, a URL or an e-mail address, link-preview and
monitoring tools). A robot if any says so; `bot_name` keeps which source said it and the
name it gave (`device-detector: Googlebot`), see docs/metrics.md ("Robot") for the rates on
public crawler and browser lists. Browser, OS and device type come from Device Detector too,
with Matomo's own rule where it names no device: a desktop OS family means a desktop. All
run once per *distinct* user agent (a few thousand strings even for millions of
hits), cached in the `user_agents` table; `CLASSIFIER_VERSION` re-derives the cache.
"""

from __future__ import annotations

import re
from functools import lru_cache

import crawleruseragents
import pyarrow as pa
from device_detector import DeviceDetector
from device_detector.parser.settings import DESKTOP_OS
from ua_parser import parse as parse_user_agent

# Bump when the classification changes: the next load classifies every cached agent again
# and re-derives the hits and visits of the days whose robots changed (etl/log_load.py).
# 1: crawler-user-agents + ua-parser; 2: device-detector (Matomo) first, project rules;
# 3: device type, browser and OS from device-detector (Matomo's device types).
CLASSIFIER_VERSION = "3"

# Where a robot verdict comes from, prefixed to `bot_name`.
SOURCE_DEVICE_DETECTOR = "device-detector"
SOURCE_CRAWLER_LIST = "crawler-user-agents"
SOURCE_UA_PARSER = "ua-parser"
SOURCE_PROJECT = "règle du projet"

# Robot signs no browser carries: robot words, a URL or e-mail address (crawlers sign with
# them), HTTP libraries, and the link-preview, monitoring and screenshot tools that fetch a
# page without a person (Office's link checks, Neustar, WebPageTest's PTST, wkhtmltopdf).
_ROBOT_SIGNS = re.compile(
    r"(?<![a-z])bot|bot(?![a-z])|crawl|spider|scrap|https?://|www\.|[\w.-]+@[\w-]+\.[a-z]{2,}"
    r"|headless|monitor|checker|fetch|preview|validator|scan|archiv|index|analy[sz]|seo\b"
    r"|link(?!s\b|s/)|feed|rss|extract|http[ _-]?client|python|java/|curl|wget|perl|ruby|php"
    r"|go-http|okhttp|node|axios|Microsoft Office (?:Word|Excel|PowerPoint) 20\d\d"
    r"|Microsoft Office Existence|\) (?:Word|Excel|PowerPoint)/|WebDAV|Neustar WPM|PTST"
    r"|Yandex\.Translate|Google-|Google (?:Keyword|PP)|wkhtml|webkit2png|web-?capture"
    r"|screenshot|snapshot|survey",
    re.IGNORECASE,
)
# `Mozilla/5.0 (compatible; Name/1.0)` and nothing else: a robot's disguise (browsers that
# say `compatible` name MSIE and an OS).
_COMPATIBLE_ONLY = re.compile(r"^Mozilla/\d\.\d+ \(compatible; (?!MSIE)[^;()]+\)$")

# Stored codes: Matomo's device types (device-detector's DeviceType values, spaces as
# underscores), `unknown` when it names none, `other` for robots. French labels in
# app/labels.py (DEVICE_LABELS).
DEVICE_DESKTOP = "desktop"
DEVICE_UNKNOWN = "unknown"
DEVICE_OTHER = "other"
DEVICE_TYPES = (
    "desktop",
    "smartphone",
    "tablet",
    "phablet",
    "feature_phone",
    "console",
    "tv",
    "car_browser",
    "smart_display",
    "camera",
    "portable_media_player",
    "smart_speaker",
    "wearable",
    "peripheral",
)
UNKNOWN_NAME = "unknown"  # stored code, shown « Inconnu » (app/labels.py)


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


def robot_reason(
    user_agent: str, detected: DeviceDetector | None = None, device_family: str | None = None
) -> str | None:
    """`source: name` of the first source that calls the agent a robot, or None: Matomo's
    Device Detector, the crawler list, ua-parser's Spider, then the project's rules."""
    if detected is None:
        detected = DeviceDetector(user_agent, skip_device_detection=True).parse()
    if detected.is_bot():
        name = (detected.all_details.get("bot") or {}).get("name") or "robot"
        return f"{SOURCE_DEVICE_DETECTOR}: {name}"
    listed = crawler_name(user_agent)
    if listed:
        return f"{SOURCE_CRAWLER_LIST}: {listed}"
    if device_family is None:
        parsed = parse_user_agent(user_agent)
        device_family = parsed.device.family if parsed.device else ""
    if device_family == "Spider":
        return f"{SOURCE_UA_PARSER}: Spider"
    client_type = str(detected.client_type()) if detected.client else ""
    if client_type == "library":
        return f"{SOURCE_PROJECT}: bibliothèque {detected.client_name()}"
    sign = _ROBOT_SIGNS.search(user_agent)
    if sign:
        return f"{SOURCE_PROJECT}: {sign.group(0)}"
    if _COMPATIBLE_ONLY.search(user_agent):
        return f"{SOURCE_PROJECT}: compatible"
    # Device Detector names no client (or only a name/version pair): not a browser. Agents
    # starting `Mozilla/` are spared, for browsers too old for its lists (Netscape on IRIX).
    # Nor is a device its parser names by brand (a TV, a watch, a feature phone's browser).
    device = detected.all_details.get("device") or {}
    named_device = bool(device.get("brand")) and device.get("type") not in ("", "desktop", None)
    if (
        client_type in ("", "generic")
        and not user_agent.startswith("Mozilla/")
        and not named_device
    ):
        return f"{SOURCE_PROJECT}: client inconnu"
    return None


def device_type(detected: DeviceDetector) -> str:
    """Matomo's device type of a parsed agent. Where Device Detector names none, Matomo counts
    an agent on a desktop OS family (Windows, Mac, GNU/Linux, Chrome OS…) as a desktop, unless
    its browser exists only on mobiles; so do we. Otherwise `unknown`."""
    detected_type = str(getattr(detected.device_type(), "value", detected.device_type()))
    if detected_type:
        code = detected_type.replace(" ", "_")
        return code if code in DEVICE_TYPES else DEVICE_UNKNOWN
    os_family = (detected.all_details.get("os") or {}).get("family") or ""
    if os_family in DESKTOP_OS and not detected.uses_mobile_browser():
        return DEVICE_DESKTOP
    return DEVICE_UNKNOWN


def classify(user_agent: str | None) -> dict:
    if not user_agent:
        return {
            "user_agent": user_agent,
            "is_bot": True,
            "bot_name": crawler_name(user_agent),
            "browser": UNKNOWN_NAME,
            "os": UNKNOWN_NAME,
            "device_type": DEVICE_OTHER,
        }
    detected = DeviceDetector(user_agent).parse()
    bot = robot_reason(user_agent, detected)
    return {
        "user_agent": user_agent,
        "is_bot": bot is not None,
        "bot_name": bot,
        "browser": detected.client_name() or UNKNOWN_NAME,
        "os": detected.os_name() or UNKNOWN_NAME,
        "device_type": DEVICE_OTHER if bot else device_type(detected),
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
