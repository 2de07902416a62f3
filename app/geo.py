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
