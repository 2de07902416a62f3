"""The platforms' host names and their changes of address, read from `etl/config/hosts.toml`
and checked before any load step (a mistake stops the load with a French message). The load
turns them into `own_hosts` (the referrers that are the platform itself, 40_visits.sql) and
`host_changes` (the annotations of a new address on the charts). docs/metrics.md, *Channel*."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

import pyarrow as pa

from etl.errors import LoadError
from etl.scripts import config_changed
from etl.settings import PLATFORMS, normalise_host

HOSTS_FILE = "hosts.toml"
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_KEYS = {"host", "from", "until", "label"}


def _fail(path: Path, where: str, what: str) -> LoadError:
    return LoadError(f"adresses des plateformes invalides dans {path.name} ({where}) : {what}")


def read_hosts(path: Path) -> tuple[list[dict], list[dict]]:
    """(hosts, changes): every host with its platform and dates, and each host that began
    after the platform's first one (a change of address), or LoadError naming the entry."""
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LoadError(f"fichier des adresses illisible : {path} ({error})") from None
    unknown = set(spec) - set(PLATFORMS)
    if unknown:
        raise _fail(
            path,
            ", ".join(sorted(unknown)),
            f"plateforme inconnue ; attendu : {', '.join(PLATFORMS)}",
        )
    hosts, changes, owner = [], [], {}
    for platform in PLATFORMS:
        entries = spec.get(platform, [])
        if not isinstance(entries, list):
            raise _fail(path, platform, "une liste de [[" + platform + "]] est attendue")
        rows = []
        for n, entry in enumerate(entries, start=1):
            where = f"{platform}, adresse n° {n}"
            if not isinstance(entry, dict) or set(entry) - _KEYS:
                raise _fail(path, where, f"clés attendues : {', '.join(sorted(_KEYS))}")
            host = normalise_host(str(entry.get("host", "")))
            if not _HOST.match(host):
                raise _fail(path, where, "nom d'hôte attendu (sans https:// ni port)")
            if owner.setdefault(host, platform) != platform:
                raise _fail(path, where, f"{host} est déjà une adresse de {owner[host]}")
            start, end = entry.get("from"), entry.get("until")
            for value in (start, end):
                if value is not None and type(value) is not dt.date:
                    raise _fail(path, where, "dates attendues au format AAAA-MM-JJ")
            if start and end and end < start:
                raise _fail(path, where, "until est avant from")
            label = entry.get("label")
            if label is not None and (
                not isinstance(label, str) or not label.strip() or len(label) > 120
            ):
                raise _fail(path, where, "libellé attendu : texte non vide, 120 caractères au plus")
            rows.append(
                {
                    "platform": platform,
                    "host": host,
                    "valid_from": start,
                    "valid_until": end,
                    "label": label.strip() if label else None,
                }
            )
        first = min((r["valid_from"] for r in rows if r["valid_from"]), default=None)
        for row in rows:
            if row["valid_from"] and first and row["valid_from"] > first:
                changes.append(
                    {
                        "platform": platform,
                        "day": row["valid_from"],
                        "host": row["host"],
                        "label": row["label"],
                    }
                )
        hosts.extend(rows)
    return hosts, changes


def load_hosts(con, path: Path) -> bool:
    """Writes `own_hosts` (a regex per host: itself or a sub-domain) and `host_changes`.
    True when the file changed since the last load: every day's visits are derived again."""
    hosts, changes = read_hosts(path)
    regexes = [{"regex": r"(^|\.)" + re.escape(h["host"]) + "$"} for h in hosts]
    con.register(
        "v_own_hosts", pa.Table.from_pylist(regexes, schema=pa.schema([("regex", pa.string())]))
    )
    con.execute("create or replace table own_hosts as select * from v_own_hosts")
    con.unregister("v_own_hosts")
    schema = pa.schema(
        [
            ("platform", pa.string()),
            ("day", pa.date32()),
            ("host", pa.string()),
            ("label", pa.string()),
        ]
    )
    con.register("v_host_changes", pa.Table.from_pylist(changes, schema=schema))
    con.execute("delete from host_changes")
    con.execute("insert into host_changes select * from v_host_changes")
    con.unregister("v_host_changes")
    return config_changed(con, "hosts", path.read_bytes())
