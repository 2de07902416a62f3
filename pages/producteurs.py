"""Producteurs et produits: suppliers and listings over time, concentration, supplier list."""

import streamlit as st

from app import charts, db, labels, page, queries, tables
from app.filtering import describe
from app.fmt import fr_date, fr_int, fr_pct

filters, ctx = page.start(labels.PAGE_SUPPLIERS)
subtitle = describe(filters, ctx)
end = fr_date(filters.end)

catalogue = db.cached(queries.catalogue_summary, filters)
concentration = db.cached(queries.listings_concentration, filters)
metrics = st.columns(4)
metrics[0].metric(labels.METRIC_ACTIVE_SUPPLIERS, fr_int(catalogue["active_suppliers"]),
                  help=labels.HELP_ACTIVE_SUPPLIERS.format(date=end))
metrics[1].metric(labels.METRIC_ACTIVE_LISTINGS, fr_int(catalogue["active_listings"]),
                  help=labels.HELP_ACTIVE_LISTINGS.format(date=end))
metrics[2].metric(labels.METRIC_TOP10_SHARE, fr_pct(concentration["top_share"]),
                  help=labels.HELP_TOP10_SHARE.format(date=end))
metrics[3].metric(labels.METRIC_SINGLE_LISTING,
                  fr_int(concentration["single_listing_suppliers"]),
                  help=labels.HELP_SINGLE_LISTING.format(date=end))

over_time = db.cached(queries.catalogue_timeseries, filters)
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
)
charts.show(figure, charts.png_filename(labels.SUPPLIERS_OVER_TIME_TITLE, filters.platform,
                                        filters.start, filters.end), key="catalogue-series")

histogram = db.cached(queries.listings_histogram, filters)
if histogram.empty:
    st.info(labels.NO_DATA)
else:
    figure = charts.vertical_bars(
        histogram, x_col="active_listings", y_col="suppliers",
        value_label=labels.COL_SUPPLIERS, title=labels.HISTOGRAM_TITLE,
        subtitle=f"{subtitle} · au {end}", x_title=labels.X_LISTINGS_PER_SUPPLIER,
        y_title=labels.Y_SUPPLIERS,
        hover_x=[f"{fr_int(n)} annonce{'s' if n > 1 else ''} active{'s' if n > 1 else ''}"
                 for n in histogram["active_listings"]],
        height=380,
    )
    figure.update_xaxes(dtick=1 if histogram["active_listings"].max() <= 40 else None)
    charts.show(figure, charts.png_filename(labels.HISTOGRAM_TITLE, filters.platform,
                                            filters.start, filters.end), key="histogram")

st.subheader(labels.SUPPLIER_TABLE_TITLE.format(date=end))
suppliers = db.cached(queries.supplier_listings, filters)
suppliers = suppliers.assign(
    department=[
        ctx.department_label(code) if code in ctx.departments
        else f"{code} — {name} ({labels.OUT_OF_REGION})"
        for code, name in zip(suppliers["department_code"], suppliers["department_name"])
    ]
)
tables.show_table(
    suppliers,
    columns={"name": labels.COL_NAME, "department": labels.COL_DEPARTMENT,
             "commune": labels.COL_COMMUNE, "kind": labels.COL_KIND,
             "active_listings": labels.COL_ACTIVE_LISTINGS,
             "joined_on": labels.COL_JOINED_ON},
    int_columns=["active_listings"],
    date_columns=["joined_on"],
    height=420,
    key="suppliers-table",
)
