"""Fréquentation: visits over time with key dates, visit metrics, channels and devices."""

import streamlit as st

from app import charts, db, labels, page, queries
from app.filtering import describe
from app.fmt import fr_duration, fr_int, fr_num, fr_pct

filters, ctx = page.start(labels.PAGE_TRAFFIC)
st.caption(labels.NOT_FILTERED_TRAFFIC)
subtitle = describe(filters, ctx, departments=False, categories=False)
platform_name = labels.PLATFORM_NAMES[filters.platform]

summary = db.cached(queries.visits_summary, filters)
metrics = st.columns(6)
metrics[0].metric(labels.METRIC_VISITS, fr_int(summary["visits"]), help=labels.HELP_VISITS)
metrics[1].metric(labels.METRIC_VISITORS, fr_int(summary["visitors"]), help=labels.HELP_VISITORS)
metrics[2].metric(labels.METRIC_PAGEVIEWS, fr_int(summary["pageviews"]),
                  help=labels.HELP_PAGEVIEWS)
metrics[3].metric(labels.METRIC_PAGES_PER_VISIT, fr_num(summary["pages_per_visit"], 1),
                  help=labels.HELP_PAGES_PER_VISIT)
metrics[4].metric(labels.METRIC_BOUNCE_RATE, fr_pct(summary["bounce_rate"]),
                  help=labels.HELP_BOUNCE_RATE)
metrics[5].metric(labels.METRIC_AVG_DURATION, fr_duration(summary["avg_duration_s"]),
                  help=labels.HELP_AVG_DURATION)

grain = st.radio(labels.GRAIN_LABEL, list(labels.GRAINS), format_func=labels.GRAINS.get,
                 index=1, horizontal=True, key="traffic_grain")
series = db.cached(queries.visits_timeseries, filters, grain)
key_dates = db.cached(queries.key_dates, filters)
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
)
charts.show(figure, charts.png_filename(title, filters.platform, filters.start, filters.end),
            key="traffic-series")
if series["is_partial"].any():
    st.caption(labels.PARTIAL_NOTE)

left, right = st.columns(2, gap="large")
with left:
    channels = db.cached(queries.visits_by_channel, filters)
    if channels.empty:
        st.info(labels.NO_VISITS)
    else:
        figure = charts.horizontal_bars(
            channels, category_col="channel", value_col="visits", share_col="share",
            value_label=labels.METRIC_VISITS, title=labels.CHANNELS_TITLE, subtitle=subtitle,
            x_title=labels.Y_VISITS, y_title=labels.X_CHANNEL, width="half",
        )
        charts.show(figure, charts.png_filename(labels.CHANNELS_TITLE, filters.platform,
                                                filters.start, filters.end), key="channels")
with right:
    devices = db.cached(queries.visits_by_device, filters)
    if devices.empty:
        st.info(labels.NO_VISITS)
    else:
        figure = charts.horizontal_bars(
            devices, category_col="device_type", value_col="visits", share_col="share",
            value_label=labels.METRIC_VISITS, title=labels.DEVICES_TITLE, subtitle=subtitle,
            x_title=labels.Y_VISITS, y_title=labels.X_DEVICE, color=charts.SECONDARY,
            width="half",
        )
        charts.show(figure, charts.png_filename(labels.DEVICES_TITLE, filters.platform,
                                                filters.start, filters.end), key="devices")
