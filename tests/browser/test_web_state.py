"""State that behaves like a web page (issue #18): Enter applies a typed period, the browser's
Back and Forward buttons restore earlier views, the pages' own controls travel in the
address, « Réinitialiser les filtres » returns to the default view, and campaign parameters
of a pasted link are ignored without a notice."""

from __future__ import annotations

from datetime import date

from app import labels, queries
from app.filtering import CUSTOM_PERIOD, Filters
from app.fmt import fr_int

PLATFORM_NAME = labels.PLATFORM_NAMES
PERIOD_NAME = labels.PERIOD_PRESETS


def _date_segment(app, which: str, part: str):
    field = app.page.locator('.st-key-filter_range [data-testid="stDateInput"]')
    return field.locator(f'[data-range-field="{which}"] [role="spinbutton"][data-type="{part}"]')


def _visits(figures, start: date, end: date) -> str:
    filters = Filters(platform="produits-frais", start=start, end=end, period=CUSTOM_PERIOD)
    return fr_int(queries.visits_summary(figures.conn, filters)["visits"])


def test_enter_applies_a_typed_period(app, figures):
    app.goto("frequentation", "period=personnalisee&start=2020-03-30&end=2020-12-31")
    app.wait_metric(labels.METRIC_VISITS, _visits(figures, date(2020, 3, 30), date(2020, 12, 31)))
    typed = _visits(figures, date(2020, 4, 1), date(2020, 5, 15))
    assert typed != _visits(figures, date(2020, 3, 30), date(2020, 12, 31))

    # Typed digit by digit, as a person does; the focus stays in the field until Enter.
    _date_segment(app, "start", "day").click()
    app.page.keyboard.type("01042020")
    _date_segment(app, "end", "day").click()
    app.page.keyboard.type("15052020")
    app.page.keyboard.press("Enter")

    app.wait_query_params(
        {
            "platform": ["produits-frais"],
            "period": ["personnalisee"],
            "start": ["2020-04-01"],
            "end": ["2020-05-15"],
        }
    )
    app.wait_metric(labels.METRIC_VISITS, typed)
    app.assert_clean()


def test_back_and_forward_restore_the_filters_and_the_figures(app, figures):
    app.goto("frequentation")
    default = figures.visits()
    app.wait_metric(labels.METRIC_VISITS, default)
    app.choose_period(PERIOD_NAME["avril-mai-2020"])
    spring = figures.visits(period="avril-mai-2020")
    assert spring != default, "the test needs a period whose figure differs"
    app.wait_metric(labels.METRIC_VISITS, spring)
    app.choose_platform(PLATFORM_NAME["equipements-protection"])
    equipment = figures.visits(platform="equipements-protection", period="avril-mai-2020")
    assert equipment != spring
    app.wait_metric(labels.METRIC_VISITS, equipment)

    app.page.go_back()
    app.wait_query_params({"platform": ["produits-frais"], "period": ["avril-mai-2020"]})
    app.wait_metric(labels.METRIC_VISITS, spring)
    assert app.chosen_platform() == PLATFORM_NAME["produits-frais"]
    assert app.chosen_period() == PERIOD_NAME["avril-mai-2020"]

    app.page.go_back()
    app.wait_query_params({"platform": ["produits-frais"], "period": ["depuis-ouverture"]})
    app.wait_metric(labels.METRIC_VISITS, default)
    assert app.chosen_period() == PERIOD_NAME["depuis-ouverture"]

    app.page.go_forward()
    app.wait_query_params({"platform": ["produits-frais"], "period": ["avril-mai-2020"]})
    app.wait_metric(labels.METRIC_VISITS, spring)

    # After going back, a new choice applies to the restored view, not to the one left.
    app.add_department(figures.ctx.department_label("37"))
    app.wait_query_params(
        {"platform": ["produits-frais"], "period": ["avril-mai-2020"], "departments": ["37"]}
    )
    app.assert_clean()


def _radio_choice(app, key: str) -> str:
    return (
        app.page.locator(f".st-key-{key} label")
        .filter(has=app.page.locator("input:checked"))
        .inner_text()
        .strip()
    )


CONTROLS_LINKS = [
    ("frequentation", {"grain": "month"}),
    ("couverture", {"measure": "listings", "scale": "per_100k", "threshold": "5"}),
    ("producteurs", {"search": "ferme, bio", "sort": "name"}),
]


def test_a_link_with_page_controls_reproduces_the_view(app, open_app):
    # Set by hand in one browser, then the address opened in another, empty profile.
    app.goto("frequentation")
    app.wait_ready()
    app.page.locator(".st-key-traffic_grain label").filter(has_text=labels.GRAINS["month"]).click()
    app.wait_query_params(
        {"platform": ["produits-frais"], "period": ["depuis-ouverture"], "grain": ["month"]}
    )
    other = open_app()
    other.page.goto(app.page.url, wait_until="domcontentloaded")
    other.wait_ready()
    assert _radio_choice(other, "traffic_grain") == labels.GRAINS["month"]
    assert other.alerts("Warning") == []

    shared = open_app()
    shared.goto("couverture", "threshold=5&measure=listings&scale=per_100k")
    assert _radio_choice(shared, "coverage_measure") == labels.COVERAGE_MEASURES["listings"]
    assert _radio_choice(shared, "coverage_scale") == labels.COVERAGE_SCALES["per_100k"]
    assert shared.page.locator(".st-key-coverage_min input").input_value() == "5"
    shared.wait_query_params(
        {
            "platform": ["produits-frais"],
            "period": ["depuis-ouverture"],
            "measure": ["listings"],
            "scale": ["per_100k"],
            "threshold": ["5"],
        }
    )

    # The search holds a comma: taken whole, not as a list.
    shared.goto("producteurs", "search=ferme%2C%20bio&sort=name")
    assert shared.page.locator(".st-key-supplier_search input").input_value() == "ferme, bio"
    sort_box = shared.page.locator('.st-key-supplier_sort input[role="combobox"]')
    assert sort_box.input_value() == labels.SUPPLIER_SORTS["name"]
    shared.wait_query_params(
        {
            "platform": ["produits-frais"],
            "period": ["depuis-ouverture"],
            "search": ["ferme, bio"],
            "sort": ["name"],
        }
    )
    assert shared.alerts("Warning") == []
    shared.assert_clean()


def test_page_controls_leave_the_address_on_other_pages_and_come_back(app):
    app.goto("frequentation", "grain=day")
    assert _radio_choice(app, "traffic_grain") == labels.GRAINS["day"]
    app.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=labels.PAGE_COVERAGE).click()
    app.page.wait_for_url("**/couverture?*")
    app.wait_query_params({"platform": ["produits-frais"], "period": ["depuis-ouverture"]})
    app.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=labels.PAGE_TRAFFIC).click()
    app.page.wait_for_url("**/frequentation?*")
    app.wait_query_params(
        {"platform": ["produits-frais"], "period": ["depuis-ouverture"], "grain": ["day"]}
    )
    assert _radio_choice(app, "traffic_grain") == labels.GRAINS["day"]
    app.assert_clean()


def test_reset_returns_to_the_default_view_on_the_same_platform(app, figures):
    app.goto(
        "frequentation",
        "platform=equipements-protection&period=avril-mai-2020&departments=37&grain=day"
        "&comparison=annee-precedente",
    )
    app.wait_ready()
    app.page.get_by_role("button", name=labels.FILTER_RESET).click()
    app.wait_query_params({"platform": ["equipements-protection"], "period": ["depuis-ouverture"]})
    app.wait_metric(labels.METRIC_VISITS, figures.visits(platform="equipements-protection"))
    assert app.chosen_period() == PERIOD_NAME["depuis-ouverture"]
    assert app.chosen_departments() == []
    assert _radio_choice(app, "traffic_grain") == labels.GRAINS["week"]
    app.assert_clean()


def test_campaign_parameters_are_ignored_without_a_notice(app, figures):
    app.goto("", "utm_source=lettre&utm_medium=email&mtm_campaign=bilan&period=avril-mai-2020")
    app.wait_query_params({"platform": ["produits-frais"], "period": ["avril-mai-2020"]})
    assert app.chosen_period() == PERIOD_NAME["avril-mai-2020"]
    assert app.alerts("Warning") == []
    app.assert_clean()


def _click_biggest_bar(app, chart_key: str, size: str) -> None:
    """Click, as a person would, the middle of the chart's bar of largest `size` (`width` for
    horizontal bars, `height` for vertical ones)."""
    app.page.locator(f".st-key-{chart_key}").scroll_into_view_if_needed()
    box = app.page.evaluate(
        """([key, size]) => {
          const bars = [...document.querySelectorAll(`.st-key-${key} .bars .point path`)];
          const rects = bars.map(bar => bar.getBoundingClientRect());
          const r = rects.reduce((a, b) => (b[size] > a[size] ? b : a));
          return {x: r.x + r.width / 2, y: r.y + r.height / 2};
        }""",
        [chart_key, size],
    )
    app.page.mouse.click(box["x"], box["y"])


def test_a_click_on_a_category_bar_filters_the_page(app, figures):
    demand = queries.category_demand(figures.conn, figures.filters())
    ranked = demand[~demand["is_unclassified"]].dropna(subset=["pageviews_per_listing"])
    assert ranked["pageviews_per_listing"].max() > 0, "the test needs a bar that can be clicked"
    top = ranked.loc[ranked["pageviews_per_listing"].idxmax()]

    app.goto("couverture")
    _click_biggest_bar(app, "demand-ratio", "width")

    app.wait_query_params(
        {
            "platform": ["produits-frais"],
            "period": ["depuis-ouverture"],
            "categories": [top["category_code"]],
        }
    )
    app.wait_ready()
    chosen = app.page.locator(".st-key-filter_categories [data-tag] > span[title]")
    assert chosen.all_inner_texts() == [top["category"]]

    # Back: every category again.
    app.page.go_back()
    app.wait_query_params({"platform": ["produits-frais"], "period": ["depuis-ouverture"]})
    app.wait_ready()
    assert chosen.count() == 0
    app.assert_clean()


def test_a_click_on_a_coverage_cell_filters_its_department_and_category(app, figures):
    """Plotly selects no heatmap cell: the invisible marker over each cell takes the click."""
    from app import scorecard

    grid = queries.coverage_grid(figures.conn, figures.filters(), scorecard.default_min_suppliers())
    cell = grid.loc[grid["suppliers"].idxmax()]
    rows = list(dict.fromkeys(grid["department_code"]))
    shown = set(grid["category_code"])
    columns = [c for c in figures.ctx.categories["produits-frais"] if c in shown]
    index = rows.index(cell["department_code"]) * len(columns) + columns.index(
        cell["category_code"]
    )

    app.goto("couverture")
    app.page.locator(".st-key-coverage-heatmap").scroll_into_view_if_needed()
    box = app.page.evaluate(
        """(index) => {
          const cells = document.querySelectorAll('.st-key-coverage-heatmap .scatterlayer .point');
          const r = cells[index].getBoundingClientRect();
          return {x: r.x + r.width / 2, y: r.y + r.height / 2};
        }""",
        index,
    )
    app.page.mouse.click(box["x"], box["y"])
    app.wait_query_params(
        {
            "platform": ["produits-frais"],
            "period": ["depuis-ouverture"],
            "departments": [cell["department_code"]],
            "categories": [cell["category_code"]],
        }
    )
    app.wait_ready()
    chosen = app.page.locator(".st-key-filter_categories [data-tag] > span[title]")
    assert chosen.all_inner_texts() == [cell["category"]]

    app.page.go_back()
    app.wait_query_params({"platform": ["produits-frais"], "period": ["depuis-ouverture"]})
    app.wait_ready()
    assert chosen.count() == 0
    app.assert_clean()


def test_a_click_on_a_month_bar_shows_that_month_day_by_day(app, figures):
    from datetime import timedelta

    series = queries.visits_timeseries(figures.conn, figures.filters(), "month")
    top = series.loc[series["visits"].idxmax()]
    first = top["bucket"].date() if hasattr(top["bucket"], "date") else top["bucket"]
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    start = max(first, figures.ctx.data_start)
    end = min(following - timedelta(days=1), figures.ctx.data_end)

    app.goto("frequentation", "grain=month")
    _click_biggest_bar(app, "traffic-series", "height")

    app.wait_query_params(
        {
            "platform": ["produits-frais"],
            "period": ["personnalisee"],
            "start": [start.isoformat()],
            "end": [end.isoformat()],
            "grain": ["day"],
        }
    )
    app.wait_metric(labels.METRIC_VISITS, _visits(figures, start, end))
    assert _radio_choice(app, "traffic_grain") == labels.GRAINS["day"]

    app.page.go_back()
    app.wait_query_params(
        {"platform": ["produits-frais"], "period": ["depuis-ouverture"], "grain": ["month"]}
    )
    app.wait_metric(labels.METRIC_VISITS, figures.visits())
    app.assert_clean()
