"""Demo access logs: human visits, crawlers, scanners, monitoring and a few broken lines, written
as nginx `combined` logs rotated weekly like logrotate.

Everything is generated one day at a time with numpy arrays (one array per log field); lines
are only assembled as strings when a weekly file is written. Times are handled as UTC epoch
seconds and printed in Europe/Paris time with their offset (+0200 until 25 October 2020 at
03:00, +0100 after).
"""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote_plus, urlencode

import numpy as np

from . import agents, geo
from . import lexicon as lx
from .catalogue import FIRST_DAY, N_DAYS, Catalogue

# --- time ------------------------------------------------------------------------------------

LOCAL0 = calendar.timegm(FIRST_DAY.timetuple())  # 30/03/2020 00:00 Paris, as naive epoch seconds
DST_END_LOCAL = calendar.timegm((2020, 10, 25, 3, 0, 0))  # clocks go back from 03:00 to 02:00
DST_END_UTC = calendar.timegm((2020, 10, 25, 1, 0, 0))
START_UTC = LOCAL0 - 7200
END_UTC = LOCAL0 + N_DAYS * 86400 - 3600  # 01/01/2021 00:00 Paris (exclusive)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HMS = np.array(
    [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)], dtype=object
)


def local_to_utc(local: np.ndarray) -> np.ndarray:
    """Naive Paris seconds -> UTC seconds (the repeated hour of 25 October maps to summer time)."""
    return local - np.where(local < DST_END_LOCAL, 7200, 3600)


def day_start_utc(day: int) -> int:
    return int(local_to_utc(np.array([LOCAL0 + day * 86400]))[0])


# Day prefixes "30/Mar/2020:" for day -1 .. N_DAYS (index shifted by one).
DAY_PREFIX = np.array(
    [
        f"{d.day:02d}/{MONTHS[d.month - 1]}/{d.year}:"
        for d in (FIRST_DAY + dt.timedelta(days=i) for i in range(-1, N_DAYS + 1))
    ],
    dtype=object,
)


def timestamp_parts(ts: np.ndarray) -> tuple[list, list, list]:
    """'30/Mar/2020:', '10:12:01', '+0200' for UTC seconds (three lists, for the line format)."""
    offset = np.where(ts < DST_END_UTC, 7200, 3600)
    local = ts + offset - LOCAL0
    day = local // 86400 + 1
    return (
        DAY_PREFIX[day].tolist(),
        HMS[local % 86400].tolist(),
        np.where(offset == 7200, "+0200", "+0100").tolist(),
    )


def rotation_boundaries() -> np.ndarray:
    """UTC times logrotate rotated the logs: every Sunday at 06:25 (cron.daily), weekly."""
    days = [i for i in range(1, N_DAYS) if (FIRST_DAY + dt.timedelta(days=i)).weekday() == 6]
    return local_to_utc(
        np.array([LOCAL0 + d * 86400 + 6 * 3600 + 25 * 60 for d in days], dtype=np.int64)
    )


def _anchored_curve(anchors: list[tuple[str, float]]) -> np.ndarray:
    x = [(dt.date.fromisoformat(d) - FIRST_DAY).days for d, _ in anchors]
    return np.interp(np.arange(N_DAYS), x, [v for _, v in anchors])


# --- page types --------------------------------------------------------------------------------

HOME, CATEGORY, PRODUCT, SUPPLIER, SEARCH, MAP, CONTACT, INFO = range(8)
PAGE_BYTES = np.array([7800, 6400, 5200, 5600, 5000, 4200, 3900, 3600], dtype=float)  # gzip'd HTML
CHANNELS = ["direct", "search", "social", "institutional", "press", "other"]
# Entry page by channel (home, category, product, supplier, search, map, contact, info).
ENTRY_P = np.array(
    [
        [0.80, 0.04, 0.09, 0.04, 0.00, 0.02, 0.005, 0.005],
        [0.40, 0.10, 0.33, 0.14, 0.00, 0.02, 0.005, 0.005],
        [0.50, 0.05, 0.33, 0.10, 0.00, 0.02, 0.00, 0.00],
        [0.85, 0.05, 0.02, 0.02, 0.00, 0.06, 0.00, 0.00],
        [0.85, 0.03, 0.04, 0.04, 0.00, 0.04, 0.00, 0.00],
        [0.60, 0.10, 0.15, 0.10, 0.00, 0.05, 0.00, 0.00],
    ]
)
ENTRY_P = ENTRY_P / ENTRY_P.sum(axis=1, keepdims=True)
NAV_P = np.array([0.10, 0.18, 0.38, 0.15, 0.10, 0.05, 0.02, 0.02])


@dataclass
class SiteProfile:
    """What differs between the two platforms' traffic."""

    code: str
    host: str
    product_prefix: str
    supplier_prefix: str
    media_supplier_prefix: str
    redirects: list  # (old path, status)
    curve: list  # (date, relative level) anchors
    weekday: list  # Monday..Sunday weights
    hours: list  # 24 weights
    calibration: tuple  # ("apr_may" | "total", visits at scale 1)
    device_shares: tuple  # desktop, mobile, tablet
    channel_weights: list
    social: list
    searches_matching: list
    searches_unmatched: list
    bot_share: float
    bounce: float = 0.40
    continue_p: float = 0.24  # non-bounce visits: 1 + geometric(p) pages, overall mean ~3.5
    return_share: float = 0.25
    same_day_return_share: float = 0.06
    # A change of address (etl/config/hosts.toml): (first day, new host). From that day the
    # pages link to the new host, and some visitors arriving by an old link are redirected.
    renamed: tuple | None = None


FOOD_PROFILE = SiteProfile(
    code="produits-frais",
    host="produits-frais.centre-valdeloire.fr",
    product_prefix="/produit/",
    supplier_prefix="/producteur/",
    media_supplier_prefix="/media/producteurs/",
    renamed=("2020-09-14", "produits-locaux.centre-valdeloire.fr"),
    redirects=[
        ("/produits", 301),
        ("/accueil", 301),
        ("/index.html", 301),
        ("/fr/", 302),
        ("/producteurs", 302),
    ],
    curve=[
        ("2020-03-30", 0.30),
        ("2020-03-31", 0.55),
        ("2020-04-02", 0.75),
        ("2020-04-06", 0.92),
        ("2020-04-14", 1.00),
        ("2020-04-24", 0.97),
        ("2020-05-10", 0.85),
        ("2020-05-11", 0.80),
        ("2020-05-18", 0.55),
        ("2020-05-31", 0.35),
        ("2020-06-15", 0.25),
        ("2020-06-30", 0.19),
        ("2020-07-10", 0.15),
        ("2020-08-25", 0.14),
        ("2020-09-07", 0.21),
        ("2020-09-30", 0.20),
        ("2020-10-25", 0.17),
        ("2020-10-29", 0.18),
        ("2020-10-30", 0.30),
        ("2020-11-03", 0.40),
        ("2020-11-20", 0.38),
        ("2020-11-28", 0.33),
        ("2020-12-14", 0.30),
        ("2020-12-16", 0.20),
        ("2020-12-24", 0.14),
        ("2020-12-31", 0.10),
    ],
    weekday=[0.90, 0.88, 0.95, 1.12, 1.20, 1.12, 0.83],
    hours=[
        0.6,
        0.3,
        0.2,
        0.15,
        0.15,
        0.3,
        0.9,
        2.0,
        3.5,
        5.5,
        6.5,
        6.5,
        5.0,
        4.5,
        4.8,
        5.0,
        5.2,
        6.0,
        7.0,
        7.2,
        6.8,
        5.5,
        3.5,
        1.8,
    ],
    calibration=("apr_may", 190_000),
    device_shares=(0.39, 0.55, 0.06),
    channel_weights=[0.45, 0.24, 0.15, 0.07, 0.05, 0.04],
    social=lx.SOCIAL_FOOD,
    searches_matching=lx.FOOD_SEARCHES_MATCHING,
    searches_unmatched=lx.FOOD_SEARCHES_UNMATCHED,
    bot_share=0.27,
)

EQUIPMENT_PROFILE = SiteProfile(
    code="equipements-protection",
    host="equipements-protection.centre-valdeloire.fr",
    product_prefix="/offre/",
    supplier_prefix="/entreprise/",
    media_supplier_prefix="/media/entreprises/",
    redirects=[
        ("/offres", 301),
        ("/accueil", 301),
        ("/index.html", 301),
        ("/fr/", 302),
        ("/entreprises", 302),
    ],
    curve=[
        ("2020-03-30", 0.40),
        ("2020-04-03", 0.80),
        ("2020-04-10", 1.00),
        ("2020-05-07", 1.00),
        ("2020-05-11", 0.95),
        ("2020-05-25", 0.60),
        ("2020-06-15", 0.42),
        ("2020-07-10", 0.22),
        ("2020-08-20", 0.15),
        ("2020-09-07", 0.30),
        ("2020-09-30", 0.25),
        ("2020-10-29", 0.20),
        ("2020-10-30", 0.30),
        ("2020-11-10", 0.30),
        ("2020-12-15", 0.18),
        ("2020-12-31", 0.08),
    ],
    weekday=[1.15, 1.20, 1.15, 1.15, 1.00, 0.35, 0.25],
    hours=[
        0.1,
        0.05,
        0.05,
        0.05,
        0.05,
        0.1,
        0.4,
        1.5,
        5.0,
        9.0,
        10.0,
        9.5,
        5.0,
        5.5,
        9.0,
        9.0,
        8.5,
        6.0,
        3.0,
        1.5,
        1.2,
        1.0,
        0.6,
        0.3,
    ],
    calibration=("total", 25_000),
    device_shares=(0.69, 0.28, 0.03),
    channel_weights=[0.42, 0.28, 0.08, 0.14, 0.04, 0.04],
    social=lx.SOCIAL_EQUIPMENT,
    searches_matching=lx.EQUIPMENT_SEARCHES_MATCHING,
    searches_unmatched=lx.EQUIPMENT_SEARCHES_UNMATCHED,
    bot_share=0.30,
    bounce=0.42,
)


def _weighted(pairs) -> tuple[np.ndarray, np.ndarray]:
    values = np.array([v for v, _ in pairs], dtype=object)
    w = np.array([w for _, w in pairs], dtype=float)
    return values, w / w.sum()


# --- one platform's state --------------------------------------------------------------------


@dataclass
class Site:
    profile: SiteProfile
    base_url: str
    expected_visits: np.ndarray
    listing_ids: np.ndarray
    listing_paths: np.ndarray
    listing_short_paths: np.ndarray
    listing_created: np.ndarray
    listing_withdrawn: np.ndarray
    listing_popularity: np.ndarray
    supplier_ids: np.ndarray
    supplier_paths: np.ndarray
    supplier_joined: np.ndarray
    supplier_left: np.ndarray
    supplier_popularity: np.ndarray
    category_paths: np.ndarray
    category_start: np.ndarray
    category_weight: np.ndarray
    search_paths: np.ndarray
    search_p: np.ndarray
    referrers: list  # per channel: (values, p) or None for direct
    bundle_paths: np.ndarray
    bundle_bytes: np.ndarray
    # running state
    history_ip: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    history_ua: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    human_hits: int = 0
    human_visits: int = 0
    counts: dict = field(default_factory=dict)


def build_site(
    profile: SiteProfile, catalogue: Catalogue, rng: np.random.Generator, scale: float
) -> Site:
    listings = catalogue.listings
    suppliers = catalogue.suppliers
    n_l, n_s = len(listings), len(suppliers)
    # Zipf popularity over a random ranking: a few listings draw most of the views.
    listing_pop = 1.0 / (1 + rng.permutation(n_l)) ** 1.0
    supplier_pop = 1.0 / (1 + rng.permutation(n_s)) ** 0.8
    curve = _anchored_curve(profile.curve)
    weekday = np.array(profile.weekday) / np.mean(profile.weekday)
    dow = np.array([(FIRST_DAY + dt.timedelta(days=i)).weekday() for i in range(N_DAYS)])
    level = curve * weekday[dow] * rng.lognormal(0, 0.06, N_DAYS)
    kind, visits = profile.calibration
    if kind == "apr_may":  # the figure is about 1 April - 31 May inclusive
        window = slice(
            (dt.date(2020, 4, 1) - FIRST_DAY).days, (dt.date(2020, 5, 31) - FIRST_DAY).days + 1
        )
        expected = level * visits * scale / level[window].sum()
    else:
        expected = level * visits * scale / level.sum()

    keys = list(catalogue.category_slugs)
    searches = [
        (quote_plus(q), 85 / len(profile.searches_matching)) for q in profile.searches_matching
    ]
    searches += [
        (quote_plus(q), 15 / len(profile.searches_unmatched)) for q in profile.searches_unmatched
    ]
    referrers = [
        None,
        _weighted(lx.SEARCH_ENGINES),
        _weighted(profile.social),
        _weighted(lx.INSTITUTIONAL),
        _weighted(lx.PRESS),
        _weighted(lx.OTHER_SITES),
    ]
    css_hash, js_hash = (
        ("3f2a1c9e", "8b1e44d0") if profile.code == "produits-frais" else ("c41d07aa", "5e90b3f2")
    )
    bundle = [
        (f"/static/css/main.{css_hash}.css", 28_400),
        (f"/static/js/main.{js_hash}.js", 96_100),
        ("/static/img/logo-region-centre-val-de-loire.svg", 6_050),
        ("/static/fonts/marianne-regular.woff2", 31_200),
        ("/favicon.ico", 1_150),
        (f"/static/js/vendor.{js_hash[::-1]}.js", 141_800),
    ]
    return Site(
        profile=profile,
        base_url="https://" + profile.host,
        expected_visits=expected,
        listing_ids=np.array([l.listing_id for l in listings], dtype=object),
        listing_paths=np.array(
            [f"{profile.product_prefix}{l.listing_id}-{l.slug}" for l in listings], dtype=object
        ),
        listing_short_paths=np.array(
            [f"{profile.product_prefix}{l.listing_id}" for l in listings], dtype=object
        ),
        listing_created=np.array([l.created for l in listings], dtype=np.int64),
        listing_withdrawn=np.array([l.withdrawn for l in listings], dtype=np.int64),
        listing_popularity=listing_pop,
        supplier_ids=np.array([s.supplier_id for s in suppliers], dtype=object),
        supplier_paths=np.array(
            [f"{profile.supplier_prefix}{s.supplier_id}-{s.slug}" for s in suppliers], dtype=object
        ),
        supplier_joined=np.array([s.joined for s in suppliers], dtype=np.int64),
        supplier_left=np.array([s.left for s in suppliers], dtype=np.int64),
        supplier_popularity=supplier_pop,
        category_paths=np.array(
            [f"/categorie/{catalogue.category_slugs[k]}" for k in keys], dtype=object
        ),
        category_start=np.array([catalogue.category_start.get(k, 0) for k in keys], dtype=np.int64),
        category_weight=np.array([catalogue.category_weights.get(k, 1) for k in keys], dtype=float),
        search_paths=np.array(["/recherche?q=" + q for q, _ in searches], dtype=object),
        search_p=np.array([w for _, w in searches]) / sum(w for _, w in searches),
        referrers=referrers,
        bundle_paths=np.array([p for p, _ in bundle], dtype=object),
        bundle_bytes=np.array([b for _, b in bundle], dtype=np.int64),
        counts={
            "visits": 0,
            "visits_apr_may": 0,
            "pageviews": 0,
            "bot_hits": 0,
            "lines": 0,
            "files": 0,
            "malformed_lines": 0,
            "unparseable_lines": 0,
            "bytes": 0,
            "text_bytes": 0,
        },
    )


# --- hit batches -------------------------------------------------------------------------------

FIELDS = ("ts", "ip", "method", "path", "proto", "status", "size", "ref", "ua", "bot")


def batch(n: int, **values) -> dict:
    """A batch of n hits; scalar values are broadcast."""
    out = {}
    for name in FIELDS:
        v = values[name]
        if np.isscalar(v) or v is None:
            dtype = object if isinstance(v, str) else (bool if isinstance(v, bool) else np.int64)
            out[name] = np.full(n, v, dtype=dtype)
        else:
            out[name] = v
    return out


def concat(batches: list[dict]) -> dict:
    batches = [b for b in batches if b is not None and len(b["ts"])]
    if not batches:
        return batch(
            0,
            ts=np.empty(0, np.int64),
            ip="",
            method="",
            path="",
            proto="",
            status=0,
            size=0,
            ref="",
            ua="",
            bot=False,
        )
    return {k: np.concatenate([b[k] for b in batches]) for k in FIELDS}


def take(b: dict, index) -> dict:
    return {k: v[index] for k, v in b.items()}


def _active(created, ended, day):
    return np.flatnonzero((created <= day) & (ended > day))


def _pick(rng, candidates, popularity, size):
    p = popularity[candidates]
    return candidates[rng.choice(len(candidates), size=size, p=p / p.sum())]


def new_client_ips(rng: np.random.Generator, n: int) -> np.ndarray:
    """Client addresses, ~5 % IPv6: of French access providers, about 4 % from abroad
    (`geo.place`, one to one, so the draws and the visits stay those of the French blocks)."""
    out = agents.ipv4_strings(geo.place(agents.random_ipv4(rng, agents.FRENCH_IPV4, n)))
    v6 = np.flatnonzero(rng.random(n) < 0.05)
    if len(v6):
        out[v6] = np.array(agents.random_ipv6(rng, len(v6)), dtype=object)
    return out


# --- human visits ------------------------------------------------------------------------------


def _same_day_returns(rng, ip, ua_idx, returning, local, share: float) -> None:
    """Give a share of the day's visits the address and browser of an earlier visit that day."""
    n = len(ip)
    order = np.argsort(local, kind="stable")
    firsts = rng.permutation(order[: n // 2])[: int(n * share)]
    used = np.zeros(n, dtype=bool)
    used[firsts] = True
    for first in firsts:
        later = order[np.searchsorted(local[order], local[first] + 4 * 3600) :]
        later = later[~used[later]]
        if len(later) == 0:
            continue
        second = later[rng.integers(0, len(later))]
        used[second] = True
        ip[second], ua_idx[second], returning[second] = ip[first], ua_idx[first], True


# The platforms' promotion, as campaign links on the landing URL (utm_ parameters): the region's
# newsletters and social posts, the agency's LinkedIn posts. (first day, last day, source, medium,
# campaign, channel tagged, share of that channel's visits that came through the link.)
# Channels: 0 direct (a newsletter read in a mail client sends no referrer), 2 social.
CAMPAIGNS = {
    "produits-frais": [
        ("2020-03-30", "2020-04-12", "facebook", "social", "Ouverture plateforme", 2, 0.45),
        ("2020-04-06", "2020-04-16", "lettre-region", "email", "Lettre avril 2020", 0, 0.10),
        ("2020-05-07", "2020-05-20", "facebook", "social", "Deconfinement local", 2, 0.35),
        ("2020-07-01", "2020-07-20", "lettre-region", "email", "Ete local", 0, 0.06),
        ("2020-10-29", "2020-11-15", "facebook", "social", "Reconfinement", 2, 0.40),
    ],
    "equipements-protection": [
        ("2020-04-02", "2020-04-20", "linkedin", "social", "Fabricants regionaux", 2, 0.50),
        ("2020-04-14", "2020-04-24", "lettre-devup", "email", "Relance industrie", 0, 0.12),
        ("2020-09-01", "2020-09-20", "linkedin", "social", "Signaletique rentree", 2, 0.40),
    ],
}


def _tag_campaign_landings(site, day, channel, entry_type, path, first_pos) -> None:
    """Adds the campaign parameters to the landing path of some visits of a campaign's days.
    Its own random stream: the rest of the day's traffic is drawn as before."""
    date = FIRST_DAY + dt.timedelta(days=day)
    rng = np.random.default_rng([day, 19, len(site.profile.code)])
    for first, last, source, medium, name, tagged_channel, share in CAMPAIGNS.get(
        site.profile.code, []
    ):
        if not dt.date.fromisoformat(first) <= date <= dt.date.fromisoformat(last):
            continue
        # Never a search page: its own query string is the visitor's search.
        members = np.flatnonzero((channel == tagged_channel) & (entry_type != SEARCH))
        chosen = members[rng.random(len(members)) < share]
        query = urlencode({"utm_source": source, "utm_medium": medium, "utm_campaign": name})
        rows = first_pos[chosen]
        path[rows] = path[rows] + "?" + query


def human_day(
    site: Site, day: int, rng: np.random.Generator, pool: agents.BrowserPool, ua_p: np.ndarray
) -> dict | None:
    prof = site.profile
    n = int(rng.poisson(site.expected_visits[day]))
    if n == 0:
        return None

    # Clients: returning visitors reuse address + browser of an earlier day; every visit of the
    # day gets its own address so that visits never merge in the ETL's sessionisation.
    n_return = min(int(rng.binomial(n, prof.return_share)), len(site.history_ip))
    back = (
        rng.choice(len(site.history_ip), size=n_return, replace=False)
        if n_return
        else np.empty(0, np.int64)
    )
    ip = np.concatenate([site.history_ip[back], new_client_ips(rng, n - n_return)])
    ua_idx = np.concatenate(
        [site.history_ua[back], rng.choice(len(pool.strings), size=n - n_return, p=ua_p)]
    )
    returning = np.arange(n) < n_return
    while True:
        _, first = np.unique(ip, return_index=True)
        if len(first) == n:
            break
        dup = np.setdiff1d(np.arange(n), first)
        ip[dup] = new_client_ips(rng, len(dup))
        returning[dup] = False

    hour = rng.choice(24, size=n, p=np.array(prof.hours) / np.sum(prof.hours))
    local = LOCAL0 + day * 86400 + hour * 3600 + rng.integers(0, 3600, n)
    start = local_to_utc(local)
    # Some people come back later the same day (same address and browser): a second visit of
    # the same visitor. Four hours apart at least, so the two never merge into one visit.
    _same_day_returns(rng, ip, ua_idx, returning, local, prof.same_day_return_share)
    # Remember new visitors (not those active late in the evening: their visit may spill past
    # midnight and must not meet their own return the next day).
    keep = ~returning & (hour < 21)
    site.history_ip = np.concatenate([site.history_ip, ip[keep]])[-40_000:]
    site.history_ua = np.concatenate([site.history_ua, ua_idx[keep]])[-40_000:]

    channel_w = np.array(prof.channel_weights, dtype=float)
    if day < 10 or 214 <= day < 221:  # press coverage at the opening and at the second lockdown
        channel_w[4] *= 3
    channel = rng.choice(6, size=n, p=channel_w / channel_w.sum())

    pages = np.where(rng.random(n) < prof.bounce, 1, 1 + rng.geometric(prof.continue_p, n))
    pages = np.minimum(pages, 40)
    total = int(pages.sum())
    visit = np.repeat(np.arange(n), pages)
    first_pos = np.cumsum(pages) - pages
    is_first = np.zeros(total, dtype=bool)
    is_first[first_pos] = True
    # Think time between page views: 10 s - 5 min (never near the 30-minute visit limit).
    gaps = np.clip(rng.lognormal(np.log(50), 0.9, total), 10, 300).astype(np.int64)
    gaps[first_pos] = 0
    elapsed = np.cumsum(gaps)
    ts = start[visit] + elapsed - elapsed[first_pos][visit]

    page_type = np.empty(total, dtype=np.int8)
    for c in range(6):
        rows = first_pos[channel == c]
        page_type[rows] = rng.choice(8, size=len(rows), p=ENTRY_P[c])
    rest = np.flatnonzero(~is_first)
    page_type[rest] = rng.choice(8, size=len(rest), p=NAV_P)

    path = np.full(total, "/", dtype=object)
    media = np.full(total, -1, dtype=np.int64)  # listing or supplier shown (for its photos)
    live_listings = _active(site.listing_created, site.listing_withdrawn, day)
    live_suppliers = _active(site.supplier_joined, site.supplier_left, day)
    live_categories = np.flatnonzero(site.category_start <= day)
    rows = np.flatnonzero(page_type == PRODUCT)
    if len(live_listings):
        chosen = _pick(rng, live_listings, site.listing_popularity, len(rows))
        path[rows] = site.listing_paths[chosen]
        media[rows] = chosen
    else:
        page_type[rows] = HOME
    rows = np.flatnonzero(page_type == SUPPLIER)
    if len(live_suppliers):
        chosen = _pick(rng, live_suppliers, site.supplier_popularity, len(rows))
        path[rows] = site.supplier_paths[chosen]
        media[rows] = chosen
    else:
        page_type[rows] = HOME
    rows = np.flatnonzero(page_type == CATEGORY)
    path[rows] = site.category_paths[_pick(rng, live_categories, site.category_weight, len(rows))]
    rows = np.flatnonzero(page_type == SEARCH)
    path[rows] = site.search_paths[
        rng.choice(len(site.search_paths), size=len(rows), p=site.search_p)
    ]
    path[page_type == MAP] = "/carte"
    path[page_type == CONTACT] = "/contact"
    rows = np.flatnonzero(page_type == INFO)
    path[rows] = np.where(rng.random(len(rows)) < 0.75, "/a-propos", "/mentions-legales")

    _tag_campaign_landings(site, day, channel, page_type[first_pos], path, first_pos)

    external = np.full(n, "-", dtype=object)
    for c in range(1, 6):
        members = np.flatnonzero(channel == c)
        values, p = site.referrers[c]
        external[members] = values[rng.choice(len(values), size=len(members), p=p)]
    ref = np.empty(total, dtype=object)
    ref[first_pos] = external
    base_url = _base_url_on(site, day)
    ref[rest] = base_url + path[rest - 1]

    client_ip = ip[visit]
    client_ua = pool.strings[ua_idx[visit]]
    proto_visit = np.where(rng.random(n) < 0.85, "HTTP/2.0", "HTTP/1.1").astype(object)
    proto = proto_visit[visit]
    cached = returning[visit] & np.isin(page_type, (HOME, CATEGORY)) & (rng.random(total) < 0.15)
    status = np.where(cached, 304, 200)
    size = np.where(
        cached, 0, (PAGE_BYTES[page_type] * rng.lognormal(0, 0.12, total)).astype(np.int64)
    )
    pages_batch = batch(
        total,
        ts=ts,
        ip=client_ip,
        method="GET",
        path=path,
        proto=proto,
        status=status,
        size=size,
        ref=ref,
        ua=client_ua,
        bot=False,
    )
    page_url = base_url + path

    # Static assets of the first page: the whole bundle for a new visitor, a few cache
    # revalidations (304) for a returning one.
    bundle_n = np.where(
        returning, rng.integers(0, 3, n), rng.integers(3, len(site.bundle_paths) + 1, n)
    )
    parent = np.repeat(first_pos, bundle_n)
    position = np.arange(len(parent)) - np.repeat(np.cumsum(bundle_n) - bundle_n, bundle_n)
    revalidate = returning[visit[parent]]
    bundle_batch = batch(
        len(parent),
        ts=ts[parent] + rng.integers(0, 3, len(parent)),
        ip=client_ip[parent],
        method="GET",
        path=site.bundle_paths[position],
        proto=proto[parent],
        status=np.where(revalidate, 304, 200),
        size=np.where(revalidate, 0, site.bundle_bytes[position]),
        ref=page_url[parent],
        ua=client_ua[parent],
        bot=False,
    )

    # Photos: product pages show their listing's photos, list pages a few thumbnails.
    photo_n = np.zeros(total, dtype=np.int64)
    is_product = page_type == PRODUCT
    photo_n[is_product] = 1 + (rng.random(int(is_product.sum())) < 0.3)
    is_list = np.isin(page_type, (HOME, CATEGORY, SEARCH))
    photo_n[is_list] = rng.integers(0, 3, int(is_list.sum())) * (
        rng.random(int(is_list.sum())) < 0.5
    )
    photo_n[page_type == SUPPLIER] = 1
    photo_n[status == 304] = 0
    parent = np.repeat(np.arange(total), photo_n)
    position = np.arange(len(parent)) - np.repeat(np.cumsum(photo_n) - photo_n, photo_n)
    kind = page_type[parent]
    photo_path = np.empty(len(parent), dtype=object)
    rows = np.flatnonzero(kind == PRODUCT)
    photo_path[rows] = (
        "/media/annonces/"
        + site.listing_ids[media[parent[rows]]]
        + "/photo-"
        + (position[rows] + 1).astype(str).astype(object)
        + ".jpg"
    )
    rows = np.flatnonzero(kind == SUPPLIER)
    photo_path[rows] = (
        prof.media_supplier_prefix + site.supplier_ids[media[parent[rows]]] + "/logo.jpg"
    )
    rows = np.flatnonzero(np.isin(kind, (HOME, CATEGORY, SEARCH)))
    if len(rows):
        shown = live_listings if len(live_listings) else np.arange(len(site.listing_ids))
        photo_path[rows] = (
            "/media/annonces/"
            + site.listing_ids[rng.choice(shown, size=len(rows))]
            + "/vignette.jpg"
        )
    photo_size = np.where(
        kind == PRODUCT,
        rng.integers(40_000, 180_000, len(parent)),
        rng.integers(6_000, 22_000, len(parent)),
    )
    photo_batch = batch(
        len(parent),
        ts=ts[parent] + rng.integers(0, 4, len(parent)),
        ip=client_ip[parent],
        method="GET",
        path=photo_path,
        proto=proto[parent],
        status=200,
        size=photo_size,
        ref=page_url[parent],
        ua=client_ua[parent],
        bot=False,
    )

    extras = _human_extras(
        site,
        day,
        rng,
        n,
        visit,
        first_pos,
        page_type,
        ts,
        client_ip,
        client_ua,
        proto,
        ref,
        page_url,
    )
    extras += _old_address_redirects(
        site, day, channel, first_pos, path, ts, client_ip, client_ua, proto, ref
    )
    extras += _outbound_clicks(
        site, day, page_type, media, ts, client_ip, client_ua, proto, page_url
    )
    result = concat([pages_batch, bundle_batch, photo_batch] + extras)

    site.counts["visits"] += n
    if 2 <= day <= 62:  # 1 April .. 31 May
        site.counts["visits_apr_may"] += n
    site.counts["pageviews"] += int((status != 404).sum())
    site.human_visits += n
    site.human_hits += len(result["ts"])
    return result


def _base_url_on(site, day: int) -> str:
    """The site's address on `day`: the new one from its change of address on."""
    renamed = site.profile.renamed
    if renamed and FIRST_DAY + dt.timedelta(days=day) >= dt.date.fromisoformat(renamed[0]):
        return "https://" + renamed[1]
    return site.base_url


# After a change of address, a visitor following an old link (a search result, a post, an
# article) first reaches the old host, which answers 301 to the same path on the new one: one
# request more in the log, in the same second, that must never count as a visit. Share of the
# visits arriving from another site; own random stream.
OLD_LINK_SHARE = 0.25


def _old_address_redirects(
    site, day, channel, first_pos, path, ts, client_ip, client_ua, proto, ref
):
    if _base_url_on(site, day) == site.base_url:
        return []
    rng = np.random.default_rng([day, 29, len(site.profile.code)])
    visits = np.flatnonzero((channel > 0) & (rng.random(len(channel)) < OLD_LINK_SHARE))
    if not len(visits):
        return []
    rows = first_pos[visits]
    return [
        batch(
            len(rows),
            ts=np.maximum(ts[rows] - 1, START_UTC),
            ip=client_ip[rows],
            method="GET",
            path=path[rows],
            proto=proto[rows],
            status=301,
            size=178,
            ref=ref[rows],
            ua=client_ua[rows],
            bot=False,
        )
    ]


# A supplier page's "Appeler", "Écrire" and "Site web" buttons go through the platform's
# outbound redirect (/sortie?type=…&fournisseur=…, answered 302 to tel:, mailto: or the
# site): the goals of etl/config/goals.toml. Shares per supplier page view; own random stream.
OUTBOUND_SHARES = (("telephone", 0.06), ("courriel", 0.03), ("site", 0.04))


def _outbound_clicks(site, day, page_type, media, ts, client_ip, client_ua, proto, page_url):
    rng = np.random.default_rng([day, 23, len(site.profile.code)])
    rows = np.flatnonzero((page_type == SUPPLIER) & (media >= 0))
    out = []
    for kind, share in OUTBOUND_SHARES:
        chosen = rows[rng.random(len(rows)) < share]
        if not len(chosen):
            continue
        supplier = site.supplier_ids[media[chosen]]
        out.append(
            batch(
                len(chosen),
                ts=ts[chosen] + rng.integers(8, 180, len(chosen)),
                ip=client_ip[chosen],
                method="GET",
                path=np.array(
                    [f"/sortie?type={kind}&fournisseur={s}" for s in supplier], dtype=object
                ),
                proto=proto[chosen],
                status=302,
                size=0,
                ref=page_url[chosen],
                ua=client_ua[chosen],
                bot=False,
            )
        )
    return out


def _human_extras(
    site, day, rng, n, visit, first_pos, page_type, ts, client_ip, client_ua, proto, ref, page_url
):
    """Redirected entries, 404s on dead links, contact form posts."""
    prof = site.profile
    out = []
    # Old addresses redirected to the home page (the visit then loads "/").
    entries = first_pos[(page_type[first_pos] == HOME) & (rng.random(n) < 0.015)]
    if len(entries):
        which = rng.integers(0, len(prof.redirects), len(entries))
        old_paths = np.array([p for p, _ in prof.redirects], dtype=object)[which]
        codes = np.array([s for _, s in prof.redirects])[which]
        out.append(
            batch(
                len(entries),
                ts=np.maximum(ts[entries] - 1, START_UTC),
                ip=client_ip[entries],
                method="GET",
                path=old_paths,
                proto=proto[entries],
                status=codes,
                size=np.where(codes == 301, 162, 0),
                ref=ref[entries],
                ua=client_ua[entries],
                bot=False,
            )
        )
    # Dead links: withdrawn listings still shared on social networks, mistyped ids.
    rows = np.flatnonzero(rng.random(len(ts)) < 0.004)
    if len(rows):
        gone = np.flatnonzero(site.listing_withdrawn <= day)
        letter = site.listing_ids[0][0]
        dead = (
            prof.product_prefix
            + letter
            + rng.integers(10_000, 99_999, len(rows)).astype(str).astype(object)
        )  # mistyped ids
        if len(gone):
            old = rng.random(len(rows)) < 0.6
            dead[old] = site.listing_paths[gone[rng.integers(0, len(gone), int(old.sum()))]]
        out.append(
            batch(
                len(rows),
                ts=ts[rows] + rng.integers(5, 40, len(rows)),
                ip=client_ip[rows],
                method="GET",
                path=dead,
                proto=proto[rows],
                status=404,
                size=3_214,
                ref=page_url[rows],
                ua=client_ua[rows],
                bot=False,
            )
        )
    # Contact form: POST answered by a redirect to the confirmation page.
    rows = np.flatnonzero((page_type == CONTACT) & (rng.random(len(ts)) < 0.4))
    if len(rows):
        sent = ts[rows] + rng.integers(40, 240, len(rows))
        out.append(
            batch(
                len(rows),
                ts=sent,
                ip=client_ip[rows],
                method="POST",
                path="/contact",
                proto=proto[rows],
                status=302,
                size=0,
                ref=page_url[rows],
                ua=client_ua[rows],
                bot=False,
            )
        )
        out.append(
            batch(
                len(rows),
                ts=sent + 1,
                ip=client_ip[rows],
                method="GET",
                path="/contact?envoye=1",
                proto=proto[rows],
                status=200,
                size=3_700,
                ref=page_url[rows],
                ua=client_ua[rows],
                bot=False,
            )
        )
        site.counts["pageviews"] += len(rows)
    return out


# --- robots ----------------------------------------------------------------------------------------


def crawler_day(
    site: Site, day: int, rng: np.random.Generator, crawlers: agents.CrawlerPool, n: int
) -> dict | None:
    """Crawler hits spread over the whole day: robots.txt, sitemap, then product, supplier and
    category pages evenly (withdrawn ones answer 404, short links 301)."""
    if n <= 0:
        return None
    family = rng.choice(len(crawlers.names), size=n, p=crawlers.share)
    ua = np.empty(n, dtype=object)
    address = np.empty(n, dtype=np.int64)
    for f in np.unique(family):
        rows = np.flatnonzero(family == f)
        ua[rows] = crawlers.agents[f][rng.integers(0, len(crawlers.agents[f]), len(rows))]
        starts, sizes = crawlers.ranges[f]
        which = rng.integers(0, len(starts), len(rows))
        address[rows] = starts[which] + (rng.random(len(rows)) * sizes[which]).astype(np.int64)
    ip = agents.ipv4_strings(address)
    ts = local_to_utc(LOCAL0 + day * 86400 + rng.integers(0, 86400, n))
    target = rng.choice(7, size=n, p=[0.05, 0.03, 0.52, 0.20, 0.09, 0.05, 0.06])
    path = np.full(n, "/", dtype=object)
    status = np.full(n, 200, dtype=np.int64)
    size = (PAGE_BYTES[HOME] * rng.lognormal(0, 0.1, n)).astype(np.int64)
    path[target == 0] = "/robots.txt"
    size[target == 0] = 187
    path[target == 1] = "/sitemap.xml"
    size[target == 1] = 2_000 + 60 * len(site.listing_ids)
    rows = np.flatnonzero(target == 2)
    known = np.flatnonzero(site.listing_created <= day)
    if len(known) and len(rows):
        chosen = known[rng.integers(0, len(known), len(rows))]
        short = rng.random(len(rows)) < 0.08
        gone = site.listing_withdrawn[chosen] <= day
        path[rows] = np.where(short, site.listing_short_paths[chosen], site.listing_paths[chosen])
        status[rows] = np.where(short, 301, np.where(gone, 404, 200))
        size[rows] = np.where(
            short, 162, np.where(gone, 3_214, size[rows] * PAGE_BYTES[PRODUCT] // PAGE_BYTES[HOME])
        )
    rows = np.flatnonzero(target == 3)
    known = np.flatnonzero(site.supplier_joined <= day)
    if len(known) and len(rows):
        chosen = known[rng.integers(0, len(known), len(rows))]
        gone = site.supplier_left[chosen] <= day
        path[rows] = site.supplier_paths[chosen]
        status[rows] = np.where(gone, 404, 200)
        size[rows] = np.where(gone, 3_214, size[rows] * PAGE_BYTES[SUPPLIER] // PAGE_BYTES[HOME])
    rows = np.flatnonzero(target == 4)
    path[rows] = site.category_paths[rng.integers(0, len(site.category_paths), len(rows))]
    late = np.flatnonzero(site.category_start > day)
    if len(late):
        not_yet = np.isin(path[rows], site.category_paths[late])
        status[rows[not_yet]] = 404
    rows = np.flatnonzero(target == 6)
    path[rows] = np.array(["/a-propos", "/mentions-legales", "/carte", "/contact"], dtype=object)[
        rng.integers(0, 4, len(rows))
    ]
    site.counts["bot_hits"] += n
    return batch(
        n,
        ts=ts,
        ip=ip,
        method="GET",
        path=path,
        proto="HTTP/1.1",
        status=status,
        size=size,
        ref="-",
        ua=ua,
        bot=True,
    )


def uptime_day(
    site: Site, day: int, rng: np.random.Generator, interval: int, phase: int, agent: str
) -> dict | None:
    """The uptime monitor: HEAD / at a fixed interval, night and day."""
    lo, hi = day_start_utc(day), day_start_utc(day + 1)
    first = START_UTC + phase + max(0, -(-(lo - START_UTC - phase) // interval)) * interval
    ts = np.arange(first, hi, interval, dtype=np.int64)
    if not len(ts):
        return None
    addresses = np.array(agents.UPTIME_MONITOR[1], dtype=object)
    ip = addresses[rng.integers(0, len(addresses), len(ts))]
    site.counts["bot_hits"] += len(ts)
    return batch(
        len(ts),
        ts=ts,
        ip=ip,
        method="HEAD",
        path="/",
        proto="HTTP/1.1",
        status=200,
        size=0,
        ref="-",
        ua=agent,
        bot=True,
    )


def scanner_day(site: Site, day: int, rng: np.random.Generator, sessions: int) -> dict | None:
    """Vulnerability scanners probing for WordPress, .env, phpMyAdmin …: bursts of 404s."""
    if sessions <= 0:
        return None
    out = []
    for _ in range(sessions):
        k = int(rng.integers(3, 26))
        address = agents.random_ipv4(rng, agents.SCANNER_PREFIXES, 1)
        ua = agents.SCANNER_AGENTS[int(rng.integers(len(agents.SCANNER_AGENTS)))]
        start = local_to_utc(np.array([LOCAL0 + day * 86400 + int(rng.integers(0, 86400 - 600))]))[
            0
        ]
        paths = np.array(agents.SCANNER_PATHS, dtype=object)[
            rng.integers(0, len(agents.SCANNER_PATHS), k)
        ]
        status = np.full(k, 404)
        if (
            rng.random() < 0.5
        ):  # many start with robots.txt: what the ETL's behavioural check catches
            paths[0], status[0] = "/robots.txt", 200
        method = np.where(paths == "/xmlrpc.php", "POST", "GET").astype(object)
        out.append(
            batch(
                k,
                ts=start + np.sort(rng.integers(0, 120, k)),
                ip=agents.ipv4_strings(address)[0],
                method=method,
                path=paths,
                proto="HTTP/1.1",
                status=status,
                size=3_214,
                ref="-",
                ua=ua,
                bot=False,
            )
        )
    result = concat(out)
    site.human_hits += len(result["ts"])
    return result


def malformed_lines(
    rng: np.random.Generator, site: Site, day: int, kinds: list[int]
) -> list[tuple[int, str, bool]]:
    """Broken lines as they show up in real logs: (utc time, text, parseable by the combined regex)."""
    out = []
    for kind in kinds:
        ts = int(local_to_utc(np.array([LOCAL0 + day * 86400 + int(rng.integers(0, 86400))]))[0])
        ip = new_client_ips(rng, 1)[0]
        d, hms, off = timestamp_parts(np.array([ts]))
        stamp = f"[{d[0]}{hms[0]} {off[0]}]"
        if kind == 0:  # line cut short (disk full, process killed while writing)
            full = (
                f'{ip} - - {stamp} "GET {site.listing_paths[rng.integers(len(site.listing_paths))]} HTTP/1.1" 200 '
                f'5120 "{site.base_url}/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36'
            )
            out.append((ts, full[: int(len(full) * rng.uniform(0.3, 0.7))], False))
        elif kind == 1:  # binary junk (kept byte for byte through surrogateescape)
            raw = bytes(
                int(b) for b in rng.integers(0, 256, int(rng.integers(20, 80))) if b not in (10, 13)
            )
            out.append((ts, raw.decode("utf-8", "surrogateescape"), False))
        elif kind == 2:  # TLS handshake sent to the plain HTTP port, as nginx escapes it
            tail = "".join(f"\\x{int(b):02X}" for b in rng.integers(0, 256, 12))
            out.append(
                (
                    ts,
                    f'{ip} - - {stamp} "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03{tail}" '
                    f'400 157 "-" "-"',
                    True,
                )
            )
        else:  # connection closed before any request
            out.append((ts, f'{ip} - - {stamp} "-" 400 0 "-" "-"', True))
    return out


# --- output ------------------------------------------------------------------------------------


def format_lines(b: dict) -> list[str]:
    day, hms, off = timestamp_parts(b["ts"])
    return [
        f'{ip} - - [{d}{t} {o}] "{m} {p} {pr}" {s} {z} "{r}" "{u}"\n'
        for ip, d, t, o, m, p, pr, s, z, r, u in zip(
            b["ip"].tolist(),
            day,
            hms,
            off,
            b["method"].tolist(),
            b["path"].tolist(),
            b["proto"].tolist(),
            b["status"].tolist(),
            b["size"].tolist(),
            b["ref"].tolist(),
            b["ua"].tolist(),
        )
    ]


# Lines formatted, compressed and written at a time. A week of the food platform holds up to
# 340,000 lines at scale 1 (April 2020) and 17 million at scale 50, which as Python strings would
# not fit in memory. A week of more than one slice becomes a gzip file of several members (one
# per slice), which gzip, zcat and our loader read as one stream; logrotate writes one.
LINES_PER_SLICE = 250_000
# Slices waiting for compression or for the disk: bounds the memory whatever the scale.
SLICES_IN_FLIGHT = 3


def _ready(data: bytes) -> Future:
    done: Future = Future()
    done.set_result(data)
    return done


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)  # mtime 0: identical bytes on every run


@dataclass
class LogWriter:
    """Collects a platform's hits day after day and writes one file per logrotate week."""

    site: Site
    folder: Path
    boundaries: np.ndarray
    executor: ThreadPoolExecutor
    pending: list = field(default_factory=list)
    pending_broken: list = field(default_factory=list)
    segment: int = 0
    # (file, its bytes to come, last slice of the file?) in file order, not yet on disk
    _queue: deque = field(default_factory=deque)
    _handle: BinaryIO | None = None
    _written: int = 0

    @property
    def n_files(self) -> int:
        return len(self.boundaries) + 1

    def add(self, hits: dict | None, broken: list | None = None):
        if hits is not None:
            self.pending.append(hits)
        if broken:
            self.pending_broken.extend(broken)

    def flush_until(self, limit_utc: int, final: bool = False):
        """Write every complete weekly file whose end is before `limit_utc`."""
        while self.segment < self.n_files:
            end = (
                END_UTC
                if self.segment == len(self.boundaries)
                else int(self.boundaries[self.segment])
            )
            if not final and end > limit_utc:
                return
            self._write_segment(end)
            self.segment += 1

    def _write_segment(self, end: int):
        hits = concat(self.pending)
        order = np.argsort(hits["ts"], kind="stable")
        hits = take(hits, order)
        cut = int(np.searchsorted(hits["ts"], end, side="left"))
        now, later = take(hits, slice(0, cut)), take(hits, slice(cut, None))
        del hits
        self.pending = [later] if len(later["ts"]) else []
        now = take(now, now["ts"] >= START_UTC)
        broken_now = sorted((b for b in self.pending_broken if b[0] < end), key=lambda b: b[0])
        self.pending_broken = [b for b in self.pending_broken if b[0] >= end]
        # Each broken line goes before the first hit after its time.
        broken_at = np.searchsorted(now["ts"], [b[0] for b in broken_now], side="right")
        for _, _, parseable in broken_now:
            self.site.counts["malformed_lines"] += 1
            self.site.counts["unparseable_lines"] += 0 if parseable else 1
        rotation = self.n_files - 1 - self.segment
        name = (
            "access.log"
            if rotation == 0
            else (f"access.log.{rotation}" if rotation == 1 else f"access.log.{rotation}.gz")
        )
        path = self.folder / name
        n = len(now["ts"])
        for start in range(0, max(n, 1), LINES_PER_SLICE):
            stop = min(start + LINES_PER_SLICE, n)
            lines = format_lines(take(now, slice(start, stop)))
            mine = [
                i for i, at in enumerate(broken_at) if start <= at < stop or (stop == n and at == n)
            ]
            for i in reversed(mine):  # reversed: the positions of the earlier ones stay valid
                lines.insert(int(broken_at[i]) - start, broken_now[i][1] + "\n")
            data = "".join(lines).encode("utf-8", "surrogateescape")
            self.site.counts["lines"] += len(lines)
            self.site.counts["text_bytes"] += len(data)
            slice_bytes = self.executor.submit(_gzip, data) if rotation >= 2 else _ready(data)
            self._queue.append((path, slice_bytes, stop == n))
            del lines, data
            self._write_ready(max_queued=SLICES_IN_FLIGHT)
        self.site.counts["files"] += 1

    def _write_ready(self, max_queued: int):
        """Write the slices at the head of the queue that are ready, in order; wait for them
        while more than `max_queued` are queued."""
        while self._queue and (self._queue[0][1].done() or len(self._queue) > max_queued):
            path, slice_bytes, last_of_file = self._queue.popleft()
            if self._handle is None:
                self._handle = open(path, "wb")  # noqa: SIM115 - closed when its last slice is written
            self._written += self._handle.write(slice_bytes.result())
            if last_of_file:
                self._handle.close()
                self._handle = None

    def close(self) -> int:
        self.flush_until(END_UTC, final=True)
        self._write_ready(max_queued=0)
        self.site.counts["bytes"] = self._written
        return self._written
