"""Where visitors come from (issue #19): country and department located at load time, only
their codes stored, the origin figures of the Fréquentation page.

* the queries on a tiny hand-made warehouse whose figures are worked out by hand;
* the load of a hand-written log with addresses of known ranges and a city database written
  here (mmdb-writer), checking the stored codes and that no address is stored anywhere;
* a city database that is missing or unreadable: a French message, exit 2, nothing touched;
* the demo's addresses resolve to what the demo means (France, Belgium, Switzerland …).
"""

from __future__ import annotations

import ipaddress
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import iptocc
import pytest
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from app import labels, queries
from app.filtering import Filters
from etl import geo
from etl.__main__ import main
from etl.demo import geo as demo_geo
from etl.settings import Settings
from tests.fake_warehouse import add_codes_and_macros, daily_aggregates, empty_warehouse

APRIL = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30))


@pytest.fixture(scope="module")
def tiny():
    """Ten visits in April: 4 from the region (45 ×3, 18), 2 from Paris (75), 1 from France
    without department, 2 from Belgium, 1 not located."""
    con = duckdb.connect()
    empty_warehouse(con)
    con.execute("INSERT INTO departments VALUES ('18', 'Cher', 1), ('45', 'Loiret', 1)")
    con.execute("INSERT INTO load_info VALUES ('2021-01-04 08:00', '2020-04-01', '2020-04-30')")
    origins = [
        ("FR", "45"),
        ("FR", "45"),
        ("FR", "45"),
        ("FR", "18"),
        ("FR", "75"),
        ("FR", "75"),
        ("FR", None),
        ("BE", None),
        ("BE", None),
        (None, None),
    ]
    start = datetime(2020, 4, 3, 10)
    con.executemany(
        """INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at, pageviews,
           duration_s, is_bounce, channel, device_type, browser, os, country_code,
           geo_department_code)
           VALUES ('produits-frais', ?, ?, ?, ?, 1, 0, true, 'direct', 'desktop', 'Firefox',
                   'Linux', ?, ?)""",
        [
            (f"v{k}", f"a{k}", start + timedelta(hours=k), start + timedelta(hours=k), *o)
            for k, o in enumerate(origins)
        ],
    )
    con.execute("INSERT INTO geo_sources VALUES ('country', 'iptocc', '3.3.170', NULL)")
    daily_aggregates(con)
    add_codes_and_macros(con)
    yield con
    con.close()


def test_origin_shares_by_hand(tiny):
    frame = queries.visits_by_origin(tiny, APRIL)
    assert frame[["origin", "visits", "share"]].values.tolist() == [
        ["region", 4, 0.4],
        ["france_other", 2, 0.2],
        ["france_unlocated", 1, 0.1],
        ["abroad", 2, 0.2],
        ["unknown", 1, 0.1],
    ]
    assert frame["label"].tolist() == [labels.ORIGIN_LABELS[c] for c in frame["origin"]]
    # Another period: every origin still listed, none divided by zero.
    empty = queries.visits_by_origin(
        tiny, Filters("produits-frais", date(2020, 5, 1), date(2020, 5, 2))
    )
    assert empty["visits"].tolist() == [0] * 5 and empty["share"].tolist() == [0] * 5


def test_departments_and_countries_by_hand(tiny):
    departments = queries.visits_by_department(tiny, APRIL)
    assert departments[
        ["code", "department", "visits", "share", "is_in_region"]
    ].values.tolist() == [
        ["45", "Loiret (45)", 3, 0.3, True],
        ["75", "Paris (75)", 2, 0.2, False],
        ["18", "Cher (18)", 1, 0.1, True],
    ]
    countries = queries.visits_by_country(tiny, APRIL)
    assert countries[["country", "visits", "share"]].values.tolist() == [
        ["France", 7, 0.7],
        ["Belgique", 2, 0.2],
        [labels.ORIGIN_LABELS["unknown"], 1, 0.1],
    ]
    assert queries.geo_sources(tiny) == {
        "country": {"database_type": "iptocc", "version": "3.3.170", "built_on": None}
    }


def test_visits_not_located_are_listed_last_however_many(tiny):
    """The countries table ends with the visits not located, even when they outnumber a
    country (five of them against one Belgian visit, in June)."""
    june = datetime(2020, 6, 2, 9)
    rows = [(f"june{k}", june + timedelta(hours=k), None) for k in range(5)]
    rows.append(("june-be", june, "BE"))
    tiny.executemany(
        """INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at, pageviews,
           duration_s, is_bounce, channel, device_type, browser, os, country_code)
           VALUES ('produits-frais', ?, ?, ?, ?, 1, 0, true, 'direct', 'desktop', 'Firefox',
                   'Linux', ?)""",
        [(v, v, t, t, c) for v, t, c in rows],
    )
    try:
        countries = queries.visits_by_country(
            tiny, Filters("produits-frais", date(2020, 6, 1), date(2020, 6, 30))
        )
        assert countries[["country", "visits"]].values.tolist() == [
            ["Belgique", 1],
            [labels.ORIGIN_LABELS["unknown"], 5],
        ]
    finally:
        tiny.execute("DELETE FROM visits WHERE visit_id LIKE 'june%'")


def test_department_of_a_city_record():
    record = {
        "country": {"iso_code": "FR"},
        "subdivisions": [{"iso_code": "CVL"}, {"iso_code": "45"}],
    }
    assert geo.department_of(record) == "45"
    assert geo.department_of({"subdivisions": [{"iso_code": "ARA"}, {"iso_code": "69M"}]}) == "69"
    assert geo.department_of({"subdivisions": [{"iso_code": "COR"}, {"iso_code": "2A"}]}) == "2A"
    assert (
        geo.department_of({"country": {"iso_code": "FR"}, "subdivisions": [{"iso_code": "IDF"}]})
        is None
    )
    assert (
        geo.department_of({"country": {"iso_code": "BE"}, "subdivisions": [{"iso_code": "45"}]})
        is None
    )
    assert geo.department_of(None) is None


# --- The load --------------------------------------------------------------------------------

# Addresses of known ranges (iptocc 3.3.170): two in the city database's Loiret range, one in
# its Paris range, one French outside it, one Belgian, one Swiss, one private.
LOIRET_1, LOIRET_2, PARIS = "90.0.1.7", "90.0.200.9", "176.128.3.4"
FRANCE_ELSEWHERE, BELGIUM, SWITZERLAND, PRIVATE = "93.0.5.6", "109.128.4.5", "85.0.7.8", "10.1.2.3"
CLIENTS = [LOIRET_1, LOIRET_2, PARIS, FRANCE_ELSEWHERE, BELGIUM, SWITZERLAND, PRIVATE]
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:75.0) Gecko/20100101 Firefox/75.0"


def write_city_db(path: Path) -> Path:
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="Test-City")
    loiret = {
        "country": {"iso_code": "FR"},
        "subdivisions": [{"iso_code": "CVL"}, {"iso_code": "45"}],
    }
    paris = {
        "country": {"iso_code": "FR"},
        "subdivisions": [{"iso_code": "IDF"}, {"iso_code": "75"}],
    }
    writer.insert_network(IPSet(["90.0.0.0/16"]), loiret)
    writer.insert_network(IPSet(["176.128.0.0/16"]), paris)
    # A Belgian address the city database would put in a French department: the country
    # comes from iptocc, and only a French address gets a department.
    writer.insert_network(IPSet(["109.128.0.0/16"]), loiret)
    writer.to_db_file(str(path))
    return path


def write_log(raw: Path) -> None:
    logs = raw / "produits-frais" / "logs"
    logs.mkdir(parents=True)
    lines = [
        f'{ip} - - [03/Apr/2020:{10 + k}:00:00 +0200] "GET /produits/miel HTTP/1.1" 200 512 "-" "{BROWSER}"'
        for k, ip in enumerate(CLIENTS)
    ]
    # An address echoed in a request is masked as before (no address stored anywhere).
    lines.append(
        f'{LOIRET_1} - - [03/Apr/2020:18:00:00 +0200] "GET /recherche?q={BELGIUM} HTTP/1.1" 200 512 "-" "{BROWSER}"'
    )
    (logs / "access.log").write_text("\n".join(lines) + "\n", encoding="utf-8")


def load(raw: Path, db: Path, monkeypatch, city: Path | None, capsys=None) -> int:
    if city is None:
        monkeypatch.delenv("OBSERVATOIRE_GEO_CITY_DB_PATH", raising=False)
    else:
        monkeypatch.setenv("OBSERVATOIRE_GEO_CITY_DB_PATH", str(city))
    return main(["load", "--raw", str(raw), "--db", str(db), "--quiet"])


def all_text(path: Path) -> str:
    """Every value of every table of a DuckDB file, as text."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return "\n".join(
            str(row)
            for table in tables
            for row in con.execute(f'SELECT * FROM "{table}"').fetchall()
        )


def test_load_stores_codes_and_never_the_address(tmp_path, monkeypatch):
    raw, db = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    write_log(raw)
    city = write_city_db(tmp_path / "city.mmdb")
    assert load(raw, db, monkeypatch, city) in (0, 1)
    etl_db = db.with_name("warehouse.etl.duckdb")
    with duckdb.connect(str(etl_db), read_only=True) as con:
        stored = con.execute(
            "SELECT country_code, geo_department_code FROM hits ORDER BY line_no"
        ).fetchall()
    assert stored == [
        ("FR", "45"),
        ("FR", "45"),
        ("FR", "75"),
        ("FR", None),
        ("BE", None),
        ("CH", None),
        (None, None),
        ("FR", "45"),
    ]
    with duckdb.connect(str(db), read_only=True) as con:
        visits = con.execute(
            "SELECT country_code, geo_department_code, count(*) FROM visits GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        sources = con.execute(
            "SELECT role, database_type FROM geo_sources ORDER BY role"
        ).fetchall()
    # One visit per line (LOIRET_1's search, 8 hours later, is a second visit), each placed
    # where its entry page's address is.
    assert visits == [
        ("BE", None, 1),
        ("CH", None, 1),
        ("FR", "45", 3),
        ("FR", "75", 1),
        ("FR", None, 1),
        (None, None, 1),
    ]
    assert sources == [("country", "iptocc"), ("department", "Test-City")]
    for path in (db, etl_db):
        text = all_text(path)
        for ip in CLIENTS:
            assert ip not in text, f"{ip} stored in {path.name}"


def test_without_a_city_database_countries_only(tmp_path, monkeypatch):
    raw, db = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    write_log(raw)
    assert load(raw, db, monkeypatch, None) in (0, 1)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(geo_department_code) FROM visits").fetchone() == (0,)
        assert con.execute("SELECT count(country_code) FROM visits").fetchone() == (7,)
        assert con.execute("SELECT role FROM geo_sources").fetchall() == [("country",)]


@pytest.mark.parametrize("kind", ["missing", "folder", "garbage"])
def test_an_unusable_city_database_stops_the_load_in_french(tmp_path, monkeypatch, capsys, kind):
    raw, db = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    write_log(raw)
    city = tmp_path / "villes.mmdb"
    if kind == "folder":
        city.mkdir()
    elif kind == "garbage":
        city.write_bytes(b"pas une base MaxMind\n" * 100)
    assert load(raw, db, monkeypatch, city) == 2
    err = capsys.readouterr().err
    assert "base de villes (départements) inutilisable" in err and str(city) in err
    assert "OBSERVATOIRE_GEO_CITY_DB_PATH" in err
    assert "Traceback" not in err
    assert not db.exists() and not db.with_name("warehouse.etl.duckdb").exists()


def test_the_demo_city_database_is_found_in_the_raw_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("OBSERVATOIRE_GEO_CITY_DB_PATH", raising=False)
    raw = tmp_path / "raw"
    assert Settings(raw_dir=raw).city_db_file() is None
    demo_geo.write_city_db(raw / "geo" / "villes.mmdb")
    assert Settings(raw_dir=raw).city_db_file() == raw / "geo" / "villes.mmdb"
    assert Settings(raw_dir=raw, geo_city_db_path=tmp_path / "x.mmdb").city_db_file() == (
        tmp_path / "x.mmdb"
    )


# --- The demo's addresses ----------------------------------------------------------------------


def _every_256th(first: int, last: int) -> list[str]:
    return [str(ipaddress.IPv4Address(a)) for a in range(first, last + 1, 256)] + [
        str(ipaddress.IPv4Address(last))
    ]


def test_demo_ranges_resolve_to_their_country():
    # The pool and the foreign ranges, /24 by /24: a new iptocc whose data moved a block
    # fails here (choose other ranges in etl/demo/geo.py).
    for first, blocks in demo_geo.FRENCH_POOL:
        start = int(ipaddress.IPv4Address(first))
        assert set(iptocc.country_code(_every_256th(start, start + (blocks << 16) - 1))) == {
            "FR"
        }, first
    for country, ranges in demo_geo.foreign_ranges().items():
        for lo, hi in ranges:
            assert set(iptocc.country_code(_every_256th(lo, hi))) == {country}, (country, lo)


def test_demo_placement_is_one_to_one():
    from etl.demo import agents

    firsts = [int(ipaddress.IPv4Address(p[0])) for p in agents.FRENCH_IPV4]
    drawn = [
        a + k
        for a, (_, size, _) in zip(firsts, agents.FRENCH_IPV4)
        for k in (0, size // 16 - 1, size // 16, size - 1)
    ]
    placed = demo_geo.place(drawn).tolist()
    assert len(set(placed)) == len(drawn)
