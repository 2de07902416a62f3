"""Reference geography for the maps (pure module): the six departments' boundaries from
data/reference/departements.geojson (INSEE, committed)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

GEOJSON_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "reference" / "departements.geojson"
)


@lru_cache(maxsize=1)
def departments_geojson() -> dict:
    """The GeoJSON FeatureCollection; features carry `properties.code` and `properties.nom`."""
    return json.loads(GEOJSON_FILE.read_text(encoding="utf-8"))


DEPARTMENTS_FILE = GEOJSON_FILE.with_name("departements_france.csv")


@lru_cache(maxsize=1)
def french_department_names() -> dict[str, str]:
    """{INSEE code: name} of every French department (data/reference/departements_france.csv,
    built by `python -m etl reference` from INSEE data)."""
    import csv

    with open(DEPARTMENTS_FILE, encoding="utf-8", newline="") as handle:
        return {row["department_code"]: row["department_name"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """{ISO 3166-1 alpha-2 code: French name} (CLDR data shipped by babel)."""
    from babel import Locale

    return {code: name for code, name in Locale("fr").territories.items() if len(code) == 2}
