"""Demo list of Agence BIO's organic operators (data/README.md, "Organic operators"): the API's
operators flattened to one row each, written to `raw_dir/cantines/operateurs_bio.csv` (`;`,
UTF-8) after the canteen files.

At scale 1: about 900 operators of the region (the order of the region's organic farms,
processors and shops), weighted by the square root of commune population as farms are; three
in four producers (some also prepare or sell), the others processors and shops. Productions
as Agence BIO names them, mostly certified (AB), some in conversion (C1–C3), a few with labels
the family mapping does not know (counted by the load), a few certificates stopped.
About one food producer of the platform in five with a SIRET is in the list under that SIRET
(organic farms that joined the platform): the recruitment targets leave them out. A few
operators of other regions (counted out of scope) and `BROKEN` rows exercise the quarantine.
Its own random stream (seed, 32): the other demo files do not change.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from .canteens import FOLDER, _communes, _luhn_complete, _of

FILE_NAME = "operateurs_bio.csv"
COLUMNS = [
    "id", "numerobio", "siret", "raisonsociale", "denominationcourante", "codecommune",
    "commune", "codepostal", "departement", "activites", "productions", "etatcertification",
    "dateengagement", "organismecertificateur",
]  # fmt: skip
# Production labels (Agence BIO's, CPF names) and their weight among the region's producers:
# field crops and vegetables first, then livestock; the last three are not in
# etl/config/organic_families.toml on purpose.
PRODUCTIONS = [
    ("Céréales", 22), ("Légumes frais", 16), ("Fruits", 7), ("Lait de vache", 6),
    ("Volailles", 6), ("Bovins", 6), ("Ovins", 3), ("Œufs", 5), ("Vins", 8), ("Miel", 4),
    ("Lait de chèvre", 4), ("Fromages", 3), ("Porcins", 2), ("Pain", 2), ("Farines", 2),
    ("Poissons", 1), ("Plantes aromatiques", 2), ("Fourrages", 5),
    ("Caprins", 2), ("Escargots", 1), ("Plantes à parfum", 1),
]  # fmt: skip
# The production a platform producer of each listing category declares to Agence BIO.
CATEGORY_PRODUCTIONS = {
    "fruits_legumes": "Légumes frais",
    "viandes_volailles": "Volailles",
    "produits_laitiers": "Lait de vache",
    "oeufs": "Œufs",
    "miel": "Miel",
    "boissons": "Vins",
    "epicerie": "Farines",
    "poissons": "Poissons",
    "fleurs_plants": "Fleurs",
    "pain_boulangerie": "Pain",
}
CERTIFIERS = ["Ecocert France", "Bureau Veritas Certification France", "Certipaq Bio", "Qualisud"]
FARM_FORMS = ["EARL", "GAEC", "SCEA", "EARL", ""]
SURNAMES = [
    "Martin", "Bernard", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
    "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "Fournier", "Girard", "Bonnet", "Mercier",
    "Chevalier", "Blanchard", "Rousseau", "Gauthier", "Perrin", "Morin", "Garnier", "Faure",
]  # fmt: skip
# Operators of other regions, as the national list holds: counted out of scope by the load.
ELSEWHERE = [("75056", "Paris"), ("44109", "Nantes"), ("86194", "Poitiers")]
BROKEN = {"duplicate_siret": 1, "invalid_siret": 1, "unknown_commune": 1}


def _row(n: int, siret: str, name: str, trade: str, commune: dict, activities: str,
         productions: str, state: str, rng: np.random.Generator) -> dict:  # fmt: skip
    return {
        "id": str(40000 + n),
        "numerobio": str(150000 + n),
        "siret": siret,
        "raisonsociale": name,
        "denominationcourante": trade,
        "codecommune": commune["insee_code"],
        "commune": commune["commune"],
        "codepostal": commune["postal_codes"].split()[0] if commune.get("postal_codes") else "",
        "departement": commune["department_code"],
        "activites": activities,
        "productions": productions,
        "etatcertification": state,
        "dateengagement": f"{int(rng.integers(2000, 2025))}-{int(rng.integers(1, 13)):02d}-01",
        "organismecertificateur": str(rng.choice(CERTIFIERS)),
    }


def generate_organic_operators(raw_dir: Path, scale: float, seed: int, food_suppliers) -> dict:
    """Write the operators file; return what was written. `food_suppliers`: the food
    platform's demo suppliers (etl/demo/catalogue.py), some of whom are in the list."""
    rng = np.random.Generator(np.random.PCG64([seed, 32]))
    folder = Path(raw_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    communes = _communes()
    by_code = {c["insee_code"]: c for c in communes}
    weights = np.array([math.sqrt(int(c["population"] or 0) + 50) for c in communes])
    labels = [label for label, _ in PRODUCTIONS]
    label_p = np.array([w for _, w in PRODUCTIONS], dtype=float)
    label_p /= label_p.sum()
    used: set[str] = set()

    def new_siret() -> str:
        while True:
            siren = _luhn_complete(f"8{int(rng.integers(10_000_000, 99_999_999)):08d}"[:8])
            siret = _luhn_complete(siren + f"{int(rng.integers(1, 99)):04d}")
            if siret not in used:
                used.add(siret)
                return siret

    def productions(first: str | None = None) -> str:
        picked = list(rng.choice(labels, size=int(rng.integers(1, 4)), replace=False, p=label_p))
        if first:
            picked = [first] + [p for p in picked if p != first]
        states = rng.choice(["AB", "C1", "C2", "C3"], size=len(picked), p=[0.85, 0.05, 0.05, 0.05])
        return "|".join(f"{label}:{state}" for label, state in zip(picked, states))

    def state() -> str:
        return "ENGAGEE" if rng.random() >= 0.04 else str(rng.choice(["ARRETEE", "SUSPENDUE"]))

    rows = []
    # Platform producers in the list, under their own SIRET.
    on_platform = 0
    for supplier in food_suppliers:
        if not (
            supplier.kind == "producteur" and supplier.siret and supplier.insee_code in by_code
        ):
            continue
        if rng.random() >= 0.2 or supplier.siret in used:
            continue
        used.add(supplier.siret)
        first = CATEGORY_PRODUCTIONS.get(supplier.primary, "Légumes frais")
        rows.append(
            _row(
                len(rows),
                supplier.siret,
                supplier.name.upper(),
                supplier.name,
                by_code[supplier.insee_code],
                "Production,Distribution",
                productions(first),
                "ENGAGEE",
                rng,
            )  # fmt: skip
        )
        on_platform += 1
    n = max(30, int(round(900 * scale)))
    picked = rng.choice(len(communes), size=n, p=weights / weights.sum())
    for index in picked.tolist():
        commune = communes[index]
        surname = str(rng.choice(SURNAMES))
        if rng.random() < 0.75:
            form = str(rng.choice(FARM_FORMS))
            name = f"{form} {surname.upper()}".strip() if form else f"{surname.upper()} JEAN"
            trade = f"Ferme {_of(commune['commune'])}" if rng.random() < 0.4 else ""
            activities = str(
                rng.choice(
                    ["Production", "Production,Préparation", "Production,Distribution"],
                    p=[0.6, 0.25, 0.15],
                )
            )
        else:
            name = f"SARL {surname.upper()}"
            trade = str(rng.choice(["Biocoop", "La Vie Claire", "Moulin", "Fromagerie"]))
            trade = f"{trade} {_of(commune['commune'])}"
            activities = str(
                rng.choice(["Préparation", "Distribution", "Préparation,Distribution"])
            )
        rows.append(
            _row(
                len(rows),
                new_siret(),
                name,
                trade,
                commune,
                activities,
                productions(),
                state(),
                rng,
            )  # fmt: skip
        )
    region_rows = len(rows)
    for insee, city in ELSEWHERE:
        commune = {"insee_code": insee, "commune": city, "department_code": insee[:2]}
        rows.append(
            _row(
                len(rows),
                new_siret(),
                f"EARL {city.upper()}",
                "",
                commune,
                "Production",
                "Légumes frais:AB",
                "ENGAGEE",
                rng,
            )  # fmt: skip
        )
    broken = [
        dict(rows[-len(ELSEWHERE) - 1], id="49001"),  # its SIRET a second time
        dict(rows[-len(ELSEWHERE) - 2], id="49002", siret=rows[0]["siret"][:-1] + "X"),
        dict(rows[-len(ELSEWHERE) - 3], id="49003", siret=new_siret(), codecommune="37999"),
    ]
    with open(folder / FILE_NAME, "w", encoding="utf-8", newline="") as handle:
        handle.write(";".join(COLUMNS) + "\n")
        for row in rows + broken:
            handle.write(";".join(str(row.get(c, "")) for c in COLUMNS) + "\n")
    return {
        "operators": region_rows,
        "on_platform": on_platform,
        "elsewhere": len(ELSEWHERE),
        "rows": len(rows) + len(broken),
        "broken": dict(BROKEN),
    }
