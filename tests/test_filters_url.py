"""Page address <-> Filters: round trip, defaults, hostile values (pure functions)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import labels
from app.filtering import (
    CUSTOM_COMPARISON,
    DEFAULT_PERIOD,
    DEFAULT_PLATFORM,
    PAGE_CONTROLS,
    PERIODS,
    PLATFORMS,
    PREVIOUS_PERIOD,
    URL_KEYS,
    YEAR_BEFORE,
    Comparison,
    FilterContext,
    Filters,
    comparison_from_query_params,
    comparison_gap,
    comparison_to_query_params,
    controls_from_query_params,
    controls_to_query_params,
    default_filters,
    describe,
    resolve_period,
)

CTX = FilterContext(
    data_start=date(2020, 3, 30),
    data_end=date(2020, 12, 31),
    departments={
        "18": "Cher",
        "28": "Eure-et-Loir",
        "36": "Indre",
        "37": "Indre-et-Loire",
        "41": "Loir-et-Cher",
        "45": "Loiret",
    },
    categories={
        "produits-frais": {
            "fruits_legumes": "Fruits et légumes",
            "oeufs": "Œufs",
            "miel": "Miel et produits de la ruche",
        },
        "equipements-protection": {"masques": "Masques", "visieres": "Visières"},
    },
    # "Artisan" on both platforms: kept when the platform changes.
    kinds={
        "produits-frais": {
            "artisan": "Artisan",
            "commercant": "Commerçant",
            "producteur": "Producteur",
        },
        "equipements-protection": {"artisan": "Artisan", "entreprise": "Entreprise"},
    },
)


def parse(params):
    return Filters.from_url(params, CTX)


# The whole path in one table, as Datasette tests its filters: a page address in, the values
# bound to the SQL parameters out, and the notices shown. One parse, one canonical form.
N_DEP, N_CAT, N_KIND = labels.NOTICE_DEPARTMENTS, labels.NOTICE_CATEGORIES, labels.NOTICE_KINDS
ADDRESS_TO_PARAMS = [
    ({}, {"platform": "produits-frais", "departments": [], "categories": [], "kinds": []}, ()),
    ({"departments": "45,18"}, {"departments": ["18", "45"]}, ()),
    ({"departments": ["37", "37", "99"]}, {"departments": ["37"]}, (N_DEP,)),
    ({"categories": "oeufs,fruits_legumes"}, {"categories": ["fruits_legumes", "oeufs"]}, ()),
    ({"categories": "Œufs"}, {"categories": []}, (N_CAT,)),  # a label is no code
    (
        {"platform": "equipements-protection", "categories": "masques,oeufs"},
        {"platform": "equipements-protection", "categories": ["masques"]},
        (N_CAT,),
    ),
    ({"kinds": "producteur,artisan"}, {"kinds": ["artisan", "producteur"]}, ()),
    ({"kinds": "Producteur"}, {"kinds": []}, (N_KIND,)),
    (
        {"period": "personnalisee", "start": "2020-04-01", "end": "2020-04-30"},
        {"start": date(2020, 4, 1), "end": date(2020, 4, 30)},
        (),
    ),
    (
        {"period": "avril-mai-2020", "departments": "18", "kinds": "commercant"},
        {
            "start": date(2020, 4, 1),
            "end": date(2020, 5, 31),
            "departments": ["18"],
            "kinds": ["commercant"],
        },
        (),
    ),
]


@pytest.mark.parametrize("address,bound,notices", ADDRESS_TO_PARAMS)
def test_address_to_bound_parameters(address, bound, notices):
    parsed = parse(address)
    params = parsed.filters.params()
    assert {key: params[key] for key in bound} == bound
    assert parsed.notices == notices
    # The canonical address parses to the same filters, silently.
    again = parse(parsed.filters.to_url())
    assert again.filters == parsed.filters and not again.has_notice


def test_empty_address_gives_the_defaults_without_notice():
    parsed = parse({})
    assert parsed.filters == default_filters(CTX)
    assert parsed.filters.platform == DEFAULT_PLATFORM
    assert parsed.filters.period == DEFAULT_PERIOD
    assert (parsed.filters.start, parsed.filters.end) == (CTX.data_start, CTX.data_end)
    assert not parsed.has_notice


@pytest.mark.parametrize(
    "filters",
    [
        Filters("produits-frais", date(2020, 4, 1), date(2020, 5, 31), period="avril-mai-2020"),
        Filters(
            "equipements-protection",
            date(2020, 3, 30),
            date(2020, 12, 31),
            departments=("18", "45"),
            categories=("masques",),
        ),
        Filters(
            "produits-frais",
            date(2020, 12, 2),
            date(2020, 12, 31),
            ("37",),
            ("fruits_legumes", "oeufs"),
            period="30-derniers-jours",
        ),
        Filters("produits-frais", date(2020, 6, 15), date(2020, 7, 14), period="personnalisee"),
        Filters(
            "equipements-protection", date(2020, 1, 1), date(2020, 12, 31), period="annee-2020"
        ),
        Filters(
            "produits-frais",
            date(2020, 4, 1),
            date(2020, 5, 31),
            ("18",),
            ("oeufs",),
            period="avril-mai-2020",
            kinds=("commercant", "producteur"),
        ),
        Filters(
            "equipements-protection", date(2020, 3, 30), date(2020, 12, 31), kinds=("entreprise",)
        ),
    ],
)
def test_round_trip(filters):
    params = filters.to_url()
    parsed = parse(params)
    assert not parsed.has_notice
    assert parsed.filters == filters
    assert parsed.filters.to_url() == params


def test_address_uses_stable_readable_values():
    filters = Filters(
        "produits-frais",
        date(2020, 6, 15),
        date(2020, 7, 14),
        ("18", "45"),
        ("oeufs",),
        period="personnalisee",
    )
    assert filters.to_url() == {
        "platform": "produits-frais",
        "period": "personnalisee",
        "start": "2020-06-15",
        "end": "2020-07-14",
        "departments": ["18", "45"],
        "categories": ["oeufs"],
    }


def test_presets():
    assert resolve_period("avril-mai-2020", CTX) == (date(2020, 4, 1), date(2020, 5, 31))
    assert resolve_period("depuis-ouverture", CTX) == (CTX.data_start, CTX.data_end)
    start, end = resolve_period("30-derniers-jours", CTX)
    assert end == CTX.data_end and (end - start) == timedelta(days=29)
    assert resolve_period("annee-2020", CTX) == (date(2020, 1, 1), date(2020, 12, 31))
    assert set(PERIODS) == set(labels.PERIOD_PRESETS)


def test_lists_accept_repeated_keys_and_commas_and_are_put_in_order():
    parsed = parse(
        {
            "departments": ["45", "18,37"],
            "categories": "oeufs,fruits_legumes",
            "kinds": ["producteur", "commercant,artisan", "producteur"],
        }
    )
    assert parsed.filters.departments == ("18", "37", "45")
    assert parsed.filters.categories == ("fruits_legumes", "oeufs")
    assert parsed.filters.kinds == ("artisan", "commercant", "producteur")
    assert not parsed.has_notice


def test_kinds_travel_and_are_bound_as_codes():
    filters = Filters(
        "produits-frais", CTX.data_start, CTX.data_end, kinds=("commercant", "producteur")
    )
    assert filters.to_url() == {
        "platform": "produits-frais",
        "period": DEFAULT_PERIOD,
        "kinds": ["commercant", "producteur"],
    }
    # The SQL parameter holds the warehouse's codes (`suppliers.kind_code`), as a list.
    assert filters.params()["kinds"] == ["commercant", "producteur"]
    assert default_filters(CTX).params()["kinds"] == []
    assert filters.has_catalogue_scope and filters.has_supplier_scope
    assert not default_filters(CTX).has_catalogue_scope


HOSTILE = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "'; DROP TABLE visits; --",
    "$platform",
    "%00",
    "x" * 10_000,
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("key", ["platform", "period"])
def test_hostile_single_values_fall_back_with_a_notice(key, value):
    parsed = parse({key: value})
    assert parsed.filters == default_filters(CTX)
    assert parsed.has_notice
    assert all(value not in notice for notice in parsed.notices if value)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_list_values_are_dropped_with_a_notice(value):
    parsed = parse(
        {
            "departments": ["18", value],
            "categories": [value, "oeufs"],
            "kinds": [value, "producteur"],
        }
    )
    assert parsed.filters.departments == ("18",)
    assert parsed.filters.categories == ("oeufs",)
    assert parsed.filters.kinds == ("producteur",)
    if value and "," not in value:
        assert parsed.has_notice


@pytest.mark.parametrize("value", [v for v in HOSTILE if v] + ["Producteur", "producteurs"])
def test_unknown_kinds_give_the_notice_and_change_nothing(value):
    parsed = parse({"kinds": value})
    assert parsed.filters == default_filters(CTX)
    assert parsed.notices == (labels.NOTICE_KINDS,)
    assert value not in parsed.notices[0]
    # The address written back holds no trace of it.
    assert "kinds" not in parsed.filters.to_url()


def test_unknown_parameter_is_reported_not_echoed():
    parsed = parse({"departement": "' OR 1=1 --"})
    assert parsed.filters == default_filters(CTX)
    assert parsed.notices == (labels.NOTICE_UNKNOWN_PARAMS,)
    assert "OR 1=1" not in parsed.notices[0]


def test_two_values_for_a_single_parameter_is_invalid():
    parsed = parse({"platform": ["produits-frais", "equipements-protection"]})
    assert parsed.filters.platform == DEFAULT_PLATFORM
    assert parsed.has_notice


@pytest.mark.parametrize(
    "start,end",
    [
        ("2020-02-31", "2020-05-01"),  # impossible date
        ("2020-05-01", "2020-04-01"),  # end before start
        ("2019-01-01", "2019-12-31"),  # outside the data
        ("01/04/2020", "2020-05-01"),  # not ISO
        (None, "2020-05-01"),
        ("2020-04-01", None),
    ],
)
def test_invalid_custom_dates_fall_back_to_the_default_period(start, end):
    params = {"period": "personnalisee"}
    if start is not None:
        params["start"] = start
    if end is not None:
        params["end"] = end
    parsed = parse(params)
    assert parsed.filters.period == DEFAULT_PERIOD
    assert (parsed.filters.start, parsed.filters.end) == (CTX.data_start, CTX.data_end)
    assert parsed.has_notice


def test_custom_dates_are_clipped_to_the_data():
    parsed = parse({"period": "personnalisee", "start": "2020-01-01", "end": "2021-06-30"})
    assert (parsed.filters.start, parsed.filters.end) == (CTX.data_start, CTX.data_end)
    assert not parsed.has_notice


def test_categories_of_the_other_platform_are_dropped():
    parsed = parse({"platform": "equipements-protection", "categories": ["oeufs", "masques"]})
    assert parsed.filters.categories == ("masques",)
    assert parsed.has_notice


def test_other_platform_view_drops_categories():
    filters = Filters("produits-frais", CTX.data_start, CTX.data_end, ("18",), ("oeufs",))
    other = filters.for_platform("equipements-protection")
    assert other.platform == "equipements-protection"
    assert other.categories == () and other.departments == ("18",)


def test_kinds_of_the_other_platform_are_dropped():
    parsed = parse({"platform": "equipements-protection", "kinds": ["producteur", "entreprise"]})
    assert parsed.filters.kinds == ("entreprise",)
    assert parsed.notices == (labels.NOTICE_KINDS,)
    filters = Filters(
        "produits-frais", CTX.data_start, CTX.data_end, kinds=("artisan", "producteur")
    )
    # With the context, the kinds the other platform also has are kept; without it, none.
    assert filters.for_platform("equipements-protection", CTX).kinds == ("artisan",)
    assert filters.for_platform("equipements-protection").kinds == ()
    assert filters.for_platform("produits-frais", CTX) == filters
    moved = Filters.from_widgets(
        CTX,
        platform="equipements-protection",
        period="depuis-ouverture",
        start=CTX.data_start,
        end=CTX.data_end,
        kinds=("artisan", "producteur", "<script>"),
    )
    assert moved.kinds == ("artisan",)


def test_describe_is_french():
    filters = Filters(
        "produits-frais",
        date(2020, 4, 1),
        date(2020, 5, 31),
        ("18", "45"),
        ("oeufs",),
        period="avril-mai-2020",
    )
    text = describe(filters, CTX)
    assert text == (
        "Produits frais locaux · du 1er avril 2020 au 31 mai 2020 · "
        "départements : 18 — Cher, 45 — Loiret · catégories : Œufs"
    )
    assert describe(default_filters(CTX), CTX, departments=False, categories=False) == (
        "Produits frais locaux · du 30 mars 2020 au 31 décembre 2020"
    )


def test_describe_names_the_kinds_only_when_chosen_and_applied():
    filters = Filters(
        "produits-frais",
        date(2020, 4, 1),
        date(2020, 5, 31),
        ("18",),
        period="avril-mai-2020",
        kinds=("commercant", "producteur"),
    )
    assert describe(filters, CTX) == (
        "Produits frais locaux · du 1er avril 2020 au 31 mai 2020 · départements : 18 — Cher · "
        "toutes catégories · types de fournisseur : Commerçant, Producteur"
    )
    # No kind chosen: nothing added. Kinds reach figures through the suppliers, as departments
    # do, so a figure without the department filter does not claim the kinds either.
    assert "fournisseur" not in describe(default_filters(CTX), CTX)
    assert "fournisseur" not in describe(filters, CTX, departments=False, categories=False)
    assert "fournisseur" not in describe(filters, CTX, kinds=False)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            ["platform", "period", "start", "end", "departments", "categories", "kinds"]
        )
        | st.text(max_size=12),
        st.text(max_size=40) | st.lists(st.text(max_size=20), max_size=4),
        max_size=6,
    )
)
def test_any_address_gives_valid_filters_and_never_raises(params):
    parsed = parse(params)
    filters = parsed.filters
    assert filters.platform in PLATFORMS
    assert filters.period in PERIODS
    assert filters.start <= filters.end
    assert set(filters.departments) <= set(CTX.departments)
    assert set(filters.categories) <= set(CTX.categories[filters.platform])
    assert set(filters.kinds) <= set(CTX.kinds[filters.platform])
    # What the app writes back to the address is always clean and parses without notice.
    assert not parse(filters.to_url()).has_notice


# --- the comparison period of *Fréquentation* (`Comparison`) --------------------------------


def test_comparison_default_is_the_previous_period_and_stays_out_of_the_address():
    comparison, notices = comparison_from_query_params({"platform": "produits-frais"})
    assert comparison == Comparison(PREVIOUS_PERIOD) and notices == ()
    assert comparison_to_query_params(comparison) == {}


@pytest.mark.parametrize(
    "comparison",
    [
        Comparison(PREVIOUS_PERIOD),
        Comparison(YEAR_BEFORE),
        Comparison(CUSTOM_COMPARISON, date(2020, 4, 1), date(2020, 4, 30)),
        # Outside the data: kept as given, so that the page says why it cannot compare.
        Comparison(CUSTOM_COMPARISON, date(2019, 4, 1), date(2019, 5, 31)),
    ],
)
def test_comparison_round_trip(comparison):
    params = {**default_filters(CTX).to_url()}
    params.update(comparison_to_query_params(comparison))
    assert all(key in URL_KEYS for key in params)
    back, notices = comparison_from_query_params(params)
    assert back == comparison and notices == ()
    # The filters of the same address are untouched by the comparison's parameters.
    assert parse(params).filters == default_filters(CTX) and not parse(params).notices


def test_comparison_address_is_readable():
    assert comparison_to_query_params(Comparison(YEAR_BEFORE)) == {"comparison": "annee-precedente"}
    assert comparison_to_query_params(
        Comparison(CUSTOM_COMPARISON, date(2020, 4, 1), date(2020, 4, 30))
    ) == {"comparison": "personnalisee", "compare_start": "2020-04-01", "compare_end": "2020-04-30"}


@pytest.mark.parametrize(
    "params",
    [
        {"comparison": "hier"},
        {"comparison": ["annee-precedente", "personnalisee"]},
        {"comparison": "<script>"},
        {"comparison": "personnalisee"},  # no dates
        {"comparison": "personnalisee", "compare_start": "2020-04-30", "compare_end": "2020-04-01"},
        {"comparison": "personnalisee", "compare_start": "2020-02-30", "compare_end": "2020-04-01"},
        {"comparison": "personnalisee", "compare_start": "1900-01-01", "compare_end": "2020-04-01"},
        {"comparison": "personnalisee", "compare_start": "' OR 1=1", "compare_end": "2020-04-01"},
    ],
)
def test_unusable_comparison_falls_back_with_a_notice(params):
    comparison, notices = comparison_from_query_params(params)
    assert comparison == Comparison() and notices == (labels.NOTICE_COMPARISON,)
    for value in params.values():
        for text in [value] if isinstance(value, str) else value:
            assert text not in labels.NOTICE_COMPARISON


def test_comparison_periods():
    april = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30), departments=("18",))
    previous = Comparison(PREVIOUS_PERIOD).period(april)
    assert (previous.start, previous.end) == (date(2020, 3, 1), date(2020, 3, 31))  # a month
    year = Comparison(YEAR_BEFORE).period(april)
    assert (year.start, year.end) == (date(2019, 4, 1), date(2019, 4, 30))
    assert year.departments == ("18",) and year.platform == april.platform
    custom = Comparison(CUSTOM_COMPARISON, date(2020, 6, 1), date(2020, 6, 10)).period(april)
    assert (custom.start, custom.end) == (date(2020, 6, 1), date(2020, 6, 10))
    # 29 February a year earlier is 28 February.
    leap = Filters("produits-frais", date(2024, 2, 29), date(2024, 3, 1))
    assert (
        Comparison(YEAR_BEFORE).period(leap).start,
        Comparison(YEAR_BEFORE).period(leap).end,
    ) == (
        date(2023, 2, 28),
        date(2023, 3, 1),
    )


def test_one_comparability_rule_for_the_three_comparisons():
    # CTX: data from 30 March to 31 December 2020.
    may = Filters("produits-frais", date(2020, 5, 1), date(2020, 5, 31))
    assert Comparison(PREVIOUS_PERIOD).is_comparable(may, CTX)  # April
    assert not Comparison(YEAR_BEFORE).is_comparable(may, CTX)  # 2019: before the data
    april = Filters("produits-frais", date(2020, 4, 1), date(2020, 4, 30))
    assert not Comparison(PREVIOUS_PERIOD).is_comparable(april, CTX)  # March: partly before
    inside = Comparison(CUSTOM_COMPARISON, date(2020, 3, 30), date(2020, 4, 5))
    assert inside.is_comparable(april, CTX)
    partly_before = Comparison(CUSTOM_COMPARISON, date(2020, 3, 29), date(2020, 4, 5))
    assert not partly_before.is_comparable(april, CTX)
    after = Comparison(CUSTOM_COMPARISON, date(2020, 12, 20), date(2021, 1, 5))
    assert not after.is_comparable(april, CTX)
    assert comparison_gap(after.period(april), CTX.data_start, CTX.data_end) == "after_data"
    assert comparison_gap(partly_before.period(april), CTX.data_start) == "before_data"


# --- Campaign parameters and page controls (issue #18) ------------------------------------------


@pytest.mark.parametrize(
    "key", ["utm_source", "utm_campaign", "UTM_Medium", "mtm_campaign", "pk_kwd", "gclid", "fbclid"]
)
def test_campaign_parameters_are_ignored_without_a_notice(key):
    parsed = parse({key: "lettre-juin", "period": "avril-mai-2020"})
    assert parsed.notices == ()
    assert parsed.filters.period == "avril-mai-2020"


@pytest.mark.parametrize("key", ["utm", "utmsource", "tracking", "ref"])
def test_near_campaign_names_are_still_unknown(key):
    assert parse({key: "x"}).notices == (labels.NOTICE_UNKNOWN_PARAMS,)


def test_page_controls_are_known_parameters_not_filters():
    parsed = parse({"grain": "month", "threshold": "5", "search": "ferme", "sort": "name"})
    assert parsed.notices == ()
    assert parsed.filters == default_filters(CTX)


@pytest.mark.parametrize(
    "params, values",
    [
        ({"grain": "month"}, {"grain": "month"}),
        (
            {"measure": "listings", "scale": "per_100k"},
            {"measure": "listings", "scale": "per_100k"},
        ),
        ({"threshold": "5"}, {"threshold": 5}),
        ({"threshold": ["100"]}, {"threshold": 100}),
        # A search is free text, taken whole: commas and spaces inside are the search.
        ({"search": "ferme, bio "}, {"search": "ferme, bio"}),
        ({"sort": "listings_desc"}, {"sort": "listings_desc"}),
        ({}, {}),
    ],
)
def test_page_controls_from_the_address(params, values):
    assert controls_from_query_params(params) == (values, ())


@pytest.mark.parametrize(
    "params",
    [
        {"grain": "year"},
        {"grain": ["day", "week"]},
        {"measure": "<script>"},
        {"threshold": "0"},
        {"threshold": "101"},
        {"threshold": "-3"},
        {"threshold": "3.5"},
        {"threshold": "1e9"},
        {"threshold": "٣"},  # an Arabic-Indic digit: `str.isdigit` would take it
        {"search": "x" * 101},
        {"sort": "DROP TABLE"},
    ],
)
def test_unusable_page_controls_are_dropped_with_one_notice(params):
    values, notices = controls_from_query_params(params)
    assert values == {}
    assert notices == (labels.NOTICE_PAGE_CONTROLS,)
    # The notice never echoes the value.
    assert all(str(v)[:20] not in labels.NOTICE_PAGE_CONTROLS for v in params.values())


def test_only_the_drawn_page_carries_its_controls_in_the_address():
    values = {"grain": "day", "threshold": 5, "search": "", "sort": "name"}
    assert controls_to_query_params(values, "frequentation") == {"grain": "day"}
    assert controls_to_query_params(values, "couverture") == {"threshold": "5"}
    # An empty search is no parameter.
    assert controls_to_query_params(values, "producteurs") == {"sort": "name"}
    assert controls_to_query_params(values, "") == {}


@given(st.dictionaries(st.sampled_from(sorted(PAGE_CONTROLS)), st.text(max_size=120)))
@settings(max_examples=200, deadline=None)
def test_any_page_control_value_gives_known_values_and_never_raises(params):
    values, _ = controls_from_query_params(params)
    for key, value in values.items():
        control = PAGE_CONTROLS[key]
        assert control.parse(str(value)) == value
        # What is read back is what the address then carries for its page.
        assert controls_to_query_params({key: value}, control.page) in ({key: str(value)}, {})


def test_every_page_control_names_a_page_and_a_widget():
    from app.filtering import URL_KEYS as filter_keys

    pages = {
        path.stem for path in Path(__file__).resolve().parents[1].joinpath("app_pages").glob("*.py")
    }
    for key, control in PAGE_CONTROLS.items():
        assert key not in filter_keys
        assert control.page in pages
        source = (
            Path(__file__).resolve().parents[1] / "app_pages" / f"{control.page}.py"
        ).read_text()
        assert f'page_control("{key}"' in source


def test_the_preset_codes_are_the_labelled_ones():
    # Codes live in app/filtering.py, their French names in app/labels.py: one each.
    from app.filtering import PERIODS

    assert tuple(labels.PERIOD_PRESETS) == PERIODS


def test_from_widgets_checks_like_from_url():
    """The two ways in give the same canonical filters for the same choices."""
    chosen = {"departments": ["45", "99", "18", "45"], "categories": ["<b>", "fruits_legumes"]}
    from_url = Filters.from_url({"platform": "produits-frais", **chosen}, CTX).filters
    from_widgets = Filters.from_widgets(
        CTX,
        platform="produits-frais",
        period=from_url.period,
        start=from_url.start,
        end=from_url.end,
        **chosen,
    )
    assert from_widgets == from_url
    assert from_url.departments == ("18", "45")
