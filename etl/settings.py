"""Every ETL setting in one place, with its default, unit and reason.

Values can be overridden with environment variables named `OBSERVATOIRE_<NAME>` (upper case).
`docs/settings.md` lists them all; a test checks that it does.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = Path(__file__).resolve().parent / "config"
SQL_DIR = Path(__file__).resolve().parent / "sql"
REFERENCE_DIR = REPO_ROOT / "data" / "reference"

PLATFORMS = ("produits-frais", "equipements-protection")
SOURCES = ("logs", "suppliers", "listings")
# Beside the platforms' folders in the raw folder: the city database (`geo_city_db_path`).
GEO_FOLDER = "geo"
CITY_DB_NAME = "villes.mmdb"


class SettingsError(ValueError):
    """A setting that cannot be read; the message is French, for the operator."""


# Each numeric setting has a "range" (inclusive) next to its help, checked before a load
# touches anything (`Settings.check`): outside it a value does not mean what its help says.
# NaN passed every comparison and purged 100 %; an inactivity of 0 or -30 minutes made every
# page view a visit; a robot threshold of 0 made every visitor a robot; a retention or a year
# beyond what DuckDB's dates hold ended in an internal error. The bounds: a visit pause of at
# most a day; keys kept at least a day (a later load of the same day needs its key) and at
# most a month (they are secrets); shares between 0 and 1; 100,000 months keeps everything;
# plausible years 1900-2100; DuckDB needs some memory (64 MB) and 1 TiB is beyond any host.


@dataclass(frozen=True)
class Settings:
    raw_dir: Path = field(
        default=REPO_ROOT / "data" / "raw",
        metadata={"help": "Folder of raw files, one sub-folder per platform."},
    )
    db_path: Path = field(
        default=REPO_ROOT / "data" / "warehouse.duckdb",
        metadata={
            "help": "Warehouse file the dashboard reads, published by each load; the load's own database, hits included, is beside it (`<name>.etl.duckdb`)."
        },
    )
    state_dir: Path | None = field(
        default=None,
        metadata={
            "help": "Secrets kept outside the warehouse (daily visitor-hash keys); default: `state/` beside the warehouse. Git-ignored."
        },
    )
    visit_inactivity_minutes: int = field(
        default=30,
        metadata={
            "range": (1, 1440),
            "help": "Minutes of inactivity that end a visit: 30 is what Matomo, Plausible and Google Analytics use.",
        },
    )
    visit_split_at_midnight: bool = field(
        default=True,
        metadata={
            "help": "Start a new visit at midnight (Europe/Paris), as Matomo does. Forced by the daily key rotation."
        },
    )
    visitor_key_retention_days: int = field(
        default=2,
        metadata={
            "range": (1, 30),
            "help": "Days a daily visitor-hash key is kept after the newest loaded day, then destroyed (Plausible-style rotation).",
        },
    )
    bot_max_requests_per_minute: int = field(
        default=60,
        metadata={
            "range": (1, 10_000),
            "help": "A visitor making more requests than this within one minute is a robot (behavioural sign).",
        },
    )
    retention_months: int = field(
        default=25,
        metadata={
            "range": (1, 100_000),
            "help": "Hits and visits older than this, counted back from each platform's newest log line (lines dated after the load's clock + 1 day are quarantined, so none can move it), are purged (CNIL advice for audience measurement).",
        },
    )
    retention_max_purge_share: float = field(
        default=0.10,
        metadata={
            "range": (0.0, 1.0),
            "help": "Largest share of a platform's visits already loaded that retention may purge in one load; a larger purge is refused and reported (a clock-skewed log line would otherwise empty the warehouse) unless the load runs with `--accept-purge`.",
        },
    )
    catalogue_earliest_year: int = field(
        default=2000,
        metadata={
            "range": (1900, 2100),
            "help": "Earliest year of a plausible date in the catalogue exports (registration, creation, update, withdrawal): an earlier one, most often a year cut short (`30/03/202`, `30/03/0020`), quarantines its row as « date hors plage plausible ». The platforms opened in 2020; the latest plausible date stays the load's clock + 1 day.",
        },
    )
    catalogue_max_drop_share: float = field(
        default=0.25,
        metadata={
            "range": (0.0, 1.0),
            "help": "Largest share of a platform's active suppliers, or of its active listings, that one catalogue reload may take off the offer; a larger drop (a truncated or an old export) is refused and reported, the previous catalogue kept, unless the load runs with `--accept-catalogue-drop`.",
        },
    )
    platform_hosts: str = field(
        default="",
        metadata={
            "help": "Host names of each platform's site, for logs in the vhost_combined format that also hold other sites (webmail, intranet): `produits-frais=produits-frais.example.fr,www.produits-frais.example.fr;equipements-protection=…`, compared without case or port. Lines of other hosts are excluded (`other_host`) and counted in the load's report. Empty for a platform: every host counts, and a vhost log of several hosts is reported. Applies to the lines loaded after it is set (`--rebuild` to apply it to loaded logs)."
        },
    )
    geo_city_db_path: Path | None = field(
        default=None,
        metadata={
            "help": "MaxMind-format city database (GeoIP2 or GeoLite2 City, or compatible) that gives visitors in France their department; default: `geo/villes.mmdb` in the raw folder if present (the demo writes its own there), else no department. A file given that is missing or unreadable stops the load (exit 2)."
        },
    )
    load_memory_limit_mb: int = field(
        default=550,
        metadata={
            "range": (64, 1_048_576),
            "help": "Memory DuckDB may use during a load or a Parquet export before it spills to disk (MB); keeps either under 1 GiB.",
        },
    )
    load_in_place_max_mb: int = field(
        default=128,
        metadata={
            "range": (0, 1_048_576),
            "help": "New log data (MB, decompressed; a new gzip file counts the size its trailer states, at least 10 times its own; a known one rotated since, what its trailer states beyond the bytes loaded) up to which a load updates the database in place in one transaction, which DuckDB holds in memory (about 1.1 byte per log byte); beyond, or when every day is derived again, it loads a copy of the database and switches it in.",
        },
    )

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Refuse, with a French message, any setting outside its type and range (NaN and
        infinities included), before a load touches anything."""
        for f in fields(self):
            if "range" in f.metadata and not _in_range(f, getattr(self, f.name)):
                raise SettingsError(_out_of_range(f, str(getattr(self, f.name))))
        if not isinstance(self.visit_split_at_midnight, bool):
            raise SettingsError(
                "réglage invalide : OBSERVATOIRE_VISIT_SPLIT_AT_MIDNIGHT="
                f"« {self.visit_split_at_midnight} » (oui ou non attendu ; docs/settings.md)"
            )
        self.platform_host_names()  # a malformed value is refused before anything is loaded

    def platform_host_names(self) -> dict[str, set[str]]:
        """`platform_hosts` read: each platform with host names configured, and its hosts in
        the form compared with the logs' (lower case, no port, no final dot)."""
        hosts: dict[str, set[str]] = {}
        for entry in filter(None, (e.strip() for e in self.platform_hosts.split(";"))):
            platform, equal, names = (part.strip() for part in entry.partition("="))
            if not equal or platform not in PLATFORMS:
                raise SettingsError(
                    f"réglage invalide : OBSERVATOIRE_PLATFORM_HOSTS=« {self.platform_hosts} » "
                    f"(« {entry} » : plateforme=hôte,hôte attendu, plateforme parmi "
                    f"{', '.join(PLATFORMS)} ; docs/settings.md)"
                )
            found = {normalise_host(name) for name in names.split(",")} - {""}
            if not found:
                raise SettingsError(
                    f"réglage invalide : OBSERVATOIRE_PLATFORM_HOSTS=« {self.platform_hosts} » "
                    f"(aucun nom d'hôte pour {platform} ; docs/settings.md)"
                )
            hosts.setdefault(platform, set()).update(found)
        return hosts

    def city_db_file(self) -> Path | None:
        """The city database the load reads: the one set, else `<raw>/geo/villes.mmdb` if
        there (the demo's, or one the region drops there), else none."""
        if self.geo_city_db_path is not None:
            return Path(self.geo_city_db_path)
        default = Path(self.raw_dir) / GEO_FOLDER / CITY_DB_NAME
        return default if default.exists() else None

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        values = {}
        for f in fields(cls):
            env = os.environ.get(f"OBSERVATOIRE_{f.name.upper()}")
            if env is not None:
                default = f.default
                if isinstance(default, bool):
                    word = env.strip().lower()
                    if word not in _TRUE + _FALSE:
                        raise SettingsError(
                            f"réglage invalide : OBSERVATOIRE_{f.name.upper()}=« {env} » "
                            f"(oui ou non attendu, défaut {'oui' if default else 'non'} ; "
                            "docs/settings.md)"
                        )
                    values[f.name] = word in _TRUE
                elif isinstance(default, (int, float)):
                    kind = int if isinstance(default, int) else float
                    try:
                        values[f.name] = kind(env.strip())
                    except ValueError:
                        raise SettingsError(_out_of_range(f, env)) from None
                    if not _in_range(f, values[f.name]):  # said as written: `1e400`, not `inf`
                        raise SettingsError(_out_of_range(f, env))
                elif (
                    isinstance(default, Path) or f.name.endswith("_dir") or f.name.endswith("_path")
                ):
                    values[f.name] = Path(env)
                else:
                    values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


_TRUE = ("1", "true", "yes", "oui", "vrai")
_FALSE = ("0", "false", "no", "non", "faux")


def _fr_number(value: float) -> str:
    """1440 → « 1 440 », 0.5 → « 0,5 » (as the operator reads numbers)."""
    if value == int(value):
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:g}".replace(".", ",")


def _in_range(f, value) -> bool:
    """Whether a value has its setting's type (a float setting takes an int) and lies within
    its range; NaN and infinities never do."""
    types = (int, float) if type(f.default) is float else (int,)
    if isinstance(value, bool) or not isinstance(value, types):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    low, high = f.metadata["range"]
    return low <= value <= high


def _out_of_range(f, shown: str) -> str:
    """The refusal of a numeric setting: its variable, its value and what is allowed."""
    low, high = f.metadata["range"]
    kind = "nombre entier" if type(f.default) is int else "nombre"
    return (
        f"réglage invalide : OBSERVATOIRE_{f.name.upper()}=« {shown} » ({kind} de "
        f"{_fr_number(low)} à {_fr_number(high)} attendu, défaut {_fr_number(f.default)} ; "
        "docs/settings.md)"
    )


def range_text(f) -> str:
    """A setting's range as docs/settings.md writes it: `1 … 1440`, `0 … 1`."""
    low, high = f.metadata["range"]
    return f"`{low:g} … {high:g}`" if type(f.default) is float else f"`{low} … {high}`"


def normalise_host(name: str) -> str:
    """A host name as logs are compared with: `WWW.Example.fr:443` → `www.example.fr` (the
    same rule as etl/sql/10_stg_log_lines.sql)."""
    return re.sub(r":[0-9]+$", "", name.strip().lower()).rstrip(".")


def etl_db_path(db_path: Path) -> Path:
    """The load's own database beside the dashboard's warehouse file: `warehouse.duckdb` →
    `warehouse.etl.duckdb`. It holds every table, hits included, and is updated in place."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.etl{db_path.suffix}")
