"""Équipements de protection: offers and companies per category over time, standards, weekly
capacity by category and by department, converted companies against usual suppliers.

Capacities are never added across categories: a mask, a protection wall and a thermal camera
are not the same unit. Listings in an unknown category ("Non classé : …") count in the
totals and are named once, as a data-quality finding, not drawn as one more category."""

import streamlit as st

from app import charts, db, inert, labels, naf, page, queries, tables
from app.filtering import describe
from app.fmt import fr_date, fr_int, fr_pct

PLATFORM = "equipements-protection"

filters, ctx = page.start(labels.PAGE_EQUIPMENT)
if filters.platform != PLATFORM:
    st.info(labels.EQUIPMENT_ONLY_NOTE, icon=":material/info:")
equipment = filters.for_platform(PLATFORM, ctx)
subtitle = describe(equipment, ctx, platform=False)
end = fr_date(equipment.end)

catalogue = db.cached(queries.catalogue_summary, equipment)
by_category = db.cached(queries.equipment_by_category, equipment)
by_month = db.cached(queries.equipment_by_month, equipment)
conversion = db.cached(queries.equipment_conversion, equipment)
summary = db.cached(queries.equipment_summary, equipment)
palette = charts.platform_palette(PLATFORM)
known = by_category[~by_category["is_unclassified"]]
unknown = by_category[by_category["is_unclassified"]]
# Charts pick and colour categories by code; they show the labels.
vocabulary = ctx.categories.get(PLATFORM, {})
categories = list(known["category_code"])
category_names = dict(zip(known["category_code"], known["category"]))
category_colors = charts.category_colors(vocabulary, categories)

metrics = [*st.columns(3), *st.columns(2)]  # two rows: the labels stay whole
metrics[0].metric(
    labels.METRIC_ACTIVE_COMPANIES,
    fr_int(catalogue["active_suppliers"]),
    help=labels.HELP_ACTIVE_SUPPLIERS.format(date=end),
)
metrics[1].metric(
    labels.METRIC_ACTIVE_OFFERS,
    fr_int(catalogue["active_listings"]),
    help=labels.HELP_ACTIVE_LISTINGS.format(date=end),
)
metrics[2].metric(
    labels.METRIC_STANDARD_SHARE,
    fr_pct(summary["standard_share"]),
    help=labels.HELP_STANDARD_SHARE.format(date=end),
)
metrics[3].metric(
    labels.METRIC_CAPACITY_DECLARED,
    fr_pct(summary["capacity_declared_share"]),
    help=labels.HELP_CAPACITY_DECLARED.format(
        date=end,
        known=fr_int(summary["offers_with_capacity"]),
        total=fr_int(summary["active_offers"]),
    ),
)
metrics[4].metric(
    labels.METRIC_CONVERTED_OFFERS,
    fr_pct(summary["converted_offer_share"]),
    help=labels.HELP_CONVERTED.format(date=end),
)
if not unknown.empty:
    # Category labels are data (the export's own text): inert Markdown.
    st.caption(
        labels.UNCLASSIFIED_OFFERS_NOTE.format(
            n=fr_int(summary["unclassified_offers"]),
            date=end,
            items=" ; ".join(inert.markdown(c) for c in unknown["category"]),
        )
    )

# --- Over time --------------------------------------------------------------------------------------
by_month = by_month[by_month["category_code"].isin(categories)]
left, right = st.columns(2, gap="large")
with left:
    figure = charts.stacked_month_bars(
        by_month,
        value_col="offers_published",
        value_label=labels.Y_OFFERS.split(" (")[0],
        start=equipment.start,
        end=equipment.end,
        title=labels.OFFERS_BY_MONTH_TITLE,
        subtitle=subtitle,
        y_title=labels.Y_OFFERS,
        categories=categories,
        category_names=category_names,
        colors=category_colors,
        width="half",
    )
    charts.show_for(figure, labels.OFFERS_BY_MONTH_TITLE, equipment, key="offers-month")
with right:
    figure = charts.stacked_month_bars(
        by_month,
        value_col="companies_cumulative",
        value_label=labels.Y_COMPANIES.split(" (")[0],
        start=equipment.start,
        end=equipment.end,
        title=labels.COMPANIES_CUMULATIVE_TITLE,
        subtitle=subtitle,
        y_title=labels.Y_COMPANIES,
        categories=categories,
        category_names=category_names,
        colors=category_colors,
        mode="lines",
        width="half",
    )
    charts.show_for(figure, labels.COMPANIES_CUMULATIVE_TITLE, equipment, key="companies-month")
later = queries.later_categories(known)
if not later.empty:
    # Category labels are data (an unknown one is the export's own text): inert Markdown.
    st.caption(
        labels.LATER_CATEGORIES_NOTE.format(
            items=" ; ".join(
                labels.LATER_CATEGORY_ITEM.format(category=inert.markdown(c), date=fr_date(d))
                for c, d in zip(later["category"], later["first_offer_on"])
            )
        )
    )

# --- Standards and capacity ------------------------------------------------------------------------
left, right = st.columns(2, gap="large")
with left:
    # A category without an active offer: an empty bar, labelled as such.
    shares = known.assign(standard_share=known["standard_share"].astype("float64").fillna(0.0))
    figure = charts.horizontal_bars(
        shares,
        category_col="category",
        value_col="standard_share",
        value_label=labels.Y_STANDARD_SHARE.split(" (")[0],
        title=labels.STANDARD_TITLE,
        subtitle=labels.SUBTITLE_ON_DATE.format(subtitle=subtitle, date=end),
        x_title=labels.Y_STANDARD_SHARE,
        y_title=labels.X_CATEGORY,
        text=[
            labels.STANDARD_SHARE_TEXT.format(share=fr_pct(s), n=fr_int(n), total=fr_int(t))
            if t
            else labels.NO_ACTIVE_OFFER
            for s, n, t in zip(
                known["standard_share"], known["offers_with_standard"], known["active_offers"]
            )
        ],
        color=palette.main,
        height=460,
        width="half",
    )
    charts.share_axis(figure)
    charts.show_for(figure, labels.STANDARD_TITLE, equipment, key="standards")
with right:
    ranked = known.sort_values("weekly_capacity", ascending=False)
    figure = charts.horizontal_bars(
        ranked,
        category_col="category",
        value_col="weekly_capacity",
        value_label=labels.Y_CAPACITY.split(" (")[0],
        title=labels.CAPACITY_TITLE,
        subtitle=labels.SUBTITLE_ON_DATE.format(subtitle=subtitle, date=end),
        x_title=labels.Y_CAPACITY,
        y_title=labels.X_CATEGORY,
        # One bar per category, each in its own unit: the category's colour, no total.
        color=charts.category_colors(vocabulary, list(ranked["category_code"])),
        height=460,
        width="half",
    )
    charts.show_for(figure, labels.CAPACITY_TITLE, equipment, key="capacity")

by_department = db.cached(queries.equipment_capacity_by_department, equipment)
with_capacity_categories = [
    c
    for c in ranked.loc[ranked["weekly_capacity"] > 0, "category_code"]
    if c in set(by_department["category_code"])
]
if not with_capacity_categories:
    st.info(labels.NO_CAPACITY_DECLARED)
else:
    # One category at a time: capacities of different categories are different units.
    chosen_category = st.selectbox(
        labels.CAPACITY_CATEGORY_CHOICE,
        with_capacity_categories,
        format_func=lambda code: category_names.get(code, code),
        key="capacity-category",
        help=labels.CAPACITY_CATEGORY_HELP,
    )
    rows = by_department[by_department["category_code"] == chosen_category]
    rows = rows.sort_values("weekly_capacity", ascending=False).assign(
        department=lambda f: [ctx.department_label(c) for c in f["department_code"]]
    )
    title = labels.CAPACITY_DEPARTMENT_TITLE.format(category=category_names[chosen_category])
    figure = charts.horizontal_bars(
        rows,
        category_col="department",
        value_col="weekly_capacity",
        value_label=labels.Y_CAPACITY.split(" (")[0],
        title=title,
        subtitle=labels.SUBTITLE_ON_DATE.format(subtitle=subtitle, date=end),
        x_title=labels.Y_CAPACITY,
        y_title=labels.Y_DEPARTMENT_SHORT,
        # Every bar in the chosen category's colour, as in the charts above.
        color=charts.category_colors(vocabulary, rows["category_code"]),
    )
    charts.show_for(figure, title, equipment, key="capacity-department")

# --- Converted companies and usual suppliers ------------------------------------------------------
st.subheader(labels.CONVERSION_HEADER)
shares = conversion[(conversion["offers"] > 0) & conversion["category_code"].isin(categories)]
if shares.empty:
    st.info(labels.NO_DATA)
else:
    figure = charts.bars(
        shares,
        category_col="category",
        series={
            "converted_offer_share": labels.SERIES_OFFERS_SHARE,
            "converted_capacity_share": labels.SERIES_CAPACITY_SHARE,
        },
        title=labels.CONVERSION_TITLE,
        subtitle=labels.SUBTITLE_ON_DATE.format(subtitle=subtitle, date=end),
        x_title=labels.X_CONVERTED_SHARE,
        y_title=labels.X_CATEGORY,
        mode="group",
        colors=[palette.main, palette.light],
        value_format=fr_pct,
        show_text=True,
    )
    charts.share_axis(figure, headroom=1.12)
    charts.show_for(figure, labels.CONVERSION_TITLE, equipment, key="conversion")
unclassified = summary["offers_unknown_sector"]
st.caption(
    labels.CONVERSION_NOTE.format(date=end)
    + (labels.CONVERSION_UNCLASSIFIED.format(n=fr_int(unclassified)) if unclassified else "")
)

st.markdown(f"**{labels.SECTORS_TITLE}**")
sectors = db.cached(queries.equipment_sectors, equipment)
if sectors.empty:
    st.info(labels.NO_DATA)
else:
    sectors = sectors.assign(
        sector_label=[
            labels.SECTOR_UNCLASSIFIED if s == naf.UNCLASSIFIED else naf.sector_label(s)
            for s in sectors["sector"]
        ],
        group_label=[
            naf.group_label(g, labels.SECTOR_GROUP_UNKNOWN) for g in sectors["sector_group"]
        ],
    )
    tables.show_table(
        sectors,
        columns={
            "sector_label": labels.COL_SECTOR,
            "group_label": labels.COL_SECTOR_GROUP,
            "naf_codes": labels.COL_NAF_CODES,
            "companies": labels.COL_COMPANIES,
            "offers": labels.COL_OFFERS,
        },
        int_columns=["companies", "offers"],
        widths={
            "sector_label": 300,
            "group_label": 135,
            "naf_codes": 170,
            "companies": 90,
            "offers": 100,
        },
        key="sectors",
        title=labels.SECTORS_TITLE,
        subtitle=labels.SUBTITLE_ON_DATE.format(subtitle=subtitle, date=end),
        filters=equipment,
    )
