"""Fréquentation: visit metrics with their change, visits over time with key dates, weekday
x hour, channels and devices, entry pages, most viewed pages, site searches and unmet demand."""

import streamlit as st

from app import charts, db, inert, labels, page, queries, tables
from app.filtering import describe
from app.filters import drill_to_period, page_control
from app.fmt import fr_date, fr_duration, fr_int, fr_num, fr_pct

filters, ctx = page.start(labels.PAGE_TRAFFIC)
platform = filters.platform
palette = charts.platform_palette(platform)
st.caption(
    labels.TRAFFIC_SCOPE_FILTERED if filters.has_catalogue_scope else labels.TRAFFIC_SCOPE_ALL
)
subtitle = describe(filters, ctx)
if filters.has_catalogue_scope:
    subtitle = f"{subtitle} · {labels.SCOPE_VISITS_SUFFIX}"
end = fr_date(filters.end)

# The figures further down, started in the background from the last one up while this run
# computes from the top: the two meet halfway (app.db.ahead).
searches_ahead = db.ahead(queries.site_searches, filters)
suppliers_ahead = db.ahead(queries.top_suppliers, filters)
products_ahead = db.ahead(queries.top_products, filters)
demand_ahead = db.ahead(queries.category_demand, filters)
entries_ahead = db.ahead(queries.entry_pages, filters)
breakdowns_ahead = db.ahead(queries.visits_breakdowns, filters)

# --- Headline figures and their change --------------------------------------------------------
chosen = page.comparison()
comparison = db.cached(queries.visits_comparison, filters, ctx.data_start, chosen, ctx.data_end)
summary, previous = comparison["current"], comparison["previous"]
previous_span = {
    "start": fr_date(comparison["previous_start"]),
    "end": fr_date(comparison["previous_end"]),
}
what = labels.COMPARISON_WHAT[comparison["mode"]]
if comparison["comparable"]:
    st.caption(labels.COMPARISON_NOTE_FOR.format(what=what, **previous_span))
    if comparison["previous_days"] != filters.days:
        st.caption(
            labels.COMPARISON_LENGTHS_DIFFER.format(
                compare_days=fr_int(comparison["previous_days"]), days=fr_int(filters.days)
            )
        )
elif comparison["reason"] == "after_data":
    st.caption(
        labels.NO_COMPARISON_AFTER_DATA.format(
            what=what, **previous_span, data_end=fr_date(ctx.data_end)
        )
    )
else:
    st.caption(
        labels.NO_COMPARISON_BEFORE_DATA.format(
            what=what, **previous_span, data_start=fr_date(ctx.data_start)
        )
    )
comparison_name = labels.COMPARISON_NAME[comparison["mode"]]

METRICS = [
    # (label, key, formatter, kind of change, good direction, help)
    (labels.METRIC_VISITS, "visits", fr_int, "relative", "up", labels.HELP_VISITS),
    (labels.METRIC_VISITORS, "visitors", fr_int, "relative", "up", labels.HELP_VISITORS),
    (labels.METRIC_PAGEVIEWS, "pageviews", fr_int, "relative", "up", labels.HELP_PAGEVIEWS),
    (
        labels.METRIC_PAGES_PER_VISIT,
        "pages_per_visit",
        lambda v: fr_num(v, 1),
        "relative",
        "up",
        labels.HELP_PAGES_PER_VISIT,
    ),
    (labels.METRIC_BOUNCE_RATE, "bounce_rate", fr_pct, "points", "down", labels.HELP_BOUNCE_RATE),
    (
        labels.METRIC_AVG_DURATION,
        "avg_duration_s",
        fr_duration,
        "relative",
        "neutral",
        labels.HELP_AVG_DURATION,
    ),
]
# Two rows of three: the labels stay whole ("Visiteurs (somme par jour)").
columns = [*st.columns(3), *st.columns(3)]
for column, (label, key, fmt, kind, good, help_text) in zip(columns, METRICS):
    before = previous[key] if previous else None
    page.metric_with_change(
        column,
        label,
        fmt(summary[key]),
        current=summary[key],
        previous=before,
        kind=kind,
        good=good,
        help=help_text,
        previous_text=(
            labels.COMPARISON_VALUE.format(name=comparison_name, **previous_span, value=fmt(before))
            if previous
            else None
        ),
        previous_label=fmt(before) if previous else None,
    )

if not summary["visits"] and not (previous and previous["visits"]):
    # Every chart and table below counts these visits: say once what is empty and why,
    # instead of empty axes, an empty grid and a column of "no visit" boxes.
    page.no_visits_notice(filters)
    st.stop()

# --- Visits over time ----------------------------------------------------------------------
grain = st.radio(
    labels.GRAIN_LABEL,
    list(labels.GRAINS),
    format_func=labels.GRAINS.get,
    horizontal=True,
    **page_control("grain", default="week"),
)
series = db.cached(queries.visits_timeseries, filters, grain)
key_dates = db.cached(queries.key_dates, filters)
annotations = db.cached(queries.annotations, filters)
# The comparison period as a line over the bars, only when it is comparable: days before the
# data start hold no visit, and a line at zero would read as a collapse.
overlay = (
    db.cached(queries.visits_comparison_series, filters, chosen, grain)
    if comparison["comparable"]
    else None
)
title = labels.TRAFFIC_TITLE[grain]
x_title = {"day": labels.X_DAY, "week": labels.X_WEEK, "month": labels.X_MONTH}[grain]
figure = charts.time_bars(
    series,
    value_col="visits",
    grain=grain,
    value_label=labels.METRIC_VISITS,
    start=filters.start,
    end=filters.end,
    title=title,
    subtitle=subtitle,
    x_title=x_title,
    y_title=labels.Y_VISITS,
    key_dates=key_dates,
    height=480,
    color=palette.main,
    light_color=palette.light,
    comparison=overlay,
    names=(
        labels.CURRENT_SERIES_NAME.format(start=fr_date(filters.start), end=fr_date(filters.end)),
        labels.COMPARISON_SERIES_NAME.format(name=comparison_name, **previous_span),
    ),
    annotations=annotations,
    data_start=ctx.data_start,
)
# A click on a bar shows its week or month day by day.
charts.show_for(
    figure,
    title,
    filters,
    key="traffic-series",
    on_click=drill_to_period("traffic-series", grain_key="grain"),
)
st.caption(labels.DRILL_DOWN_PERIOD_HINT)
if series["is_partial"].any():
    st.caption(labels.PARTIAL_NOTE)
if overlay is not None:
    st.caption(labels.COMPARISON_CHART_NOTE)
else:
    st.caption(
        labels.NO_COMPARISON_LINE.format(
            what=what,
            **previous_span,
            data_start=fr_date(ctx.data_start),
            data_end=fr_date(ctx.data_end),
        )
    )
if not annotations.empty:
    st.caption(labels.ANNOTATIONS_NOTE)

# Eight breakdowns of the visits (weekday and hour, channel, device, browser, OS, origin,
# department, country) come from one query: one pass over the visits.
breakdowns = breakdowns_ahead.result()

# --- Weekday x hour --------------------------------------------------------------------------
weekday_hour = breakdowns["weekday_hour"]
figure = charts.weekday_hour_heatmap(
    weekday_hour,
    title=labels.WEEKDAY_HOUR_TITLE,
    subtitle=subtitle,
    value_label=labels.METRIC_VISITS,
    colorbar_title=labels.METRIC_VISITS,
    scale=palette.scale,
)
charts.show_for(figure, labels.WEEKDAY_HOUR_TITLE, filters, key="weekday-hour")
st.caption(labels.WEEKDAY_HOUR_NOTE)

# --- Channels and devices -------------------------------------------------------------------
left, right = st.columns(2, gap="large")
with left:
    channels = breakdowns["channel"]
    if channels.empty:
        st.info(labels.NO_VISITS)
    else:
        figure = charts.horizontal_bars(
            channels,
            category_col="channel",
            value_col="visits",
            share_col="share",
            value_label=labels.METRIC_VISITS,
            title=labels.CHANNELS_TITLE,
            subtitle=subtitle,
            x_title=labels.Y_VISITS,
            y_title=labels.X_CHANNEL,
            color=palette.main,
            width="half",
        )
        charts.show_for(figure, labels.CHANNELS_TITLE, filters, key="channels")
with right:
    devices = breakdowns["device_type"]
    if devices.empty:
        st.info(labels.NO_VISITS)
    else:
        figure = charts.horizontal_bars(
            devices,
            category_col="device_type",
            value_col="visits",
            share_col="share",
            value_label=labels.METRIC_VISITS,
            title=labels.DEVICES_TITLE,
            subtitle=subtitle,
            x_title=labels.Y_VISITS,
            y_title=labels.X_DEVICE,
            color=palette.main,
            width="half",
        )
        charts.show_for(figure, labels.DEVICES_TITLE, filters, key="devices")

# --- Browsers and operating systems ---------------------------------------------------------
left, right = st.columns(2, gap="large")
for column, name_col, name_label, title, key in (
    (left, "browser", labels.COL_BROWSER, labels.BROWSERS_TITLE, "browsers"),
    (right, "os", labels.COL_OS, labels.OS_TITLE, "systems"),
):
    with column:
        st.markdown(f"**{title}**")
        software = breakdowns[name_col]
        if software.empty:
            st.info(labels.NO_VISITS)
            continue
        tables.show_table(
            software,
            columns={
                name_col: name_label,
                "visits": labels.COL_VISITS,
                "share": labels.COL_SHARE_VISITS,
                "bounce_rate": labels.COL_BOUNCE_RATE,
            },
            int_columns=["visits"],
            pct_columns=["share", "bounce_rate"],
            # Pixel widths so that the four columns of a half-page table all show.
            widths={name_col: 150, "visits": 75, "share": 105, "bounce_rate": 105},
            key=key,
            title=title,
            subtitle=subtitle,
            filters=filters,
        )
st.caption(f"{inert.markdown(subtitle, limit=None)}. {labels.SOFTWARE_NOTE}")

# --- Entry pages --------------------------------------------------------------------------------
page_type_names = page.page_types_of(platform)
st.subheader(labels.ENTRY_PAGES_TITLE)
entries = entries_ahead.result()
if entries.empty:
    st.info(labels.NO_VISITS)
else:
    st.caption(f"{inert.markdown(subtitle, limit=None)}. {labels.ENTRY_PAGES_NOTE}")
    entries = entries.assign(
        label=[
            page.page_label(platform, t, e, n)
            for t, e, n in zip(entries["page_type"], entries["entity_id"], entries["name"])
        ],
        kind=[page_type_names.get(t, labels.PAGE_TYPES["autre"]) for t in entries["page_type"]],
    )
    tables.show_table(
        entries,
        columns={
            "label": labels.COL_ENTRY_PAGE,
            "kind": labels.COL_PAGE_TYPE,
            "visits": labels.COL_VISITS,
            "share": labels.COL_SHARE_VISITS,
            "bounce_rate": labels.COL_BOUNCE_RATE,
        },
        int_columns=["visits"],
        pct_columns=["share", "bounce_rate"],
        key="entry-pages",
        title=labels.ENTRY_PAGES_TITLE,
        subtitle=subtitle,
        filters=filters,
    )

# --- Most viewed pages ------------------------------------------------------------------------
st.subheader(labels.TOP_PAGES_HEADER)
# "Non classé : …" categories are a data-quality finding, named under the chart, not a bar.
demand, unclassified = queries.split_demand(demand_ahead.result())
if demand.empty:
    st.info(labels.NO_DATA)
else:
    # Category pages do not apply under a supplier filter (NULL): an empty bar segment.
    demand = demand.assign(category_pages=demand["category_pageviews"].fillna(0))
    series_names = {"product_pageviews": labels.SERIES_PRODUCT_PAGES[platform]}
    if not filters.has_supplier_scope:  # category pages belong to no department or supplier
        series_names = {"category_pages": labels.SERIES_CATEGORY_PAGES, **series_names}
    figure = charts.bars(
        demand,
        category_col="category",
        series=series_names,
        title=labels.TOP_CATEGORIES_TITLE,
        subtitle=describe(filters, ctx),
        x_title=labels.X_PAGEVIEWS,
        y_title=labels.X_CATEGORY,
        mode="stack",
        colors=[palette.light, palette.main] if len(series_names) > 1 else [palette.main],
    )
    charts.show_for(figure, labels.TOP_CATEGORIES_TITLE, filters, key="top-categories")
    if unclassified["categories"]:
        st.caption(
            labels.UNCLASSIFIED_PAGEVIEWS_NOTE.format(
                n=fr_int(unclassified["product_pageviews"]),
                items=" ; ".join(inert.markdown(c) for c in unclassified["categories"]),
            )
        )
    if filters.has_supplier_scope:
        st.caption(labels.CATEGORY_PAGES_NO_DEPARTMENT)

st.markdown(f"**{labels.TOP_PRODUCTS_TITLE[platform]}**")
products = products_ahead.result()
if products.empty:
    st.info(labels.NO_DATA)
else:
    products = products.assign(
        status=[labels.ACTIVE if a else labels.WITHDRAWN for a in products["is_active"]],
        department=[page.department_text(ctx, c, None) for c in products["department_code"]],
    )
    tables.show_table(
        products,
        columns={
            "title": labels.COL_PRODUCT[platform],
            "supplier_name": labels.COL_SUPPLIER[platform],
            "category": labels.COL_CATEGORY,
            "department": labels.COL_DEPARTMENT,
            "status": labels.COL_STATUS,
            "pageviews": labels.COL_PAGEVIEWS,
            "visits": labels.COL_VISITS,
        },
        int_columns=["pageviews", "visits"],
        key="top-products",
        title=labels.TOP_PRODUCTS_TITLE[platform],
        subtitle=describe(filters, ctx),
        filters=filters,
    )
st.markdown(f"**{labels.TOP_SUPPLIERS_TITLE[platform]}**")
suppliers = suppliers_ahead.result()
if suppliers.empty:
    st.info(labels.NO_DATA)
else:
    suppliers = suppliers.assign(
        department=[
            page.department_text(ctx, code, name)
            for code, name in zip(suppliers["department_code"], suppliers["department_name"])
        ]
    )
    tables.show_table(
        suppliers,
        columns={
            "name": labels.COL_SUPPLIER[platform],
            "kind": labels.COL_KIND,
            "commune": labels.COL_COMMUNE,
            "department": labels.COL_DEPARTMENT,
            "pageviews": labels.COL_PAGEVIEWS,
            "visits": labels.COL_VISITS,
        },
        int_columns=["pageviews", "visits"],
        key="top-suppliers",
        title=labels.TOP_SUPPLIERS_TITLE[platform],
        subtitle=describe(filters, ctx),
        filters=filters,
    )
st.caption(
    f"{inert.markdown(describe(filters, ctx), limit=None)}. "
    f"{labels.TOP_NOTE.format(n=queries.TOP_LIMIT)}"
)

# --- Site searches and unmet demand ----------------------------------------------------------------
st.subheader(labels.SEARCHES_HEADER)
searches = searches_ahead.result()
if searches.empty:
    st.info(labels.NO_SEARCHES)
else:
    totals = queries.search_totals(searches)
    metrics = st.columns(3)
    metrics[0].metric(labels.METRIC_SEARCHES, fr_int(totals["searches"]), help=labels.HELP_SEARCHES)
    metrics[1].metric(
        labels.METRIC_SEARCHES_NO_RESULT,
        f"{fr_int(totals['without_result'])} ({fr_pct(totals['without_result_share'])})",
        help=labels.HELP_SEARCHES_NO_RESULT,
    )
    metrics[2].metric(labels.METRIC_DISTINCT_SEARCHES, fr_int(totals["distinct"]))
    top, unmet = queries.split_searches(searches)
    results_col = labels.COL_RESULTS_ON_END
    # Pixel widths so that the four columns of a half-page table all show.
    compact = {
        "terms": 150,
        "searches": 90,
        "searches_without_result": 100,
        "share_without_result": 115,
        "results_on_end": 80,
    }
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(f"**{labels.TOP_SEARCHES_TITLE}**")
        tables.show_table(
            top,
            columns={
                "terms": labels.COL_SEARCH,
                "searches": labels.COL_SEARCHES,
                "share_without_result": labels.COL_SHARE_NO_RESULT,
                "results_on_end": results_col,
            },
            int_columns=["searches", "results_on_end"],
            pct_columns=["share_without_result"],
            widths=compact,
            key="top-searches",
            title=labels.TOP_SEARCHES_TITLE,
            subtitle=subtitle,
            filters=filters,
        )
    with right:
        st.markdown(f"**{labels.UNMET_SEARCHES_TITLE}**")
        if unmet.empty:
            st.success(labels.NO_UNMET_SEARCHES)
        else:
            tables.show_table(
                unmet,
                columns={
                    "terms": labels.COL_SEARCH,
                    "searches_without_result": labels.COL_SEARCHES_NO_RESULT,
                    "share_without_result": labels.COL_SHARE_NO_RESULT,
                    "results_on_end": results_col,
                },
                int_columns=["searches_without_result", "results_on_end"],
                pct_columns=["share_without_result"],
                highlight_rows=unmet["results_on_end"] == 0,
                widths=compact,
                key="unmet-searches",
                title=labels.UNMET_SEARCHES_TITLE,
                subtitle=subtitle,
                filters=filters,
            )
    st.caption(
        f"{inert.markdown(subtitle, limit=None)}. "
        f"{labels.SEARCH_RESULTS_NOTE.format(date=end)} {labels.SEARCH_RULE_NOTE}"
    )

# --- Origine des visiteurs ------------------------------------------------------------------------
st.subheader(labels.ORIGIN_HEADER)
origins = breakdowns["origin"]
sources = db.cached(queries.geo_sources)
city = sources.get("department")
if not origins["visits"].any():
    st.info(labels.NO_VISITS)
else:
    share = dict(zip(origins["origin"], origins["share"]))
    visits_of = dict(zip(origins["origin"], origins["visits"]))
    if city is None:
        st.info(labels.NO_CITY_DB)
        shown = [
            (
                labels.ORIGIN_METRIC_FRANCE,
                ("region", "france_other", "france_unlocated"),
                labels.HELP_ORIGIN_FRANCE_ALL,
            ),
            (labels.ORIGIN_METRICS["abroad"], ("abroad",), labels.HELP_ORIGIN_ABROAD),
            (labels.ORIGIN_METRICS["unknown"], ("unknown",), labels.HELP_ORIGIN_UNKNOWN),
        ]
    else:
        shown = [
            (labels.ORIGIN_METRICS["region"], ("region",), labels.HELP_ORIGIN_REGION),
            (labels.ORIGIN_METRICS["france_other"], ("france_other",), labels.HELP_ORIGIN_FRANCE),
            # Its own card: the cards of a page add up to 100 %.
            (
                labels.ORIGIN_METRICS["france_unlocated"],
                ("france_unlocated",),
                labels.HELP_ORIGIN_FRANCE_UNLOCATED,
            ),
            (labels.ORIGIN_METRICS["abroad"], ("abroad",), labels.HELP_ORIGIN_ABROAD),
            (labels.ORIGIN_METRICS["unknown"], ("unknown",), labels.HELP_ORIGIN_UNKNOWN),
        ]
    for column, (label, codes, help_text) in zip(st.columns(len(shown)), shown):
        column.metric(
            label,
            fr_pct(sum(share[c] for c in codes)),
            help=f"{help_text} {labels.ORIGIN_VISITS.format(n=fr_int(sum(visits_of[c] for c in codes)))}",
        )
    chart_rows = origins if city is not None else origins[origins["visits"] > 0]
    figure = charts.horizontal_bars(
        chart_rows,
        category_col="label",
        value_col="visits",
        share_col="share",
        value_label=labels.METRIC_VISITS,
        title=labels.ORIGIN_TITLE,
        subtitle=subtitle,
        x_title=labels.Y_VISITS,
        y_title=labels.X_ORIGIN,
        color=palette.main,
    )
    charts.show_for(figure, labels.ORIGIN_TITLE, filters, key="origins")
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown(f"**{labels.DEPARTMENTS_ORIGIN_TITLE}**")
        departments = breakdowns["department"]
        if city is None:
            st.info(labels.NO_CITY_DB_SHORT)
        elif departments.empty:
            st.info(labels.NO_LOCATED_DEPARTMENT)
        else:
            tables.show_table(
                departments,
                columns={
                    "department": labels.COL_ORIGIN_DEPARTMENT,
                    "visits": labels.COL_VISITS,
                    "share": labels.COL_SHARE_VISITS,
                },
                int_columns=["visits"],
                pct_columns=["share"],
                highlight_rows=departments["is_in_region"],
                key="origin-departments",
                title=labels.DEPARTMENTS_ORIGIN_TITLE,
                subtitle=subtitle,
                filters=filters,
            )
            st.caption(labels.ORIGIN_REGION_HIGHLIGHT)
    with right:
        st.markdown(f"**{labels.COUNTRIES_ORIGIN_TITLE}**")
        countries = breakdowns["country"]
        tables.show_table(
            countries,
            columns={
                "country": labels.COL_ORIGIN_COUNTRY,
                "visits": labels.COL_VISITS,
                "share": labels.COL_SHARE_VISITS,
            },
            int_columns=["visits"],
            pct_columns=["share"],
            key="origin-countries",
            title=labels.COUNTRIES_ORIGIN_TITLE,
            subtitle=subtitle,
            filters=filters,
        )
    # The databases' names come from their files: data, made inert for Markdown.
    version = sources.get("country", {}).get("version") or "?"
    note = labels.ORIGIN_NOTE.format(version=inert.markdown(version))
    if city is not None:
        note += labels.ORIGIN_CITY_NOTE.format(
            database=inert.markdown(city["database_type"]), date=fr_date(city["built_on"])
        )
    st.caption(f"{inert.markdown(subtitle, limit=None)}. {note}")
