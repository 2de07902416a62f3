"""A small, hand-made warehouse following docs/warehouse.md, for tests and screenshots.

Stand-in until the real pipeline (demo generator at a small scale + `python -m etl load`) can
build the test warehouse. Deterministic (fixed seed). Tests must not rely on its particular
values: they compare what the app shows with SQL run on the same file.

    python -m tests.fake_warehouse /tmp/fake.duckdb
"""

from __future__ import annotations

import hashlib
import random
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from app import labels
from etl import canteen_families, catalogue_load, derive, reference_load
from etl.scripts import run_script
from etl.settings import Settings

PARIS = ZoneInfo("Europe/Paris")
UTC = ZoneInfo("UTC")

DATA_START = date(2020, 3, 30)
DATA_END = date(2020, 12, 31)
EQUIPMENT_OPENING = date(2020, 4, 6)

DEPARTMENTS = [
    ("18", "Cher", 302306),
    ("28", "Eure-et-Loir", 431575),
    ("36", "Indre", 219316),
    ("37", "Indre-et-Loire", 610079),
    ("41", "Loir-et-Cher", 329470),
    ("45", "Loiret", 680434),
]

COMMUNES = [
    ("18033", "Bourges", "18", ["18000"], 64551, 47.0810, 2.3988),
    ("18279", "Vierzon", "18", ["18100"], 25725, 47.2221, 2.0690),
    ("28085", "Chartres", "28", ["28000"], 38534, 48.4439, 1.4890),
    ("28134", "Dreux", "28", ["28100"], 30664, 48.7370, 1.3660),
    ("36044", "Châteauroux", "36", ["36000"], 43442, 46.8103, 1.6913),
    ("36088", "Issoudun", "36", ["36100"], 11665, 46.9481, 1.9933),
    ("37261", "Tours", "37", ["37000", "37100", "37200"], 136463, 47.3941, 0.6848),
    ("37063", "Chinon", "37", ["37500"], 7863, 47.1670, 0.2420),
    ("41018", "Blois", "41", ["41000"], 45871, 47.5861, 1.3359),
    ("41269", "Vendôme", "41", ["41100"], 16150, 47.7930, 1.0660),
    ("45234", "Orléans", "45", ["45000", "45100"], 116238, 47.9030, 1.9093),
    ("45208", "Montargis", "45", ["45200"], 14024, 47.9970, 2.7330),
]
OUT_OF_REGION_COMMUNE = ("72181", "Le Mans", "72", "Sarthe", "72000")

FOOD_CATEGORIES = [
    ("fruits_legumes", "Fruits et légumes", "fruits-et-legumes"),
    ("viandes_volailles", "Viandes et volailles", "viandes-et-volailles"),
    ("produits_laitiers", "Produits laitiers et fromages", "produits-laitiers-et-fromages"),
    ("oeufs", "Œufs", "oeufs"),
    ("pain_boulangerie", "Pain et boulangerie", "pain-et-boulangerie"),
    ("miel", "Miel et produits de la ruche", "miel-et-produits-de-la-ruche"),
    ("boissons", "Boissons", "boissons"),
    ("epicerie", "Épicerie", "epicerie"),
    ("poissons", "Poissons", "poissons"),
    ("fleurs_plants", "Fleurs et plants", "fleurs-et-plants"),
]
EQUIPMENT_CATEGORIES = [
    ("masques", "Masques", "masques"),
    ("blouses", "Blouses", "blouses"),
    ("surblouses", "Surblouses", "surblouses"),
    ("visieres", "Visières", "visieres"),
    ("parois", "Parois de protection", "parois-de-protection"),
    ("signaletique", "Signalétique COVID-19", "signaletique-covid-19"),
    (
        "cameras_thermometres",
        "Caméras thermiques et thermomètres infrarouges",
        "cameras-thermiques-et-thermometres-infrarouges",
    ),
]
# The two later equipment categories appear in June 2020.
LATE_CATEGORIES = {"signaletique", "cameras_thermometres"}

KEY_DATES = [
    (date(2020, 3, 17), "Premier confinement"),
    (date(2020, 3, 30), "Ouverture de Produits frais locaux"),
    (date(2020, 5, 11), "Fin du premier confinement"),
    (date(2020, 6, 2), "Réouverture des restaurants"),
    (date(2020, 10, 30), "Deuxième confinement"),
    (date(2020, 11, 28), "Réouverture des commerces"),
    (date(2020, 12, 15), "Fin du deuxième confinement"),
]

CHANNELS = [
    ("direct", 30),
    ("search_engine", 35),
    ("social", 18),
    ("institutional", 10),
    ("press", 4),
    ("other_site", 3),
]
REFERRERS = {
    "direct": None,
    "search_engine": "www.google.fr",
    "social": "www.facebook.com",
    "institutional": "www.centre-valdeloire.fr",
    "press": "www.lanouvellerepublique.fr",
    "other_site": "blog.example.org",
}
DEVICES = [("desktop", 45), ("smartphone", 45), ("tablet", 8), ("other", 2)]
BROWSERS = {
    "desktop": ("Firefox", "Windows"),
    "smartphone": ("Chrome Mobile", "Android"),
    "tablet": ("Mobile Safari", "iOS"),
    "other": ("Autre", "Autre"),
}
PAGE_TYPES = [
    ("accueil", 30),
    ("categorie", 20),
    ("produit", 20),
    ("fournisseur", 12),
    ("recherche", 8),
    ("carte", 5),
    ("contact", 3),
    ("information", 2),
]
EXCLUSIONS = [
    ("asset", 50),
    ("bot_user_agent", 25),
    ("bot_behaviour", 5),
    ("status_error", 12),
    ("redirect", 6),
    ("method_not_get", 2),
]

# The tables come from the ETL's own SQL, run through its runner (empty_warehouse): 00_schema.sql
# (hits, visits, page views, rejects, load bookkeeping, daily aggregates), 05_reference.sql
# (departments, communes, key dates, read from CSV files written from the constants above),
# the vocabulary tables and 50_catalogue.sql over empty staging tables (categories, suppliers,
# listings and their snapshots, as the load builds them) and 90_summary.sql (load_summary,
# load_info).


def _reference_csvs(folder: Path, *, empty: bool = False) -> dict[str, str]:
    """The reference constants written as the CSV files 05_reference.sql reads (only their
    header lines when `empty`)."""
    folder.mkdir(parents=True, exist_ok=True)
    departments = [] if empty else DEPARTMENTS
    pd.DataFrame(departments, columns=["department_code", "department_name", "population"]).to_csv(
        folder / "departements.csv", index=False
    )
    communes = [] if empty else [(c[0], c[1], c[2], " ".join(c[3]), *c[4:]) for c in COMMUNES]
    columns = ["insee_code", "commune", "department_code", "postal_codes"]
    pd.DataFrame(communes, columns=[*columns, "population", "latitude", "longitude"]).to_csv(
        folder / "communes.csv", index=False
    )
    key_dates = folder / "key_dates.csv"
    rows = [] if empty else [(day, "", label) for day, label in KEY_DATES]
    pd.DataFrame(rows, columns=["date", "plateforme", "libelle"]).to_csv(
        key_dates, index=False, sep=";"
    )
    return {"reference_dir": str(folder), "key_dates_csv": str(key_dates)}


def empty_warehouse(con, *, reference: bool = False) -> None:
    """Create the warehouse's tables, empty, as build() does: by the ETL's own SQL
    (00_schema.sql, 05_reference.sql, the vocabulary, 50_catalogue.sql, 90_summary.sql).

    The tiny hand-made warehouses of the tests start from here, so they have the real columns,
    types and NOT NULL constraints. Without `reference`, 05_reference.sql reads CSV files of
    header lines only: departments, communes and key_dates exist with the ETL's column types,
    empty, for the test to fill by hand. load_info is left empty too (90_summary.sql computes
    one row from hits_daily, which each builder then states itself).
    """
    run_script(con, "00_schema.sql")
    with tempfile.TemporaryDirectory() as folder:
        run_script(con, "05_reference.sql", _reference_csvs(Path(folder), empty=not reference))
    # The catalogue tables as the load writes them, empty; the builders state their own
    # categories.
    run_script(con, "01_vocabulary.sql")  # the text rules 50_catalogue.sql calls
    reference_load.load_vocabulary(con)
    catalogue_load.create_staging_tables(con)
    catalogue_load.build_catalogue_tables(con, Settings().catalogue_earliest_year)
    con.execute("DELETE FROM categories")
    run_script(con, "90_summary.sql")
    con.execute("DELETE FROM load_info")


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _hex(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _daily_visits(platform: str, day: date, scale: float) -> float:
    """Expected visits per day: lockdown peaks, a summer lull, the second lockdown."""
    if platform == "produits-frais":
        if day < date(2020, 5, 11):
            base = 120
        elif day < date(2020, 7, 1):
            base = 60
        elif day < date(2020, 10, 30):
            base = 30
        elif day < date(2020, 12, 15):
            base = 70
        else:
            base = 45
    else:
        if day < EQUIPMENT_OPENING:
            return 0
        if day < date(2020, 6, 1):
            base = 40
        elif day < date(2020, 10, 30):
            base = 10
        else:
            base = 20
    weekend = 0.7 if day.weekday() >= 5 else 1.0
    return base * weekend * scale


def _suppliers(rng: random.Random, platform: str, count: int) -> list[dict]:
    rows = []
    kinds = (
        [("Producteur", 60), ("Commerçant", 15), ("Artisan", 15), ("Coopérative", 10)]
        if platform == "produits-frais"
        else [("Entreprise", 100)]
    )
    opening = DATA_START if platform == "produits-frais" else EQUIPMENT_OPENING
    for i in range(1, count + 1):
        if i == count:  # one supplier outside the region
            insee, commune, dep, dep_name, postal = OUT_OF_REGION_COMMUNE
            lat, lon, in_region = 48.0061, 0.1996, False
        else:
            insee, commune, dep, postals, _, lat, lon = rng.choice(COMMUNES)
            dep_name = dict((c, n) for c, n, _ in DEPARTMENTS)[dep]
            postal, in_region = postals[0], True
        joined = opening + timedelta(days=int(rng.expovariate(1 / 25)))
        joined = min(joined, DATA_END - timedelta(days=5))
        left = None
        if rng.random() < 0.15:
            left = joined + timedelta(days=rng.randint(20, 200))
            left = left if left <= DATA_END else None
        prefix = "P" if platform == "produits-frais" else "E"
        rows.append(
            {
                "platform": platform,
                "supplier_id": f"{prefix}{i:04d}",
                "name": (
                    f"Ferme {commune} n°{i}"
                    if platform == "produits-frais"
                    else f"Atelier {commune} n°{i}"
                ),
                "kind": _pick(rng, kinds),
                "kind_code": None,  # filled from the label after the insert
                "siret": None
                if platform == "produits-frais"
                else f"{rng.randrange(10**13, 10**14)}",
                "naf_code": None if platform == "produits-frais" else "14.12Z",
                "postal_code": postal,
                "commune": commune,
                "insee_code": insee,
                "department_code": dep,
                "department_name": dep_name,
                "is_in_region": in_region,
                "latitude": lat,
                "longitude": lon,
                "joined_on": joined,
                "left_on": left,
                "is_active": left is None,
                "source_file": f"{platform}/suppliers/fournisseurs.csv",
                "source_line": i + 1,
            }
        )
    return rows


def _listings(rng: random.Random, platform: str, suppliers: list[dict]) -> list[dict]:
    rows = []
    categories = FOOD_CATEGORIES if platform == "produits-frais" else EQUIPMENT_CATEGORIES
    prefix = "A" if platform == "produits-frais" else "O"
    n = 0
    for supplier in suppliers:
        # Skewed: most suppliers hold a few listings, a handful hold many.
        count = 1 + int(rng.paretovariate(1.6)) if rng.random() < 0.9 else rng.randint(10, 25)
        for _ in range(count):
            n += 1
            code, label, _slug = rng.choice(categories)
            earliest = supplier["joined_on"]
            if code in LATE_CATEGORIES:
                earliest = max(earliest, date(2020, 6, 1))
            created = earliest + timedelta(days=int(rng.expovariate(1 / 20)))
            if created > DATA_END:
                created = DATA_END
            withdrawn = None
            if supplier["left_on"] is not None:
                withdrawn = max(created, supplier["left_on"])
            elif rng.random() < 0.2:
                withdrawn = created + timedelta(days=rng.randint(10, 150))
                withdrawn = withdrawn if withdrawn <= DATA_END else None
            status = "withdrawn" if withdrawn else "active"
            known = True
            if platform == "produits-frais" and n % 97 == 0:
                code, label, known = (
                    "non_classe_savons_artisanaux",
                    "Non classé : Savons artisanaux",
                    False,
                )
            if platform == "equipements-protection" and n % 41 == 0:
                code, label = "non_classe_gel_hydroalcoolique", "Non classé : Gel hydroalcoolique"
                known = False
            standard = capacity = None
            if platform == "equipements-protection":
                if code in ("masques", "blouses", "surblouses", "visieres") and rng.random() < 0.6:
                    standard = {
                        "masques": "AFNOR SPEC S76-001 cat. 1",
                        "blouses": "EN 14126",
                        "surblouses": "EN 13795",
                        "visieres": "EN 166",
                    }[code]
                if rng.random() < 0.7:
                    capacity = rng.choice([200, 500, 1000, 2500, 5000, 10000])
            rows.append(
                {
                    "platform": platform,
                    "listing_id": f"{prefix}{n:05d}",
                    "supplier_id": supplier["supplier_id"],
                    "title": f"{label} — lot {n}",
                    "category_code": code,
                    "category": label,
                    "is_known_category": known,
                    "price_eur": round(rng.uniform(1, 40), 2)
                    if platform == "produits-frais"
                    else None,
                    "unit": rng.choice(["kg", "pièce", "douzaine", "boîte de 50"]),
                    "status": status,
                    "is_active": withdrawn is None,
                    "created_on": created,
                    "updated_on": created + timedelta(days=rng.randint(0, 30)),
                    "withdrawn_on": withdrawn,
                    "standard": standard,
                    "weekly_capacity": capacity,
                    "source_file": f"{platform}/listings/annonces.csv",
                    "source_line": n + 1,
                }
            )
    return rows


def _traffic(rng: random.Random, platform: str, scale: float, file_id: str, listing_ids: list[str]):
    visits, pageviews, hits = [], [], []
    categories = FOOD_CATEGORIES if platform == "produits-frais" else EQUIPMENT_CATEGORIES
    line_no = 0
    for day in _days(DATA_START, DATA_END):
        expected = _daily_visits(platform, day, scale)
        n_visits = max(0, int(rng.gauss(expected, 3))) if expected else 0
        for k in range(n_visits):
            # Visitor ids rotate daily; about one visit in six is a second visit the same day.
            visitor = _hex(platform, day, "visitor", k if rng.random() > 1 / 6 else max(0, k - 1))
            visit_id = _hex(platform, day, "visit", k)
            start = datetime.combine(day, time(7)) + timedelta(seconds=rng.randint(0, 16 * 3600))
            n_pages = 1 if rng.random() < 0.4 else rng.randint(2, 9)
            channel, device = _pick(rng, CHANNELS), _pick(rng, DEVICES)
            ts = start
            page_times = []
            for p in range(n_pages):
                if p:
                    ts = ts + timedelta(seconds=rng.randint(8, 240))
                page_times.append(ts)
            for p, page_ts in enumerate(page_times):
                page_type = "accueil" if p == 0 and rng.random() < 0.5 else _pick(rng, PAGE_TYPES)
                number = rng.randint(1, 300)
                path = "/" if page_type == "accueil" else f"/{page_type}/{number}"
                # Product and category pages name a listing and a category of the catalogue
                # (picked from the same number: the random sequence, and every other figure,
                # stay as they were), so that demand per category is not zero everywhere.
                entity_id = {
                    "produit": listing_ids[number % len(listing_ids)],
                    "categorie": categories[number % len(categories)][2],
                }.get(page_type)
                ts_utc = page_ts.replace(tzinfo=PARIS).astimezone(UTC)
                referrer_host = REFERRERS[channel] if p == 0 else None
                pageviews.append(
                    {
                        "platform": platform,
                        "ts": page_ts,
                        "ts_utc": ts_utc,
                        "visitor_id": visitor,
                        "visit_id": visit_id,
                        "path": path,
                        "page_type": page_type,
                        "entity_id": entity_id,
                        "search_terms": "miel" if page_type == "recherche" else None,
                        "referrer_host": referrer_host,
                    }
                )
                line_no += 1
                hits.append(
                    _hit(
                        platform,
                        file_id,
                        line_no,
                        page_ts,
                        path,
                        200,
                        visitor,
                        is_pageview=True,
                        reason=None,
                        page_type=page_type,
                        referrer_host=referrer_host,
                        entity_id=entity_id,
                    )
                )
                # Excluded requests alongside page views: assets, robots, errors …
                if rng.random() < 0.8:
                    line_no += 1
                    reason = _pick(rng, EXCLUSIONS)
                    status = {"status_error": 404, "redirect": 301}.get(reason, 200)
                    hits.append(
                        _hit(
                            platform,
                            file_id,
                            line_no,
                            page_ts,
                            "/static/app.css" if reason == "asset" else path,
                            status,
                            visitor,
                            is_pageview=False,
                            reason=reason,
                            page_type=page_type,
                            referrer_host=None,
                        )
                    )
            browser, os_name = BROWSERS[device]
            visits.append(
                {
                    "platform": platform,
                    "visit_id": visit_id,
                    "visitor_id": visitor,
                    "started_at": page_times[0],
                    "ended_at": page_times[-1],
                    "pageviews": n_pages,
                    "duration_s": int((page_times[-1] - page_times[0]).total_seconds()),
                    "is_bounce": n_pages == 1,
                    "entry_path": pageviews[-n_pages]["path"],
                    "entry_page_type": pageviews[-n_pages]["page_type"],
                    "entry_entity_id": pageviews[-n_pages].get("entity_id"),
                    "channel": channel,
                    "device_type": device,
                    "browser": browser,
                    "os": os_name,
                    **_origin(visit_id),
                }
            )
    return visits, pageviews, hits


# Where the fake visits come from, from their id (no draw of `rng`: the other figures stay).
ORIGINS = [("FR", d) for d in ("45", "37", "41", "28", "18", "36") * 2] + [
    ("FR", "75"),
    ("FR", "92"),
    ("FR", None),
    ("BE", None),
    ("CH", None),
    (None, None),
]


def _origin(visit_id: str) -> dict:
    country, department = ORIGINS[int(visit_id[:8], 16) % len(ORIGINS)]
    return {"country_code": country, "geo_department_code": department}


def _hit(
    platform,
    file_id,
    line_no,
    ts,
    path,
    status,
    visitor,
    *,
    is_pageview,
    reason,
    page_type,
    referrer_host,
    entity_id=None,
):
    return {
        "platform": platform,
        "file_id": file_id,
        "line_no": line_no,
        "ts_utc": ts.replace(tzinfo=PARIS).astimezone(UTC),
        "ts": ts,
        "method": "POST" if reason == "method_not_get" else "GET",
        "path": path,
        "query": None,
        "status": status,
        "bytes": 1234,
        "referrer": None,
        "referrer_host": referrer_host,
        "user_agent": "Googlebot/2.1" if reason and reason.startswith("bot_") else "Mozilla/5.0",
        "visitor_id": visitor,
        "is_bot": bool(reason and reason.startswith("bot_")),
        "is_asset": reason == "asset",
        "is_pageview": is_pageview,
        "exclusion_reason": reason,
        "page_type": page_type,
        "entity_id": entity_id,
        "search_terms": None,
    }


REJECTED = [
    # (source, file, line, reason code (etl/reasons.py), detail, raw text)
    ("logs", "access.log", 17, "malformed_log_line", None, "GARBAGE LINE WITHOUT FIELDS"),
    (
        "logs",
        "access.log",
        230,
        "invalid_date",
        None,
        '203.0.113.0 - - [31/Feb/2020:10:00:00 +0200] "GET / HTTP/1.1" 200 512 "-" "-"',
    ),
    ("logs", "access.log", 231, "empty_line", None, ""),
    ("logs", "access.log", 232, "malformed_log_line", None, "<script>alert('xss')</script>"),
    (
        "suppliers",
        "fournisseurs.csv",
        12,
        "invalid_siret",
        "**Ferme**",
        "F0012;**Ferme** du [lien](http://x);",
    ),
    (
        "suppliers",
        "fournisseurs.csv",
        40,
        "invalid_postal_code",
        "ABCDE",
        "F0040;Ferme;producteur;;ABCDE",
    ),
    ("listings", "annonces.csv", 9, "unknown_supplier", "F9999", "A0009;F9999;Miel;miel;8,50"),
    (
        "listings",
        "annonces.csv",
        77,
        "invalid_date",
        "date_creation : 31/02/2020",
        "A0077;F0003;Œufs;oeufs;;31/02/2020",
    ),
]


def daily_aggregates(con) -> None:
    """The daily aggregates of whatever visits, page views and hits a hand-made warehouse
    holds, over all their days, by the ETL's own SQL (etl/derive.py), catalogue page visits
    included, with the visit keys the load would give them.
    tests/test_etl_logs.py checks that SQL against definitions of its own."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE days_to_aggregate AS
        SELECT DISTINCT platform, CAST(started_at AS DATE) AS day FROM visits
        UNION SELECT DISTINCT platform, CAST(ts AS DATE) FROM pageviews
        UNION SELECT DISTINCT platform, CAST(ts AS DATE) FROM hits""")
    # The key the load gives each visit it derives (etl/sql/40_visits.sql).
    con.execute("UPDATE visits SET visit_key = visit_key(visit_id) WHERE visit_key IS NULL")
    derive.daily_tables(con)


def build(path: Path | str, *, seed: int = 20200330, scale: float = 0.25) -> Path:
    """Write the fake warehouse to `path` (replaced if present) and return the path.

    `scale` multiplies daily visits (1.0 ≈ 120 visits a day on Produits frais in April).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    rng = random.Random(seed)
    loaded_at = datetime(2021, 1, 4, 8, 15)

    con = duckdb.connect(str(path))
    try:
        empty_warehouse(con, reference=True)
        con.executemany(
            "INSERT INTO categories (platform, category_code, category, slug) VALUES (?, ?, ?, ?)",
            [("produits-frais", *c) for c in FOOD_CATEGORIES]
            + [("equipements-protection", *c) for c in EQUIPMENT_CATEGORIES],
        )

        load_files = []
        for platform, n_suppliers in (("produits-frais", 90), ("equipements-protection", 45)):
            suppliers = _suppliers(rng, platform, n_suppliers)
            listings = _listings(rng, platform, suppliers)
            file_id = _hex(platform, "access.log")
            listing_ids = [listing["listing_id"] for listing in listings]
            visits, pageviews, hits = _traffic(rng, platform, scale, file_id, listing_ids)
            for table, rows in (
                ("suppliers", suppliers),
                ("listings", listings),
                ("visits", visits),
                ("pageviews", pageviews),
                ("hits", hits),
            ):
                frame = pd.DataFrame(rows)  # noqa: F841 (read by DuckDB's replacement scan)
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
            rejected = [
                (platform, *row[:1], f"{platform}/{row[0]}/{row[1]}", *row[2:]) for row in REJECTED
            ]
            con.executemany(
                "INSERT INTO rejected_rows (platform, source, source_file, line_no, reason_code, "
                "detail, raw_text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rejected,
            )
            for source, loaded, name in (
                ("logs", len(hits), "access.log"),
                ("suppliers", len(suppliers), "fournisseurs.csv"),
                ("listings", len(listings), "annonces.csv"),
            ):
                n_rejected = sum(1 for row in REJECTED if row[0] == source)
                load_files.append(
                    (
                        _hex(platform, name),
                        platform,
                        source,
                        f"data/raw/{platform}/{source}/{name}",
                        100_000,
                        loaded + n_rejected,
                        loaded,
                        n_rejected,
                        loaded_at,
                    )
                )
        con.executemany(
            "INSERT INTO load_files (file_id, platform, source, path, bytes, lines_read, rows_loaded, "
            "rows_rejected, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            load_files,
        )
        daily_aggregates(con)
        # load_summary and load_info as the ETL defines them (90_summary.sql, run by
        # empty_warehouse); the load time fixed, and the span the stated one, so the file is
        # the same on every build.
        con.execute("INSERT INTO load_info VALUES (?, ?, ?)", [loaded_at, DATA_START, DATA_END])
        con.execute("""INSERT INTO geo_sources VALUES ('country', 'iptocc', '3.3.170', NULL),
                       ('department', 'GeoLite2-City', NULL, DATE '2020-12-29')""")
        # One undated export per platform, as when no dated snapshot was delivered.
        con.execute("""
            INSERT INTO listing_snapshots
            SELECT platform, NULL, listing_id, supplier_id, category_code, category, is_active,
                   created_on,
                   withdrawn_on, source_file, source_line FROM listings
        """)
        _canteens(rng, con)
        add_codes_and_macros(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


# Two territorial food projects over the communes above (the PAT list's ids and names).
FOOD_PROJECTS = [
    ("PAT-TOURAINE", "PAT de Touraine", ["37261", "37063", "41018"]),
    ("PAT-ORLEANAIS", "PAT de l'Orléanais", ["45234", "45208", "41018"]),
]


def _canteens(rng: random.Random, con) -> None:
    """A few canteens in each commune of COMMUNES, the 2023 declarations of most of them, the
    PATs above and the product families of etl/config/canteen_families.toml, as the load
    writes them (etl/canteens.py, etl/canteen_families.py)."""
    canteen_families.load_families(con)
    canteens, declarations = [], []
    for insee, commune, department, *_ in COMMUNES:
        for n in range(rng.randint(2, 4)):
            siret = f"{rng.randrange(10**13, 10**14)}"
            meals = None if rng.random() < 0.1 else rng.randrange(20, 400) * 140
            canteens.append(
                {
                    "siret": siret,
                    "name": f"Restaurant scolaire {commune} n°{n + 1}",
                    "insee_code": insee,
                    "department_code": department,
                    "epci_code": f"2{department}0{insee[-3:]}00",
                    "epci_name": f"Communauté de communes de {commune}",
                    "yearly_meal_count": meals,
                    "source_file": "data/raw/cantines/registre.csv",
                    "line_no": len(canteens) + 2,
                }
            )
            if rng.random() < 0.7:
                organic = round(rng.uniform(0.02, 0.4), 3)
                declarations.append(
                    {
                        "siret": siret,
                        "year": 2023,
                        "department_code": department,
                        "ratio_bio": organic,
                        "ratio_egalim_hors_bio": round(rng.uniform(0.05, 0.45), 3),
                        "source_file": "data/raw/cantines/campagne-2023.csv",
                        "line_no": len(declarations) + 2,
                    }
                )
    for table, rows in (("canteens", canteens), ("canteen_declarations", declarations)):
        frame = pd.DataFrame(rows)  # noqa: F841 (read by DuckDB's replacement scan)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
    for line, (project, name, communes) in enumerate(FOOD_PROJECTS, start=2):
        con.execute(
            "INSERT INTO food_projects (food_project_id, name, source_file, line_no) "
            "VALUES (?, ?, 'data/raw/cantines/pat.csv', ?)",
            [project, name, line],
        )
        con.executemany(
            "INSERT INTO food_project_communes VALUES (?, ?)", [(project, c) for c in communes]
        )


def add_codes_and_macros(con) -> None:
    """What the ETL adds to hand-filled catalogue tables: kind and category codes where rows
    give only labels (and `catalogue_visit_days`, which reads them, derived again), and the
    shared macros of the published file (etl/sql/01, 92)."""
    kind_codes = ", ".join(
        f"('{code}', '{label}')" for code, label in labels.SUPPLIER_KIND_LABELS.items()
    )
    con.execute(f"""UPDATE suppliers SET kind_code = k.code
                    FROM (VALUES {kind_codes}) AS k(code, label)
                    WHERE suppliers.kind_code IS NULL AND k.label = suppliers.kind""")
    for table in ("listings", "listing_snapshots"):
        con.execute(f"""UPDATE {table} SET category_code = coalesce(c.category_code,
                            'non_classe_' || lower(regexp_replace(strip_accents(t.category),
                                                   '[^A-Za-z0-9]+', '_', 'g')))
                        FROM {table} AS t LEFT JOIN categories AS c
                          ON c.platform = t.platform AND c.category = t.category
                        WHERE {table}.category_code IS NULL
                          AND t.platform = {table}.platform AND t.listing_id = {table}.listing_id""")
    derive.over_every_day(con, "46_catalogue_visit_days.sql", "catalogue_visit_days")
    for script in ("01_vocabulary.sql", "92_scopes.sql"):
        run_script(con, script)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/fake.duckdb")
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 0.25
    print(build(target, scale=scale))
