"""The continuation scorecard on a tiny warehouse whose figures were worked out by hand.

Tiny warehouse (platform produits-frais, departments 18 and 28, categories A and B):
  visits: 10 a day from 11 May to 7 June 2020 (the reference window: 70 a week),
          5 a day from 8 June to 2 August 2020 (the last 8 weeks: 35 a week) -> trend -50 %;
  suppliers: S1, S2, S3 in 18, active; S4 in 28, joined 1 March, left 1 June;
  listings: L1 (S1, A, updated 1 July: fresh), L2 (S2, A, old, never updated),
            L3 (S3, A, created 1 June: fresh), L4 (S3, B, withdrawn 1 July), L5 (S4, A);
  product page views in the period: L1 and L4.
On 2 August 2020: 3 active suppliers, 2 of them fresh (2/3); 3 active listings (L1 L2 L3),
1 viewed (1/3); coverage with 3 suppliers a cell: only (18, A) of 4 cells (1/4);
new suppliers within the period: S1 S2 S3 (S4 joined before).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from app import labels, queries, scorecard
from app.filtering import Filters
from tests.fake_warehouse import add_codes_and_macros, daily_aggregates, empty_warehouse

START, END = date(2020, 3, 30), date(2020, 8, 2)
DATA_START = START

TARGETS = """
[settings]
recent_weeks = 8
fresh_days = 90
min_suppliers = 3
reference_date = 2020-05-11
reference_weeks = 4

[targets.produits-frais]
weekly_visits = { target = 30, watch = 20 }
fresh_suppliers = { target = 0.5, watch = 0.3 }
viewed_listings = { target = 0.5, watch = 0.3 }
coverage_rate = { target = 0.5, watch = 0.3 }
post_lockdown_trend = { target = -0.3, watch = -0.6 }
conversion_rate = { target = 0.1, watch = 0.05 }
"""


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    conn = duckdb.connect(str(path))
    empty_warehouse(conn)
    conn.execute(
        "INSERT INTO departments VALUES ('18', 'Cher', 300000), ('28', 'Eure-et-Loir', 430000)"
    )
    conn.execute(
        "INSERT INTO categories VALUES ('produits-frais', 'a', 'A', 'a'), "
        "('produits-frais', 'b', 'B', 'b')"
    )
    suppliers = [
        ("S1", "18", "2020-03-30", None),
        ("S2", "18", "2020-03-30", None),
        ("S3", "18", "2020-04-15", None),
        ("S4", "28", "2020-03-01", "2020-06-01"),
    ]
    for supplier_id, department, joined, left in suppliers:
        conn.execute(
            "INSERT INTO suppliers (platform, supplier_id, name, kind, department_code, joined_on,"
            " left_on, is_active) VALUES ('produits-frais', ?, ?, 'producteur', ?, ?, ?, ?)",
            [supplier_id, supplier_id, department, joined, left, left is None],
        )
    listings = [
        ("L1", "S1", "A", "2020-04-01", "2020-07-01", None),
        ("L2", "S2", "A", "2020-04-01", None, None),
        ("L3", "S3", "A", "2020-06-01", None, None),
        ("L4", "S3", "B", "2020-04-01", None, "2020-07-01"),
        ("L5", "S4", "A", "2020-04-01", None, None),
    ]
    for listing_id, supplier_id, category, created, updated, withdrawn in listings:
        conn.execute(
            "INSERT INTO listings (platform, listing_id, supplier_id, title, category_code, category,"
            " is_known_category, status, is_active, created_on, updated_on, withdrawn_on)"
            " VALUES ('produits-frais', ?, ?, ?, lower(?), ?, true, ?, ?, ?, ?, ?)",
            [
                listing_id,
                supplier_id,
                listing_id,
                category,
                category,
                "active" if withdrawn is None else "withdrawn",
                withdrawn is None,
                created,
                updated,
                withdrawn,
            ],
        )
    visits = []
    for day in _days(date(2020, 5, 11), date(2020, 6, 7)):
        visits += [(day, n) for n in range(10)]
    for day in _days(date(2020, 6, 8), END):
        visits += [(day, n) for n in range(5)]
    rows = [
        (
            "produits-frais",
            f"v{day:%m%d}{n}",
            f"p{n}",
            datetime.combine(day, datetime.min.time()) + timedelta(hours=12),
        )
        for day, n in visits
    ]
    conn.executemany(
        "INSERT INTO visits (platform, visit_id, visitor_id, started_at, ended_at, pageviews,"
        " duration_s, is_bounce, channel, device_type, browser, os)"
        " VALUES (?, ?, ?, ?, ?, 1, 0, true, 'direct', 'ordinateur', 'Firefox', 'Linux')",
        [(p, v, w, t, t) for p, v, w, t in rows],
    )
    for visit_id, listing_id in (("v06100", "L1"), ("v06110", "L4")):
        conn.execute(
            "INSERT INTO pageviews (platform, ts, ts_utc, visitor_id, visit_id, page_type,"
            " entity_id) SELECT platform, started_at, timezone('Europe/Paris', started_at),"
            " visitor_id, visit_id, 'produit', ? FROM visits"
            " WHERE visit_id = ?",
            [listing_id, visit_id],
        )
    conn.execute("INSERT INTO load_info VALUES (now(), ?, ?)", [DATA_START, END])
    daily_aggregates(conn)
    add_codes_and_macros(conn)
    conn.close()
    read_only = duckdb.connect(str(path), read_only=True)
    yield read_only
    read_only.close()


@pytest.fixture
def config(tmp_path) -> scorecard.Config:
    path = tmp_path / "scorecard.toml"
    path.write_text(TARGETS, encoding="utf-8")
    return scorecard.load_config(path)


def _filters(**changes) -> Filters:
    return Filters(
        platform="produits-frais",
        start=changes.get("start", START),
        end=changes.get("end", END),
        departments=changes.get("departments", ()),
    )


def test_a_listing_outliving_its_supplier_counts_nowhere(tiny, config):
    # L5 stays active after its supplier S4 left on 1 June: the case that showed 594 offers
    # on the overview and 595 on the pages. Every figure of active listings leaves it out.
    filters = _filters()
    measures = queries.scorecard_measures(tiny, filters, config.settings, DATA_START)
    series = queries.catalogue_timeseries(tiny, filters).iloc[-1]
    by_category = queries.equipment_by_category(tiny, filters)
    per_supplier = queries.supplier_listings(tiny, filters)
    assert (
        queries.catalogue_summary(tiny, filters)["active_listings"]
        == series["active_listings"]
        == measures["active_listings"]
        == by_category["active_offers"].sum()
        == per_supplier["active_listings"].sum()
        == queries.listings_concentration(tiny, filters)["listings"]
        == 3
    )
    # Before S4 left, L5 counted.
    before = _filters(end=date(2020, 5, 31))
    assert (
        queries.catalogue_summary(tiny, before)["active_listings"]
        == (queries.catalogue_timeseries(tiny, before).iloc[-1]["active_listings"])
    )
    assert "L5" not in set(
        tiny.execute(
            "SELECT listing_id FROM active_listings_on('produits-frais', [], [], [], ?)", [END]
        ).df()["listing_id"]
    )


def test_measures_match_the_hand_computed_figures(tiny, config):
    measures = queries.scorecard_measures(tiny, _filters(), config.settings, DATA_START)
    assert measures["weekly_visits"] == pytest.approx(35)
    assert measures["post_lockdown_trend"] == pytest.approx(-0.5)
    assert measures["active_suppliers"] == 3
    assert measures["fresh_supplier_count"] == 2
    assert measures["fresh_suppliers"] == pytest.approx(2 / 3)
    assert measures["active_listings"] == 3
    assert measures["viewed_listing_count"] == 1
    assert measures["viewed_listings"] == pytest.approx(1 / 3)
    assert measures["coverage_rate"] == pytest.approx(1 / 4)
    assert measures["new_suppliers"] == 3


def test_statuses_follow_the_targets(tiny, config):
    measures = queries.scorecard_measures(tiny, _filters(), config.settings, DATA_START)
    statuses = {
        r.key: r.status for r in scorecard.evaluate("produits-frais", measures, None, config)
    }
    assert statuses == {
        "weekly_visits": scorecard.MET,  # 35 >= 30
        "fresh_suppliers": scorecard.MET,  # 66,7 % >= 50 %
        "viewed_listings": scorecard.WATCH,  # 30 % <= 33,3 % < 50 %
        "coverage_rate": scorecard.NOT_MET,  # 25 % < 30 %
        "post_lockdown_trend": scorecard.WATCH,  # -60 % <= -50 % < -30 %
        "conversion_rate": scorecard.NOT_EVALUABLE,  # no goal in this warehouse
    }


def test_department_filter_narrows_the_catalogue_criteria(tiny, config):
    measures = queries.scorecard_measures(
        tiny, _filters(departments=("28",)), config.settings, DATA_START
    )
    # S4 (28) left on 1 June: nothing active in 28 on 2 August, so shares cannot be computed.
    assert measures["active_suppliers"] == 0
    assert measures["fresh_suppliers"] is None
    assert measures["coverage_rate"] == 0  # the cells (28, A) and (28, B), none covered
    results = scorecard.evaluate("produits-frais", measures, None, config)
    assert {r.key: r.status for r in results}["fresh_suppliers"] == scorecard.NOT_EVALUABLE


def test_trend_is_not_evaluable_when_the_period_ends_inside_the_reference_window(tiny, config):
    measures = queries.scorecard_measures(
        tiny, _filters(end=date(2020, 6, 30)), config.settings, DATA_START
    )
    assert measures["post_lockdown_trend"] is None
    # The last 8 weeks: 6 May – 30 June (nothing before 11 May).
    assert measures["weekly_visits"] == pytest.approx((28 * 10 + 23 * 5) * 7 / 56)


def test_recent_weeks_are_clipped_to_a_shorter_period(tiny, config):
    measures = queries.scorecard_measures(
        tiny, _filters(start=date(2020, 6, 1), end=date(2020, 6, 30)), config.settings, DATA_START
    )
    # 1–7 June at 10 a day, 8–30 June at 5 a day, over the 30 days of the period.
    assert measures["weekly_visits"] == pytest.approx((7 * 10 + 23 * 5) * 7 / 30)


def test_status_boundaries():
    target = scorecard.Target(target=0.5, watch=0.3)
    assert scorecard.status(0.5, target) == scorecard.MET
    assert scorecard.status(0.4999, target) == scorecard.WATCH
    assert scorecard.status(0.3, target) == scorecard.WATCH
    assert scorecard.status(0.2999, target) == scorecard.NOT_MET
    assert scorecard.status(None, target) == scorecard.NOT_EVALUABLE
    assert scorecard.status(float("nan"), target) == scorecard.NOT_EVALUABLE


def test_verdict_counts_and_names_the_criteria(tiny, config):
    measures = queries.scorecard_measures(tiny, _filters(), config.settings, DATA_START)
    results = scorecard.evaluate("produits-frais", measures, None, config)
    verdict = scorecard.verdict("Produits frais locaux", results, START, END, config.settings)
    # Coverage is the one criterion not met: it leads, in plain words with its number.
    assert verdict.status == scorecard.NOT_MET
    assert verdict.text.startswith(
        f"{scorecard.format_value('coverage_rate', measures['coverage_rate'])} des cases "
        "département × catégorie ont au moins 3 fournisseurs actifs (non atteint ; cible ≥ "
    )
    assert (
        "Produits frais locaux, du 30 mars 2020 au 2 août 2020 : atteint 2 critères sur 5 évalués"
        in verdict.text
    )
    assert "atteints : fréquentation hebdomadaire, fournisseurs à jour" in verdict.text
    assert "à surveiller : annonces vues, tendance depuis le déconfinement" in verdict.text
    assert "non atteint : couverture" in verdict.text


def _results(config, **values):
    measures = dict.fromkeys(scorecard.CRITERIA)
    measures.update(values)
    return scorecard.evaluate("produits-frais", measures, None, config)


def test_verdict_mentions_criteria_that_cannot_be_evaluated(config):
    verdict = scorecard.verdict(
        "Produits frais locaux", _results(config, weekly_visits=40), START, END, config.settings
    )
    assert "atteint le seul critère évalué" in verdict.text
    assert verdict.status == scorecard.MET
    assert (
        "Non évaluable sur cette période : fournisseurs à jour, annonces vues, couverture"
        in verdict.text
    )


def test_verdict_leads_with_the_strongest_finding_and_its_number(config):
    # Targets of TARGETS: visits 30 (watch 20), trend -0.30 (watch -0.60). The trend is 1.3
    # bands below its target, the visits 1.2: the fall since the end of lockdown leads.
    results = _results(config, weekly_visits=18, post_lockdown_trend=-0.69)
    verdict = scorecard.verdict("Équipements", results, START, END, config.settings)
    assert verdict.lead.startswith("les visites hebdomadaires ont baissé de 69")
    assert verdict.text.startswith("Les visites hebdomadaires ont baissé de 69")
    assert "n'atteint aucun des 2 critères évalués" in verdict.text
    assert verdict.status == scorecard.NOT_MET
    # A platform meeting everything leads with its widest margin, in a "met" box.
    good = scorecard.verdict(
        "Équipements", _results(config, weekly_visits=90, post_lockdown_trend=-0.2), START, END,
        config.settings,
    )  # fmt: skip
    assert good.status == scorecard.MET
    assert good.lead.startswith("90 visites par semaine")
    assert "atteint les 2 critères évalués" in good.text


def test_verdict_says_when_the_filters_leave_no_data(config):
    verdict = scorecard.verdict(
        "Produits frais locaux", _results(config), START, END, config.settings, has_data=False
    )
    assert verdict.status == scorecard.NOT_EVALUABLE
    assert "aucune donnée pour ces filtres" in verdict.text
    assert "critère" not in verdict.text


def test_trend_against_the_previous_period():
    target = scorecard.Target(0, 0)
    count = scorecard.CriterionResult("weekly_visits", 120, 100, target, scorecard.MET)
    share = scorecard.CriterionResult("coverage_rate", 0.55, 0.5, target, scorecard.MET)
    assert scorecard.format_trend(count) == "+20,0\u202f%"
    assert scorecard.format_trend(share) == "+5,0\u202fpt"
    assert (
        scorecard.format_trend(
            scorecard.CriterionResult("coverage_rate", 0.5, None, target, scorecard.MET)
        )
        == "non disponible"
    )


@pytest.mark.parametrize(
    "broken, detail",
    [
        (TARGETS.replace("watch = 20", "watch = 40"), "dépasse la cible"),
        (TARGETS.replace("coverage_rate = { target = 0.5, watch = 0.3 }\n", ""), "coverage_rate"),
        (
            TARGETS.replace("reference_date = 2020-05-11", 'reference_date = "demain"'),
            "reference_date",
        ),
        ("[settings", "erreur de syntaxe TOML"),
        ("[settings]\nrecent_weeks 8\n", "erreur de syntaxe TOML ligne 2, colonne 14"),
        (TARGETS.replace("watch = 20", 'watch = "vingt"'), "doit être un nombre"),
        (TARGETS.replace("recent_weeks = 8", "recent_weeks = 0"), "entier positif"),
    ],
)
def test_a_broken_targets_file_gives_a_french_message(tmp_path, broken, detail):
    path = tmp_path / "scorecard.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(scorecard.ScorecardConfigError) as error:
        scorecard.load_config(path)
    assert str(error.value).startswith("Fichier des cibles scorecard.toml inutilisable")
    assert detail in str(error.value)
    # No Python or TOML parser English reaches the page.
    assert not any(word in str(error.value) for word in ("Error", "Expected", "line ", "key"))


def test_the_shipped_targets_file_is_valid_for_both_platforms():
    config = scorecard.load_config()
    assert set(config.targets) == {"produits-frais", "equipements-protection"}
    assert Path(scorecard.TARGETS_FILE).name == "scorecard.toml"


# --- Plain warnings: stale data, missing source ---------------------------------------------


def test_the_page_says_when_the_period_runs_past_the_data():
    from app import overview
    from app.filtering import FilterContext

    ctx = FilterContext(data_start=START, data_end=date(2020, 6, 30), departments={}, categories={})
    assert overview.stale_notice(_filters(end=date(2020, 6, 30)), ctx) is None
    notice = overview.stale_notice(_filters(end=END), ctx)
    assert notice.startswith(
        "Les données s'arrêtent au 30 juin 2020 : la période demandée va jusqu'au 2 août 2020"
    )


def test_the_page_names_a_missing_source(tiny, config, monkeypatch):
    from app import db, overview
    from app.filtering import FilterContext

    # The tiny warehouse has visits and a catalogue but no load bookkeeping for them: every
    # source counts as missing, and the notice names them in French.
    monkeypatch.setattr(db, "cached", lambda fn, *args: fn(tiny, *args))
    ctx = FilterContext(
        data_start=START,
        data_end=END,
        departments={"18": "Cher", "28": "Eure-et-Loir"},
        categories={"produits-frais": {"a": "A", "b": "B"}},
    )
    config = scorecard.Config(
        settings=config.settings,
        targets={**config.targets, "equipements-protection": config.targets["produits-frais"]},
    )
    fresh, equipment = overview.build(_filters(), ctx, config)
    assert fresh.missing_sources == ("logs", "suppliers", "listings")
    assert overview.missing_source_notice(fresh) == (
        "Produits frais locaux : aucune donnée chargée pour les journaux d'accès, les "
        "fournisseurs, les annonces. Les chiffres qui en dépendent sont vides."
    )
    assert [h.value for h in fresh.headlines][:2] == [280 + 56 * 5, 280 + 56 * 5]
    assert equipment.headlines[0].value == 0


def test_a_week_or_a_month_is_drawn_day_by_day_a_longer_period_week_by_week(
    tiny, config, monkeypatch
):
    from app import db, overview
    from app.charts.light import vega_spec
    from app.filtering import FilterContext

    monkeypatch.setattr(db, "cached", lambda fn, *args: fn(tiny, *args))
    ctx = FilterContext(data_start=START, data_end=END, departments={}, categories={})
    config = scorecard.Config(
        settings=config.settings,
        targets={**config.targets, "equipements-protection": config.targets["produits-frais"]},
    )
    # 1-7 June: seven daily bars (one weekly bar before), each its day's visits.
    week = _filters(start=date(2020, 6, 1), end=date(2020, 6, 7))
    fresh, _ = overview.build(week, ctx, config)
    assert fresh.grain == "day"
    assert list(fresh.weekly["visits"]) == [10] * 7
    assert fresh.headlines[0].trend == (10,) * 7
    figure = overview.weekly_figure(fresh, ctx)
    assert len(figure.data[0].x) == 7
    assert list(figure.layout.xaxis.ticktext) == [f"{d} juin" for d in ["1er", 2, 3, 4, 5, 6, 7]]
    assert overview.weekly_title(fresh) == "Visites par jour — Produits frais locaux"
    assert figure.layout.xaxis.title.text == labels.X_DAY
    vega_spec(figure)  # the landing page draws it with Vega-Lite: a day's bars translate
    assert "jour par jour" in overview.sparkline_note((10, 5, 10), str, fresh.grain)
    # A whole month stays daily; a longer period is weekly.
    assert overview.trend_grain(_filters(start=date(2020, 5, 1), end=date(2020, 5, 31))) == "day"
    whole, _ = overview.build(_filters(), ctx, config)
    assert whole.grain == "week"
    assert overview.weekly_title(whole) == "Visites par semaine — Produits frais locaux"


def test_the_verdict_on_a_short_period_says_over_how_many_days_it_averaged(config):
    # A week's brief: the weekly visits average over its 7 days, not the last 8 weeks.
    results = _results(config, weekly_visits=18)
    week = scorecard.verdict(
        "Produits frais locaux", results, date(2020, 5, 4), date(2020, 5, 10), config.settings
    )
    assert week.lead.startswith("18 visites par semaine en moyenne sur les 7 jours de la période (")
    long = scorecard.verdict(
        "Produits frais locaux", results, date(2020, 3, 30), date(2020, 12, 31), config.settings
    )
    assert long.lead.startswith("18 visites par semaine en moyenne sur les 8 dernières semaines (")


def test_criterion_names_are_true_to_the_period(config):
    settings = config.settings  # recent_weeks 8: a window of 56 days
    name = scorecard.criterion_name
    assert name("weekly_visits", settings, 30) == (
        "Visites par semaine (moyenne sur les 30 jours de la période)"
    )
    assert name("weekly_visits", settings, 277) == (
        "Visites par semaine (moyenne des 8 dernières semaines)"
    )
    assert "30 jours de la période" in name("post_lockdown_trend", settings, 30)
    # The share of listings viewed grows with the period: its name gives the length.
    assert "(30 jours : la part croît avec la durée)" in name("viewed_listings", settings, 30)


def test_conversion_is_not_evaluable_without_goals(tiny, config):
    measures = queries.scorecard_measures(tiny, _filters(), config.settings, DATA_START)
    assert measures["conversion_rate"] is None
    verdict = scorecard.verdict(
        "Produits frais locaux",
        scorecard.evaluate("produits-frais", measures, None, config),
        START,
        END,
        config.settings,
    )
    assert "Non évaluable sur cette période" in verdict.text and "conversion" in verdict.text


def test_a_flat_trend_gets_no_line_and_its_help_says_why():
    from app import overview
    from app.fmt import fr_int

    flat = (1000.0, 998.0, 995.0, 1001.0)
    assert overview.sparkline(flat) is None
    assert "pas de courbe" in overview.sparkline_note(flat, fr_int).lower()
    moving = (1000.0, 700.0, 400.0)
    assert overview.sparkline(moving) == list(moving)
    note = overview.sparkline_note(moving, fr_int)
    assert fr_int(400) in note and fr_int(1000) in note and "zéro" in note
    assert overview.sparkline(()) is None and overview.sparkline_note((), fr_int) == ""
