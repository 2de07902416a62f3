"""The NAF sector mapping (app/naf_sectors.toml): shape, and the classification of known codes."""

from __future__ import annotations

import pytest

from app import naf


def test_mapping_shape():
    mapping = naf.mapping()
    assert set(mapping["groups"]) == {"reconversion", "habituel"}
    keys = [sector["key"] for sector in mapping["sector"]]
    assert len(keys) == len(set(keys))
    prefixes = [p for sector in mapping["sector"] for p in sector["prefixes"]]
    assert len(prefixes) == len(set(prefixes)), "a prefix belongs to one sector only"
    for sector in mapping["sector"]:
        assert sector["group"] in mapping["groups"], sector["key"]
        assert sector["label"] and sector["label"][0].isupper()
        for prefix in sector["prefixes"]:
            assert naf.PREFIX_PATTERN.match(prefix), prefix


@pytest.mark.parametrize(
    "code,sector,group",
    [
        ("13.92Z", "textile", "reconversion"),
        ("14.12Z", "textile", "reconversion"),
        ("22.29B", "plasturgie", "reconversion"),
        ("18.12Z", "imprimerie", "reconversion"),
        ("31.09B", "mobilier", "reconversion"),
        ("32.99Z", "autres_industries", "reconversion"),
        ("32.50A", "medical", "habituel"),  # longest prefix wins over "32"
        ("21.20Z", "pharmacie_industrie", "habituel"),
        ("46.46Z", "pharmacie_gros", "habituel"),  # wins over "46"
        ("46.69B", "fournitures_industrielles", "habituel"),
        ("46.69A", "negoce", "reconversion"),
        ("47.73Z", "pharmacie_detail", "habituel"),
        ("47.74Z", "pharmacie_detail", "habituel"),
        ("99.00Z", naf.UNCLASSIFIED, naf.UNKNOWN_GROUP),
        (None, naf.UNCLASSIFIED, naf.UNKNOWN_GROUP),
        ("", naf.UNCLASSIFIED, naf.UNKNOWN_GROUP),
    ],
)
def test_classify(code, sector, group):
    assert naf.classify(code) == (sector, group)


def test_every_demo_code_is_classified(conn):
    codes = [
        c
        for (c,) in conn.execute(
            "SELECT DISTINCT naf_code FROM suppliers WHERE platform = 'equipements-protection'"
        ).fetchall()
    ]
    assert codes
    assert all(naf.classify(code)[0] != naf.UNCLASSIFIED for code in codes if code)
