"""The shared sidebar filters (Streamlit side of `app.filtering`).

Rendered once per run by `dashboard.py`, before the page runs, so every page shares them.

State that survives page switches: the canonical `Filters` lives in `st.session_state` under
a key no widget uses (`CANONICAL_KEY`); widget keys are re-seeded from it whenever Streamlit
has dropped them (widget state is discarded when a widget is not rendered in a run). The
pages' own controls the address carries (time grain, coverage threshold, supplier search and
sort: `filtering.PAGE_CONTROLS`) are kept the same way under `CONTROLS_KEY`.

The URL (`st.query_params`) mirrors that state, so a copied link reproduces the view. It is
read when a session starts, and again when it differs from the address the app wrote last:
the browser's Back and Forward buttons restore an earlier address and Streamlit reruns with
it, so the view follows the address rather than rewriting it.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from datetime import date

import streamlit as st

from app import db, labels, queries
from app.filtering import (
    COMPARISONS,
    CUSTOM_COMPARISON,
    CUSTOM_PERIOD,
    PAGE_CONTROLS,
    PERIODS,
    PLATFORMS,
    Comparison,
    FilterContext,
    Filters,
    comparison_from_query_params,
    comparison_to_query_params,
    controls_from_query_params,
    controls_to_query_params,
    default_filters,
    presentation_from_query_params,
    presentation_to_query_params,
    resolve_period,
)
from app.fmt import fr_date

CANONICAL_KEY = "observatoire_filters"
NOTICES_KEY = "observatoire_filter_notices"
PRESENTATION_STATE = "observatoire_presentation"
PRESENTATION_NOTICES_KEY = "observatoire_presentation_notices"
W_PLATFORM = "filter_platform"
W_PERIOD = "filter_period"
W_RANGE = "filter_range"
W_DEPARTMENTS = "filter_departments"
W_CATEGORIES = "filter_categories"
W_KINDS = "filter_kinds"
# The comparison period of *Fréquentation*: canonical `Comparison` and its widgets.
COMPARISON_KEY = "observatoire_comparison"
W_COMPARISON = "filter_comparison"
W_COMPARE_RANGE = "filter_compare_range"
# The pages' controls the address carries ({url key: value}), the page drawn, and the
# address parameters written last (to tell a Back or Forward move from our own rewrite).
CONTROLS_KEY = "observatoire_controls"
PAGE_KEY = "observatoire_page"
WRITTEN_URL_KEY = "observatoire_written_url"
FILTER_WIDGETS = (
    W_PLATFORM,
    W_PERIOD,
    W_RANGE,
    W_DEPARTMENTS,
    W_CATEGORIES,
    W_KINDS,
    W_COMPARISON,
    W_COMPARE_RANGE,
)


def filter_context() -> FilterContext:
    return db.cached(queries.filter_context)


def _read_url() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _write_url(filters: Filters, ctx: FilterContext) -> None:
    # The presentation mode is no filter but travels with them, so the rewrite keeps it.
    ss = st.session_state
    wanted = {
        **filters.to_url(),
        **comparison_to_query_params(ss.get(COMPARISON_KEY, Comparison())),
        **controls_to_query_params(ss.get(CONTROLS_KEY, {}), ss.get(PAGE_KEY, "")),
        **presentation_to_query_params(presentation_mode()),
    }
    wanted_lists = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    ss[WRITTEN_URL_KEY] = wanted_lists
    if _read_url() != wanted_lists:
        st.query_params.from_dict(wanted)


def _moved_in_history(url: dict[str, list[str]]) -> bool:
    """True when the address is not the one this session wrote last: the browser went Back or
    Forward. An address without parameters is a page switch (Streamlit drops them), not a
    move, and keeps the session's view."""
    written = st.session_state.get(WRITTEN_URL_KEY)
    return bool(url) and written is not None and url != written


def _read_state_from_url(url: dict[str, list[str]], ctx: FilterContext) -> tuple[str, ...]:
    """Filters, comparison and page controls from the address into the session (widgets are
    re-seeded from them); the French notices about unusable values."""
    ss = st.session_state
    parsed = Filters.from_url(url, ctx)
    ss[CANONICAL_KEY] = parsed.filters
    ss[COMPARISON_KEY], comparison_notices = comparison_from_query_params(url)
    ss[CONTROLS_KEY], control_notices = controls_from_query_params(url)
    return (*parsed.notices, *comparison_notices, *control_notices)


def _drop_widget_state() -> None:
    """Forget what the widgets hold, so they are drawn again from the session's state."""
    ss = st.session_state
    for key in (*FILTER_WIDGETS, *(c.widget_key for c in PAGE_CONTROLS.values())):
        ss.pop(key, None)


def page_control(url_key: str, default: str | int) -> dict:
    """Keyword arguments of the widget of a page control the address carries (`key`,
    `on_change`, `args`): its value comes from the address or the session, else `default`,
    and a change goes to the session and the address. The widget takes no default of its
    own (Streamlit warns when a widget has both)."""
    control = PAGE_CONTROLS[url_key]
    ss = st.session_state
    if control.widget_key not in ss:
        ss[control.widget_key] = ss.get(CONTROLS_KEY, {}).get(url_key, default)
    return {"key": control.widget_key, "on_change": _keep_control, "args": (url_key,)}


def _keep_control(url_key: str) -> None:
    ss = st.session_state
    ss.setdefault(CONTROLS_KEY, {})[url_key] = ss[PAGE_CONTROLS[url_key].widget_key]


def _clicked_data(chart_key: str):
    """The `customdata` of the point clicked on the chart `chart_key`, or None."""
    state = st.session_state.get(chart_key)
    points = state["selection"]["points"] if state else []
    return points[0].get("customdata") if points else None


def drill_down(chart_key: str):
    """The callback of a click on a bar or a cell of the chart `chart_key`: the point's
    `customdata` [department code, category code] becomes the department and category filters
    ("" leaves a filter as it is). The next run draws the page for them and writes the
    address, so Back returns to the view before the click."""

    def apply() -> None:
        ss = st.session_state
        codes = _clicked_data(chart_key)
        if not isinstance(codes, (list, tuple)) or len(codes) != 2:
            return
        department, category = (str(code) for code in codes)
        if department:
            ss[W_DEPARTMENTS] = [department]
        if category:
            ss[W_CATEGORIES] = [category]

    return apply


def drill_to_period(chart_key: str, grain_key: str | None = None):
    """The callback of a click on a bar of a time series (`charts.time_bars`): its days,
    `customdata` ["period", first, last], become a custom period (within the data), shown
    day by day when `grain_key` names the page's grain control. Back returns to the view
    before the click."""

    def apply() -> None:
        ss = st.session_state
        data = _clicked_data(chart_key)
        if not (isinstance(data, (list, tuple)) and len(data) == 3 and data[0] == "period"):
            return
        try:
            first, last = date.fromisoformat(data[1]), date.fromisoformat(data[2])
        except (TypeError, ValueError):
            return
        ss[W_PERIOD] = CUSTOM_PERIOD
        ss[W_RANGE] = _clip_range(first, last, filter_context())
        if grain_key is not None:
            ss.setdefault(CONTROLS_KEY, {})[grain_key] = "day"
            ss[PAGE_CONTROLS[grain_key].widget_key] = "day"

    return apply


def _reset(platform: str) -> None:
    """« Réinitialiser les filtres »: the default view of the platform shown (the platform is
    kept: it is where the user works, not a narrowing)."""
    ss = st.session_state
    ss[CANONICAL_KEY] = replace(default_filters(filter_context()), platform=platform)
    ss[COMPARISON_KEY] = Comparison()
    ss[CONTROLS_KEY] = {}
    _drop_widget_state()


def _seed_widgets(canonical: Filters, ctx: FilterContext) -> None:
    """Give back to each widget the canonical value when Streamlit dropped its state."""
    ss = st.session_state
    ss.setdefault(W_PLATFORM, canonical.platform)
    ss.setdefault(W_PERIOD, canonical.period)
    ss.setdefault(W_RANGE, (canonical.start, canonical.end))
    ss.setdefault(W_DEPARTMENTS, list(canonical.departments))
    ss.setdefault(W_CATEGORIES, list(canonical.categories))
    ss.setdefault(W_KINDS, list(canonical.kinds))
    # Never hand a widget a value outside its options (Streamlit would raise).
    if ss[W_PLATFORM] not in PLATFORMS:
        ss[W_PLATFORM] = canonical.platform
    if ss[W_PERIOD] not in PERIODS:
        ss[W_PERIOD] = canonical.period
    value = ss[W_RANGE]
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(value):
        ss[W_RANGE] = _clip_range(value[0], value[1], ctx)
    else:
        ss[W_RANGE] = _clip_range(canonical.start, canonical.end, ctx)
    # After a platform change, the kinds the new platform also has are kept, the others dropped.
    shown = _from_widgets(ctx, ss[W_PLATFORM], canonical.period, canonical.start, canonical.end)
    ss[W_DEPARTMENTS] = list(shown.departments)
    ss[W_CATEGORIES] = list(shown.categories)
    ss[W_KINDS] = list(shown.kinds)


def _from_widgets(
    ctx: FilterContext, platform: str, period: str, start: date, end: date
) -> Filters:
    """The checked filters of the list widgets' choices, with this platform and period."""
    ss = st.session_state
    return Filters.from_widgets(
        ctx,
        platform=platform,
        period=period,
        start=start,
        end=end,
        departments=ss.get(W_DEPARTMENTS) or (),
        categories=ss.get(W_CATEGORIES) or (),
        kinds=ss.get(W_KINDS) or (),
    )


def _on_platform_change() -> None:
    # Categories belong to one platform: a new platform starts with all its categories.
    st.session_state[W_CATEGORIES] = []


def _clip_range(start: date, end: date, ctx: FilterContext) -> tuple[date, date]:
    """A range the date widget accepts (inside the data span; "Année 2020" starts before)."""
    start = min(max(start, ctx.data_start), ctx.data_end)
    end = min(max(end, start), ctx.data_end)
    return start, end


def _on_period_change() -> None:
    # Entering "Personnalisée" starts from the range shown until now.
    if st.session_state.get(W_PERIOD) == CUSTOM_PERIOD and CANONICAL_KEY in st.session_state:
        canonical: Filters = st.session_state[CANONICAL_KEY]
        st.session_state[W_RANGE] = (canonical.start, canonical.end)  # clipped when seeded


def _custom_range(ctx: FilterContext, canonical: Filters) -> tuple[date, date]:
    value = st.date_input(
        labels.FILTER_CUSTOM_RANGE,
        key=W_RANGE,
        min_value=ctx.data_start,
        max_value=ctx.data_end,
        format="DD/MM/YYYY",
    )
    # While the user is picking, the widget holds only the first date: keep the previous end.
    if isinstance(value, (tuple, list)):
        if len(value) == 2:
            return value[0], value[1]
        if len(value) == 1:
            return value[0], max(value[0], canonical.end)
        return canonical.start, canonical.end
    return value, value


def _comparison_bounds(ctx: FilterContext, start: date, end: date) -> tuple[date, date]:
    """Bounds of the comparison dates widget: the data span, widened to a range from the
    address (kept as given, so the page can say it lies outside the data)."""
    return min(ctx.data_start, start), max(ctx.data_end, end)


def _on_comparison_change() -> None:
    # Entering "Période personnalisée" starts from the comparison period shown until now.
    ss = st.session_state
    if ss.get(W_COMPARISON) == CUSTOM_COMPARISON and CANONICAL_KEY in ss:
        shown = ss.get(COMPARISON_KEY, Comparison()).period(ss[CANONICAL_KEY])
        ss[W_COMPARE_RANGE] = (shown.start, shown.end)


def _comparison_widgets(ctx: FilterContext, current: Filters) -> Comparison:
    """The comparison choice (and its dates when custom), under the period."""
    ss = st.session_state
    canonical: Comparison = ss.get(COMPARISON_KEY, Comparison())
    ss.setdefault(W_COMPARISON, canonical.mode)
    if ss[W_COMPARISON] not in COMPARISONS:
        ss[W_COMPARISON] = canonical.mode
    mode = st.selectbox(
        labels.FILTER_COMPARISON,
        COMPARISONS,
        format_func=labels.COMPARISON_CHOICES.get,
        key=W_COMPARISON,
        help=labels.HELP_COMPARISON,
        on_change=_on_comparison_change,
        filter_mode=None,  # three choices; typing would show Streamlit's English "No results"
    )
    if mode != CUSTOM_COMPARISON:
        shown = Comparison(mode).period(current)
        st.caption(
            labels.FILTER_PERIOD_RANGE.format(start=fr_date(shown.start), end=fr_date(shown.end))
        )
        return Comparison(mode)
    fallback = canonical.period(current)
    value = ss.get(W_COMPARE_RANGE)
    if not (isinstance(value, (tuple, list)) and len(value) == 2 and all(value)):
        ss[W_COMPARE_RANGE] = (fallback.start, fallback.end)
    low, high = _comparison_bounds(ctx, *ss[W_COMPARE_RANGE])
    value = st.date_input(
        labels.FILTER_COMPARISON_RANGE,
        key=W_COMPARE_RANGE,
        min_value=low,
        max_value=high,
        format="DD/MM/YYYY",
    )
    # While the user is picking, the widget holds only the first date: keep the last range.
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return Comparison(mode, value[0], value[1])
    if isinstance(value, (tuple, list)) and len(value) == 1:
        return Comparison(mode, value[0], max(value[0], fallback.end))
    return Comparison(mode, fallback.start, fallback.end)


def current_comparison() -> Comparison:
    """The comparison chosen (after `render_filters` in this run)."""
    return st.session_state.get(COMPARISON_KEY, Comparison())


def _multiselect(
    label: str, options: list[str], key: str, placeholder: str, help: str, format_func=str
) -> list[str]:
    # No typing and no "Select all" entry: Streamlit's texts for both are English only, and
    # selecting nothing already means all.
    return st.multiselect(
        label,
        options,
        key=key,
        placeholder=placeholder,
        help=help,
        format_func=format_func,
        filter_mode=None,
        select_all=False,
    )


def render_filters(bar=None, page: str = "") -> tuple[Filters, FilterContext]:
    """Draw the sidebar filters and return the current `Filters` (with the context).

    `bar` (presentation mode, where the sidebar is hidden): a container of the page where the
    platform, the period and the categories are drawn instead, the same widgets with the same
    keys, so the sidebar, the bar and the address share one state. `page`: the URL path of the
    page drawn, whose controls the address carries.
    """
    ctx = filter_context()
    ss = st.session_state
    ss[PAGE_KEY] = page
    notices: tuple[str, ...] = ()
    url = _read_url()
    if CANONICAL_KEY not in ss:
        notices = _read_state_from_url(url, ctx)
    elif _moved_in_history(url):
        notices = _read_state_from_url(url, ctx)
        _drop_widget_state()
    # Checked when it was made (from the address or the widgets); its list filters are
    # checked again below, from the widgets, against this run's vocabulary.
    canonical: Filters = ss[CANONICAL_KEY]
    _seed_widgets(canonical, ctx)

    if bar is not None:
        # The platform too: the categories offered are the chosen platform's.
        platform_slot, period_slot, categories_slot = bar.columns([2, 2, 3])
    else:
        platform_slot = period_slot = categories_slot = nullcontext()

    with st.sidebar:
        st.header(labels.FILTERS_HEADER)
        with platform_slot:
            platform = st.radio(
                labels.FILTER_PLATFORM,
                PLATFORMS,
                format_func=labels.PLATFORM_NAMES.get,
                key=W_PLATFORM,
                on_change=_on_platform_change,
                horizontal=bar is not None,
            )
        with period_slot:
            period = st.selectbox(
                labels.FILTER_PERIOD,
                PERIODS,
                format_func=labels.PERIOD_PRESETS.get,
                key=W_PERIOD,
                help=labels.HELP_PERIOD,
                on_change=_on_period_change,
                filter_mode=None,  # five presets; typing would show Streamlit's "No results"
            )
            if period == CUSTOM_PERIOD:
                start, end = _custom_range(ctx, canonical)
            else:
                start, end = resolve_period(period, ctx)
                st.caption(
                    labels.FILTER_PERIOD_RANGE.format(start=fr_date(start), end=fr_date(end))
                )
        ss[COMPARISON_KEY] = _comparison_widgets(
            ctx, replace(canonical, platform=platform, start=start, end=end)
        )
        _multiselect(
            labels.FILTER_DEPARTMENTS,
            list(ctx.departments),
            W_DEPARTMENTS,
            labels.PLACEHOLDER_DEPARTMENTS,
            labels.HELP_DEPARTMENTS,
            format_func=ctx.department_label,
        )
        # Options are codes; the widget shows their labels.
        category_names = ctx.categories.get(platform, {})
        with categories_slot:
            _multiselect(
                labels.FILTER_CATEGORIES,
                list(category_names),
                W_CATEGORIES,
                labels.PLACEHOLDER_CATEGORIES,
                labels.HELP_CATEGORIES,
                format_func=lambda code: category_names.get(code, code),
            )
        kind_names = ctx.kinds.get(platform, {})
        if len(kind_names) > 1:
            _multiselect(
                labels.FILTER_KINDS,
                list(kind_names),
                W_KINDS,
                labels.PLACEHOLDER_KINDS,
                labels.HELP_KINDS,
                format_func=lambda code: kind_names.get(code, code),
            )
        else:
            # One kind of supplier (the equipment platform's companies): a filter with one
            # option chooses nothing, so it is not shown and never narrows the figures.
            ss[W_KINDS] = []
        st.button(
            labels.FILTER_RESET,
            on_click=_reset,
            args=(platform,),
            icon=":material/restart_alt:",
            help=labels.HELP_FILTER_RESET,
        )
        st.caption(labels.FILTER_SHARE_HINT)

    filters = _from_widgets(ctx, platform, period, start, end)
    ss[CANONICAL_KEY] = filters
    _write_url(filters, ctx)
    ss[NOTICES_KEY] = notices
    return filters, ctx


def show_notices() -> None:
    """French warnings about unusable values found in the page address (first run only)."""
    presentation_notices = st.session_state.pop(PRESENTATION_NOTICES_KEY, ())
    for notice in (*st.session_state.get(NOTICES_KEY, ()), *presentation_notices):
        st.warning(notice, icon=":material/link_off:")


def presentation_mode() -> bool:
    """True in the presentation mode (`?presentation=1`, projector view).

    Read from the address when the session starts, like the filters, then kept in the session
    (and in the address by `_write_url`) across reruns and page switches.
    """
    ss = st.session_state
    if PRESENTATION_STATE not in ss:
        presenting, notices = presentation_from_query_params(_read_url())
        ss[PRESENTATION_STATE] = presenting
        ss[PRESENTATION_NOTICES_KEY] = notices
    return ss[PRESENTATION_STATE]
