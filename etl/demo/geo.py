"""Where the demo's visitors come from: their addresses, and a small city database of its own.

The traffic generator draws human client addresses in the blocks of `agents.FRENCH_IPV4`
(unchanged, so that the same seed draws the same numbers and the scale-1 figures stay what
the tests know). `place` then moves every drawn address, one to one, to where it is shown:

* the address space of the draw blocks, laid end to end, onto French ranges that the
  country database the load uses (`iptocc`, RIR data) gives to France (`FRENCH_POOL`: some
  draw blocks hold a few foreign allocations, which would have made random visitors from
  Iran or Israel);
* the first sixteenth of some draw blocks onto Belgian, Swiss, German, Spanish, British,
  Italian and Luxembourg ranges (`FOREIGN_BLOCKS`): about 4 % of the visitors come from abroad.

Being one to one, the move keeps every distinct address distinct: the same visitors, visits
and page views as before it existed.

`write_city_db` writes a MaxMind-format city database (GeoIP2-City record layout) that gives
each sixteenth of the French space a department (`DEMO_DEPARTMENTS`: mostly the six of
Centre-Val de Loire, some Île-de-France and elsewhere, one sixteenth France without a
department), as a region's licensed city database would. The load finds it at
`<raw>/geo/villes.mmdb` (docs/settings.md, `geo_city_db_path`). Its departments are made up:
it is for the demo's addresses only.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import numpy as np

from . import agents

CITY_DB_NAME = "villes.mmdb"
CITY_DB_TYPE = "Observatoire-Demo-City"
BUILD_EPOCH = 1609372800  # 2020-12-31 00:00 UTC, the last day of the demo

# Ranges (first address, number of /16) that iptocc 3.3.170 gives wholly to France, checked
# /24 by /24 (tests/test_demo_generator.py): about 44 million addresses, more than the 41
# million of the draw blocks.
FRENCH_POOL = [
    ("90.0.0.0", 96),
    ("176.128.0.0", 64),
    ("92.128.0.0", 53),
    ("86.192.0.0", 34),
    ("77.128.0.0", 32),
    ("78.192.0.0", 32),
    ("82.224.0.0", 32),
    ("88.160.0.0", 32),
    ("93.0.0.0", 32),
    ("109.0.0.0", 32),
    ("86.227.0.0", 29),
    ("90.99.0.0", 29),
    ("78.231.0.0", 25),
    ("37.160.0.0", 16),
    ("77.192.0.0", 16),
    ("78.112.0.0", 16),
    ("79.80.0.0", 16),
    ("83.192.0.0", 16),
    ("86.64.0.0", 16),
    ("89.80.0.0", 16),
    ("91.160.0.0", 16),
    ("109.208.0.0", 16),
]

# Foreign ranges (first address, size, ISO country) and, for each, the draw blocks (index in
# agents.FRENCH_IPV4) whose first sixteenth lands there, one after the other.
FOREIGN_BLOCKS = [
    ("109.128.0.0", 1 << 19, "BE", (0,)),  # Proximus
    ("85.0.0.0", 1 << 19, "CH", (1, 2, 8)),  # Swisscom
    ("79.192.0.0", 1 << 20, "DE", (3, 6, 15)),  # Deutsche Telekom
    ("81.32.0.0", 1 << 20, "ES", (4, 11)),  # Telefónica
    ("86.0.0.0", 1 << 20, "GB", (7,)),  # Virgin Media
    ("93.32.0.0", 1 << 19, "IT", (9,)),  # Fastweb
    ("158.64.0.0", 1 << 16, "LU", (5,)),  # RESTENA
]

# Department of each sixteenth of a draw block (the first one too, in blocks that send none
# abroad); None: France, department unknown (a city database does not place every address).
DEMO_DEPARTMENTS = [
    "45", "45", "37", "37", "41", "28", "18", "36",
    "45", "37", "41", "75", "92", "72", "69", None,
]  # fmt: skip
# Names as a city database gives them (GeoIP2: region first, then department).
REGIONS = {
    "18": ("CVL", "Centre-Val de Loire", "Cher"),
    "28": ("CVL", "Centre-Val de Loire", "Eure-et-Loir"),
    "36": ("CVL", "Centre-Val de Loire", "Indre"),
    "37": ("CVL", "Centre-Val de Loire", "Indre-et-Loire"),
    "41": ("CVL", "Centre-Val de Loire", "Loir-et-Cher"),
    "45": ("CVL", "Centre-Val de Loire", "Loiret"),
    "75": ("IDF", "Île-de-France", "Paris"),
    "92": ("IDF", "Île-de-France", "Hauts-de-Seine"),
    "72": ("PDL", "Pays de la Loire", "Sarthe"),
    "69": ("ARA", "Auvergne-Rhône-Alpes", "Rhône"),
}
# IPv6 prefixes of agents.FRENCH_IPV6, by department (None: France only).
IPV6_DEPARTMENTS = [
    ("2a01:cb00::/24", "45"),
    ("2a01:e30::/28", "37"),
    ("2a02:8420::/28", "75"),
    ("2001:861::/32", None),
]


def _int(address: str) -> int:
    return int(ipaddress.IPv4Address(address))


_DRAW_STARTS = np.array([_int(p[0]) for p in agents.FRENCH_IPV4], dtype=np.int64)
_DRAW_SIZES = np.array([p[1] for p in agents.FRENCH_IPV4], dtype=np.int64)
_DRAW_ORDER = np.argsort(_DRAW_STARTS)
_DRAW_VIRTUAL = np.concatenate([[0], np.cumsum(_DRAW_SIZES)[:-1]])  # block start, end to end
_POOL_STARTS = np.array([_int(s) for s, _ in FRENCH_POOL], dtype=np.int64)
_POOL_SIZES = np.array([n << 16 for _, n in FRENCH_POOL], dtype=np.int64)
_POOL_VIRTUAL = np.concatenate([[0], np.cumsum(_POOL_SIZES)[:-1]])
assert _POOL_SIZES.sum() >= _DRAW_SIZES.sum(), "FRENCH_POOL smaller than the draw blocks"


def _foreign_starts() -> tuple[np.ndarray, list[str | None]]:
    """For each draw block, where its first sixteenth goes abroad (-1: it stays in France)."""
    starts = np.full(len(agents.FRENCH_IPV4), -1, dtype=np.int64)
    countries: list[str | None] = [None] * len(agents.FRENCH_IPV4)
    for first, size, country, blocks in FOREIGN_BLOCKS:
        at = _int(first)
        for block in blocks:
            starts[block], countries[block] = at, country
            at += int(_DRAW_SIZES[block]) // 16
        assert at <= _int(first) + size, f"{first}: foreign range too small"
    return starts, countries


_FOREIGN_STARTS, _FOREIGN_COUNTRIES = _foreign_starts()


def _pool_address(virtual: np.ndarray) -> np.ndarray:
    j = np.searchsorted(_POOL_VIRTUAL, virtual, side="right") - 1
    return _POOL_STARTS[j] + (virtual - _POOL_VIRTUAL[j])


def place(addresses: np.ndarray) -> np.ndarray:
    """The shown address of each drawn one (integers in agents.FRENCH_IPV4), one to one."""
    a = np.asarray(addresses, dtype=np.int64)
    k = np.searchsorted(_DRAW_STARTS[_DRAW_ORDER], a, side="right") - 1
    block = _DRAW_ORDER[k]
    offset = a - _DRAW_STARTS[block]
    out = _pool_address(_DRAW_VIRTUAL[block] + offset)
    abroad = (_FOREIGN_STARTS[block] >= 0) & (offset < _DRAW_SIZES[block] // 16)
    return np.where(abroad, _FOREIGN_STARTS[block] + offset, out)


def _pool_ranges(first: int, size: int) -> list[tuple[int, int]]:
    """The real address ranges (first, last) of the virtual interval [first, first + size)."""
    out, end = [], first + size
    while first < end:
        j = int(np.searchsorted(_POOL_VIRTUAL, first, side="right") - 1)
        stop = min(end, int(_POOL_VIRTUAL[j] + _POOL_SIZES[j]))
        start = int(_POOL_STARTS[j] + first - _POOL_VIRTUAL[j])
        out.append((start, start + stop - first - 1))
        first = stop
    return out


def department_ranges() -> dict[str | None, list[tuple[int, int]]]:
    """The French IPv4 ranges (first, last) of each department of DEMO_DEPARTMENTS."""
    out: dict[str | None, list[tuple[int, int]]] = {}
    for block, size in enumerate(_DRAW_SIZES.tolist()):
        part = size // 16
        for chunk, department in enumerate(DEMO_DEPARTMENTS):
            if chunk == 0 and _FOREIGN_STARTS[block] >= 0:
                continue
            first = int(_DRAW_VIRTUAL[block]) + chunk * part
            out.setdefault(department, []).extend(_pool_ranges(first, part))
    return out


def foreign_ranges() -> dict[str, list[tuple[int, int]]]:
    """The foreign IPv4 ranges (first, last) the demo's visitors come from, by country."""
    out: dict[str, list[tuple[int, int]]] = {}
    for block, country in enumerate(_FOREIGN_COUNTRIES):
        if country is not None:
            start = int(_FOREIGN_STARTS[block])
            out.setdefault(country, []).append((start, start + int(_DRAW_SIZES[block]) // 16 - 1))
    return out


def _record(country: str, department: str | None) -> dict:
    record: dict = {"country": {"iso_code": country}}
    if department is not None:
        region_code, region, name = REGIONS[department]
        record["subdivisions"] = [
            {"iso_code": region_code, "names": {"fr": region}},
            {"iso_code": department, "names": {"fr": name}},
        ]
    return record


def write_city_db(path: Path) -> Path:
    """Write the demo's city database (MaxMind DB format) at `path`."""
    # mmdb-writer (and netaddr, which it requires) are only needed to write the demo's file.
    from mmdb_writer import MMDBWriter
    from netaddr import IPRange, IPSet

    def ipset(ranges) -> IPSet:
        v4 = ipaddress.IPv4Address
        return IPSet(
            cidr for lo, hi in ranges for cidr in IPRange(str(v4(lo)), str(v4(hi))).cidrs()
        )

    class DemoWriter(MMDBWriter):
        # Dated at the demo's end, not the clock: the same seed gives the same bytes.
        def _build_meta(self) -> dict:
            return {**super()._build_meta(), "build_epoch": BUILD_EPOCH}

    writer = DemoWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type=CITY_DB_TYPE,
        languages=["fr"],
        description={"fr": "Base de villes de démonstration (départements fictifs)"},
    )
    for department, ranges in department_ranges().items():
        writer.insert_network(ipset(ranges), _record("FR", department))
    for country, ranges in foreign_ranges().items():
        writer.insert_network(ipset(ranges), _record(country, None))
    for prefix, department in IPV6_DEPARTMENTS:
        writer.insert_network(IPSet([prefix]), _record("FR", department))
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.to_db_file(str(path))
    return path
