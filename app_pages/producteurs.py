"""Producteurs et produits: suppliers and listings over time, concentration, the suppliers'
audience (searchable, sortable table), arrivals and departures per month."""

import streamlit as st

from app import charts, db, inert, labels, page, queries, tables
from app.filtering import describe
from app.filters import page_control
from app.fmt import fr_date, fr_int, fr_pct

filters, ctx = page.start(labels.PAGE_SUPPLIERS)
platform = filters.platform
palette = charts.platform_palette(platform)
subtitle = describe(filters, ctx)
end = fr_date(filters.end)

catalogue = db.cached(queries.catalogue_summary, filters)
concentration = db.cached(queries.listings_concentration, filters)
audience = db.cached(queries.supplier_views, filters, "", "views_asc")
unseen = queries.suppliers_without_views(audience)

metrics = st.columns(5)
metrics[0].metric(
    labels.METRIC_ACTIVE_SUPPLIERS,
    fr_int(catalogue["active_suppliers"]),
    help=labels.HELP_ACTIVE_SUPPLIERS.format(date=end),
)
metrics[1].metric(
    labels.METRIC_ACTIVE_LISTINGS,
    fr_int(catalogue["active_listings"]),
    help=labels.HELP_ACTIVE_LISTINGS.format(date=end),
)
metrics[2].metric(
    labels.METRIC_TOP10_SHARE,
    fr_pct(concentration["top_share"]),
    help=labels.HELP_TOP10_SHARE.format(
        date=end,
        n=fr_int(concentration["suppliers_with_listing"]),
        top=fr_int(concentration["top_suppliers"]),
    ),
)
metrics[3].metric(
    labels.METRIC_SINGLE_LISTING,
    fr_int(concentration["single_listing_suppliers"]),
    help=labels.HELP_SINGLE_LISTING.format(date=end),
)
metrics[4].metric(
    labels.METRIC_UNSEEN_SUPPLIERS[platform],
    fr_int(unseen),
    help=labels.HELP_UNSEEN_SUPPLIERS.format(date=end, start=fr_date(filters.start), end=end),
)

over_time = db.cached(queries.catalogue_timeseries, filters)
churn = db.cached(queries.catalogue_churn, filters)
no_change = not churn[["suppliers_joined", "suppliers_left"]].to_numpy().any()
if not over_time["active_suppliers"].any() and no_change:
    # No supplier at any day of the period, none arriving or leaving: every chart and table
    # below would be empty. Say so once, with what to change.
    st.info(labels.NO_SUPPLIERS_FOR_FILTERS.format(start=fr_date(filters.start), end=end))
    st.stop()
key_dates = db.cached(queries.key_dates, filters)
figure = charts.time_lines(
    over_time,
    x_col="day",
    series={"active_suppliers": labels.SERIES_SUPPLIERS, "active_listings": labels.SERIES_LISTINGS},
    start=filters.start,
    end=filters.end,
    title=labels.SUPPLIERS_OVER_TIME_TITLE,
    subtitle=subtitle,
    x_title=labels.X_DAY,
    y_title=labels.Y_COUNT,
    key_dates=key_dates,
    colors=(palette.main, palette.second),
    data_start=ctx.data_start,
)
charts.show_for(figure, labels.SUPPLIERS_OVER_TIME_TITLE, filters, key="catalogue-series")

histogram = db.cached(queries.listings_histogram, filters)
if histogram.empty:
    st.info(labels.NO_DATA)
else:
    figure = charts.vertical_bars(
        histogram,
        x_col="active_listings",
        y_col="suppliers",
        value_label=labels.COL_SUPPLIERS,
        title=labels.HISTOGRAM_TITLE,
        subtitle=labels.SUBTITLE_ON_DATE.format(subtitle=subtitle, date=end),
        x_title=labels.X_LISTINGS_PER_SUPPLIER,
        y_title=labels.Y_SUPPLIERS,
        hover_x=[
            labels.HISTOGRAM_TICK[n > 1].format(n=fr_int(n)) for n in histogram["active_listings"]
        ],
        height=380,
        color=palette.main,
    )
    figure.update_xaxes(dtick=1 if histogram["active_listings"].max() <= 40 else None)
    charts.show_for(figure, labels.HISTOGRAM_TITLE, filters, key="histogram")

# --- The suppliers and their audience ------------------------------------------------------------
st.subheader(labels.SUPPLIER_AUDIENCE_TITLE[platform].format(date=end))
left, right = st.columns([2, 1])
search = left.text_input(
    labels.SUPPLIER_SEARCH_LABEL,
    max_chars=100,
    placeholder=labels.SUPPLIER_SEARCH_PLACEHOLDER,
    help=labels.SUPPLIER_SEARCH_HELP,
    **page_control("search", default=""),
)
sort = right.selectbox(
    labels.SUPPLIER_SORT_LABEL,
    list(labels.SUPPLIER_SORTS),
    format_func=labels.SUPPLIER_SORTS.get,
    filter_mode=None,
    **page_control("sort", default=next(iter(labels.SUPPLIER_SORTS))),
)
suppliers = db.cached(queries.supplier_views, filters, search.strip(), sort)
st.caption(
    labels.SUPPLIER_TABLE_COUNT.format(
        shown=fr_int(len(suppliers)),
        total=fr_int(len(audience)),
        unseen=fr_int(queries.suppliers_without_views(suppliers)),
    )
)
if suppliers.empty:
    # Say what is empty and why: a search that matched nothing, or no active supplier at all.
    st.info(
        labels.SUPPLIER_TABLE_NO_MATCH.format(search=inert.markdown(search.strip()))
        if search.strip()
        else labels.SUPPLIER_TABLE_EMPTY.format(date=end)
    )
else:
    suppliers = suppliers.assign(
        place=[
            f"{commune} ({code})"
            if code in ctx.departments
            else f"{commune} ({code}, {labels.OUT_OF_REGION})"
            for commune, code in zip(suppliers["commune"], suppliers["department_code"])
        ]
    )
    tables.show_table(
        suppliers,
        columns={
            "name": labels.COL_NAME,
            "place": labels.COL_PLACE,
            "kind": labels.COL_KIND,
            "joined_on": labels.COL_JOINED_ON,
            "active_listings": labels.COL_ACTIVE_LISTINGS,
            "pageviews": labels.COL_PAGEVIEWS_TOTAL,
            "supplier_pageviews": labels.COL_SUPPLIER_PAGE,
            "product_pageviews": labels.COL_PRODUCT_PAGES,
        },
        int_columns=["active_listings", "pageviews", "supplier_pageviews", "product_pageviews"],
        date_columns=["joined_on"],
        highlight_rows=suppliers["pageviews"] == 0,
        widths={
            "name": 195,
            "place": 195,
            "kind": 90,
            "joined_on": 85,
            "active_listings": 110,
            "pageviews": 80,
            "supplier_pageviews": 100,
            "product_pageviews": 95,
        },
        height=420,
        key="suppliers-table",
        title=labels.SUPPLIER_AUDIENCE_TITLE[platform].format(date=end),
        subtitle=subtitle,
        filters=filters,
    )
st.caption(labels.SUPPLIER_VIEWS_NOTE.format(start=fr_date(filters.start), end=end))

# --- Arrivals and departures ----------------------------------------------------------------------
st.subheader(labels.CHURN_HEADER)
left, right = st.columns(2, gap="large")
with left:
    figure = charts.month_balance_bars(
        churn,
        in_col="suppliers_joined",
        out_col="suppliers_left",
        in_label=labels.SERIES_JOINED,
        out_label=labels.SERIES_LEFT,
        start=filters.start,
        end=filters.end,
        title=labels.CHURN_SUPPLIERS_TITLE,
        subtitle=subtitle,
        y_title=labels.Y_SUPPLIERS_MONTH,
        in_color=palette.main,
        in_light=palette.light,
        width="half",
    )
    charts.show_for(figure, labels.CHURN_SUPPLIERS_TITLE, filters, key="churn-suppliers")
with right:
    figure = charts.month_balance_bars(
        churn,
        in_col="listings_created",
        out_col="listings_withdrawn",
        in_label=labels.SERIES_CREATED,
        out_label=labels.SERIES_WITHDRAWN,
        start=filters.start,
        end=filters.end,
        title=labels.CHURN_LISTINGS_TITLE,
        subtitle=subtitle,
        y_title=labels.Y_LISTINGS_MONTH,
        in_color=palette.main,
        in_light=palette.light,
        width="half",
    )
    charts.show_for(figure, labels.CHURN_LISTINGS_TITLE, filters, key="churn-listings")
undated = int(churn["undated_withdrawals"].max()) if len(churn) else 0
note = labels.CHURN_NOTE + (labels.CHURN_UNDATED.format(n=fr_int(undated)) if undated else "")
snapshots = db.cached(queries.listing_snapshots_summary, filters)
dated = snapshots.dropna(subset=["snapshot_date"])
if len(dated) >= 2:
    st.caption(
        f"{note} "
        + labels.SNAPSHOTS_NOTE.format(
            n=fr_int(len(dated)), dates=", ".join(fr_date(d) for d in dated["snapshot_date"])
        )
    )
    with st.expander(labels.SNAPSHOTS_TITLE):
        tables.show_table(
            dated,
            columns={
                "snapshot_date": labels.COL_SNAPSHOT_DATE,
                "listings": labels.COL_LISTINGS_IN_SNAPSHOT,
                "active_listings": labels.COL_ACTIVE_IN_SNAPSHOT,
            },
            int_columns=["listings", "active_listings"],
            date_columns=["snapshot_date"],
            key="snapshots",
            title=labels.SNAPSHOTS_TITLE,
            subtitle=labels.PLATFORM_NAMES[platform],
            platform=platform,
        )
else:
    st.caption(f"{note} {labels.SNAPSHOTS_SINGLE}")
