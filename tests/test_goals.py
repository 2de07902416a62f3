"""Goals (conversions): etl/config/goals.toml read and checked, the requests and paths that
reach a goal credited to their visit, and the dashboard's conversion figures."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from app import queries
from app.filtering import Filters
from etl.errors import LoadError
from etl.goals import read_goals
from etl.load import load
from etl.settings import Settings, etl_db_path
from tests.test_etl_logs import FIREFOX, IPHONE, line

PAGE_TYPES = {"accueil", "recherche", "fournisseur", "produit", "contact", "autre"}


def _load(tmp_path, lines):
    folder = tmp_path / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    (folder / "access.log").write_text("\n".join(lines) + "\n")
    settings = Settings(raw_dir=tmp_path / "raw", db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    return settings


# Visitor A: searches, opens a producer's page, follows its phone link twice, then sends the
# contact form (POST answered 302): three goals, each once. Visitor B: producer page, then the
# website link 40 minutes later (outside the visit: not credited), and a website link that
# failed (404: not a goal). Visitor C: a producer page before a search (the path goal needs the
# search first). A robot following the phone link: never a goal.
LOG = [
    line("90.1.1.1", "02/Apr/2020:10:00:00 +0200", "GET /recherche?q=miel HTTP/1.1"),
    line("90.1.1.1", "02/Apr/2020:10:01:00 +0200", "GET /producteur/P1-rucher HTTP/1.1"),
    line("90.1.1.1", "02/Apr/2020:10:01:30 +0200",
         "GET /sortie?type=telephone&fournisseur=P1 HTTP/1.1", status=302),
    line("90.1.1.1", "02/Apr/2020:10:02:30 +0200",
         "GET /sortie?type=telephone&fournisseur=P1 HTTP/1.1", status=302),
    line("90.1.1.1", "02/Apr/2020:10:03:00 +0200", "GET /contact HTTP/1.1"),
    line("90.1.1.1", "02/Apr/2020:10:05:00 +0200", "POST /contact HTTP/1.1", status=302),
    line("90.2.2.2", "02/Apr/2020:11:00:00 +0200", "GET /producteur/P2-ferme HTTP/1.1",
         agent=IPHONE),
    line("90.2.2.2", "02/Apr/2020:11:40:00 +0200",
         "GET /sortie?type=site&fournisseur=P2 HTTP/1.1", status=302, agent=IPHONE),
    line("90.2.2.2", "02/Apr/2020:11:01:00 +0200",
         "GET /sortie?type=site&fournisseur=P9 HTTP/1.1", status=404, agent=IPHONE),
    line("90.3.3.3", "02/Apr/2020:12:00:00 +0200", "GET /producteur/P1-rucher HTTP/1.1",
         agent=FIREFOX),
    line("90.3.3.3", "02/Apr/2020:12:01:00 +0200", "GET /recherche?q=oeufs HTTP/1.1",
         agent=FIREFOX),
    line("66.249.66.1", "02/Apr/2020:12:30:00 +0200",
         "GET /sortie?type=telephone&fournisseur=P1 HTTP/1.1", status=302,
         agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
]  # fmt: skip


def test_goals_are_credited_once_per_visit_and_only_inside_it(tmp_path):
    settings = _load(tmp_path, sorted(LOG, key=lambda x: x.split("[")[1]))
    con = duckdb.connect(str(etl_db_path(settings.db_path)), read_only=True)
    reached = con.execute("""
        select v.entry_path, g.goal_code
        from visit_goals as g join visits as v using (platform, visit_id)
        order by v.started_at, g.goal_code""").fetchall()
    labels = con.execute(
        "select goal_code, label from goals where platform = 'produits-frais' order by position"
    ).fetchall()
    con.close()
    assert reached == [
        ("/recherche", "contact_form"),
        ("/recherche", "phone_click"),
        ("/recherche", "supplier_after_search"),
    ]
    assert [code for code, _ in labels] == [
        "contact_form", "phone_click", "email_click", "website_click", "supplier_after_search",
    ]  # fmt: skip
    assert labels[0][1] == "Formulaire de contact envoyé"


def test_dashboard_conversion_figures(tmp_path):
    settings = _load(tmp_path, sorted(LOG, key=lambda x: x.split("[")[1]))
    con = duckdb.connect(str(settings.db_path), read_only=True)
    period = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30))
    summary = queries.goals_summary(con, period)
    figures = dict(zip(summary["goal_code"].fillna("any"), summary["converted_visits"]))
    # Visits: A (1), B twice (the website link 40 min later opens no visit: not a page view;
    # B's two page views are one visit), C (1): 3 visits; one converted.
    assert figures == {
        "contact_form": 1, "phone_click": 1, "email_click": 0, "website_click": 0,
        "supplier_after_search": 1, "any": 1,
    }  # fmt: skip
    assert summary["visits"].unique().tolist() == [3]
    assert summary.loc[summary["goal_code"].isna(), "conversion_rate"].tolist() == pytest.approx(
        [1 / 3]
    )
    channels = queries.goals_by_channel(con, period)
    assert channels[["channel", "visits", "converted_visits"]].values.tolist() == [
        ["Accès direct", 3, 1]
    ]
    con.close()


@pytest.mark.parametrize(
    "text,message",
    [
        ('[[goals]]\ncode = "x"\nlabel = "X"\npath = "("\n', "expression régulière refusée"),
        ('[[goals]]\ncode = "X y"\nlabel = "X"\npath = "^/$"\n', "code attendu"),
        ('[[goals]]\ncode = "x"\nlabel = ""\npath = "^/$"\n', "libellé attendu"),
        ('[[goals]]\ncode = "x"\nlabel = "X"\npath = "^/$"\nplatforms = ["autre"]\n', "plateformes"),
        ('[[goals]]\ncode = "x"\nlabel = "X"\n', "une règle attendue"),
        ('[[goals]]\ncode = "x"\nlabel = "X"\nafter_page_type = "panier"\npage_types = ["produit"]\n',
         "types de page"),
        ('[[goals]]\ncode = "x"\nlabel = "X"\npath = "^/$"\nstatus_min = 500\nstatus_max = 200\n',
         "status_min"),
        ('[[goals]]\ncode = "x"\nlabel = "X"\npath = "^/$"\n[[goals]]\ncode = "x"\nlabel = "Y"\n'
         'path = "^/$"\n', "code en double"),
        ('[[goals]]\ncode = "x"\nlabel = "X"\npath = "^/$"\ncolour = "red"\n', "clé(s) inconnue(s)"),
        ("[[goals]\n", "illisible"),
    ],
)  # fmt: skip
def test_a_mistyped_goal_stops_the_load_with_a_french_message(tmp_path, text, message):
    path = tmp_path / "goals.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_goals(path, PAGE_TYPES)


def test_the_shipped_goals_file_is_valid():
    from etl.settings import REPO_ROOT

    goals, requests, sequences = read_goals(REPO_ROOT / "etl" / "config" / "goals.toml", PAGE_TYPES)
    assert len(goals) == 10 and len(requests) == 8 and len(sequences) == 2
