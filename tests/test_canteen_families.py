"""The mapping of the produits-frais listing categories onto ma cantine's eight product
families (etl/config/canteen_families.toml): every category of the vocabulary maps to exactly
one known family, with its reason; a file naming an unknown family, leaving a category out or
mapping one the vocabulary does not know is refused with a French message."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from etl import canteen_families as cf
from etl.catalogue import vocabulary_tables
from etl.errors import LoadError
from etl.settings import CONFIG_DIR

MAPPING = CONFIG_DIR / cf.FAMILIES_FILE


def _food_categories() -> set[str]:
    table = vocabulary_tables()["categories"].to_pylist()
    return {row["category_code"] for row in table if row["platform"] == cf.PLATFORM}


def test_every_food_category_maps_to_exactly_one_known_family():
    families, rows = cf.read_families(MAPPING, _food_categories())
    assert [f["family_code"] for f in families] == list(cf.MA_CANTINE_FAMILIES)
    assert len(families) == 8
    mapped = [row["category_code"] for row in rows]
    assert sorted(mapped) == sorted(_food_categories())  # each once, none missing
    known = set(cf.MA_CANTINE_FAMILIES) | {None}  # None: said not to be food
    assert all(row["family_code"] in known for row in rows)
    assert all(row["rationale"] for row in rows)
    # The few facts worth pinning: eggs are dairy (BOF), fish is aquaculture, flowers no food.
    family = {row["category_code"]: row["family_code"] for row in rows}
    assert family["oeufs"] == "produits_laitiers"
    assert family["poissons"] == "produits_de_la_mer"
    assert family["fleurs_plants"] is None


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = MAPPING.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / cf.FAMILIES_FILE
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'poissons = { family = "produits_de_la_mer"',
            'poissons = { family = "poissonnerie"',
            "catégorie poissons : famille inconnue « poissonnerie »",
        ),
        (
            'boissons = { label = "Boissons", position = 7 }',
            'boissons = { label = "Boissons", position = 7 }\nsurgeles = { label = "S", position = 9 }',
            "famille(s) inconnue(s) de ma cantine : surgeles",
        ),
        (
            'miel = { family = "autres", why = "Honey is grocery (épicerie): ma cantine\'s « autres » family." }\n',
            "",
            "catégorie(s) sans famille : miel",
        ),
        (
            "[categories.produits-frais]\n",
            '[categories.produits-frais]\ntruffes = { family = "autres", why = "Rare." }\n',
            "catégorie(s) inconnue(s) du vocabulaire : truffes",
        ),
        (
            'why = "Same scope: juices, cider, wine, beer."',
            'why = ""',
            "catégorie boissons : justification (why) manquante",
        ),
    ],
    ids=["unknown-family", "ninth-family", "category-left-out", "unknown-category", "no-reason"],
)
def test_a_faulty_mapping_is_refused_naming_the_fault(tmp_path, old, new, message):
    path = _variant(tmp_path, old, new)
    with pytest.raises(LoadError) as raised:
        cf.read_families(path, _food_categories())
    assert message in str(raised.value)


def test_a_category_given_twice_is_refused(tmp_path):
    path = _variant(
        tmp_path,
        "[categories.produits-frais]\n",
        '[categories.produits-frais]\nmiel = { family = "autres", why = "Twice." }\n',
    )
    with pytest.raises(tomllib.TOMLDecodeError):
        tomllib.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(LoadError, match="fichier des familles illisible"):
        cf.read_families(path, _food_categories())
