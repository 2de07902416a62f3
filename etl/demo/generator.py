"""Demo data generator: raw files of both platforms, as described in data/README.md.

`generate(raw_dir, scale, seed)` writes, for `produits-frais` and `equipements-protection`,
`raw_dir/<platform>/suppliers/*.csv`, `listings/*.csv` and `logs/access.log*` (weekly
rotation, older weeks gzip'd), from 30 March 2020 (opening) to 31 December 2020, and
`raw_dir/geo/villes.mmdb`, a city database of its own that places its visitors' addresses in
(made-up) departments (etl/demo/geo.py).

At scale 1 the ETL should find about 700 food suppliers and 1,650 active listings, 300
equipment companies, ~190,000 food visits between 1 April and 31 May 2020 and ~25,000
equipment visits over the period, with 20-40 % of hits from crawlers. Every count scales
linearly with `scale` (at least 1). The same seed and scale give byte-identical files.

The CSV exports deliberately differ in format, as operators' tools produce them:
  produits-frais/suppliers/producteurs.csv           ; separated, Windows-1252, CRLF
  produits-frais/listings/annonces_2020-05-31.csv    , separated, UTF-8 (snapshot at that date)
  produits-frais/listings/annonces_2020-12-31.csv    , separated, UTF-8
  equipements-protection/suppliers/entreprises.csv   ; separated, UTF-8
  equipements-protection/listings/offres.csv         ; separated, UTF-8 with BOM, CRLF
and each platform has a handful of broken rows (see catalogue.add_anomalies) for the quarantine.
`raw_dir/cantines/` gets ma cantine's register, two campaigns and the PAT list (canteens.py),
and Agence BIO's operators list (organic.py).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from tqdm import tqdm

from . import agents, geo, traffic
from . import catalogue as cat
from .canteens import generate_canteens
from .organic import generate_organic_operators

PLATFORMS = ("produits-frais", "equipements-protection")
SUBFOLDERS = ("logs", "suppliers", "listings")
GEO_FOLDER = "geo"  # beside the platforms: the city database (etl/settings.py)
# Roughly one broken log line in 50,000, as seen on a public nginx.
MALFORMED_RATE = 1 / 50_000


def clean(raw_dir: Path):
    """Remove what a previous run wrote (only the three data folders of the two platforms)."""
    for platform in PLATFORMS:
        for sub in SUBFOLDERS:
            folder = raw_dir / platform / sub
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)


def _write_catalogues(
    raw_dir: Path, rng: np.random.Generator, food: cat.Catalogue, equipment: cat.Catalogue
) -> dict:
    counts = {}
    # produits-frais: suppliers from a French spreadsheet (";" and Windows-1252, CRLF),
    # listings from the platform's back office ("," and UTF-8), with a dated snapshot.
    suppliers = cat.supplier_rows(rng, food)
    listings = cat.listing_rows(food)
    bad = cat.add_anomalies(rng, food, suppliers, listings, equipment=False)
    folder = raw_dir / "produits-frais"
    cat.write_csv(
        folder / "suppliers" / "producteurs.csv",
        cat.SUPPLIER_COLUMNS,
        suppliers,
        ";",
        "cp1252",
        "\r\n",
    )
    snapshot = cat.listing_rows(food, as_of=cat.SNAPSHOT_DAY)
    snapshot_date = (cat.FIRST_DAY + dt.timedelta(days=cat.SNAPSHOT_DAY)).isoformat()
    cat.write_csv(
        folder / "listings" / f"annonces_{snapshot_date}.csv",
        cat.FOOD_LISTING_COLUMNS,
        snapshot,
        ",",
        "utf-8",
    )
    cat.write_csv(
        folder / "listings" / f"annonces_{cat.LAST_DAY.isoformat()}.csv",
        cat.FOOD_LISTING_COLUMNS,
        listings,
        ",",
        "utf-8",
    )
    counts["produits-frais"] = _catalogue_counts(food, suppliers, listings, bad)
    counts["produits-frais"]["listing_rows_snapshot"] = len(snapshot)

    suppliers = cat.supplier_rows(rng, equipment)
    listings = cat.listing_rows(equipment, equipment=True)
    bad = cat.add_anomalies(rng, equipment, suppliers, listings, equipment=True)
    folder = raw_dir / "equipements-protection"
    cat.write_csv(
        folder / "suppliers" / "entreprises.csv", cat.SUPPLIER_COLUMNS, suppliers, ";", "utf-8"
    )
    cat.write_csv(
        folder / "listings" / "offres.csv",
        cat.EQUIPMENT_LISTING_COLUMNS,
        listings,
        ";",
        "utf-8-sig",
        "\r\n",
    )
    counts["equipements-protection"] = _catalogue_counts(equipment, suppliers, listings, bad)
    return counts


def _catalogue_counts(
    catalogue: cat.Catalogue, supplier_rows, listing_rows, bad_siret: str
) -> dict:
    june_30 = (dt.date(2020, 6, 30) - cat.FIRST_DAY).days
    return {
        "suppliers": len(catalogue.suppliers),
        "suppliers_withdrawn": sum(s.left < cat.NEVER for s in catalogue.suppliers),
        "supplier_rows": len(supplier_rows),
        "listings": len(catalogue.listings),
        "listings_active_2020-06-30": sum(
            l.created <= june_30 < l.withdrawn for l in catalogue.listings
        ),
        "listings_active_end": sum(l.withdrawn >= cat.NEVER for l in catalogue.listings),
        "listings_withdrawn": sum(l.withdrawn < cat.NEVER for l in catalogue.listings),
        "listing_rows": len(listing_rows),
        "anomalies": dict(catalogue.anomalies),
        "bad_siret": bad_siret,
    }


def generate(raw_dir: Path, scale: float = 1.0, seed: int = 2020) -> dict:
    """Write the demo raw files into `raw_dir` and return counts of what was written."""
    if scale <= 0:
        raise ValueError("scale doit être strictement positif")
    raw_dir = Path(raw_dir)
    rng = np.random.Generator(np.random.PCG64(seed))
    catalogue_rng, export_rng, traffic_rng = rng.spawn(3)
    clean(raw_dir)

    vocabulary = cat.load_vocabulary()
    communes = cat.load_communes()
    food = cat.build_food(catalogue_rng, scale, communes, vocabulary)
    equipment = cat.build_equipment(catalogue_rng, scale, communes, vocabulary)
    counts = _write_catalogues(raw_dir, export_rng, food, equipment)
    # The public canteen files (register, campaigns, PAT), from a stream of their own.
    counts["cantines"] = generate_canteens(raw_dir, scale, seed)
    # Agence BIO's operators, some of them the food platform's producers (same SIRET).
    counts["operateurs_bio"] = generate_organic_operators(raw_dir, scale, seed, food.suppliers)

    pool = agents.build_browser_pool(cat.FIRST_DAY)
    crawlers = agents.build_crawler_pool()
    uptime_agent = agents.uptime_agent()
    rng = traffic_rng
    boundaries = traffic.rotation_boundaries()
    sites = [
        traffic.build_site(traffic.FOOD_PROFILE, food, rng, scale),
        traffic.build_site(traffic.EQUIPMENT_PROFILE, equipment, rng, scale),
    ]
    # Per platform, drawn once for the whole period so that tiny scales still get one of each.
    plans = []
    for site in sites:
        hits_per_visit = 9.0  # pages, assets and photos; only used to size the rare events
        expected_lines = site.expected_visits.sum() * hits_per_visit / (1 - site.profile.bot_share)
        n_broken = max(4, int(round(expected_lines * MALFORMED_RATE)))
        kinds = [0, 1, 2, 3] + rng.integers(0, 4, n_broken - 4).tolist()
        broken_days = rng.integers(0, cat.N_DAYS, n_broken)
        broken = {}
        for kind, day in zip(kinds, broken_days.tolist()):
            broken.setdefault(day, []).append(kind)
        scanners = np.bincount(
            rng.integers(0, cat.N_DAYS, max(1, int(round(120 * scale)))), minlength=cat.N_DAYS
        )
        interval = int(min(43_200, 300 / scale))  # uptime check every 5 minutes at scale 1
        plans.append(
            {
                "broken": broken,
                "scanners": scanners,
                "interval": interval,
                "phase": int(rng.integers(0, interval)),
                "mean_visits": site.expected_visits.mean(),
            }
        )

    with ThreadPoolExecutor(max_workers=2) as executor:
        writers = [
            traffic.LogWriter(site, raw_dir / site.profile.code / "logs", boundaries, executor)
            for site in sites
        ]
        for day in tqdm(range(cat.N_DAYS), desc="Journaux d'accès", unit="jour", file=sys.stderr):
            ua_p = {}
            for site, plan, writer in zip(sites, plans, writers):
                shares = site.profile.device_shares
                if shares not in ua_p:
                    ua_p[shares] = pool.day_probabilities(day, shares)
                humans = traffic.human_day(site, day, rng, pool, ua_p[shares])
                scanners = traffic.scanner_day(site, day, rng, int(plan["scanners"][day]))
                uptime = traffic.uptime_day(
                    site, day, rng, plan["interval"], plan["phase"], uptime_agent
                )
                human_today = sum(len(b["ts"]) for b in (humans, scanners) if b is not None)
                per_visit = site.human_hits / max(site.human_visits, 1)
                ratio = site.profile.bot_share / (1 - site.profile.bot_share)
                # Half follows the day's traffic, half is a steady crawl independent of it.
                target = ratio * (0.5 * human_today + 0.5 * per_visit * plan["mean_visits"])
                target -= 0 if uptime is None else len(uptime["ts"])
                robots = traffic.crawler_day(
                    site, day, rng, crawlers, int(rng.poisson(max(target, 0.0)))
                )
                broken = traffic.malformed_lines(rng, site, day, plan["broken"].get(day, []))
                for b in (humans, scanners, uptime, robots):
                    writer.add(b)
                writer.add(None, broken)
                writer.flush_until(traffic.day_start_utc(day + 1) - 1)
        for writer in writers:
            writer.close()

    for site in sites:
        c = counts[site.profile.code]
        c.update(
            {
                "log_files": site.counts["files"],
                "log_lines": site.counts["lines"],
                "log_bytes": site.counts["bytes"],  # on disk (older weeks gzip'd)
                "log_bytes_uncompressed": site.counts["text_bytes"],
                "bot_hits": site.counts["bot_hits"],
                "visits": site.counts["visits"],
                "visits_apr_may": site.counts["visits_apr_may"],
                "pageviews": site.counts["pageviews"],
                "malformed_lines": site.counts["malformed_lines"],
                "unparseable_lines": site.counts["unparseable_lines"],
            }
        )
    # The demo's own city database (made-up departments of its addresses), where the load
    # looks for one by default (setting geo_city_db_path, docs/settings.md).
    geo.write_city_db(raw_dir / GEO_FOLDER / geo.CITY_DB_NAME)
    counts["scale"] = scale
    counts["seed"] = seed
    return counts
