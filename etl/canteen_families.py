"""The mapping of the produits-frais listing categories onto ma cantine's eight product
families (`etl/config/canteen_families.toml`), checked and written to the warehouse as
`canteen_families` (the families) and `category_families` (one row per category).

The file is the one place the mapping lives; a family it does not declare, a category of the
vocabulary it leaves out or one it does not know stops the load with a French message, so a
category added to the vocabulary cannot silently fall outside every family.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pyarrow as pa

from etl.errors import LoadError
from etl.settings import CONFIG_DIR

FAMILIES_FILE = "canteen_families.toml"
PLATFORM = "produits-frais"
# ma cantine's eight families (its diagnostic's value_<family>_… fields): the file may label
# and order them, not add to them.
MA_CANTINE_FAMILIES = (
    "viandes_volailles",
    "produits_de_la_mer",
    "fruits_et_legumes",
    "charcuterie",
    "produits_laitiers",
    "boulangerie",
    "boissons",
    "autres",
)
# A category canteens do not buy as food (flowers, seedlings): said, not forced into `autres`.
NOT_FOOD = "non_alimentaire"


def _fail(path: Path, what: str) -> LoadError:
    return LoadError(f"correspondance des familles invalide dans {path.name} : {what}")


def read_families(path: Path, categories: set[str]) -> tuple[list[dict], list[dict]]:
    """(families, category rows) of the file, checked against ma cantine's families and the
    vocabulary's `categories`; LoadError naming what is wrong."""
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LoadError(f"fichier des familles illisible : {path} ({error})") from None
    families = spec.get("families", {})
    unknown = sorted(set(families) - set(MA_CANTINE_FAMILIES))
    if unknown:
        raise _fail(path, f"famille(s) inconnue(s) de ma cantine : {', '.join(unknown)}")
    missing = [code for code in MA_CANTINE_FAMILIES if code not in families]
    if missing:
        raise _fail(path, f"famille(s) absente(s) : {', '.join(missing)}")
    mapped = spec.get("categories", {}).get(PLATFORM, {})
    rows = []
    for category, entry in mapped.items():
        family = entry.get("family") if isinstance(entry, dict) else None
        if family not in families and family != NOT_FOOD:
            raise _fail(path, f"catégorie {category} : famille inconnue « {family} »")
        if not (isinstance(entry.get("why"), str) and entry["why"].strip()):
            raise _fail(path, f"catégorie {category} : justification (why) manquante")
        rows.append(
            {
                "platform": PLATFORM,
                "category_code": category,
                "family_code": None if family == NOT_FOOD else family,
                "rationale": entry["why"].strip(),
            }
        )
    strangers = sorted(set(mapped) - categories)
    if strangers:
        raise _fail(path, f"catégorie(s) inconnue(s) du vocabulaire : {', '.join(strangers)}")
    forgotten = sorted(categories - set(mapped))
    if forgotten:
        raise _fail(path, f"catégorie(s) sans famille : {', '.join(forgotten)}")
    family_rows = [
        {
            "family_code": code,
            "label": families[code]["label"],
            "position": families[code]["position"],
        }
        for code in MA_CANTINE_FAMILIES
    ]
    return family_rows, rows


def load_families(con, path: Path = CONFIG_DIR / FAMILIES_FILE) -> None:
    """Rewrite `canteen_families` and `category_families` from the file (every load: the
    dashboard reads the tables, not the file)."""
    categories = {
        code
        for (code,) in con.execute(
            "select category_code from categories where platform = ?", [PLATFORM]
        ).fetchall()
    }
    families, rows = read_families(path, categories)
    con.register(
        "v_canteen_families",
        pa.Table.from_pylist(
            families,
            schema=pa.schema(
                [("family_code", pa.string()), ("label", pa.string()), ("position", pa.int32())]
            ),
        ),
    )
    con.register(
        "v_category_families",
        pa.Table.from_pylist(
            rows,
            schema=pa.schema(
                [
                    ("platform", pa.string()),
                    ("category_code", pa.string()),
                    ("family_code", pa.string()),
                    ("rationale", pa.string()),
                ]
            ),
        ),
    )
    con.execute("delete from canteen_families")
    con.execute("insert into canteen_families select * from v_canteen_families")
    con.execute("delete from category_families")
    con.execute("insert into category_families select * from v_category_families")
    con.unregister("v_canteen_families")
    con.unregister("v_category_families")


ORGANIC_FAMILIES_FILE = "organic_families.toml"


def read_production_families(path: Path) -> list[dict]:
    """The rows of the Agence BIO production mapping: (production label, family or None for
    `non_alimentaire`, rationale); LoadError naming an unknown family or a missing reason."""
    try:
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LoadError(f"fichier des familles illisible : {path} ({error})") from None
    rows = []
    for label, entry in spec.get("productions", {}).items():
        family = entry.get("family") if isinstance(entry, dict) else None
        if family not in MA_CANTINE_FAMILIES and family != NOT_FOOD:
            raise _fail(path, f"production « {label} » : famille inconnue « {family} »")
        if not (isinstance(entry.get("why"), str) and entry["why"].strip()):
            raise _fail(path, f"production « {label} » : justification (why) manquante")
        rows.append(
            {
                "production_label": label,
                "family_code": None if family == NOT_FOOD else family,
                "rationale": entry["why"].strip(),
            }
        )
    return rows


def load_production_families(con, path: Path = CONFIG_DIR / ORGANIC_FAMILIES_FILE) -> None:
    """Rewrite `organic_production_families` from the file (every load)."""
    rows = read_production_families(path)
    con.register(
        "v_organic_production_families",
        pa.Table.from_pylist(
            rows,
            schema=pa.schema(
                [
                    ("production_label", pa.string()),
                    ("family_code", pa.string()),
                    ("rationale", pa.string()),
                ]
            ),
        ),
    )
    con.execute("delete from organic_production_families")
    con.execute(
        """insert into organic_production_families (production_label, family_code, rationale)
           select production_label, family_code, rationale from v_organic_production_families"""
    )
    con.unregister("v_organic_production_families")
