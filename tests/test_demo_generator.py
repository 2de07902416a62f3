"""Demo generator (etl/demo): layout, formats and invariants of the raw files it writes.

Runs the generator at a tiny scale (0.02: a few hundred visits a week) with a fixed seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import io
import re
import tomllib
import unicodedata
import zlib
from pathlib import Path

import pytest

from etl.demo import generate, traffic
from etl.demo.agents import build_browser_pool, crawler_regex
from etl.demo.catalogue import luhn_ok

SCALE = 0.02
SEED = 2020
PLATFORMS = ("produits-frais", "equipements-protection")
ROOT = Path(__file__).resolve().parents[1]

SUPPLIER_COLUMNS = {
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
}
SUPPLIER_REQUIRED = {"id_fournisseur", "nom", "type", "code_postal", "commune", "date_inscription"}
LISTING_COLUMNS = {
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
    "norme",
    "capacite_hebdo",
}
LISTING_REQUIRED = {"id_annonce", "id_fournisseur", "titre", "categorie", "statut", "date_creation"}

# nginx `log_format combined`
COMBINED = re.compile(
    r"^(?P<ip>\S+) \S+ \S+ \[(?P<time>\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "
    r'"(?P<request>(?:[^"\\]|\\.)*)" (?P<status>\d{3}) (?P<size>\d+|-) '
    r'"(?P<referrer>(?:[^"\\]|\\.)*)" "(?P<agent>(?:[^"\\]|\\.)*)"$'
)
PARIS_WINTER_FROM = dt.datetime(2020, 10, 25, 3, 0)  # local time at which +0200 becomes +0100


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    counts = generate(raw, scale=SCALE, seed=SEED)
    return raw, counts


@functools.cache
def is_robot(agent: str) -> bool:
    """User agent of the crawler-user-agents list (cached: the combined regex is slow)."""
    return bool(_ROBOTS.search(agent))


_ROBOTS = crawler_regex()


def _files(raw: Path) -> dict[str, bytes]:
    return {str(p.relative_to(raw)): p.read_bytes() for p in sorted(raw.rglob("*")) if p.is_file()}


def _log_files(raw: Path, platform: str) -> list[Path]:
    """Log files from the oldest to the newest (access.log.N.gz … access.log.1, access.log)."""

    def rotation(p: Path) -> int:
        parts = p.name.split(".")
        return int(parts[2]) if len(parts) > 2 else 0

    return sorted((raw / platform / "logs").iterdir(), key=rotation, reverse=True)


def _log_lines(path: Path) -> list[str]:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    assert data.endswith(b"\n")
    return data.decode("utf-8", "surrogateescape").split("\n")[:-1]


def _read_csv(path: Path, encoding: str, delimiter: str) -> list[dict]:
    text = path.read_bytes().decode(encoding)
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def _normalise(label: str) -> str:
    text = unicodedata.normalize("NFKD", label.replace("œ", "oe").replace("Œ", "OE"))
    text = text.encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_identical_files_and_other_seed_differs(demo, tmp_path):
    raw, _ = demo
    first = _files(raw)
    generate(tmp_path / "same", scale=SCALE, seed=SEED)
    assert _files(tmp_path / "same") == first
    generate(tmp_path / "other", scale=SCALE, seed=SEED + 1)
    other = _files(tmp_path / "other")
    assert other.keys() == first.keys()
    assert other != first
    assert (
        other["produits-frais/suppliers/producteurs.csv"]
        != first["produits-frais/suppliers/producteurs.csv"]
    )


def test_rerun_replaces_previous_files_only_in_data_folders(tmp_path):
    stale = tmp_path / "produits-frais" / "logs" / "access.log.99.gz"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    kept = tmp_path / "produits-frais" / "LISEZMOI.txt"
    kept.write_text("à garder")
    generate(tmp_path, scale=0.005, seed=1)
    assert not stale.exists()
    assert kept.read_text() == "à garder"


def test_weeks_larger_than_a_slice_are_written_in_several_gzip_members_with_the_same_lines(
    demo, tmp_path, monkeypatch
):
    # At scale 50 a week of logs does not fit in memory as Python strings: the generator then
    # formats and compresses it slice by slice. The lines must not change, only the gzip framing.
    raw, counts = demo
    monkeypatch.setattr(traffic, "LINES_PER_SLICE", 500)
    sliced_counts = generate(tmp_path, scale=SCALE, seed=SEED)
    members = 0
    for platform in PLATFORMS:
        paths = _log_files(raw, platform)
        assert [p.name for p in _log_files(tmp_path, platform)] == [p.name for p in paths]
        for path in paths:
            sliced = tmp_path / platform / "logs" / path.name
            if path.suffix == ".gz":
                assert gzip.decompress(sliced.read_bytes()) == gzip.decompress(path.read_bytes()), (
                    path.name
                )
                members += _gzip_members(sliced.read_bytes()) - 1
            else:
                assert sliced.read_bytes() == path.read_bytes(), path.name
    assert members > 0  # some weeks really were cut into slices
    assert {
        p: {k: v for k, v in c.items() if k != "log_bytes"}
        for p, c in sliced_counts.items()
        if p in PLATFORMS
    } == {
        p: {k: v for k, v in c.items() if k != "log_bytes"}
        for p, c in counts.items()
        if p in PLATFORMS
    }


def _gzip_members(data: bytes) -> int:
    count = 0
    while data:
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        decompressor.decompress(data)
        data = decompressor.unused_data
        count += 1
    return count


# --- layout, headers, encodings -------------------------------------------------------------


def test_documented_layout(demo):
    raw, counts = demo
    for platform in PLATFORMS:
        for sub in ("logs", "suppliers", "listings"):
            assert any((raw / platform / sub).iterdir()), f"{platform}/{sub} is empty"
        names = {p.name for p in (raw / platform / "logs").iterdir()}
        n = counts[platform]["log_files"]
        assert names == {"access.log", "access.log.1"} | {f"access.log.{i}.gz" for i in range(2, n)}
    assert (raw / "produits-frais/listings/annonces_2020-05-31.csv").exists()
    assert (raw / "produits-frais/listings/annonces_2020-12-31.csv").exists()


EXPORTS = [
    # (file, encoding, delimiter, columns, required)
    (
        "produits-frais/suppliers/producteurs.csv",
        "cp1252",
        ";",
        SUPPLIER_COLUMNS,
        SUPPLIER_REQUIRED,
    ),
    (
        "produits-frais/listings/annonces_2020-05-31.csv",
        "utf-8",
        ",",
        LISTING_COLUMNS,
        LISTING_REQUIRED,
    ),
    (
        "produits-frais/listings/annonces_2020-12-31.csv",
        "utf-8",
        ",",
        LISTING_COLUMNS,
        LISTING_REQUIRED,
    ),
    (
        "equipements-protection/suppliers/entreprises.csv",
        "utf-8",
        ";",
        SUPPLIER_COLUMNS,
        SUPPLIER_REQUIRED | {"siret"},
    ),
    (
        "equipements-protection/listings/offres.csv",
        "utf-8-sig",
        ";",
        LISTING_COLUMNS,
        LISTING_REQUIRED,
    ),
]


@pytest.mark.parametrize("name, encoding, delimiter, columns, required", EXPORTS)
def test_csv_headers_and_encoding(demo, name, encoding, delimiter, columns, required):
    raw, _ = demo
    data = (raw / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    text = data.decode(encoding)
    header = text.splitlines()[0].split(delimiter)
    assert set(header) <= columns
    assert required <= set(header)
    rows = _read_csv(raw / name, encoding, delimiter)
    assert rows and all(len(r) == len(header) and None not in r for r in rows)


def test_windows_1252_export_really_is_windows_1252(demo):
    raw, _ = demo
    data = (raw / "produits-frais/suppliers/producteurs.csv").read_bytes()
    text = data.decode("cp1252")
    assert re.search("[éèêàçôûîÉŒœ]", text)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\r\n" in data


def test_dates_are_french_and_prices_use_decimal_comma(demo):
    raw, _ = demo
    rows = _read_csv(raw / "produits-frais/listings/annonces_2020-12-31.csv", "utf-8", ",")
    for row in rows:
        for column in ("date_creation", "date_mise_a_jour", "date_retrait"):
            assert row[column] == "" or re.fullmatch(r"\d{2}/\d{2}/2020", row[column])
        assert row["prix"] == "" or re.fullmatch(r"\d+,\d{2}", row["prix"])
        assert row["statut"] in ("active", "retirée")
        assert (row["statut"] == "retirée") == (row["date_retrait"] != "")


# --- catalogue invariants and deliberate anomalies --------------------------------------------


def test_sirets_pass_luhn_except_the_deliberate_one(demo):
    raw, counts = demo
    for platform, name, encoding in (
        ("produits-frais", "producteurs.csv", "cp1252"),
        ("equipements-protection", "entreprises.csv", "utf-8"),
    ):
        rows = _read_csv(raw / platform / "suppliers" / name, encoding, ";")
        sirets = [r["siret"].replace(" ", "") for r in rows if r["siret"]]
        assert all(re.fullmatch(r"\d{14}", s) for s in sirets)
        bad = [s for s in sirets if not luhn_ok(s)]
        assert bad == [counts[platform]["bad_siret"]]
        assert all(
            luhn_ok(s[:9]) for s in sirets if s != counts[platform]["bad_siret"]
        )  # SIREN key too


def test_equipment_suppliers_are_companies_with_naf_codes(demo):
    raw, _ = demo
    rows = _read_csv(raw / "equipements-protection/suppliers/entreprises.csv", "utf-8", ";")
    assert {r["type"].lower() for r in rows} == {"entreprise"}
    assert all(re.fullmatch(r"\d{2}\.\d{2}[A-Z]", r["code_naf"]) for r in rows)


def test_anomalies_are_few_but_present(demo):
    raw, counts = demo
    for platform, suppliers_file, listings_file, encoding, delimiter in (
        ("produits-frais", "producteurs.csv", "annonces_2020-12-31.csv", "cp1252", ","),
        ("equipements-protection", "entreprises.csv", "offres.csv", "utf-8", ";"),
    ):
        suppliers = _read_csv(raw / platform / "suppliers" / suppliers_file, encoding, ";")
        listings = _read_csv(
            raw / platform / "listings" / listings_file,
            "utf-8-sig" if platform == "equipements-protection" else "utf-8",
            delimiter,
        )
        ids = [r["id_fournisseur"] for r in suppliers]
        assert len(ids) - len(set(ids)) == 1  # one duplicated row
        required = SUPPLIER_REQUIRED | (
            {"siret"} if platform == "equipements-protection" else set()
        )
        assert sum(any(not r[c] for c in required) for r in suppliers) == 1
        assert sum(r["id_fournisseur"] not in set(ids) for r in listings) == 1  # unknown supplier
        assert sum(any(not r[c] for c in LISTING_REQUIRED) for r in listings) == 1
        assert counts[platform]["anomalies"]


def test_category_labels_map_onto_the_vocabulary_except_one(demo):
    raw, _ = demo
    vocabulary = tomllib.loads((ROOT / "etl/config/vocabulary.toml").read_text(encoding="utf-8"))
    for platform, name, encoding, delimiter in (
        ("produits-frais", "annonces_2020-12-31.csv", "utf-8", ","),
        ("equipements-protection", "offres.csv", "utf-8-sig", ";"),
    ):
        known = set()
        for entry in vocabulary["categories"][platform].values():
            known.add(_normalise(entry["label"]))
            known.update(_normalise(a) for a in entry["aliases"])
        rows = _read_csv(raw / platform / "listings" / name, encoding, delimiter)
        unknown = [r["categorie"] for r in rows if _normalise(r["categorie"]) not in known]
        assert len(unknown) == 1, unknown


def test_late_equipment_categories_start_in_june(demo):
    raw, _ = demo
    rows = _read_csv(raw / "equipements-protection/listings/offres.csv", "utf-8-sig", ";")
    for row in rows:
        if _normalise(row["categorie"]).startswith(("signaletique", "cameras", "thermometres")):
            created = dt.datetime.strptime(row["date_creation"], "%d/%m/%Y").date()
            assert created >= dt.date(2020, 6, 1)
        assert row["capacite_hebdo"] == "" or 100 <= int(row["capacite_hebdo"]) <= 200_000


def test_snapshot_is_the_state_at_its_date(demo):
    raw, _ = demo
    snapshot = _read_csv(raw / "produits-frais/listings/annonces_2020-05-31.csv", "utf-8", ",")
    final = {
        r["id_annonce"]: r
        for r in _read_csv(raw / "produits-frais/listings/annonces_2020-12-31.csv", "utf-8", ",")
    }
    assert 0 < len(snapshot) < len(final)
    for row in snapshot:
        for column in ("date_creation", "date_mise_a_jour", "date_retrait"):
            if row[column]:
                assert dt.datetime.strptime(row[column], "%d/%m/%Y").date() <= dt.date(2020, 5, 31)
        assert row["id_annonce"] in final


# --- access logs -----------------------------------------------------------------------------


def test_gzip_files_are_valid(demo):
    raw, _ = demo
    for platform in PLATFORMS:
        for path in _log_files(raw, platform):
            if path.suffix == ".gz":
                assert path.read_bytes()[:2] == b"\x1f\x8b"
                gzip.decompress(path.read_bytes())
            else:
                assert path.read_bytes()[:2] != b"\x1f\x8b"


def test_log_lines_are_combined_format_in_time_order_with_paris_offsets(demo):
    raw, counts = demo
    first_day, end = dt.datetime(2020, 3, 30), dt.datetime(2021, 1, 1)
    for platform in PLATFORMS:
        unparsed = 0
        previous_utc = None
        for path in _log_files(raw, platform):
            for line in _log_lines(path):
                match = COMBINED.match(line)
                if match is None:
                    unparsed += 1
                    continue
                stamp = dt.datetime.strptime(match["time"], "%d/%b/%Y:%H:%M:%S %z")
                local = stamp.replace(tzinfo=None)
                assert first_day <= local < end, line
                offset = match["time"][-5:]
                ambiguous = dt.datetime(2020, 10, 25, 2) <= local < PARIS_WINTER_FROM
                if not ambiguous:
                    assert offset == ("+0200" if local < PARIS_WINTER_FROM else "+0100"), line
                utc = stamp.astimezone(dt.UTC)
                assert previous_utc is None or utc >= previous_utc, (
                    f"{path.name}: out of order: {line}"
                )
                previous_utc = utc
        # Only the deliberately broken lines (cut short, binary junk) fail the format.
        assert unparsed == counts[platform]["unparseable_lines"] >= 1
        assert counts[platform]["malformed_lines"] >= 4


def test_bot_share_of_hits(demo):
    raw, _ = demo
    for platform in PLATFORMS:
        agents = [
            m["agent"]
            for p in _log_files(raw, platform)
            for m in map(COMBINED.match, _log_lines(p))
            if m
        ]
        bots = sum(map(is_robot, agents))
        assert 0.20 <= bots / len(agents) <= 0.40, (platform, bots / len(agents))


def test_human_page_views_follow_the_url_scheme_of_the_catalogue(demo):
    raw, _ = demo
    listings = {
        r["id_annonce"]
        for r in _read_csv(raw / "produits-frais/listings/annonces_2020-12-31.csv", "utf-8", ",")
    }
    suppliers = {
        r["id_fournisseur"]
        for r in _read_csv(raw / "produits-frais/suppliers/producteurs.csv", "cp1252", ";")
    }
    slugs = {
        "fruits-legumes",
        "viandes-volailles",
        "produits-laitiers",
        "oeufs",
        "pain-boulangerie",
        "miel",
        "boissons",
        "epicerie",
        "poissons",
        "fleurs-plants",
    }
    seen = set()
    for path in _log_files(raw, "produits-frais"):
        for m in filter(None, map(COMBINED.match, _log_lines(path))):
            method, target, _ = (
                m["request"].split(" ") if m["request"].count(" ") == 2 else ("", "", "")
            )
            if is_robot(m["agent"]) or method != "GET" or m["status"] not in ("200", "304"):
                continue
            page = target.split("?")[0]
            if page.startswith(("/static/", "/media/")) or page == "/favicon.ico":
                continue
            if page == "/robots.txt":  # a scanner in a browser's clothes: a robot by behaviour
                continue
            if page.startswith("/produit/"):
                assert (
                    re.fullmatch(r"/produit/(A\d+)-[a-z0-9-]+", page)
                    and page.split("/")[2].split("-")[0] in listings
                )
            elif page.startswith("/producteur/"):
                assert page.split("/")[2].split("-")[0] in suppliers
            elif page.startswith("/categorie/"):
                assert page.split("/")[2] in slugs
            elif page == "/recherche":
                assert re.fullmatch(r"q=[A-Za-z0-9%+]+", target.split("?")[1])
            else:
                assert page in ("/", "/carte", "/contact", "/a-propos", "/mentions-legales"), page
            seen.add(page.split("/")[1])
            if m["referrer"] != "-" and "produits-frais.centre-valdeloire.fr" not in m["referrer"]:
                seen.add("external referrer")
    assert {"", "produit", "producteur", "categorie", "recherche", "external referrer"} <= seen


def test_rare_events_are_present_even_at_tiny_scale(demo):
    raw, _ = demo
    text = "\n".join(line for p in _log_files(raw, "produits-frais") for line in _log_lines(p))
    assert '"POST /contact ' in text
    assert '"HEAD / ' in text
    assert '"GET /robots.txt ' in text and '"GET /sitemap.xml ' in text
    assert "/wp-login.php" in text or "/.env" in text or "/xmlrpc.php" in text
    assert re.search(r'" 404 \d+ ', text) and re.search(r'" 30[12] \d+ ', text)
    assert '"-" 400 0 "-" "-"' in text and "\\x16\\x03\\x01" in text


def test_browser_user_agents_never_look_like_robots():
    pool = build_browser_pool(dt.date(2020, 3, 30))
    assert len(pool.strings) >= 200
    assert not [ua for ua in pool.strings if is_robot(ua)]
