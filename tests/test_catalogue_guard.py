"""Real operations on the catalogue exports never change a figure silently (issue #28): a
copied old snapshot keeps its date, a truncated export is named, and a reload that would take
too much off the offer is refused (the previous catalogue kept) unless the operator confirms
with `--accept-catalogue-drop`. Each fixture is written small by the test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from etl.catalogue import snapshot_date_of
from etl.load import load
from etl.settings import REPO_ROOT, Settings
from tests.bounds import CLI_TIMEOUT_S
from tests.test_catalogue_hostile import LISTING_HEADER, SUPPLIER_HEADER, supplier, write

FOOD, EQUIPMENT = "produits-frais", "equipements-protection"
SIRET = "73282932000074"  # valid Luhn checksum


def listing(lid: str, sid: str, status: str = "active") -> str:
    return f"{lid};{sid};Panier {lid};Légumes;12,50;panier;{status};01/04/2020;;\n"


def company(sid: str) -> str:
    return supplier(sid, siret=SIRET).replace("producteur", "entreprise")


def settings_for(tmp_path: Path, **overrides) -> Settings:
    return Settings(
        raw_dir=tmp_path / "raw",
        db_path=tmp_path / "w.duckdb",
        state_dir=tmp_path / "state",
        **overrides,
    )


def query(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def cli(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", "load", "--quiet"]
        + ["--raw", str(tmp_path / "raw"), "--db", str(tmp_path / "w.duckdb"), *extra],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "OBSERVATOIRE_STATE_DIR": str(tmp_path / "state")},
        timeout=CLI_TIMEOUT_S,
    )


# (a) A copy of an old dated snapshot ----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "producteurs_2020-04-01 - Copie.csv",
        "producteurs_2020-04-01 - Copie (2).csv",
        "producteurs_2020-04-01 (1).csv",
        "producteurs_2020-04-01 - Copy.csv",
        "producteurs_2020-04-01 copie.csv",
    ],
)
def test_a_copy_of_an_old_snapshot_keeps_its_date_and_rolls_nothing_back(tmp_path, name):
    assert snapshot_date_of(Path(name)).isoformat() == "2020-04-01"
    raw = tmp_path / "raw"
    old = SUPPLIER_HEADER + supplier("P1", name="Ancien nom") + supplier("P2")
    write(raw, FOOD, "suppliers", "producteurs_2020-04-01.csv", old)
    write(
        raw,
        FOOD,
        "suppliers",
        "producteurs_2020-09-01.csv",
        SUPPLIER_HEADER + supplier("P1", name="Nouveau nom") + supplier("P2"),
    )
    settings = settings_for(tmp_path)
    load(settings, progress=False)
    write(raw, FOOD, "suppliers", name, old)  # the copy, dropped in later
    report = load(settings, progress=False)
    # Read as undated, the copy was the newest state: P1 went back to its April name.
    assert query(settings, "select supplier_id, name from suppliers order by 1") == [
        ("P1", "Nouveau nom"),
        ("P2", "Ferme du Chêne"),
    ]
    # Beside its original, the identical copy is rejected as such (the original keeps its
    # rows), and said.
    copy_of = "copie de producteurs_2020-04-01.csv (contenu identique), ignorée : supprimez-la"
    assert query(
        settings, "select reason_code, detail from rejected_rows where source = 'suppliers'"
    ) == [("file_rejected", copy_of)]
    assert any(e.endswith(f"{name} : {copy_of}") for e in report.errors), report.errors
    assert not report.catalogue_refused

    # The original deleted, the copy alone is the April snapshot still.
    (raw / FOOD / "suppliers" / "producteurs_2020-04-01.csv").unlink()
    report = load(settings, progress=False)
    assert report.errors == [] and not report.catalogue_refused
    assert query(settings, "select name from suppliers where supplier_id = 'P1'") == [
        ("Nouveau nom",)
    ]


def test_an_edited_copy_keeps_its_date_and_its_ids_are_said_duplicates(tmp_path):
    raw = tmp_path / "raw"
    write(
        raw,
        FOOD,
        "suppliers",
        "producteurs_2020-04-01.csv",
        SUPPLIER_HEADER + supplier("P1", name="Ancien nom"),
    )
    write(
        raw,
        FOOD,
        "suppliers",
        "producteurs_2020-09-01.csv",
        SUPPLIER_HEADER + supplier("P1", name="Nouveau nom"),
    )
    write(
        raw,
        FOOD,
        "suppliers",
        "producteurs_2020-04-01 (1).csv",
        SUPPLIER_HEADER + supplier("P1", name="Ancien nom corrigé"),
    )
    settings = settings_for(tmp_path)
    load(settings, progress=False)
    assert query(settings, "select name from suppliers") == [("Nouveau nom",)]
    [(code, detail)] = query(
        settings, "select reason_code, detail from rejected_rows where source = 'suppliers'"
    )
    assert code == "duplicate_id" and detail.startswith("producteurs_2020-04-01")


@pytest.mark.parametrize(
    "name", ["producteurs_2020-04-01 - Copie.csv", "producteurs_2020-04-01 (1).csv"]
)
def test_an_edited_copy_gives_way_to_its_original_whatever_the_name_order(tmp_path, name):
    """Found by the folder suite (tests/test_hostile_folders.py, kind snapshot_copy): a copy's
    name sorts before its original's (« » before « . »), so the copy kept the shared ids and
    the original's rows went to quarantine (« 100 % des lignes en quarantaine » said of the
    original, the April snapshot holding the copy's edit)."""
    raw = tmp_path / "raw"
    original = SUPPLIER_HEADER + supplier("P1", name="Ancien nom") + supplier("P2")
    write(raw, FOOD, "suppliers", "producteurs_2020-04-01.csv", original)
    write(
        raw,
        FOOD,
        "suppliers",
        name,
        SUPPLIER_HEADER + supplier("P1", name="Ancien nom corrigé") + supplier("P3"),
    )
    settings = settings_for(tmp_path)
    report = load(settings, progress=False)
    assert query(settings, "select supplier_id, name from supplier_snapshots order by 1") == [
        ("P1", "Ancien nom"),
        ("P2", "Ferme du Chêne"),
        ("P3", "Ferme du Chêne"),
    ]
    assert query(
        settings,
        "select source_file.split('/')[-1], reason_code, detail from rejected_rows "
        "where source = 'suppliers'",
    ) == [(name, "duplicate_id", "producteurs_2020-04-01.csv : P1")]
    assert not any("producteurs_2020-04-01.csv :" in e for e in report.errors), report.errors


def test_snapshot_dates_of_names_that_are_not_copies_are_unchanged():
    assert snapshot_date_of(Path("producteurs_2020-04-01.csv")).isoformat() == "2020-04-01"
    assert snapshot_date_of(Path("producteurs.csv")) is None
    assert snapshot_date_of(Path("producteurs - Copie.csv")) is None
    assert snapshot_date_of(Path("producteurs_2020-13-01 (1).csv")) is None


# (b) A truncated suppliers export -------------------------------------------------------------


def _equipment(tmp_path: Path, suppliers: str) -> None:
    raw = tmp_path / "raw"
    write(raw, EQUIPMENT, "suppliers", "entreprises.csv", suppliers)
    write(
        raw,
        EQUIPMENT,
        "listings",
        "offres.csv",
        LISTING_HEADER + listing("O1", "E1") + listing("O2", "E2"),
    )


def test_a_header_only_suppliers_export_is_refused_and_named_not_its_listings(tmp_path):
    _equipment(tmp_path, SUPPLIER_HEADER + company("E1") + company("E2"))
    settings = settings_for(tmp_path)
    first = load(settings, progress=False)
    assert first.errors == []
    catalogue = (
        "select (select count(*) from suppliers), (select count(*) from listings where is_active)"
    )
    assert query(settings, catalogue) == [(2, 2)]

    write(tmp_path / "raw", EQUIPMENT, "suppliers", "entreprises.csv", SUPPLIER_HEADER)
    report = load(settings, progress=False)
    assert report.catalogue_refused
    assert query(settings, catalogue) == [(2, 2)]  # the previous catalogue, in place
    assert query(settings, "select count(*) from rejected_rows where source <> 'logs'") == [(0,)]
    assert any(
        e.endswith(
            "entreprises.csv : aucune ligne de données (en-tête seul) : export tronqué ?"
            " Les annonces de equipements-protection sans autre fournisseur connu iront "
            "en quarantaine « fournisseur inconnu »."
        )
        for e in report.errors
    ), report.errors
    refusals = [e for e in report.errors if e.startswith("catalogue refusé")]
    assert refusals == [
        "catalogue refusé : entreprises.csv retirerait 100,0 % des fournisseurs actifs de "
        "equipements-protection (2 sur 2), plus que le maximum de 25 % "
        "(catalogue_max_drop_share) ; le catalogue précédent est conservé. Vérifiez l'export "
        "(tronqué, ancien ?) ; si ce retrait est voulu, relancez avec --accept-catalogue-drop.",
        "catalogue refusé : entreprises.csv retirerait 100,0 % des annonces actives de "
        "equipements-protection (2 sur 2), plus que le maximum de 25 % "
        "(catalogue_max_drop_share) ; le catalogue précédent est conservé. Vérifiez l'export "
        "(tronqué, ancien ?) ; si ce retrait est voulu, relancez avec --accept-catalogue-drop.",
    ]
    assert not any("offres.csv" in e for e in report.errors), report.errors
    for entry in report.files:  # counts of the catalogue kept, which still add up
        assert entry.read == entry.loaded + entry.rejected

    again = load(settings, progress=False)  # not taken as "nothing new": refused again
    assert not again.unchanged and again.catalogue_refused

    accepted = load(settings, progress=False, accept_catalogue_drop=True)
    assert not accepted.catalogue_refused
    assert query(settings, catalogue) == [(0, 0)]
    assert any("(accepté, --accept-catalogue-drop)" in info for info in accepted.infos)


def test_a_first_load_with_a_header_only_suppliers_export_blames_that_export(tmp_path):
    _equipment(tmp_path, SUPPLIER_HEADER)
    report = load(settings_for(tmp_path), progress=False)
    [listings_warning] = [e for e in report.errors if "offres.csv" in e]
    assert listings_warning.endswith(
        "la plupart faute de fournisseur connu : vérifiez l'export des fournisseurs de "
        "equipements-protection (entreprises.csv)"
    )
    assert any(
        "entreprises.csv : aucune ligne de données (en-tête seul)" in e for e in report.errors
    )


# (c) The general guard ------------------------------------------------------------------------


def _food(tmp_path: Path, statuses: list[str]) -> None:
    raw = tmp_path / "raw"
    write(raw, FOOD, "suppliers", "producteurs.csv", SUPPLIER_HEADER + supplier("P1"))
    write(
        raw,
        FOOD,
        "listings",
        "annonces.csv",
        LISTING_HEADER
        + "".join(listing(f"A{i}", "P1", status) for i, status in enumerate(statuses, 1)),
    )


def test_a_reload_withdrawing_half_the_listings_is_refused_unless_the_share_allows_it(tmp_path):
    _food(tmp_path, ["active"] * 4)
    settings = settings_for(tmp_path)
    load(settings, progress=False)
    active = "select count(*) from listings where is_active"
    _food(tmp_path, ["active", "retirée", "active", "active"])  # 25 %: not more than the share
    assert not load(settings, progress=False).catalogue_refused
    assert query(settings, active) == [(3,)]
    _food(tmp_path, ["active", "retirée", "retirée", "retirée"])  # 2 of the 3 left
    report = load(settings, progress=False)
    assert report.catalogue_refused and query(settings, active) == [(3,)]
    assert any(
        e.startswith(
            "catalogue refusé : annonces.csv retirerait 66,7 % des annonces actives "
            "de produits-frais (2 sur 3)"
        )
        for e in report.errors
    ), report.errors
    lenient = settings_for(tmp_path, catalogue_max_drop_share=0.7)
    assert not load(lenient, progress=False).catalogue_refused
    assert query(settings, active) == [(1,)]


def test_the_command_says_a_refused_catalogue_with_exit_1_and_accepts_it_with_the_flag(tmp_path):
    _food(tmp_path, ["active"] * 2)
    assert cli(tmp_path).returncode == 0
    _food(tmp_path, ["retirée"] * 2)
    refused = cli(tmp_path)
    assert refused.returncode == 1, refused.stderr
    assert "ATTENTION : catalogue refusé : annonces.csv retirerait 100,0 %" in refused.stdout
    assert "Traceback" not in refused.stderr
    accepted = cli(tmp_path, "--accept-catalogue-drop")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "Information : catalogue : annonces.csv retire 100,0 %" in accepted.stdout
