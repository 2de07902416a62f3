"""Where a visitor's address is: its country, and its French department when the region
supplies a city database. Resolved at load time, once per distinct address of a batch; only
the codes are stored (`hits.country_code`, `hits.geo_department_code`), never the address.

* Country (ISO 3166-1 alpha-2): the offline database of the `iptocc` package (pinned in
  requirements.txt), built from the five Regional Internet Registries' allocation files: the
  country a block was *assigned* to, right for about 95 % of addresses (docs/metrics.md,
  "Origin"). Private, reserved and unparsable addresses have none (NULL).
* Department (INSEE code): from a MaxMind-format city database (GeoIP2/GeoLite2 City or a
  compatible one) given by the setting `geo_city_db_path`, read with `maxminddb`; only for
  addresses that `iptocc` places in France, from the record's subdivisions (the department
  is the one whose ISO 3166-2 code is a department number: `45`, `2A`, `974`; `69M`, the
  Lyon metropolis, counts as the Rhône `69`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from etl.errors import LoadError

# ISO 3166-2:FR subdivision codes that are departments (two digits, Corsica, overseas).
_DEPARTMENT = re.compile(r"^(?:\d{2}|2[AB]|97[1-6])$")


def iptocc_version() -> str:
    import importlib.metadata

    return importlib.metadata.version("iptocc")


def department_of(record) -> str | None:
    """The INSEE department code of a city-database record, or None."""
    if not isinstance(record, dict):
        return None
    country = record.get("country")
    if isinstance(country, dict) and country.get("iso_code") not in (None, "FR"):
        return None
    found = None
    for subdivision in record.get("subdivisions") or []:
        code = str((subdivision or {}).get("iso_code") or "").upper().removeprefix("FR-")
        if code == "69M":
            code = "69"
        if _DEPARTMENT.match(code):
            found = code  # the most precise one comes last (region first, then department)
    return found


@dataclass
class CityDb:
    """An open city database and what the load says of it."""

    path: Path
    reader: object
    database_type: str
    built_on: str  # YYYY-MM-DD, from the file's build time

    def department(self, ip: str) -> str | None:
        try:
            return department_of(self.reader.get(ip))
        except (ValueError, TypeError):  # not an address
            return None

    def close(self) -> None:
        self.reader.close()


def open_city_db(path: Path | None) -> CityDb | None:
    """The city database at `path` (None: no department). A file that is missing or cannot be
    read as a MaxMind database stops the load before it touches anything (exit 2)."""
    if path is None:
        return None
    import datetime as dt

    import maxminddb

    why = None
    if not path.exists():
        why = "fichier introuvable"
    elif not path.is_file():
        why = "ce n'est pas un fichier"
    if why is None:
        try:
            reader = maxminddb.open_database(str(path))
            meta = reader.metadata()
            built = dt.datetime.fromtimestamp(meta.build_epoch, dt.UTC).date()
            return CityDb(path, reader, str(meta.database_type), built.isoformat())
        except PermissionError:
            why = "lecture refusée"
        except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
            why = f"illisible comme base MaxMind ({type(exc).__name__})"
    raise LoadError(
        f"base de villes (départements) inutilisable : {path} — {why}. Donnez le chemin d'une "
        "base au format MaxMind (GeoIP2/GeoLite2 City) dans OBSERVATOIRE_GEO_CITY_DB_PATH, ou "
        "retirez le réglage pour charger sans département (docs/settings.md)"
    )


def stage(con, city: CityDb | None) -> int:
    """Temp table `stg_geo(ip, country_code, geo_department_code)`: each distinct address of
    the staged hits (`stg_hits`) resolved once, for 20_hits.sql. Returns the count."""
    import iptocc

    ips = [
        row[0]
        for row in con.execute("select distinct ip from stg_hits where ip is not null").fetchall()
    ]
    countries = iptocc.country_code(ips) if ips else []
    departments = [
        city.department(ip) if city is not None and country == "FR" else None
        for ip, country in zip(ips, countries)
    ]
    con.register(
        "v_geo",
        pa.table(
            {
                "ip": pa.array(ips, pa.string()),
                "country_code": pa.array(countries, pa.string()),
                "geo_department_code": pa.array(departments, pa.string()),
            }
        ),
    )
    con.execute("create or replace temp table stg_geo as select * from v_geo")
    con.unregister("v_geo")
    return len(ips)


def record_sources(con, city: CityDb | None) -> None:
    """`geo_sources`: the databases the load locates with, for the dashboard (which says when
    no city database gave departments) and for the analyst."""
    con.execute("delete from geo_sources")
    con.execute("insert into geo_sources values ('country', 'iptocc', ?, null)", [iptocc_version()])
    if city is not None:
        con.execute(
            "insert into geo_sources values ('department', ?, null, ?::date)",
            [city.database_type, city.built_on],
        )
