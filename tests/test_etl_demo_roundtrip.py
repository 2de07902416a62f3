"""The demo generator and the ETL agree: every line and row the generator wrote is accounted
for, and the figures it was asked to produce come out of the warehouse."""

from __future__ import annotations

import duckdb
import pytest

from etl.demo import generate
from etl.load import load
from etl.settings import Settings, etl_db_path


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roundtrip")
    counts = generate(folder / "raw", scale=0.03, seed=11)
    report = load(Settings(raw_dir=folder / "raw", db_path=folder / "w.duckdb"), progress=False)
    con = duckdb.connect(str(etl_db_path(folder / "w.duckdb")), read_only=True)
    yield counts, report, con
    con.close()


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
def test_every_generated_line_is_loaded_or_quarantined(roundtrip, platform):
    counts, report, con = roundtrip
    read, loaded, rejected = con.execute(
        "select sum(lines_read), sum(rows_loaded), sum(rows_rejected) from load_files where platform = ? and source = 'logs'",
        [platform],
    ).fetchone()
    assert read == counts[platform]["log_lines"]
    assert read == loaded + rejected
    # A line cut short inside its last field (the user agent) is still a whole record and is
    # loaded, as Filebeat loads the Elastic sample's truncated line; other cut lines and junk
    # are quarantined.
    assert 0 < rejected <= counts[platform]["unparseable_lines"]
    assert (
        con.execute("select count(*) from hits where platform = ?", [platform]).fetchone()[0]
        == loaded
    )


@pytest.mark.parametrize("platform", ["produits-frais", "equipements-protection"])
def test_catalogue_counts_match_the_generator(roundtrip, platform):
    counts, report, con = roundtrip
    assert (
        con.execute("select count(*) from suppliers where platform = ?", [platform]).fetchone()[0]
        == counts[platform]["suppliers"]
    )
    listings = con.execute(
        "select count(*) from listings where platform = ?", [platform]
    ).fetchone()[0]
    assert listings == counts[platform]["listings"] + 1  # + the anomaly row in an unknown category
    # The deliberate anomalies: five are quarantined, the unknown category is kept as such.
    reasons = con.execute(
        "select reason_code, detail from rejected_rows where platform = ? and source <> 'logs'",
        [platform],
    ).fetchall()
    assert len(reasons) == 5
    assert any(
        code == "invalid_siret" and counts[platform]["bad_siret"] in detail
        for code, detail in reasons
    )
    assert (
        con.execute(
            "select count(*) from listings where platform = ? and not is_known_category", [platform]
        ).fetchone()[0]
        == 1
    )


def test_robots_are_between_a_fifth_and_two_fifths_of_hits(roundtrip):
    _, _, con = roundtrip
    share = con.execute(
        "select avg(is_bot::int) from hits where exclusion_reason <> 'bot_behaviour' or exclusion_reason is null"
    ).fetchone()[0]
    assert 0.2 <= share <= 0.4


def test_visits_come_out_near_what_the_generator_made(roundtrip):
    counts, _, con = roundtrip
    visits = con.execute(
        "select count(*) from visits where platform = 'produits-frais'"
    ).fetchone()[0]
    # The generator's visits, minus the few whose page views all failed (404) or were cut.
    assert (
        0.97 * counts["produits-frais"]["visits"]
        <= visits
        <= 1.01 * counts["produits-frais"]["visits"]
    )


def test_every_demo_canteen_row_is_loaded_quarantined_or_out_of_scope(roundtrip):
    counts, report, con = roundtrip
    files = con.execute(
        """select path, lines_read, rows_loaded, rows_rejected, rows_out_of_scope
           from load_files where source in ('canteens', 'canteen_declarations', 'food_projects')"""
    ).fetchall()
    assert len(files) == 4
    assert all(read == loaded + rejected + out for _, read, loaded, rejected, out in files)
    assert con.execute("select count(*) from canteens").fetchone() == (
        counts["cantines"]["canteens"],
    )
    assert not [error for error in report.errors if "cantines" in error]
