"""The NAF sector mapping of app/naf_sectors.toml (pure module, no Streamlit).

`rules()` gives the (prefix, sector, group) rows bound as `$naf_rules` by
`app.queries.equipment_by_sector`; `sector_label()` and `group_label()` the French names.
`classify()` applies the same rule in Python (longest matching prefix wins), for tests and
notebooks.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

MAPPING_FILE = Path(__file__).with_name("naf_sectors.toml")
UNCLASSIFIED = "unclassified"  # sector of a company whose code no prefix covers (or no code)
UNKNOWN_GROUP = "unknown"
# A division (13), group (46.4), class (46.46) or full code (46.69B) of NAF rev.2.
PREFIX_PATTERN = re.compile(r"^\d{2}(\.\d{1,2}[A-Z]?)?$")


@lru_cache(maxsize=1)
def mapping() -> dict:
    with MAPPING_FILE.open("rb") as handle:
        return tomllib.load(handle)


def rules() -> tuple[dict[str, str], ...]:
    """One dict per prefix: {'prefix', 'sector', 'group'} (hashable as a tuple for caching)."""
    return tuple(
        {"prefix": prefix, "sector": sector["key"], "group": sector["group"]}
        for sector in mapping()["sector"]
        for prefix in sector["prefixes"]
    )


def sector_label(key: str) -> str:
    for sector in mapping()["sector"]:
        if sector["key"] == key:
            return sector["label"]
    return key


def group_label(key: str, unknown: str) -> str:
    return mapping()["groups"].get(key, unknown)


def classify(naf_code: str | None) -> tuple[str, str]:
    """(sector, group) of a NAF code by the longest matching prefix."""
    if not naf_code:
        return UNCLASSIFIED, UNKNOWN_GROUP
    matches = [rule for rule in rules() if naf_code.startswith(rule["prefix"])]
    if not matches:
        return UNCLASSIFIED, UNKNOWN_GROUP
    best = max(matches, key=lambda rule: len(rule["prefix"]))
    return best["sector"], best["group"]
