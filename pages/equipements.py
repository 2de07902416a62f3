"""Équipements de protection: offers and companies per category, standards, capacity."""

import streamlit as st

from app import charts, db, labels, page, queries
from app.filtering import describe
from app.fmt import fr_date, fr_int, fr_pct

PLATFORM = "equipements-protection"

filters, ctx = page.start(labels.PAGE_EQUIPMENT)
if filters.platform != PLATFORM:
    st.info(labels.EQUIPMENT_ONLY_NOTE, icon=":material/info:")
equipment = filters.for_platform(PLATFORM)
subtitle = describe(equipment, ctx, platform=False)
end = fr_date(equipment.end)

catalogue = db.cached(queries.catalogue_summary, equipment)
by_category = db.cached(queries.equipment_by_category, equipment)
by_month = db.cached(queries.equipment_by_month, equipment)
offers_total = int(by_category["active_offers"].sum())
with_standard = int(by_category["offers_with_standard"].sum())
with_capacity = int(by_category["offers_with_capacity"].sum())

metrics = st.columns(4)
metrics[0].metric(labels.METRIC_ACTIVE_COMPANIES, fr_int(catalogue["active_suppliers"]),
                  help=labels.HELP_ACTIVE_SUPPLIERS.format(date=end))
metrics[1].metric(labels.METRIC_ACTIVE_OFFERS, fr_int(catalogue["active_listings"]),
                  help=labels.HELP_ACTIVE_LISTINGS.format(date=end))
metrics[2].metric(labels.METRIC_STANDARD_SHARE,
                  fr_pct(with_standard / offers_total if offers_total else None),
                  help=labels.HELP_STANDARD_SHARE.format(date=end))
metrics[3].metric(labels.METRIC_CAPACITY,
                  fr_int(by_category["weekly_capacity"].sum()),
                  help=labels.HELP_CAPACITY.format(date=end, known=fr_int(with_capacity),
                                                   total=fr_int(offers_total)))

categories = list(by_category["category"])
left, right = st.columns(2, gap="large")
with left:
    figure = charts.stacked_month_bars(
        by_month, value_col="offers_published", value_label=labels.Y_OFFERS.split(" (")[0],
        start=equipment.start, end=equipment.end, title=labels.OFFERS_BY_MONTH_TITLE,
        subtitle=subtitle, y_title=labels.Y_OFFERS, categories=categories, width="half",
    )
    charts.show(figure, charts.png_filename(labels.OFFERS_BY_MONTH_TITLE, PLATFORM,
                                            equipment.start, equipment.end), key="offers-month")
with right:
    figure = charts.stacked_month_bars(
        by_month, value_col="companies_cumulative", value_label=labels.Y_COMPANIES.split(" (")[0],
        start=equipment.start, end=equipment.end, title=labels.COMPANIES_CUMULATIVE_TITLE,
        subtitle=subtitle, y_title=labels.Y_COMPANIES, categories=categories, mode="lines", width="half",
    )
    charts.show(figure, charts.png_filename(labels.COMPANIES_CUMULATIVE_TITLE, PLATFORM,
                                            equipment.start, equipment.end),
                key="companies-month")

left, right = st.columns(2, gap="large")
with left:
    shares = by_category.assign(
        share_pct=(by_category["standard_share"].astype("float64") * 100).fillna(0.0))
    figure = charts.horizontal_bars(
        shares, category_col="category", value_col="share_pct",
        value_label=labels.Y_STANDARD_SHARE.split(" (")[0], title=labels.STANDARD_TITLE,
        subtitle=f"{subtitle} · au {end}", x_title=labels.Y_STANDARD_SHARE,
        y_title=labels.X_CATEGORY,
        text=[f"{fr_pct(s)} ({fr_int(n)} sur {fr_int(t)})" if t else "aucune offre active"
              for s, n, t in zip(by_category["standard_share"],
                                 by_category["offers_with_standard"],
                                 by_category["active_offers"])],
        height=460, width="half",
    )
    figure.update_xaxes(range=[0, 105], ticksuffix=" %", tickformat=None)
    charts.show(figure, charts.png_filename(labels.STANDARD_TITLE, PLATFORM, equipment.start,
                                            equipment.end), key="standards")
with right:
    figure = charts.horizontal_bars(
        by_category.sort_values("weekly_capacity", ascending=False),
        category_col="category", value_col="weekly_capacity",
        value_label=labels.Y_CAPACITY.split(" (")[0], title=labels.CAPACITY_TITLE,
        subtitle=f"{subtitle} · au {end}", x_title=labels.Y_CAPACITY,
        y_title=labels.X_CATEGORY, color=charts.SECONDARY, height=460, width="half",
    )
    charts.show(figure, charts.png_filename(labels.CAPACITY_TITLE, PLATFORM, equipment.start,
                                            equipment.end), key="capacity")
