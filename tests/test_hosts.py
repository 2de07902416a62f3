"""A change of address (etl/config/hosts.toml): the old and the new host make one series, the
old host's redirects are no visits, a referrer on either host is the platform itself, and the
change is drawn as a key date of its platform."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from app import queries
from app.filtering import Filters
from etl.errors import LoadError
from etl.hosts import read_hosts
from etl.load import load
from etl.settings import REPO_ROOT, Settings, etl_db_path
from tests.test_etl_logs import FIREFOX, IPHONE, line

OLD = "https://produits-frais.centre-valdeloire.fr"
NEW = "https://produits-locaux.centre-valdeloire.fr"

# Before the change (10 Sept): a visit reached from the old address's own page (a tab left open
# past 30 minutes) is direct. After it (15 Sept): an old link from Facebook answered 301 by the
# old host, then the page on the new host (one visit, social); a visit from the new address's
# own page (direct); a visit from a look-alike host that is another site.
LOG = [
    line("90.1.1.1", "10/Sep/2020:10:00:00 +0200", "GET /carte HTTP/1.1", referrer=f"{OLD}/"),
    line("90.2.2.2", "15/Sep/2020:10:00:00 +0200", "GET /produit/A1-fraises HTTP/1.1",
         status=301, referrer="https://m.facebook.com/", agent=IPHONE),
    line("90.2.2.2", "15/Sep/2020:10:00:01 +0200", "GET /produit/A1-fraises HTTP/1.1",
         referrer="https://m.facebook.com/", agent=IPHONE),
    line("90.2.2.2", "15/Sep/2020:10:01:00 +0200", "GET /contact HTTP/1.1",
         referrer=f"{NEW}/produit/A1-fraises", agent=IPHONE),
    line("90.3.3.3", "15/Sep/2020:11:00:00 +0200", "GET / HTTP/1.1", referrer=f"{NEW}/carte",
         agent=FIREFOX),
    line("90.4.4.4", "15/Sep/2020:12:00:00 +0200", "GET / HTTP/1.1",
         referrer="https://produits-locaux.centre-valdeloire.fr.example.com/", agent=FIREFOX),
]  # fmt: skip


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    root = tmp_path_factory.mktemp("renamed")
    folder = root / "raw" / "produits-frais" / "logs"
    folder.mkdir(parents=True)
    (folder / "access.log").write_text("\n".join(LOG) + "\n")
    settings = Settings(raw_dir=root / "raw", db_path=root / "w.duckdb")
    load(settings, progress=False)
    return settings


def test_one_series_across_the_change_of_address(renamed):
    con = duckdb.connect(str(etl_db_path(renamed.db_path)), read_only=True)
    visits = con.execute(
        "select entry_path, channel, pageviews from visits order by started_at"
    ).fetchall()
    redirects = con.execute(
        "select count(*) from hits where exclusion_reason = 'redirect'"
    ).fetchone()[0]
    con.close()
    assert visits == [
        ("/carte", "direct", 1),
        ("/produit/A1-fraises", "social", 2),  # the old host's 301 is no page of the visit
        ("/", "direct", 1),
        ("/", "other_site", 1),
    ]
    assert redirects == 1


def test_the_change_is_a_key_date_of_its_platform_only(renamed):
    con = duckdb.connect(str(renamed.db_path), read_only=True)
    september = {"start": date(2020, 9, 1), "end": date(2020, 9, 30)}
    food = queries.key_dates(con, Filters("produits-frais", **september))
    equipment = queries.key_dates(con, Filters("equipements-protection", **september))
    con.close()
    assert ("2020-09-14", "Nouvelle adresse : produits-locaux.centre-valdeloire.fr") in {
        (str(d)[:10], label) for d, label in zip(food["date"], food["label"])
    }
    assert not any("adresse" in label for label in equipment["label"])


def test_the_shipped_hosts_file_has_one_change_of_address():
    hosts, changes = read_hosts(REPO_ROOT / "etl" / "config" / "hosts.toml")
    assert {h["platform"] for h in hosts} == {"produits-frais", "equipements-protection"}
    assert [(c["platform"], c["day"]) for c in changes] == [("produits-frais", date(2020, 9, 14))]


@pytest.mark.parametrize(
    "text,message",
    [
        ('[[autre]]\nhost = "a.fr"\n', "plateforme inconnue"),
        ('[[produits-frais]]\nhost = "https://a.fr/"\n', "nom d'hôte attendu"),
        ('[[produits-frais]]\nhost = "a.fr"\n[[equipements-protection]]\nhost = "A.fr"\n',
         "déjà une adresse"),
        ('[[produits-frais]]\nhost = "a.fr"\nfrom = 2020-05-01\nuntil = 2020-04-01\n',
         "until est avant from"),
        ('[[produits-frais]]\nhost = "a.fr"\nfrom = "2020-05-01"\n', "AAAA-MM-JJ"),
        ('[[produits-frais]]\nhost = "a.fr"\nport = 80\n', "clés attendues"),
        ("[[produits-frais]\n", "illisible"),
    ],
)  # fmt: skip
def test_a_mistyped_hosts_file_stops_the_load_with_a_french_message(tmp_path, text, message):
    path = tmp_path / "hosts.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match=message):
        read_hosts(path)
