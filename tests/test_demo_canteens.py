"""The demo's canteen files (etl/demo/canteens.py): the published formats, real-looking
SIRETs and communes, a few hundred canteens at scale 1, and every row loaded, quarantined for
its deliberate fault, or counted out of the region by the load."""

from __future__ import annotations

import csv
import io

import pytest

from etl import canteens
from etl.demo.canteens import BROKEN, generate_canteens
from tests.test_canteen_inputs import empty_load_db, load_folder


def _luhn_ok(digits: str) -> bool:
    """The Luhn rule of SIREN (9 digits) and SIRET (14): every second digit from the right doubled."""
    if not digits.isdigit():
        return False
    total = sum(
        (int(c) * 2) % 10 + (int(c) * 2) // 10 if i % 2 == 1 else int(c)
        for i, c in enumerate(reversed(digits))
    )
    return total % 10 == 0


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    raw = tmp_path_factory.mktemp("demo_canteens")
    counts = generate_canteens(raw, scale=1.0, seed=2020)
    for con in empty_load_db():
        yield raw, counts, con, load_folder(con, raw)


def _rows(path, encoding):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=encoding)), delimiter=";"))


def test_files_are_written_in_the_published_formats(demo):
    raw, _, _, _ = demo
    folder = raw / canteens.FOLDER
    assert sorted(p.name for p in folder.iterdir()) == [
        "campagne_td_2022.csv",
        "campagne_td_2023.csv",
        "pats-20250224-win1252.csv",
        "registre_cantines.csv",
    ]
    assert (folder / "registre_cantines.csv").read_bytes().startswith(b"\xef\xbb\xbfid;name;siret;")
    pats = (folder / "pats-20250224-win1252.csv").read_bytes()
    pats.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        pats.decode("utf-8")  # accents really are Windows-1252


def test_a_few_hundred_canteens_of_the_six_departments_with_valid_sirets(demo):
    raw, counts, _, _ = demo
    rows = _rows(raw / canteens.FOLDER / "registre_cantines.csv", "utf-8-sig")
    region = [r for r in rows if r["department"] in {"18", "28", "36", "37", "41", "45"}]
    assert 250 <= counts["canteens"] <= 350
    assert {r["department"] for r in region} == {"18", "28", "36", "37", "41", "45"}
    valid = [r for r in rows if _luhn_ok(r["siret"])]
    assert len(rows) - len(valid) == BROKEN["invalid_siret"]
    assert all(len(r["epci"]) == 9 and _luhn_ok(r["epci"]) for r in region)
    assert any(r["pat_list"] for r in region)


def test_shares_are_plausible_fractions(demo):
    raw, _, _, _ = demo
    rows = _rows(raw / canteens.FOLDER / "campagne_td_2023.csv", "utf-8-sig")
    bio = [float(r["teledeclaration_ratio_bio"]) for r in rows]
    clean = [b for b in bio if b <= 1]
    assert len(bio) - len(clean) == BROKEN["percent_ratio"]
    assert 0.08 < sum(clean) / len(clean) < 0.25


def test_every_row_is_loaded_quarantined_for_its_fault_or_out_of_scope(demo):
    _, counts, con, report = demo
    assert con.execute("select count(*) from canteens").fetchone() == (counts["canteens"],)
    assert sorted(
        con.execute("select reason_code from rejected_rows where source = 'canteens'").fetchall()
    ) == [
        ("duplicate_id_in_file",),
        ("invalid_meal_count",),
        ("invalid_siret",),
        ("unknown_commune",),
    ]
    assert con.execute(
        "select reason_code from rejected_rows where source = 'canteen_declarations'"
    ).fetchall() == [("ratio_out_of_range",)]
    assert con.execute("select count(*) from canteen_declarations").fetchone() == (
        sum(counts["declarations"].values()) - 1,
    )
    assert con.execute("select count(*) from food_projects").fetchone() == (
        counts["food_projects"] - 1,
    )
    for entry in report.files:
        assert entry.read == entry.loaded + entry.rejected + entry.out_of_scope, entry.path
    assert (
        sum(f.out_of_scope for f in report.files if f.source == "canteens")
        == counts["canteens_elsewhere"]
    )
    assert report.errors == []


def test_same_seed_same_bytes(demo, tmp_path):
    raw, _, _, _ = demo
    generate_canteens(tmp_path, scale=1.0, seed=2020)
    for path in (raw / canteens.FOLDER).iterdir():
        assert (tmp_path / canteens.FOLDER / path.name).read_bytes() == path.read_bytes()
