"""Goals (conversions): what counts as a visit reaching a producer or a company, read from
`etl/config/goals.toml` and checked before any load step, so that a mistyped rule stops the
load with a French message instead of counting nothing. docs/metrics.md ("Goal")."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.errors import LoadError
from etl.scripts import config_changed
from etl.settings import PLATFORMS

GOALS_FILE = "goals.toml"
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_REQUEST_KEYS = {"method", "path", "query", "status_min", "status_max"}
_SEQUENCE_KEYS = {"after_page_type", "page_types"}
_COMMON_KEYS = {"code", "label", "platforms"}


def _fail(path: Path, where: str, what: str) -> LoadError:
    return LoadError(f"objectifs invalides dans {path.name} ({where}) : {what}")


def _check_regex(con, path: Path, where: str, pattern) -> str:
    if not isinstance(pattern, str) or not pattern:
        raise _fail(path, where, "expression régulière attendue (texte non vide)")
    try:  # DuckDB's RE2, the engine that will run it
        con.execute("select regexp_matches('', ?)", [pattern]).fetchall()
    except duckdb.Error as error:
        raise _fail(path, where, f"expression régulière refusée par DuckDB : {error}") from None
    return pattern


def read_goals(path: Path, page_types: set[str]) -> tuple[list[dict], list[dict], list[dict]]:
    """(goals, request rules, sequence rules) as rows, or LoadError naming the entry at fault."""
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LoadError(f"fichier d'objectifs illisible : {path} ({error})") from None
    entries = spec.get("goals", [])
    if not isinstance(entries, list):
        raise _fail(path, "goals", "une liste de [[goals]] est attendue")
    con = duckdb.connect()
    goals, requests, sequences, seen = [], [], [], set()
    for n, entry in enumerate(entries, start=1):
        where = f"objectif n° {n}"
        unknown = set(entry) - _COMMON_KEYS - _REQUEST_KEYS - _SEQUENCE_KEYS
        if unknown:
            raise _fail(path, where, f"clé(s) inconnue(s) : {', '.join(sorted(unknown))}")
        code = entry.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            raise _fail(
                path, where, "code attendu : minuscules, chiffres et _, 40 caractères au plus"
            )
        where = f"objectif « {code} »"
        if code in seen:
            raise _fail(path, where, "code en double")
        seen.add(code)
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > 120:
            raise _fail(path, where, "libellé attendu (texte non vide, 120 caractères au plus)")
        platforms = entry.get("platforms", list(PLATFORMS))
        if not isinstance(platforms, list) or not platforms or set(platforms) - set(PLATFORMS):
            raise _fail(path, where, f"plateformes attendues parmi : {', '.join(PLATFORMS)}")
        is_request = "path" in entry
        is_sequence = "after_page_type" in entry
        if is_request == is_sequence:
            raise _fail(
                path, where, "une règle attendue : path (requête) ou after_page_type (parcours)"
            )
        if is_request:
            if set(entry) & _SEQUENCE_KEYS:
                raise _fail(path, where, "règle de requête et de parcours mêlées")
            method = entry.get("method")
            if method is not None and (not isinstance(method, str) or not method.isalpha()):
                raise _fail(path, where, "méthode HTTP attendue (GET, POST …)")
            low, high = entry.get("status_min", 200), entry.get("status_max", 399)
            if not (isinstance(low, int) and isinstance(high, int) and 100 <= low <= high <= 599):
                raise _fail(path, where, "status_min ≤ status_max attendus, entre 100 et 599")
            for platform in platforms:
                requests.append(
                    {
                        "platform": platform,
                        "goal_code": code,
                        "method": method.upper() if method else None,
                        "path_regex": _check_regex(con, path, where, entry["path"]),
                        "query_regex": _check_regex(con, path, where, entry["query"])
                        if "query" in entry
                        else None,
                        "status_min": low,
                        "status_max": high,
                    }
                )
        else:
            after, targets = entry.get("after_page_type"), entry.get("page_types")
            if after not in page_types or not isinstance(targets, list) or not targets:
                raise _fail(
                    path, where, f"types de page attendus parmi : {', '.join(sorted(page_types))}"
                )
            if set(targets) - page_types:
                raise _fail(
                    path, where, f"types de page attendus parmi : {', '.join(sorted(page_types))}"
                )
            for platform in platforms:
                sequences.append(
                    {
                        "platform": platform,
                        "goal_code": code,
                        "after_page_type": after,
                        "page_types": list(targets),
                    }
                )
        for platform in platforms:
            goals.append(
                {"platform": platform, "goal_code": code, "label": label.strip(), "position": n}
            )
    con.close()
    return goals, requests, sequences


_SCHEMAS = {
    "goals": pa.schema(
        [
            ("platform", pa.string()),
            ("goal_code", pa.string()),
            ("label", pa.string()),
            ("position", pa.int32()),
        ]
    ),
    "goal_requests": pa.schema(
        [
            ("platform", pa.string()),
            ("goal_code", pa.string()),
            ("method", pa.string()),
            ("path_regex", pa.string()),
            ("query_regex", pa.string()),
            ("status_min", pa.int32()),
            ("status_max", pa.int32()),
        ]
    ),
    "goal_sequences": pa.schema(
        [
            ("platform", pa.string()),
            ("goal_code", pa.string()),
            ("after_page_type", pa.string()),
            ("page_types", pa.list_(pa.string())),
        ]
    ),
}


def load_goals(con, path: Path, page_types: set[str]) -> bool:
    """Writes the `goals` table (published: the dashboard's labels) and the temp rule tables
    40_visits.sql reads. True when the goals changed since the last load: every day's
    conversions are then derived again."""
    goals, requests, sequences = read_goals(path, page_types)
    for name, rows in (
        ("goals", goals),
        ("goal_requests", requests),
        ("goal_sequences", sequences),
    ):
        con.register(f"v_{name}", pa.Table.from_pylist(rows, schema=_SCHEMAS[name]))
        if name == "goals":  # a warehouse table (00_schema.sql): the dashboard reads the labels
            con.execute("delete from goals")
            con.execute("insert into goals select * from v_goals")
        else:
            con.execute(f"create or replace temp table {name} as select * from v_{name}")
        con.unregister(f"v_{name}")
    return config_changed(con, "goals", path.read_bytes())
