"""Sidebar filters in the browser: a change changes the figures, the address carries the
filters, reloading the address restores them, and hostile addresses are harmless."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest

from app import labels

PLATFORM_NAME = labels.PLATFORM_NAMES
PERIOD_NAME = labels.PERIOD_PRESETS


def test_period_and_platform_change_the_figures_and_the_address(app, open_app, figures):
    app.goto("frequentation")
    default = figures.visits()
    app.wait_metric(labels.METRIC_VISITS, default)
    app.wait_query_params({"platform": ["produits-frais"], "period": ["depuis-ouverture"]})

    app.choose_period(PERIOD_NAME["avril-mai-2020"])
    spring = figures.visits(period="avril-mai-2020")
    assert spring != default, "the test needs a period whose figure differs"
    app.wait_metric(labels.METRIC_VISITS, spring)
    app.wait_query_params({"platform": ["produits-frais"], "period": ["avril-mai-2020"]})

    app.choose_platform(PLATFORM_NAME["equipements-protection"])
    equipment = figures.visits(platform="equipements-protection", period="avril-mai-2020")
    assert equipment != spring
    app.wait_metric(labels.METRIC_VISITS, equipment)
    app.wait_query_params({"platform": ["equipements-protection"], "period": ["avril-mai-2020"]})
    url = app.page.url
    app.assert_clean()

    # Reloading the address: a new Streamlit session rebuilt from the address alone.
    app.reload()
    app.wait_metric(labels.METRIC_VISITS, equipment)
    assert app.chosen_platform() == PLATFORM_NAME["equipements-protection"]
    assert app.chosen_period() == PERIOD_NAME["avril-mai-2020"]
    assert app.page.url == url
    app.assert_clean()

    # The same address in another browser profile (a shared link).
    other = open_app()
    other.page.goto(url, wait_until="domcontentloaded")
    other.wait_ready()
    other.wait_metric(labels.METRIC_VISITS, equipment)
    assert other.chosen_platform() == PLATFORM_NAME["equipements-protection"]
    assert other.chosen_period() == PERIOD_NAME["avril-mai-2020"]
    other.assert_clean()


def test_department_filter_changes_the_figures_and_survives_a_reload(app, figures):
    # The first department whose suppliers are not all the region's.
    default = figures.active_suppliers()
    code = next(
        code
        for code in figures.ctx.departments
        if figures.active_suppliers(departments=(code,)) != default
    )
    name = figures.ctx.department_label(code)
    expected = figures.active_suppliers(departments=(code,))

    app.goto("producteurs")
    app.wait_metric(labels.METRIC_ACTIVE_SUPPLIERS, default)
    app.add_department(name)
    app.wait_metric(labels.METRIC_ACTIVE_SUPPLIERS, expected)
    app.wait_query_params(
        {"platform": ["produits-frais"], "period": ["depuis-ouverture"], "departments": [code]}
    )

    app.reload()
    app.wait_metric(labels.METRIC_ACTIVE_SUPPLIERS, expected)
    assert app.chosen_departments() == [name]
    app.assert_clean()


def test_filters_follow_the_user_to_another_page(app, figures):
    app.goto("", "platform=equipements-protection&period=avril-mai-2020")
    app.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=labels.PAGE_TRAFFIC).click()
    app.page.wait_for_url("**/frequentation?*")
    app.wait_metric(
        labels.METRIC_VISITS,
        figures.visits(platform="equipements-protection", period="avril-mai-2020"),
    )
    app.wait_query_params({"platform": ["equipements-protection"], "period": ["avril-mai-2020"]})
    assert app.chosen_period() == PERIOD_NAME["avril-mai-2020"]
    app.assert_clean()


DEFAULT_PERIOD = PERIOD_NAME["depuis-ouverture"]
HOSTILE = [
    pytest.param(
        {"period": "<script>alert(1)</script>"},
        labels.NOTICE_PERIOD.format(default=DEFAULT_PERIOD),
        id="script-in-period",
    ),
    pytest.param(
        {"departements": "' OR 1=1 --"}, labels.NOTICE_UNKNOWN_PARAMS, id="sql-in-unknown-key"
    ),
    pytest.param(
        {"departments": "' OR 1=1 --"}, labels.NOTICE_DEPARTMENTS, id="sql-in-departments"
    ),
    pytest.param(
        {"platform": '"><img src=x onerror=alert(2)>'},
        labels.NOTICE_PLATFORM.format(default=PLATFORM_NAME["produits-frais"]),
        id="html-in-platform",
    ),
]


@pytest.mark.parametrize("params, notice", HOSTILE)
def test_hostile_address_shows_a_french_notice_and_the_default_figures(
    app, figures, params, notice
):
    app.goto("producteurs", urlencode(params, quote_via=quote))
    assert notice in app.alerts("Warning")
    app.wait_metric(labels.METRIC_ACTIVE_SUPPLIERS, figures.active_suppliers())
    assert app.chosen_platform() == PLATFORM_NAME["produits-frais"]
    assert app.chosen_period() == DEFAULT_PERIOD
    assert app.chosen_departments() == []
    # The address is rewritten to the canonical one; the hostile value is never echoed back.
    app.wait_query_params({"platform": ["produits-frais"], "period": ["depuis-ouverture"]})
    body = app.page.locator("body").inner_text()
    for fragment in ("<script", "alert(", "OR 1=1", "onerror"):
        assert fragment not in body
    app.page.wait_for_timeout(300)  # give an injected handler time to fire
    app.assert_clean()  # includes: no alert/confirm/prompt dialog
