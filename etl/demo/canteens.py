"""Demo canteen files in the published formats (data/README.md, "Canteens and PAT"): ma
cantine's register, two teledeclaration campaigns and the PAT list, for the region's six
departments, written to `raw_dir/cantines/`.

At scale 1: about 300 canteens of the region, weighted by commune population (schools
mostly, then colleges, high schools, care homes and administrations), a few of other regions
(the load counts them out of scope), six PATs around the prefectures plus one across a
regional border and one elsewhere, and declarations for about 40 % (2022) and 55 % (2023) of
the canteens, with organic and other-EGalim shares around the national figures (13 % and 15 %).
A handful of deliberately broken rows exercise the quarantine (`BROKEN`). Formats as
published: register and campaigns `;`, UTF-8 with BOM, decimal points; the PAT list `;`,
Windows-1252. Its own random stream (seed, 31): the other demo files do not change.
"""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import numpy as np

from etl.settings import REFERENCE_DIR

FOLDER = "cantines"
REGISTER_COLUMNS = [
    "id", "name", "siret", "siren_unite_legale", "city", "city_insee_code", "postal_code",
    "epci", "epci_lib", "pat_list", "pat_lib_list", "department", "department_lib", "region",
    "region_lib", "economic_model", "management_type", "production_type",
    "satellite_canteens_count", "central_producer_siret", "daily_meal_count",
    "yearly_meal_count", "line_ministry", "sector_list", "creation_date", "modification_date",
]  # fmt: skip
CAMPAIGN_COLUMNS = [
    "id", "year", "creation_date", "teledeclaration_mode", "teledeclaration_type",
    "canteen_id", "canteen_siret", "canteen_name", "canteen_central_kitchen_siret",
    "canteen_city_insee_code", "canteen_epci", "canteen_department", "canteen_region",
    "canteen_management_type", "canteen_production_type", "canteen_sector_list",
    "teledeclaration_ratio_bio", "teledeclaration_ratio_egalim_hors_bio",
]  # fmt: skip
PAT_COLUMNS = [
    "id", "lien_vers_la_fiche_pat", "nom_administratif", "nom_usuel", "regions",
    "departement", "epci", "communes_code_insee",
]  # fmt: skip
REGION_CODE, REGION_NAME = "24", "Centre-Val de Loire"
# Sector, share of canteens, meals a day (low, high), serving days a year, line ministry.
SECTORS = [
    ("Ecole primaire (maternelle et élémentaire)", 0.58, (40, 400), 140, ""),
    ("Collège", 0.15, (250, 700), 140, "Ministère de l'Éducation nationale"),
    ("Lycée", 0.08, (350, 1200), 150, "Ministère de l'Éducation nationale"),
    ("EHPAD / maison de retraite / foyer de personnes âgées", 0.11, (60, 250), 365, ""),
    ("Restaurants administratifs d'Etat (RA)", 0.08, (80, 600), 220, "Ministère de l'Intérieur"),
]
# Canteens of other regions, as a national register holds: counted out of scope by the load.
ELSEWHERE = [
    ("75056", "Paris", "75", "11"),
    ("44109", "Nantes", "44", "52"),
    ("86194", "Poitiers", "86", "75"),
    ("63113", "Clermont-Ferrand", "63", "84"),
]
# Broken rows (count at any scale): the register's, then the campaigns'.
BROKEN = {
    "duplicate_siret": 1,
    "invalid_siret": 1,
    "unknown_commune": 1,
    "invalid_meal_count": 1,
    "percent_ratio": 1,
}


def _luhn_complete(prefix: str) -> str:
    """`prefix` and the digit that makes its Luhn sum a multiple of 10 (SIREN and SIRET)."""
    for key in "0123456789":
        digits = prefix + key
        # Digits doubled from the right: with an even length, those at even positions.
        offset = len(digits) % 2
        total = sum(
            (int(c) * 2) % 10 + (int(c) * 2) // 10 if (i + offset) % 2 == 0 else int(c)
            for i, c in enumerate(digits)
        )
        if total % 10 == 0:
            return digits
    raise AssertionError("a Luhn key digit always exists")


def _communes() -> list[dict]:
    with open(REFERENCE_DIR / "communes.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _departments() -> dict[str, str]:
    with open(REFERENCE_DIR / "departements.csv", encoding="utf-8", newline="") as handle:
        return {row["department_code"]: row["department_name"] for row in csv.DictReader(handle)}


def _distance_km(a: dict, b: dict) -> float:
    lat = math.radians((float(a["latitude"]) + float(b["latitude"])) / 2)
    dx = (float(a["longitude"]) - float(b["longitude"])) * 111.32 * math.cos(lat)
    dy = (float(a["latitude"]) - float(b["latitude"])) * 110.57
    return math.hypot(dx, dy)


def _epcis(communes: list[dict], rng: np.random.Generator) -> dict[str, tuple[str, str]]:
    """insee_code → (EPCI SIREN, name): each department's communes grouped around seats, the
    most populous communes, nearest seat first (as intercommunalities form around a town)."""
    out = {}
    for department in sorted({c["department_code"] for c in communes}):
        members = [c for c in communes if c["department_code"] == department]
        seats = sorted(members, key=lambda c: -int(c["population"] or 0))[
            : max(3, len(members) // 20)
        ]
        codes = {}
        for n, seat in enumerate(seats):
            siren = _luhn_complete(f"24{department}{int(rng.integers(10_000, 99_999)):05d}"[:8])
            kind = "Communauté d'agglomération" if n < 2 else "Communauté de communes"
            codes[seat["insee_code"]] = (siren, f"{kind} {_of(seat['commune'])}")
        for commune in members:
            nearest = min(seats, key=lambda s: _distance_km(s, commune))
            out[commune["insee_code"]] = codes[nearest["insee_code"]]
    return out


def _pats(communes: list[dict], departments: dict[str, str]) -> list[dict]:
    """A PAT per department around its most populous commune (its nearest 40 communes), one
    across the border of Eure-et-Loir, and one wholly elsewhere (out of scope)."""
    pats = []
    for n, department in enumerate(sorted(departments)):
        members = [c for c in communes if c["department_code"] == department]
        seat = max(members, key=lambda c: int(c["population"] or 0))
        near = sorted(members, key=lambda c: _distance_km(seat, c))[:40]
        pats.append(
            {
                "id": str(1201 + n),
                "lien_vers_la_fiche_pat": f"https://france-pat.fr/pat/demo-{department}/",
                "nom_administratif": f"Projet alimentaire territorial du bassin {_of(seat['commune'])}",
                "nom_usuel": f"PAT {seat['commune']} – {departments[department]}",
                "regions": REGION_NAME,
                "departement": departments[department],
                "epci": "",
                "communes": [c["insee_code"] for c in near],
            }
        )
    perche = [c for c in communes if c["department_code"] == "28"]
    perche = sorted(perche, key=lambda c: float(c["longitude"]))[:15]
    pats.append(
        {
            "id": "1301",
            "lien_vers_la_fiche_pat": "https://france-pat.fr/pat/demo-perche/",
            "nom_administratif": "Projet alimentaire territorial du Perche",
            "nom_usuel": "PAT du Perche",
            "regions": f"Normandie, {REGION_NAME}",
            "departement": "Orne, Eure-et-Loir",
            "epci": "",
            "communes": ["61484", "61196", *(c["insee_code"] for c in perche)],
        }
    )
    pats.append(
        {
            "id": "1302",
            "lien_vers_la_fiche_pat": "https://france-pat.fr/pat/demo-nantes/",
            "nom_administratif": "Projet alimentaire territorial de Nantes Métropole",
            "nom_usuel": "PAT de Nantes",
            "regions": "Pays de la Loire",
            "departement": "Loire-Atlantique",
            "epci": "244400404",
            "communes": ["44109", "44143", "44190"],
        }
    )
    return pats


def _write(path: Path, columns: list[str], rows: list[dict], encoding: str) -> None:
    # As ma cantine writes its exports (pandas, `;`, no quoting) and data.gouv.fr the PAT list.
    with open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(";".join(columns) + "\n")
        for row in rows:
            handle.write(";".join(str(row.get(c, "")) for c in columns) + "\n")


def generate_canteens(raw_dir: Path, scale: float, seed: int) -> dict:
    """Write the three kinds of canteen file; return what was written (rows per kind)."""
    rng = np.random.Generator(np.random.PCG64([seed, 31]))
    folder = Path(raw_dir) / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    communes = _communes()
    departments = _departments()
    epcis = _epcis(communes, rng)
    pats = _pats(communes, departments)
    pats_of: dict[str, list[dict]] = {}
    for pat in pats:
        for code in pat["communes"]:
            pats_of.setdefault(code, []).append(pat)

    n = max(20, int(round(300 * scale)))
    weights = np.array([math.sqrt(int(c["population"] or 0) + 50) for c in communes])
    picked = rng.choice(len(communes), size=n, p=weights / weights.sum())
    sector_p = np.array([s[1] for s in SECTORS])
    used: set[str] = set()

    def new_siret() -> str:
        while True:
            siren = _luhn_complete(f"2{int(rng.integers(10_000_000, 99_999_999)):08d}"[:8])
            siret = _luhn_complete(siren + f"{int(rng.integers(1, 9999)):04d}")
            if siret not in used:
                used.add(siret)
                return siret

    canteens = []
    centrals: dict[str, str] = {}  # department → SIRET of its central kitchen
    for i, index in enumerate(picked.tolist()):
        commune = communes[index]
        department = commune["department_code"]
        sector, _, (low, high), days, ministry = SECTORS[
            int(rng.choice(len(SECTORS), p=sector_p / sector_p.sum()))
        ]
        daily = int(rng.integers(low, high + 1))
        production = str(
            rng.choice(
                ["site", "site_cooked_elsewhere", "central", "central_serving"],
                p=[0.55, 0.3, 0.1, 0.05],
            )
        )
        siret = new_siret()
        if production.startswith("central"):
            centrals.setdefault(department, siret)
        epci, epci_name = epcis[commune["insee_code"]]
        here = pats_of.get(commune["insee_code"], [])
        canteens.append(
            {
                "id": str(71000 + i),
                "name": _name(sector, commune["commune"]),
                "siret": siret,
                "siren_unite_legale": siret[:9],
                "city": commune["commune"],
                "city_insee_code": commune["insee_code"],
                "postal_code": commune["postal_codes"].split()[0],
                "epci": epci,
                "epci_lib": epci_name,
                "pat_list": ",".join(p["id"] for p in here),
                "pat_lib_list": ",".join(p["nom_usuel"] for p in here),
                "department": department,
                "department_lib": departments[department],
                "region": REGION_CODE,
                "region_lib": REGION_NAME,
                "economic_model": "public",
                "management_type": str(rng.choice(["direct", "conceded"], p=[0.7, 0.3])),
                "production_type": production,
                "satellite_canteens_count": int(rng.integers(2, 12))
                if production.startswith("central")
                else "",
                "daily_meal_count": daily,
                "yearly_meal_count": f"{daily * days}.0",
                "line_ministry": ministry,
                "sector_list": sector,
                "creation_date": f"2022-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}",
                "modification_date": "2024-01-15",
            }
        )
    for canteen in canteens:
        if canteen["production_type"] == "site_cooked_elsewhere":
            canteen["central_producer_siret"] = centrals.get(canteen["department"], "")
    region_rows = len(canteens)
    for n_other, (insee, city, department, region) in enumerate(ELSEWHERE):
        canteens.append(
            {
                "id": str(90000 + n_other),
                "name": f"Restaurant scolaire {_of(city)}",
                "siret": new_siret(),
                "city": city,
                "city_insee_code": insee,
                "department": department,
                "region": region,
                "management_type": "direct",
                "production_type": "site",
                "daily_meal_count": 300,
                "yearly_meal_count": "42000.0",
                "sector_list": SECTORS[0][0],
            }
        )
    # Broken rows, one of each kind (the quarantine's reasons).
    broken = [
        dict(canteens[0], id="79001"),  # its SIRET a second time
        dict(canteens[1], id="79002", siret=canteens[1]["siret"][:-1] + "X"),
        dict(canteens[2], id="79003", siret=new_siret(), city_insee_code="37999"),
        dict(canteens[3], id="79004", siret=new_siret(), daily_meal_count="env. 200"),
    ]
    _write(folder / "registre_cantines.csv", REGISTER_COLUMNS, canteens + broken, "utf-8-sig")

    declared = {}
    for year, share in ((2022, 0.4), (2023, 0.55)):
        rows = []
        for canteen in canteens[:region_rows]:
            if rng.random() >= share:
                continue
            # Organic around 13 %, other EGalim-quality purchases around 15 % (the national
            # figures of the 2023 campaign), higher in 2023; their sum stays below 1.
            bio = float(rng.beta(2, 12 if year == 2022 else 10))
            egalim = float(rng.beta(2, 11)) * (1 - bio)
            rows.append(
                {
                    "id": str(20000 + year * 10 + len(rows)),
                    "year": year,
                    "creation_date": f"{year + 1}-03-{int(rng.integers(1, 29)):02d}T10:00:00Z",
                    "teledeclaration_mode": "SITE",
                    "teledeclaration_type": str(rng.choice(["SIMPLE", "COMPLETE"], p=[0.8, 0.2])),
                    "canteen_id": canteen["id"],
                    "canteen_siret": canteen["siret"],
                    "canteen_name": canteen["name"],
                    "canteen_central_kitchen_siret": canteen.get("central_producer_siret", ""),
                    "canteen_city_insee_code": canteen["city_insee_code"],
                    "canteen_epci": canteen["epci"],
                    "canteen_department": canteen["department"],
                    "canteen_region": REGION_CODE,
                    "canteen_management_type": canteen["management_type"],
                    "canteen_production_type": canteen["production_type"],
                    "canteen_sector_list": canteen["sector_list"],
                    "teledeclaration_ratio_bio": f"{bio:.4f}",
                    "teledeclaration_ratio_egalim_hors_bio": f"{egalim:.4f}",
                }
            )
        if year == 2023 and rows:
            # A share typed as a percentage (23.5 for 23.5 %): quarantined, not divided by 100.
            rows.append(dict(rows[0], id="29999", canteen_siret=canteens[5]["siret"],
                             teledeclaration_ratio_bio="23.5"))  # fmt: skip
        _write(folder / f"campagne_td_{year}.csv", CAMPAIGN_COLUMNS, rows, "utf-8-sig")
        declared[year] = len(rows)

    pat_rows = [dict(p, communes_code_insee=",".join(p["communes"])) for p in pats]
    _write(folder / "pats-20250224-win1252.csv", PAT_COLUMNS, pat_rows, "cp1252")
    return {
        "canteens": region_rows,
        "canteens_elsewhere": len(ELSEWHERE),
        "canteen_rows": len(canteens) + len(broken),
        "declarations": declared,
        "food_projects": len(pats),
        "broken": dict(BROKEN),
    }


def _of(city: str) -> str:
    """`de Tours`, `d'Amboise`, `du Blanc`, `des Aix-d'Angillon`: French elision and contraction."""
    if city.startswith("Le "):
        return "du " + city[3:]
    if city.startswith("Les "):
        return "des " + city[4:]
    return ("d'" if city[:1] in "AEIOUYÉÈÊÂÎÔ" else "de ") + city


def _name(sector: str, city: str) -> str:
    if sector.startswith("Ecole"):
        return f"Restaurant scolaire {_of(city)}"
    if sector == "Collège":
        return f"Collège {_of(city)}"
    if sector == "Lycée":
        return f"Lycée {_of(city)}"
    if sector.startswith("EHPAD"):
        return f"EHPAD {_of(city)}"
    return f"Restaurant administratif {_of(city)}"
