"""Data shown in the app is never interpreted as HTML or Markdown: hostile names appear as typed."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import labels
from app.inert import markdown as escape_markdown
from etl.load import load
from etl.settings import REPO_ROOT, Settings

HOSTILE = [
    "<script>alert(1)</script>",
    "**gras**",
    "[lien](javascript:alert(1))",
    "![image](https://exemple.org/x.png)",
    "pomme_de_terre_bio",
    "$x$ https://exemple.org",
]


@pytest.mark.parametrize("presenting", [False, True], ids=["usual view", "presentation mode"])
def test_hostile_supplier_names_are_shown_as_typed(tmp_path, monkeypatch, presenting):
    folder = tmp_path / "raw" / "produits-frais" / "suppliers"
    folder.mkdir(parents=True)
    rows = [f'P{i};"{name}";producteur;37000;Tours;01/04/2020' for i, name in enumerate(HOSTILE)]
    (folder / "p.csv").write_text(
        "id_fournisseur;nom;type;code_postal;commune;date_inscription\n" + "\n".join(rows) + "\n"
    )
    listings = tmp_path / "raw" / "produits-frais" / "listings"
    listings.mkdir()
    (listings / "a.csv").write_text(
        "id_annonce;id_fournisseur;titre;categorie;statut;date_creation\n"
        + "\n".join(f"A{i};P{i};Miel;Miel;active;02/04/2020" for i in range(len(HOSTILE)))
        + "\n"
    )
    db = tmp_path / "w.duckdb"
    load(Settings(raw_dir=tmp_path / "raw", db_path=db), progress=False)
    con = duckdb.connect(str(db), read_only=True)
    assert sorted(r[0] for r in con.execute("select name from suppliers").fetchall()) == sorted(
        HOSTILE
    )
    con.close()
    monkeypatch.setenv("OBSERVATOIRE_DB", str(db))
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
    # The whole span of this one-day catalogue (a valid period: no fallback notice).
    at.query_params["period"] = "depuis-ouverture"
    if presenting:
        at.query_params["presentation"] = "1"
    at.run()
    address_notices = {
        labels.NOTICE_PERIOD.format(default=labels.PERIOD_PRESETS["depuis-ouverture"])
    }
    assert not address_notices & {w.value for w in at.warning}
    at.switch_page("app_pages/producteurs.py").run()
    assert not at.exception
    shown = set()
    # The grid shows text as it is; st.table (presentation mode) renders Markdown, so there
    # every Markdown character must come escaped (rendered back to the name as typed).
    for frame in at.table if presenting else at.dataframe:
        for column in frame.value.columns:
            shown |= {str(v) for v in frame.value[column].tolist()}
    expected = {escape_markdown(name) for name in HOSTILE} if presenting else set(HOSTILE)
    assert expected <= shown, "the names must appear exactly as typed in the table"
    rendered_as_text = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any(name in text for name in HOSTILE for text in rendered_as_text), (
        "a name was passed to Markdown"
    )
