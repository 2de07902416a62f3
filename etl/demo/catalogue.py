"""Demo catalogue: suppliers and listings of both platforms, and their CSV exports.

The catalogue is small (a few thousand rows at scale 1), so it is built with plain Python
objects; the traffic generator then turns it into numpy arrays.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import lexicon as lx

FIRST_DAY = dt.date(2020, 3, 30)  # opening of both platforms
LAST_DAY = dt.date(2020, 12, 31)  # end of the exported period
N_DAYS = (LAST_DAY - FIRST_DAY).days + 1
JUNE_1 = (dt.date(2020, 6, 1) - FIRST_DAY).days  # the two late equipment categories start then
MAY_31 = (dt.date(2020, 5, 31) - FIRST_DAY).days
SNAPSHOT_DAY = MAY_31  # earlier dated snapshot of the food listings
NEVER = 10**6  # "not withdrawn" as a day index

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"

SUPPLIER_COLUMNS = [
    "id_fournisseur",
    "nom",
    "type",
    "siret",
    "code_naf",
    "code_postal",
    "commune",
    "code_insee",
    "date_inscription",
    "date_retrait",
]
FOOD_LISTING_COLUMNS = [
    "id_annonce",
    "id_fournisseur",
    "titre",
    "categorie",
    "prix",
    "unite",
    "statut",
    "date_creation",
    "date_mise_a_jour",
    "date_retrait",
]
EQUIPMENT_LISTING_COLUMNS = FOOD_LISTING_COLUMNS + ["norme", "capacite_hebdo"]

# Suppliers just outside the region (a few producers near the borders sell on the platform).
NEIGHBOUR_COMMUNES = [
    ("49328", "Saumur", "49400"),
    ("72154", "La Flèche", "72200"),
    ("58086", "Cosne-Cours-sur-Loire", "58200"),
    ("03185", "Montluçon", "03100"),
    ("86137", "Loudun", "86200"),
    ("72181", "Le Mans", "72000"),
]


@dataclass
class Supplier:
    supplier_id: str
    name: str
    kind: str  # vocabulary label written in the export ("producteur" …)
    primary: str  # main category key (food) or sector (equipment)
    insee_code: str
    commune: str
    postal_code: str
    joined: int  # day index
    left: int = NEVER
    siret: str = ""
    naf: str = ""
    slug: str = ""


@dataclass
class Listing:
    listing_id: str
    supplier: Supplier
    title: str
    category: str  # vocabulary key
    unit: str
    price: float | None
    created: int
    updated: int | None = None
    withdrawn: int = NEVER
    price_before_update: float | None = None
    standard: str = ""
    capacity: int | None = None
    slug: str = ""
    category_label: str = ""


@dataclass
class Catalogue:
    platform: str
    suppliers: list[Supplier]
    listings: list[Listing]
    category_slugs: dict[str, str]  # key -> slug
    category_weights: dict[str, float]
    category_start: dict[str, int] = field(default_factory=dict)
    anomalies: dict[str, int] = field(default_factory=dict)


# --- helpers ---------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """URL slug of a French title: "Œufs frais bio" -> "oeufs-frais-bio"."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(partial: str) -> str:
    """Append the digit that makes `partial` + digit pass the Luhn check."""
    for d in "0123456789":
        if luhn_ok(partial + d):
            return partial + d
    raise AssertionError("unreachable")


def random_siret(rng: np.random.Generator) -> str:
    """A valid SIRET: SIREN (8 digits + Luhn key) then NIC (4 digits + key making the 14 pass)."""
    while True:
        siren = luhn_complete(
            str(rng.integers(3, 10)) + "".join(str(x) for x in rng.integers(0, 10, 7))
        )
        if siren != "356000000":  # La Poste uses another checksum
            break
    nic_start = f"{int(rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 21, 27, 33, 45])):04d}"
    return luhn_complete(siren + nic_start)


def format_siret(siret: str, rng: np.random.Generator) -> str:
    """Exports write the SIRET with or without the usual spaces."""
    if rng.random() < 0.15:
        return f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    return siret


def with_charniere(commune: str) -> str:
    """'de Chinon', "d'Amboise", 'du Blanc', 'de la Chapelle-…', 'des Montils'."""
    for article, charniere in (
        ("Le ", "du "),
        ("Les ", "des "),
        ("La ", "de la "),
        ("L'", "de l'"),
    ):
        if commune.startswith(article):
            return charniere + commune[len(article) :]
    first = unicodedata.normalize("NFKD", commune[0]).encode("ascii", "ignore").decode().lower()
    return ("d'" if first in "aeiouyh" else "de ") + commune


def fr_date(day: int | None) -> str:
    if day is None or day >= NEVER:
        return ""
    return (FIRST_DAY + dt.timedelta(days=int(day))).strftime("%d/%m/%Y")


def fr_price(price: float | None) -> str:
    if price is None:
        return ""
    return f"{price:.2f}".replace(".", ",")


def load_vocabulary() -> dict:
    with open(CONFIG_DIR / "vocabulary.toml", "rb") as handle:
        return tomllib.load(handle)


def load_communes() -> list[tuple[str, str, list[str], int]]:
    """(insee_code, commune, postal codes, population) of the region, from data/reference."""
    rows = []
    with open(REFERENCE_DIR / "communes.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                (
                    row["insee_code"],
                    row["commune"],
                    row["postal_codes"].split(),
                    int(row["population"] or 0),
                )
            )
    if not rows:
        raise RuntimeError(
            "data/reference/communes.csv est vide : lancer d'abord `python -m etl reference`."
        )
    return rows


def _count(target: float, scale: float) -> int:
    return max(1, int(round(target * scale)))


def _choice(rng: np.random.Generator, weights: dict) -> str:
    keys = list(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=w / w.sum()))]


def _listing_counts(
    rng: np.random.Generator, n_suppliers: int, total: int, exponent: float
) -> np.ndarray:
    """Listings per supplier: a truncated power law (many with 1-2, a few with 15-30) summing to `total`."""
    k = np.arange(1, 31)
    p = k**-exponent
    counts = rng.choice(k, size=n_suppliers, p=p / p.sum())
    while counts.sum() != total:
        diff = total - counts.sum()
        if diff > 0:
            grow = rng.choice(
                n_suppliers, size=min(diff, n_suppliers), replace=False, p=counts / counts.sum()
            )
            counts[grow] = np.minimum(counts[grow] + 1, 30)
        else:
            shrinkable = np.flatnonzero(counts > 1)
            if len(shrinkable) == 0:
                break
            cut = rng.choice(shrinkable, size=min(-diff, len(shrinkable)), replace=False)
            counts[cut] -= 1
    return counts


def _join_days(
    rng: np.random.Generator, n: int, launch_share: float, tail_share: float, ramp_days: float
) -> np.ndarray:
    """Join dates: a launch cohort on opening day, most within the first lockdown (30 March -
    end of May, front-loaded), a tail afterwards with a bump at the second lockdown."""
    u = rng.random(n)
    days = np.empty(n, dtype=np.int64)
    launch = u < launch_share
    tail = u > 1 - tail_share
    main = ~launch & ~tail
    days[launch] = 0
    first_wave = 1 + np.floor(rng.exponential(ramp_days, main.sum())).astype(np.int64)
    days[main] = np.where(first_wave > MAY_31, rng.integers(1, MAY_31 + 1, main.sum()), first_wave)
    second_lockdown = (dt.date(2020, 10, 30) - FIRST_DAY).days
    n_tail = int(tail.sum())
    late = np.where(
        rng.random(n_tail) < 0.6,
        JUNE_1 + np.floor(rng.exponential(35, n_tail)).astype(np.int64),
        rng.integers(second_lockdown, second_lockdown + 40, n_tail),
    )
    days[tail] = np.minimum(late, N_DAYS - 20)
    days[0] = 0  # the platform opened with at least one supplier
    return np.sort(days)


def _pick_commune(rng, communes, weights):
    i = int(rng.choice(len(communes), p=weights))
    insee, name, postal_codes, _ = communes[i]
    return insee, name, str(rng.choice(postal_codes)) if postal_codes else ""


def _name(rng, patterns, commune) -> str:
    pattern = str(rng.choice(patterns))
    return pattern.format(
        lieu=str(rng.choice(lx.PLACE_PHRASES)),
        nom=str(rng.choice(lx.FAMILY_NAMES)),
        commune=with_charniere(commune),
    )


def _unique_name(name: str, used: set, commune: str) -> str:
    if name in used:
        name = f"{name} ({commune})"
    n = 2
    base = name
    while name in used:
        name = f"{base} {n}"
        n += 1
    used.add(name)
    return name


def _price(rng, low: float, high: float) -> float:
    value = rng.uniform(low, high)
    if value >= 50:
        return float(round(value))
    return float(round(value * 10) / 10)


def _withdraw(
    rng: np.random.Generator, listings: list[Listing], suppliers: list[Supplier], share: float
):
    """Withdraw all listings of departed suppliers, then random ones until `share` are withdrawn."""
    for listing in listings:
        left = listing.supplier.left
        if left < NEVER:
            listing.created = min(listing.created, left - 1)
            listing.withdrawn = int(rng.integers(max(listing.created + 1, left - 10), left + 1))
    target = int(round(share * len(listings)))
    candidates = [l for l in listings if l.withdrawn >= NEVER]
    missing = target - (len(listings) - len(candidates))
    if missing > 0 and candidates:
        for i in rng.choice(len(candidates), size=min(missing, len(candidates)), replace=False):
            listing = candidates[int(i)]
            # Mostly after the first lockdown: seasonal products end, demand falls in summer.
            day = max(listing.created + 14, int(rng.integers(JUNE_1 + 20, N_DAYS - 2)))
            listing.withdrawn = min(day, N_DAYS - 2)


def _updates(rng: np.random.Generator, listings: list[Listing], share: float):
    for listing in listings:
        end = min(listing.withdrawn, N_DAYS - 1)
        if listing.withdrawn < NEVER:
            listing.updated = listing.withdrawn
        elif rng.random() < share and end - listing.created > 3:
            listing.updated = int(rng.integers(listing.created + 3, end + 1))
            if listing.price is not None and rng.random() < 0.5:
                listing.price_before_update = listing.price
                factor = 1 + rng.choice([-1, 1]) * rng.uniform(0.05, 0.15)
                listing.price = float(round(listing.price * factor, 1 if listing.price < 50 else 0))


def _assign_ids(suppliers, listings, supplier_prefix: str, listing_prefix: str, listing_first: int):
    suppliers.sort(key=lambda s: (s.joined, s.name))
    for i, s in enumerate(suppliers, start=1):
        s.supplier_id = f"{supplier_prefix}{i:04d}"
        s.slug = slugify(s.name)
    listings.sort(key=lambda l: (l.created, l.supplier.supplier_id, l.title))
    for i, listing in enumerate(listings, start=listing_first):
        listing.listing_id = f"{listing_prefix}{i}"
        listing.slug = slugify(listing.title)


# --- produits-frais ----------------------------------------------------------------------------


def build_food(rng: np.random.Generator, scale: float, communes, vocabulary) -> Catalogue:
    categories = vocabulary["categories"]["produits-frais"]
    n_suppliers = _count(700, scale)
    n_listings = max(n_suppliers, _count(1830, scale))
    joined = _join_days(rng, n_suppliers, launch_share=0.08, tail_share=0.12, ramp_days=16)

    population = np.array([c[3] for c in communes], dtype=float)
    # Farms are spread over the countryside, shops follow the population.
    weights_by_kind = {
        "producteur": population**0.5 / (population**0.5).sum(),
        "other": population / population.sum(),
    }
    kinds = {k: v[0] for k, v in lx.FOOD_KINDS.items()}
    used_names: set[str] = set()
    suppliers = []
    for i in range(n_suppliers):
        kind = _choice(rng, kinds)
        primary = _choice(rng, lx.FOOD_KINDS[kind][1])
        if kind == "producteur" and rng.random() < 0.01:
            insee, commune, postal = NEIGHBOUR_COMMUNES[int(rng.integers(len(NEIGHBOUR_COMMUNES)))]
        else:
            insee, commune, postal = _pick_commune(
                rng, communes, weights_by_kind["producteur" if kind == "producteur" else "other"]
            )
        patterns = (
            lx.FOOD_NAME_PATTERNS.get((kind, primary))
            or lx.FOOD_NAME_PATTERNS[("coopérative", None)]
        )
        name = _unique_name(_name(rng, patterns, commune), used_names, commune)
        supplier = Supplier("", name, kind, primary, insee, commune, postal, int(joined[i]))
        if rng.random() < 0.55:
            supplier.siret = random_siret(rng)
            by_kind = lx.FOOD_NAF_BY_KIND.get(kind, {})
            codes = by_kind.get(primary) or by_kind.get(None) or lx.FOOD_NAF[primary]
            supplier.naf = str(rng.choice(codes))
        suppliers.append(supplier)

    # ~8 % leave the platform later (mostly after the first lockdown).
    for s in suppliers:
        if s.joined < N_DAYS - 60 and rng.random() < 0.08:
            s.left = int(rng.integers(max(s.joined + 21, JUNE_1 + 14), N_DAYS - 10))

    counts = _listing_counts(rng, n_suppliers, n_listings, exponent=1.95)
    listings = []
    for supplier, count in zip(suppliers, counts):
        taken: set[str] = set()
        for j in range(int(count)):
            if supplier.kind == "coopérative" or rng.random() < 0.3:
                category = _choice(rng, lx.FOOD_CATEGORY_WEIGHTS)
            else:
                category = supplier.primary
            products = lx.FOOD_PRODUCTS[category]
            title, unit, low, high = products[int(rng.integers(len(products)))]
            suffixes = lx.FOOD_TITLE_SUFFIXES.get(category)
            if suffixes and rng.random() < 0.3:
                suffix = str(rng.choice(suffixes))
                if suffix.strip().split()[0] not in title:  # no "Œufs frais bio bio"
                    title += suffix
            if title in taken:
                title = f"{title} – {unit}"
                if title in taken:
                    continue
            taken.add(title)
            created = supplier.joined + (
                int(rng.integers(0, 3)) if j == 0 else int(rng.exponential(9))
            )
            price = None if rng.random() < 0.03 else _price(rng, low, high)
            listings.append(
                Listing("", supplier, title, category, unit, price, min(created, N_DAYS - 3))
            )

    _withdraw(rng, listings, suppliers, share=0.10)
    _updates(rng, listings, share=0.35)
    _assign_ids(suppliers, listings, "P", "A", 1001)
    _labels(rng, listings, categories)
    return Catalogue(
        platform="produits-frais",
        suppliers=suppliers,
        listings=listings,
        category_slugs={k: k.replace("_", "-") for k in categories},
        category_weights=dict(lx.FOOD_CATEGORY_WEIGHTS),
        category_start={k: 0 for k in categories},
    )


def _labels(rng, listings, categories):
    """Category label as written in the export: mostly the vocabulary label, sometimes another
    spelling seen in operators' files ("Fromages", "FRUITS ET LÉGUMES" …) that the loader maps."""
    for listing in listings:
        spellings = lx.CATEGORY_SPELLINGS.get(listing.category)
        if spellings and rng.random() < 0.08:
            listing.category_label = str(rng.choice(spellings))
        else:
            listing.category_label = categories[listing.category]["label"]


# --- equipements-protection ------------------------------------------------------------------


def build_equipment(rng: np.random.Generator, scale: float, communes, vocabulary) -> Catalogue:
    categories = vocabulary["categories"]["equipements-protection"]
    n_suppliers = _count(300, scale)
    n_listings = max(n_suppliers, _count(760, scale))
    joined = _join_days(rng, n_suppliers, launch_share=0.10, tail_share=0.15, ramp_days=14)
    population = np.array([c[3] for c in communes], dtype=float)
    weights = population**0.8 / (population**0.8).sum()
    sectors = {k: v[0] for k, v in lx.EQUIPMENT_SECTORS.items()}
    used_names: set[str] = set()
    suppliers = []
    for i in range(n_suppliers):
        sector = _choice(rng, sectors)
        _, naf_codes, _, patterns = lx.EQUIPMENT_SECTORS[sector]
        insee, commune, postal = _pick_commune(rng, communes, weights)
        name = _name(rng, patterns, commune) + " " + str(rng.choice(lx.LEGAL_FORMS))
        name = _unique_name(name, used_names, commune)
        day = int(joined[i])
        if sector == "securite" and day < JUNE_1 and rng.random() < 0.7:
            day = JUNE_1 + int(rng.exponential(20))  # thermal cameras came with the reopening
        supplier = Supplier(
            "",
            name,
            "entreprise",
            sector,
            insee,
            commune,
            postal,
            min(day, N_DAYS - 20),
            siret=random_siret(rng),
            naf=str(rng.choice(naf_codes)),
        )
        suppliers.append(supplier)
    for s in suppliers:
        if s.joined < N_DAYS - 60 and rng.random() < 0.08:
            s.left = int(rng.integers(max(s.joined + 21, JUNE_1 + 30), N_DAYS - 10))

    category_start = {
        k: (JUNE_1 if k in ("signaletique", "cameras_thermometres") else 0) for k in categories
    }
    counts = _listing_counts(rng, n_suppliers, n_listings, exponent=2.1)
    listings = []
    for supplier, count in zip(suppliers, counts):
        offered = lx.EQUIPMENT_SECTORS[supplier.primary][2]
        taken: set[str] = set()
        for j in range(int(count)):
            for _attempt in range(5):  # a company lists different products
                category = _choice(rng, offered)
                templates = lx.EQUIPMENT_PRODUCTS[category]
                title, unit, low, high, standards = templates[int(rng.integers(len(templates)))]
                if title not in taken:
                    break
            if title in taken:
                continue
            taken.add(title)
            created = supplier.joined + (
                int(rng.integers(0, 3)) if j == 0 else int(rng.exponential(12))
            )
            if created < category_start[category]:
                created = category_start[category] + int(rng.exponential(12))
            standard = str(rng.choice(standards))
            if category == "masques" and rng.random() < 0.08:
                standard = ""  # some makers do not state the standard
            price = None if rng.random() < 0.25 else _price(rng, low, high)  # "sur devis"
            listing = Listing(
                "",
                supplier,
                title,
                category,
                unit,
                price,
                min(created, N_DAYS - 3),
                standard=standard,
            )
            if rng.random() > 0.10:
                median = {
                    "masques": 5000,
                    "blouses": 800,
                    "surblouses": 3000,
                    "visieres": 2000,
                    "parois": 150,
                    "signaletique": 400,
                    "cameras_thermometres": 100,
                }[category]
                raw = np.clip(rng.lognormal(np.log(median), 1.3), 100, 200_000)
                digits = int(np.floor(np.log10(raw))) - 1
                listing.capacity = int(round(raw, -digits)) if digits > 0 else int(round(raw))
            listings.append(listing)

    _withdraw(rng, listings, suppliers, share=0.15)
    _updates(rng, listings, share=0.30)
    _assign_ids(suppliers, listings, "E", "O", 1001)
    _labels(rng, listings, categories)
    return Catalogue(
        platform="equipements-protection",
        suppliers=suppliers,
        listings=listings,
        category_slugs={k: k.replace("_", "-") for k in categories},
        category_weights={
            "masques": 40,
            "blouses": 10,
            "surblouses": 10,
            "visieres": 12,
            "parois": 14,
            "signaletique": 8,
            "cameras_thermometres": 6,
        },
        category_start=category_start,
    )


# --- CSV exports -----------------------------------------------------------------------------


def _kind_text(rng, kind: str) -> str:
    return kind[:1].upper() + kind[1:] if rng.random() < 0.1 else kind


def supplier_rows(rng, catalogue: Catalogue) -> list[list[str]]:
    rows = []
    for s in catalogue.suppliers:
        rows.append(
            [
                s.supplier_id,
                s.name,
                _kind_text(rng, s.kind),
                format_siret(s.siret, rng) if s.siret else "",
                s.naf,
                s.postal_code,
                s.commune,
                s.insee_code if rng.random() < 0.9 else "",
                fr_date(s.joined),
                fr_date(s.left),
            ]
        )
    return rows


def listing_rows(
    catalogue: Catalogue, as_of: int | None = None, equipment: bool = False
) -> list[list[str]]:
    """Listing rows, either final or as they stood at the end of day `as_of` (dated snapshot)."""
    rows = []
    for l in catalogue.listings:
        if as_of is not None and l.created > as_of:
            continue
        withdrawn = l.withdrawn if (as_of is None or l.withdrawn <= as_of) else NEVER
        updated = (
            l.updated if (l.updated is not None and (as_of is None or l.updated <= as_of)) else None
        )
        price = l.price
        if (
            as_of is not None
            and l.updated is not None
            and l.updated > as_of
            and l.price_before_update is not None
        ):
            price = l.price_before_update
        row = [
            l.listing_id,
            l.supplier.supplier_id,
            l.title,
            l.category_label,
            fr_price(price),
            l.unit,
            "retirée" if withdrawn < NEVER else "active",
            fr_date(l.created),
            fr_date(updated),
            fr_date(withdrawn),
        ]
        if equipment:
            row += [l.standard, "" if l.capacity is None else str(l.capacity)]
        rows.append(row)
    return rows


def add_anomalies(
    rng,
    catalogue: Catalogue,
    suppliers: list[list[str]],
    listings: list[list[str]],
    equipment: bool,
):
    """A few broken rows the loader must quarantine or flag (kept few, so figures hold):
    missing required field, bad SIRET checksum, duplicate supplier row, listing of an unknown
    supplier, unknown category label, listing with a missing required field."""
    prefix = "E" if equipment else "P"
    n = len(catalogue.suppliers)
    template = catalogue.suppliers[0]
    day = fr_date(int(rng.integers(1, MAY_31)))
    # 1. missing required field (equipment: no SIRET; food: no commune)
    missing = [
        f"{prefix}{n + 1:04d}",
        "Atelier Dupuis SARL" if equipment else "Ferme des Hauts Champs",
        "entreprise" if equipment else "producteur",
        "" if equipment else random_siret(rng),
        "14.13Z" if equipment else "01.13Z",
        template.postal_code,
        template.commune if equipment else "",
        "",
        day,
        "",
    ]
    # 2. bad SIRET checksum
    good = random_siret(rng)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    bad_siret = [
        f"{prefix}{n + 2:04d}",
        "Sérigraphie Berrichonne SAS" if equipment else "Boucherie Lemaître",
        "entreprise" if equipment else "artisan",
        bad,
        "18.12Z" if equipment else "47.22Z",
        template.postal_code,
        template.commune,
        template.insee_code,
        day,
        "",
    ]
    insert_at = sorted(rng.choice(len(suppliers) + 1, size=2, replace=True))
    suppliers.insert(int(insert_at[1]), bad_siret)
    suppliers.insert(int(insert_at[0]), missing)
    # 3. duplicate supplier row (the same export line twice)
    duplicate = list(suppliers[int(rng.integers(len(suppliers)))])
    suppliers.insert(int(rng.integers(len(suppliers) // 2, len(suppliers) + 1)), duplicate)

    last = max(int(l.listing_id[1:]) for l in catalogue.listings)
    some_supplier = catalogue.suppliers[int(rng.integers(len(catalogue.suppliers)))].supplier_id
    created = fr_date(int(rng.integers(10, MAY_31)))
    letter = "O" if equipment else "A"
    extra = []
    # 4. unknown supplier
    extra.append(
        [
            f"{letter}{last + 1}",
            f"{prefix}9999",
            "Masques lavables en coton" if equipment else "Pommes de terre primeur",
            "Masques" if equipment else "Fruits et légumes",
            "4,50" if equipment else "2,20",
            "pièce" if equipment else "kg",
            "active",
            created,
            "",
            "",
        ]
    )
    # 5. unknown category label (loaded as "Non classé : …")
    extra.append(
        [
            f"{letter}{last + 2}",
            some_supplier,
            "Gel hydroalcoolique 500 ml" if equipment else "Panier surprise du marché",
            "Gel hydroalcoolique" if equipment else "Produits de saison",
            "6,90" if equipment else "15,00",
            "flacon" if equipment else "panier",
            "active",
            created,
            "",
            "",
        ]
    )
    # 6. missing required field (equipment: no creation date; food: no title)
    extra.append(
        [
            f"{letter}{last + 3}",
            some_supplier,
            "Visière enfant" if equipment else "",
            "Visières" if equipment else "Œufs",
            "3,00",
            "pièce",
            "active",
            "" if equipment else created,
            "",
            "",
        ]
    )
    for row in extra:
        if equipment:
            row += ["", ""]
        listings.insert(int(rng.integers(len(listings) + 1)), row)
    catalogue.anomalies = {
        "ligne sans champ obligatoire (fournisseur)": 1,
        "siret invalide": 1,
        "fournisseur en double": 1,
        "fournisseur inconnu": 1,
        "catégorie inconnue": 1,
        "ligne sans champ obligatoire (annonce)": 1,
    }
    return bad


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
    newline: str = "\n",
) -> int:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes(data)
    return len(rows)
