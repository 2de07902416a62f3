"""The demo's Agence BIO operators file (etl/demo/organic.py): operators of the six
departments with valid SIRETs, some of them food producers of the platform under the same
SIRET (so the "not on the platform" rule shows), and every row loaded, quarantined for its
deliberate fault, or counted out of the region."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from etl import canteens
from etl.demo import catalogue as cat
from etl.demo.organic import BROKEN, ELSEWHERE, FILE_NAME, generate_organic_operators
from tests.test_canteen_inputs import empty_load_db, load_folder
from tests.test_demo_canteens import _luhn_ok


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    raw = tmp_path_factory.mktemp("demo_organic")
    food = cat.build_food(
        np.random.Generator(np.random.PCG64(5)), 0.3, cat.load_communes(), cat.load_vocabulary()
    )
    counts = generate_organic_operators(raw, scale=0.3, seed=2020, food_suppliers=food.suppliers)
    for con in empty_load_db():
        yield raw, counts, con, load_folder(con, raw), food


def _rows(raw) -> list[dict]:
    text = (raw / canteens.FOLDER / FILE_NAME).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_operators_of_the_six_departments_some_on_the_platform(demo):
    raw, counts, _, _, food = demo
    rows = _rows(raw)
    region = [r for r in rows if r["departement"] in {"18", "28", "36", "37", "41", "45"}]
    assert {r["departement"] for r in region} == {"18", "28", "36", "37", "41", "45"}
    assert counts["operators"] >= 270
    platform_sirets = {s.siret for s in food.suppliers if s.siret}
    shared = {r["siret"] for r in rows} & platform_sirets
    assert len(shared) == counts["on_platform"] > 0
    assert sum(_luhn_ok(r["siret"]) for r in rows) == len(rows) - 1  # the one broken key


def test_every_row_is_loaded_quarantined_for_its_fault_or_out_of_scope(demo):
    _, counts, con, report, _ = demo
    (entry,) = report.files
    assert entry.source == "organic_operators"
    assert entry.read == counts["rows"]
    assert entry.out_of_scope == len(ELSEWHERE)
    assert entry.rejected == sum(BROKEN.values())
    assert entry.loaded == counts["operators"]
    assert entry.read == entry.loaded + entry.rejected + entry.out_of_scope
    assert sorted(
        con.execute(
            "select reason_code from rejected_rows where source = 'organic_operators'"
        ).fetchall()
    ) == [("duplicate_id_in_file",), ("invalid_siret",), ("unknown_commune",)]
    # Labels the mapping does not know are said, not errors; most producers have a family.
    assert any("sans famille" in info for info in report.infos)
    with_family, producers = con.execute(
        """select count(*) filter (where len(families) > 0), count(*)
           from organic_operators where is_producer and is_certified"""
    ).fetchone()
    assert producers > 0 and with_family / producers > 0.6
