"""Vue d'ensemble: headline figures of both platforms over the chosen period."""

import streamlit as st

from app import charts, db, labels, page, queries
from app.filtering import PLATFORMS, describe
from app.fmt import fr_date, fr_int

filters, ctx = page.start(labels.PAGE_OVERVIEW)
page.data_span_caption()
st.caption(labels.OVERVIEW_INTRO)
if filters.departments or filters.categories:
    st.caption(labels.TRAFFIC_SCOPE_FILTERED)

for column, platform in zip(st.columns(2, gap="large"), PLATFORMS):
    platform_filters = filters.for_platform(platform)
    visits = db.cached(queries.visits_summary, platform_filters)
    catalogue = db.cached(queries.catalogue_summary, platform_filters)
    with column, st.container(border=True):
        st.subheader(labels.PLATFORM_NAMES[platform])
        # Two figures per row at most: big numbers such as "1 337 467" and the honest
        # visitors label must not be cut.
        row1 = st.columns(2)
        row1[0].metric(labels.METRIC_VISITS, fr_int(visits["visits"]), help=labels.HELP_VISITS)
        row1[1].metric(labels.METRIC_PAGEVIEWS, fr_int(visits["pageviews"]),
                       help=labels.HELP_PAGEVIEWS)
        st.metric(labels.METRIC_VISITORS, fr_int(visits["visitors"]), help=labels.HELP_VISITORS)
        row2 = st.columns(2)
        end = fr_date(filters.end)
        row2[0].metric(labels.METRIC_ACTIVE_SUPPLIERS, fr_int(catalogue["active_suppliers"]),
                       help=labels.HELP_ACTIVE_SUPPLIERS.format(date=end))
        row2[1].metric(labels.METRIC_ACTIVE_LISTINGS, fr_int(catalogue["active_listings"]),
                       help=labels.HELP_ACTIVE_LISTINGS.format(date=end))

        weekly = db.cached(queries.visits_timeseries, platform_filters, "week")
        title = labels.OVERVIEW_WEEKLY_TITLE.format(platform=labels.PLATFORM_NAMES[platform])
        figure = charts.time_bars(
            weekly,
            value_col="visits",
            grain="week",
            value_label=labels.METRIC_VISITS,
            start=filters.start,
            end=filters.end,
            title=title,
            subtitle=describe(platform_filters, ctx, platform=False),
            x_title=labels.X_WEEK,
            y_title=labels.Y_VISITS,
            color=charts.PLATFORM_COLORS[platform],
            light_color="#cfd8dc",
            height=320,
            width="half",
        )
        charts.show(figure, charts.png_filename(title, platform, filters.start, filters.end),
                    key=f"overview-weekly-{platform}")
