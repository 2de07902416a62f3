"""User agents and client addresses of the demo traffic.

Browsers: a pool of a few hundred user-agent strings as 2020 browsers sent them (Chrome,
Firefox, Edge, Safari macOS/iOS, Samsung Internet, Facebook in-app browser), each with the day
its version shipped so that a version only shows up once released and fades out afterwards.

Crawlers: real user-agent strings taken from the `instances` of the `crawler-user-agents`
package (the list the ETL also uses to tell robots), with the address ranges they crawl from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

DESKTOP, MOBILE, TABLET = 0, 1, 2

# Chrome stable builds of 2020 with their release dates (desktop and Android share them).
CHROME_BUILDS = [
    ("80.0.3987.132", "2020-03-03"),
    ("80.0.3987.149", "2020-03-18"),
    ("80.0.3987.162", "2020-03-31"),
    ("81.0.4044.92", "2020-04-07"),
    ("81.0.4044.113", "2020-04-15"),
    ("81.0.4044.122", "2020-04-21"),
    ("81.0.4044.129", "2020-04-27"),
    ("81.0.4044.138", "2020-05-05"),
    ("83.0.4103.61", "2020-05-19"),
    ("83.0.4103.97", "2020-06-03"),
    ("83.0.4103.106", "2020-06-15"),
    ("83.0.4103.116", "2020-06-22"),
    ("84.0.4147.89", "2020-07-14"),
    ("84.0.4147.105", "2020-07-27"),
    ("84.0.4147.125", "2020-08-10"),
    ("84.0.4147.135", "2020-08-18"),
    ("85.0.4183.83", "2020-08-25"),
    ("85.0.4183.102", "2020-09-08"),
    ("85.0.4183.121", "2020-09-21"),
    ("86.0.4240.75", "2020-10-06"),
    ("86.0.4240.111", "2020-10-20"),
    ("86.0.4240.183", "2020-11-02"),
    ("86.0.4240.198", "2020-11-11"),
    ("87.0.4280.66", "2020-11-17"),
    ("87.0.4280.88", "2020-12-02"),
]
EDGE_BUILDS = {  # Chromium major -> Edge build
    "80": "80.0.361.69",
    "81": "81.0.416.68",
    "83": "83.0.478.58",
    "84": "84.0.522.63",
    "85": "85.0.564.63",
    "86": "86.0.622.69",
    "87": "87.0.664.66",
}
FIREFOX_RELEASES = [
    ("74", "2020-03-10"),
    ("75", "2020-04-07"),
    ("76", "2020-05-05"),
    ("77", "2020-06-02"),
    ("78", "2020-06-30"),
    ("79", "2020-07-28"),
    ("80", "2020-08-25"),
    ("81", "2020-09-22"),
    ("82", "2020-10-20"),
    ("83", "2020-11-17"),
    ("84", "2020-12-15"),
]
# (iOS version as in the UA, Safari "Version/", release date)
IOS_RELEASES = [
    ("13_3_1", "13.0.5", "2020-01-28"),
    ("13_4", "13.1", "2020-03-24"),
    ("13_4_1", "13.1", "2020-04-07"),
    ("13_5", "13.1.1", "2020-05-20"),
    ("13_5_1", "13.1.1", "2020-06-01"),
    ("13_6", "13.1.2", "2020-07-15"),
    ("13_7", "13.1.2", "2020-09-01"),
    ("14_0", "14.0", "2020-09-16"),
    ("14_0_1", "14.0", "2020-09-24"),
    ("14_1", "14.0", "2020-10-20"),
    ("14_2", "14.0.1", "2020-11-05"),
    ("14_3", "14.0.2", "2020-12-14"),
]
MAC_SAFARI = [
    ("10_15_3", "13.0.5", "2020-01-28"),
    ("10_15_4", "13.1", "2020-03-24"),
    ("10_15_5", "13.1.1", "2020-05-26"),
    ("10_15_6", "13.1.2", "2020-07-15"),
    ("10_15_6", "14.0", "2020-09-16"),
    ("10_15_7", "14.0", "2020-09-24"),
    ("10_15_7", "14.0.1", "2020-11-12"),
    ("10_14_6", "13.1.2", "2020-07-15"),
]
ANDROID_PHONES = [
    ("10", "SM-G973F", 8),
    ("10", "SM-G975F", 4),
    ("10", "SM-G970F", 3),
    ("10", "SM-A505F", 8),
    ("10", "SM-A515F", 6),
    ("10", "SM-A405FN", 5),
    ("10", "SM-N975F", 2),
    ("10", "SM-G960F", 5),
    ("10", "SM-G965F", 3),
    ("10", "SM-A715F", 3),
    ("10", "Pixel 3a", 2),
    ("10", "Pixel 4", 1),
    ("10", "ONEPLUS A6013", 2),
    ("10", "Redmi Note 8 Pro", 4),
    ("10", "Redmi Note 8T", 3),
    ("10", "Mi 9T", 2),
    ("10", "ELE-L29", 4),
    ("10", "VOG-L29", 2),
    ("10", "Nokia 7.2", 1),
    ("9", "SM-A202F", 4),
    ("9", "SM-J600FN", 3),
    ("9", "ANE-LX1", 5),
    ("9", "moto g(7) power", 2),
    ("9", "SM-A105FN", 3),
    ("9", "POT-LX1", 2),
    ("9", "LYA-L29", 1),
    ("8.0.0", "SM-G930F", 3),
    ("8.0.0", "SM-A520F", 3),
    ("8.1.0", "SM-J530F", 2),
    ("7.0", "SM-G920F", 1),
]
ANDROID_TABLETS = [
    ("9", "SM-T510"),
    ("10", "SM-T515"),
    ("9", "SM-T590"),
    ("8.1.0", "SM-T580"),
    ("9", "Lenovo TB-X505F"),
]
SAMSUNG_BROWSER = [  # (SamsungBrowser version, embedded Chrome, release date)
    ("11.1", "75.0.3770.143", "2020-01-15"),
    ("11.2", "75.0.3770.143", "2020-03-01"),
    ("12.0", "79.0.3945.136", "2020-06-01"),
    ("12.1", "79.0.3945.136", "2020-07-20"),
    ("13.0", "83.0.4103.106", "2020-11-10"),
]
FACEBOOK_APP = [  # in-app browser, seen on visits coming from Facebook
    (
        "iPhone11,8",
        "13_4_1",
        "2020-04-07",
        "FBIOS;FBDV/iPhone11,8;FBMD/iPhone;FBSN/iOS;FBSV/13.4.1;FBSS/2;FBID/phone;FBLC/fr_FR;FBOP/5",
    ),
    (
        "iPhone12,1",
        "13_5_1",
        "2020-06-01",
        "FBIOS;FBDV/iPhone12,1;FBMD/iPhone;FBSN/iOS;FBSV/13.5.1;FBSS/2;FBID/phone;FBLC/fr_FR;FBOP/5",
    ),
    (
        "iPhone10,4",
        "14_2",
        "2020-11-05",
        "FBIOS;FBDV/iPhone10,4;FBMD/iPhone;FBSN/iOS;FBSV/14.2;FBSS/2;FBID/phone;FBLC/fr_FR;FBOP/5",
    ),
]


@dataclass
class BrowserPool:
    strings: np.ndarray  # object array of user agents
    device: np.ndarray  # DESKTOP / MOBILE / TABLET
    released: np.ndarray  # day index (relative to the first day) the version shipped
    weight: np.ndarray  # base popularity

    def day_probabilities(self, day: int, device_shares: tuple[float, float, float]) -> np.ndarray:
        """Probability of each user agent on a day: only released versions, newer ones favoured
        (browsers auto-update, so a version fades out within a few months)."""
        age = day - self.released
        w = np.where(age >= 0, self.weight * np.exp(-np.clip(age, 0, None) / 70.0), 0.0)
        p = np.zeros_like(w)
        for device, share in enumerate(device_shares):
            mask = self.device == device
            total = w[mask].sum()
            if total > 0:
                p[mask] = share * w[mask] / total
        return p / p.sum()


def _day(date_text: str, first_day: dt.date) -> int:
    return (dt.date.fromisoformat(date_text) - first_day).days


def build_browser_pool(first_day: dt.date) -> BrowserPool:
    """The pool of human user agents (deterministic, ~350 strings)."""
    rows = []  # (ua, device, release date, weight)

    def add(ua, device, date_text, weight):
        rows.append((ua, device, _day(date_text, first_day), weight))

    desktop_os = [
        ("Windows NT 10.0; Win64; x64", 10),
        ("Windows NT 6.1; Win64; x64", 2.5),
        ("Windows NT 6.3; Win64; x64", 0.6),
        ("Macintosh; Intel Mac OS X 10_15_6", 1.5),
        ("Macintosh; Intel Mac OS X 10_14_6", 0.8),
        ("X11; Linux x86_64", 0.6),
    ]
    for build, date_text in CHROME_BUILDS:
        for os_text, w in desktop_os:
            add(
                f"Mozilla/5.0 ({os_text}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{build} Safari/537.36",
                DESKTOP,
                date_text,
                w,
            )
        major = build.split(".")[0]
        if build.endswith((".132", ".113", ".122", ".97", ".105", ".102", ".111", ".66")):
            add(
                f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{build} Safari/537.36 Edg/{EDGE_BUILDS[major]}",
                DESKTOP,
                date_text,
                7,
            )
    for version, date_text in FIREFOX_RELEASES:
        for os_text, w in [
            ("Windows NT 10.0; Win64; x64", 4),
            ("Windows NT 6.1; Win64; x64", 1),
            ("Macintosh; Intel Mac OS X 10.15", 0.8),
            ("X11; Ubuntu; Linux x86_64", 0.5),
            ("X11; Linux x86_64", 0.3),
        ]:
            add(
                f"Mozilla/5.0 ({os_text}; rv:{version}.0) Gecko/20100101 Firefox/{version}.0",
                DESKTOP,
                date_text,
                w,
            )
    for os_version, safari, date_text in MAC_SAFARI:
        add(
            f"Mozilla/5.0 (Macintosh; Intel Mac OS X {os_version}) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            f"Version/{safari} Safari/605.1.15",
            DESKTOP,
            date_text,
            3,
        )
    # Internet Explorer 11: still on some office computers (administrations, companies).
    add(
        "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
        DESKTOP,
        "2019-01-01",
        0.05,
    )
    add(
        "Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0) like Gecko", DESKTOP, "2019-01-01", 0.04
    )

    for ios, safari, date_text in IOS_RELEASES:
        add(
            f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            f"Version/{safari} Mobile/15E148 Safari/604.1",
            MOBILE,
            date_text,
            30,
        )
        add(
            f"Mozilla/5.0 (iPad; CPU OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            f"Version/{safari} Mobile/15E148 Safari/604.1",
            TABLET,
            date_text,
            10,
        )
    for ios, chrome in [
        ("13_4_1", "81.0.4044.124"),
        ("13_5_1", "83.0.4103.88"),
        ("13_7", "85.0.4183.109"),
        ("14_2", "87.0.4280.77"),
    ]:
        date_text = next(d for i, _, d in IOS_RELEASES if i == ios)
        add(
            f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            f"CriOS/{chrome} Mobile/15E148 Safari/604.1",
            MOBILE,
            date_text,
            2,
        )
    for android, model, w in ANDROID_PHONES:
        for build, date_text in CHROME_BUILDS[::3]:
            add(
                f"Mozilla/5.0 (Linux; Android {android}; {model}) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{build} Mobile Safari/537.36",
                MOBILE,
                date_text,
                w,
            )
        if model.startswith("SM-"):
            for version, chrome, date_text in SAMSUNG_BROWSER:
                add(
                    f"Mozilla/5.0 (Linux; Android {android}; SAMSUNG {model}) AppleWebKit/537.36 (KHTML, like Gecko) "
                    f"SamsungBrowser/{version} Chrome/{chrome} Mobile Safari/537.36",
                    MOBILE,
                    date_text,
                    w * 0.8,
                )
    for version, date_text in FIREFOX_RELEASES[::2]:
        add(
            f"Mozilla/5.0 (Android 10; Mobile; rv:{version}.0) Gecko/{version}.0 Firefox/{version}.0",
            MOBILE,
            date_text,
            1.5,
        )
    for _, ios, date_text, fban in FACEBOOK_APP:
        add(
            f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            f"Mobile/15E148 [FBAN/{fban}]",
            MOBILE,
            date_text,
            4,
        )
    for model, date_text, fbav in [
        ("SM-G973F", "2020-04-10", "264.0.0.44.111"),
        ("SM-A505F", "2020-07-01", "277.0.0.39.120"),
        ("ELE-L29", "2020-10-15", "291.0.0.31.111"),
    ]:
        add(
            f"Mozilla/5.0 (Linux; Android 10; {model} Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Version/4.0 Chrome/83.0.4103.106 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/{fbav};]",
            MOBILE,
            date_text,
            4,
        )
    for android, model in ANDROID_TABLETS:
        for build, date_text in CHROME_BUILDS[1::3]:
            add(
                f"Mozilla/5.0 (Linux; Android {android}; {model}) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"Chrome/{build} Safari/537.36",
                TABLET,
                date_text,
                3,
            )

    # None of these may look like a robot to the ETL: tests/test_demo_generator.py checks them
    # against the crawler-user-agents patterns (too slow to do on every run).
    return BrowserPool(
        strings=np.array([r[0] for r in rows], dtype=object),
        device=np.array([r[1] for r in rows], dtype=np.int8),
        released=np.array([r[2] for r in rows], dtype=np.int64),
        weight=np.array([r[3] for r in rows], dtype=float),
    )


def crawler_regex() -> re.Pattern:
    """One regex matching any user agent of the `crawler-user-agents` list."""
    import crawleruseragents

    return re.compile(
        "|".join(f"(?:{d['pattern']})" for d in crawleruseragents.CRAWLER_USER_AGENTS_DATA)
    )


# --- Crawlers ---------------------------------------------------------------------------------

# (pattern in crawler-user-agents, substrings an instance must contain (any), share of robot hits,
#  address prefixes the crawler uses as (first address, number of addresses)). Instances that
#  are old-fashioned for 2020 (iPhone OS 6 Googlebot …) are left out by EXCLUDED_INSTANCES.
CRAWLERS = [
    ("Googlebot\\/", ["compatible; Googlebot/2.1"], 27, [("66.249.64.0", 8192)]),
    (
        "bingbot",
        ["(compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"],
        14,
        [("40.77.167.0", 256), ("157.55.39.0", 256), ("207.46.13.0", 256)],
    ),
    (
        "yandex\\.com\\/bots",
        ["YandexBot/3.0; +", "YandexImages/3.0"],
        5,
        [("5.255.253.0", 256), ("213.180.203.0", 256)],
    ),
    (
        "Ahrefs(Bot|SiteAudit)",
        ["AhrefsBot/6.1; +", "AhrefsBot/7.0"],
        12,
        [("54.36.148.0", 512), ("51.222.253.0", 256)],
    ),
    (
        "S[eE][mM]rushBot",
        ["SemrushBot/6~bl", "SemrushBot/7~bl"],
        10,
        [("185.191.171.0", 256), ("46.229.168.0", 256)],
    ),
    (
        "facebookexternalhit",
        ["facebookexternalhit/1.1"],
        5,
        [("69.171.249.0", 256), ("173.252.83.0", 256)],
    ),
    (
        "Qwantify",
        ["Qwantify/Bleriot/1.1", "Qwantify/2.4w"],
        5,
        [("194.187.171.0", 256), ("91.242.162.0", 256)],
    ),
    ("Applebot", ["Applebot/0.1; +http"], 3, [("17.121.112.0", 1024)]),
    ("DuckDuckBot", ["DuckDuckBot/1.1"], 2, [("20.191.45.0", 256)]),
    ("Baiduspider", ["Baiduspider/2.0"], 2, [("180.76.15.0", 256)]),
    ("MJ12bot", ["MJ12bot/v1.4.8"], 4, [("136.243.70.0", 256), ("144.76.118.0", 256)]),
    ("dotbot", ["DotBot/1.1"], 3, [("216.244.66.0", 256)]),
    ("PetalBot", ["compatible;PetalBot"], 3, [("114.119.128.0", 8192)]),
    ("SeznamBot", ["SeznamBot/3.2;"], 1, [("77.75.77.0", 256)]),
    ("Twitterbot", ["Twitterbot/1.0"], 1, [("199.16.157.0", 256)]),
    ("LinkedInBot", ["Apache-HttpClient"], 1, [("108.174.2.0", 256)]),
    ("CCBot", ["https://commoncrawl.org"], 2, [("3.236.0.0", 65536)]),
]
EXCLUDED_INSTANCES = (
    "iPhone OS 6_0",
    "iPhone OS 7_0",
    "iPhone OS 8_3",
    "Chrome/27.",
    "SitemapProbe",
    "seoanalyzer",
)
UPTIME_MONITOR = (
    "UptimeRobot",
    [
        "69.162.124.226",
        "69.162.124.227",
        "69.162.124.229",
        "69.162.124.235",
        "216.144.250.150",
        "63.143.42.242",
    ],
)


def _ip_to_int(text: str) -> int:
    a, b, c, d = (int(x) for x in text.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


@dataclass
class CrawlerPool:
    names: list[str]
    share: np.ndarray  # per crawler
    agents: list[np.ndarray]  # per crawler: object array of UA strings
    ranges: list[tuple[np.ndarray, np.ndarray]]  # per crawler: (first address, size) arrays


def build_crawler_pool() -> CrawlerPool:
    import crawleruseragents

    by_pattern = {d["pattern"]: d for d in crawleruseragents.CRAWLER_USER_AGENTS_DATA}
    names, shares, agents, ranges = [], [], [], []
    for pattern, needles, share, prefixes in CRAWLERS:
        entry = by_pattern.get(pattern)
        if entry is None:
            continue  # the package dropped this crawler: keep going with the others
        instances = [
            i
            for i in entry.get("instances", [])
            if any(n in i for n in needles)
            and not any(x in i for x in EXCLUDED_INSTANCES)
            and '"' not in i
            and re.search(pattern, i)
        ]
        if not instances:
            continue
        names.append(pattern)
        shares.append(share)
        agents.append(np.array(instances, dtype=object))
        ranges.append(
            (
                np.array([_ip_to_int(p) for p, _ in prefixes], dtype=np.int64),
                np.array([n for _, n in prefixes], dtype=np.int64),
            )
        )
    share_array = np.array(shares, dtype=float)
    return CrawlerPool(names, share_array / share_array.sum(), agents, ranges)


def uptime_agent() -> str:
    import crawleruseragents

    for d in crawleruseragents.CRAWLER_USER_AGENTS_DATA:
        if d["pattern"] == UPTIME_MONITOR[0] and d.get("instances"):
            return d["instances"][0]
    return "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"


# Vulnerability scanners: not crawlers of the list for the most part (they pose as browsers).
SCANNER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:45.0) Gecko/20100101 Firefox/45.0",
    "Mozilla/5.0 zgrab/0.x",
    "python-requests/2.22.0",
    "Go-http-client/1.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36",
]
SCANNER_PREFIXES = [
    ("45.129.33.0", 256),
    ("193.106.191.0", 256),
    ("89.248.165.0", 256),
    ("80.82.77.0", 256),
    ("104.248.0.0", 65536),
    ("134.209.0.0", 65536),
    ("118.25.0.0", 65536),
    ("61.177.172.0", 256),
    ("185.220.101.0", 256),
    ("94.102.49.0", 256),
]
SCANNER_PATHS = [
    "/wp-login.php",
    "/wp-admin/",
    "/xmlrpc.php",
    "/.env",
    "/phpmyadmin/index.php",
    "/administrator/",
    "/.git/config",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/wp-content/plugins/wp-file-manager/readme.txt",
    "/admin/config.php",
    "/solr/admin/info/system?wt=json",
    "/boaform/admin/formLogin",
    "/HNAP1/",
    "/cgi-bin/luci",
    "/.aws/credentials",
    "/console/",
    "/actuator/health",
    "/wp-includes/wlwmanifest.xml",
    "/blog/wp-login.php",
]

# French access providers: (first address, number of addresses, weight). IPv4 blocks of Orange,
# Free, SFR and Bouygues Telecom (fixed and mobile).
FRENCH_IPV4 = [
    ("90.0.0.0", 1 << 23, 10),
    ("86.192.0.0", 1 << 21, 8),
    ("2.0.0.0", 1 << 20, 6),
    ("92.128.0.0", 1 << 22, 6),
    ("83.192.0.0", 1 << 21, 3),
    ("80.12.0.0", 1 << 16, 3),  # Orange
    ("78.192.0.0", 1 << 22, 6),
    ("82.64.0.0", 1 << 18, 4),
    ("88.160.0.0", 1 << 21, 5),
    ("37.160.0.0", 1 << 20, 4),
    ("91.160.0.0", 1 << 20, 3),  # Free
    ("84.96.0.0", 1 << 21, 5),
    ("93.0.0.0", 1 << 21, 4),
    ("77.128.0.0", 1 << 21, 4),
    ("109.0.0.0", 1 << 20, 3),  # SFR
    ("176.128.0.0", 1 << 22, 5),
    ("89.80.0.0", 1 << 20, 3),
    ("5.48.0.0", 1 << 20, 3),
    ("31.32.0.0", 1 << 19, 2),  # Bouygues
]
# IPv6 prefixes (first groups) of the same providers.
FRENCH_IPV6 = [
    ("2a01:cb{:02x}", 45),
    ("2a01:e3{:x}", 25),
    ("2a02:842{:x}", 18),
    ("2001:861:{:x}", 12),
]


def ipv4_strings(addresses: np.ndarray) -> np.ndarray:
    """Dotted-quad strings of integer IPv4 addresses (vectorised through a byte lookup table)."""
    octet = np.array([str(i) for i in range(256)], dtype=object)
    a = addresses.astype(np.int64)
    return (
        octet[(a >> 24) & 255]
        + "."
        + octet[(a >> 16) & 255]
        + "."
        + octet[(a >> 8) & 255]
        + "."
        + octet[a & 255]
    )


def random_ipv4(rng: np.random.Generator, prefixes, size: int) -> np.ndarray:
    """Random integer addresses within weighted (first, size[, weight]) prefixes."""
    starts = np.array([_ip_to_int(p[0]) for p in prefixes], dtype=np.int64)
    sizes = np.array([p[1] for p in prefixes], dtype=np.int64)
    weights = np.array([p[2] if len(p) > 2 else p[1] for p in prefixes], dtype=float)
    which = rng.choice(len(prefixes), size=size, p=weights / weights.sum())
    return starts[which] + (rng.random(size) * sizes[which]).astype(np.int64)


def random_ipv6(rng: np.random.Generator, size: int) -> list[str]:
    """Random addresses of French providers' IPv6 prefixes (privacy-extension style)."""
    weights = np.array([w for _, w in FRENCH_IPV6], dtype=float)
    which = rng.choice(len(FRENCH_IPV6), size=size, p=weights / weights.sum())
    groups = rng.integers(0, 1 << 16, size=(size, 7))
    nibble = rng.integers(0, 16, size=size)
    out = []
    for k in range(size):
        head = FRENCH_IPV6[which[k]][0].format(
            int(nibble[k]) if which[k] else int(groups[k, 0] & 0xFF)
        )
        missing = 7 - head.count(":")  # eight groups in all
        out.append(head + ":" + ":".join(f"{g:x}" for g in groups[k, 1 : 1 + missing]))
    return out
