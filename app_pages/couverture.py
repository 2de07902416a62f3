"""Couverture sectorielle: department x category heatmap (suppliers or listings, count or per
100 000 inhabitants), map of the departments with the suppliers' communes, coverage rate and
gaps, demand against supply per category."""

import streamlit as st

from app import charts, db, geo, labels, page, queries, scorecard, tables
from app.filtering import describe
from app.filters import drill_down, page_control
from app.fmt import fr_date, fr_date_short, fr_int, fr_num, fr_pct

filters, ctx = page.start(labels.PAGE_COVERAGE)
platform = filters.platform
end = fr_date(filters.end)
subtitle = labels.SUBTITLE_ON_DATE.format(subtitle=describe(filters, ctx), date=end)

controls = st.columns([1, 1.4, 1.2])
measure = controls[0].radio(
    labels.COVERAGE_MEASURE_LABEL,
    list(labels.COVERAGE_MEASURES),
    format_func=labels.COVERAGE_MEASURES.get,
    horizontal=True,
    **page_control("measure", default="suppliers"),
)
scale = controls[1].radio(
    labels.COVERAGE_SCALE_LABEL,
    list(labels.COVERAGE_SCALES),
    format_func=labels.COVERAGE_SCALES.get,
    horizontal=True,
    **page_control("scale", default="count"),
)
min_suppliers = int(
    controls[2].number_input(
        labels.COVERAGE_MIN_LABEL,
        min_value=1,
        max_value=100,
        step=1,
        help=labels.COVERAGE_MIN_HELP,
        **page_control("threshold", default=scorecard.default_min_suppliers()),
    )
)

grid = db.cached(queries.coverage_grid, filters, min_suppliers)
grid = grid.assign(
    department=[ctx.department_label(code) for code in grid["department_code"]],
    below=~grid["is_covered"],
)
gaps = grid[~grid["is_covered"]]
departments = db.cached(queries.department_suppliers, filters)

metrics = st.columns(4)
metrics[0].metric(
    labels.METRIC_COVERAGE_RATE,
    fr_pct(queries.coverage_rate(grid)),
    help=labels.HELP_COVERAGE_RATE.format(n=min_suppliers),
)
metrics[1].metric(
    labels.METRIC_GAPS, labels.GAPS_VALUE.format(n=fr_int(len(gaps)), total=fr_int(len(grid)))
)
area = departments.iloc[0] if len(departments) else None
metrics[2].metric(
    labels.METRIC_SUPPLIERS_IN_REGION,
    fr_int(area["area_suppliers"] if area is not None else 0),
    help=labels.HELP_SUPPLIERS_IN_REGION.format(date=end),
)
metrics[3].metric(
    labels.METRIC_SUPPLIERS_PER_100K,
    fr_num(area["area_suppliers_per_100k"] if area is not None else None, 1),
    help=labels.HELP_SUPPLIERS_PER_100K,
)

# --- Department x category ---------------------------------------------------------------------
if grid.empty:
    st.info(labels.NO_DATA)
else:
    per_100k = scale == "per_100k"
    values = grid[f"{measure}_per_100k"] if per_100k else grid[measure]
    grid = grid.assign(value=values)
    # The vocabulary's order, matched on codes: two categories may share a label.
    shown = set(grid["category_code"])
    category_order = [
        name for code, name in ctx.categories.get(platform, {}).items() if code in shown
    ]
    department_order = list(dict.fromkeys(grid["department"]))
    title = labels.COVERAGE_GRID_TITLE[(measure, scale)]
    figure = charts.heatmap(
        grid,
        x_col="category",
        y_col="department",
        z_col="value",
        title=title,
        subtitle=subtitle,
        x_title=labels.X_CATEGORY,
        y_title=labels.Y_DEPARTMENT,
        colorbar_title=labels.COLORBAR_COVERAGE[(measure, scale)],
        scale=charts.platform_palette(filters.platform).scale,
        z_label=labels.COLORBAR_COVERAGE[(measure, scale)].replace("<br>", " "),
        x_order=category_order,
        y_order=department_order,
        highlight_col="below",
        value_format=(lambda v: fr_num(v, 1)) if per_100k else fr_int,
        colorbar_tickformat=",.2~f" if per_100k else ",d",
        filter_codes=("department_code", "category_code"),
    )
    # A click on a cell narrows the page to its department and category.
    charts.show_for(
        figure, title, filters, key="coverage-heatmap", on_click=drill_down("coverage-heatmap")
    )
    note = f"{labels.COVERAGE_NOTE.format(date=end)} {labels.DRILL_DOWN_CELL_HINT}"
    if per_100k:
        note = f"{note} {labels.POPULATION_NOTE}"
    st.caption(note)

# --- Map ----------------------------------------------------------------------------------------
points = db.cached(queries.supplier_points, filters)
left, right = st.columns([1.1, 1], gap="large")
with left:
    departments = departments.assign(
        hover_extra=[
            [(labels.COL_SUPPLIERS, fr_int(n)), (labels.COL_POPULATION, fr_int(p))]
            for n, p in zip(departments["suppliers"], departments["population"])
        ],
    )
    figure = charts.department_map(
        departments,
        points,
        geo.departments_geojson(),
        value_col="suppliers_per_100k",
        value_label=labels.MAP_VALUE,
        value_format=lambda v: fr_num(v, 1),
        title=labels.MAP_TITLE,
        subtitle=subtitle,
        colorbar_title=labels.MAP_COLORBAR,
        scale=charts.platform_palette(filters.platform).scale,
        points_label=labels.MAP_POINTS,
    )
    charts.show_for(figure, labels.MAP_TITLE, filters, key="coverage-map")
    unplaced = int(points["unplaced"].max()) if len(points) else 0
    st.caption(
        labels.MAP_NOTE.format(date=end)
        + (labels.MAP_UNPLACED.format(n=fr_int(unplaced), date=end) if unplaced else "")
    )
with right:
    st.markdown(f"**{labels.DEPARTMENT_TABLE_TITLE}**")
    tables.show_table(
        departments.assign(
            department=[ctx.department_label(c) for c in departments["department_code"]]
        ),
        columns={
            "department": labels.COL_DEPARTMENT,
            "suppliers": labels.COL_SUPPLIERS,
            "population": labels.COL_POPULATION,
            "suppliers_per_100k": labels.COL_PER_100K_SHORT,
        },
        int_columns=["suppliers", "population"],
        decimal_columns=["suppliers_per_100k"],
        widths={"department": 140, "suppliers": 85, "population": 85, "suppliers_per_100k": 115},
        key="departments-table",
        title=labels.DEPARTMENT_TABLE_TITLE,
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(labels.POPULATION_NOTE)

# --- Gaps ------------------------------------------------------------------------------------------
st.subheader(labels.GAPS_TITLE.format(n=min_suppliers))
if gaps.empty:
    st.success(labels.NO_GAPS)
else:
    tables.show_table(
        gaps.sort_values(["suppliers", "department_code"]),
        columns={
            "department": labels.COL_DEPARTMENT,
            "category": labels.COL_CATEGORY,
            "suppliers": labels.COL_SUPPLIERS,
            "listings": labels.COL_LISTINGS,
        },
        int_columns=["suppliers", "listings"],
        key="coverage-gaps",
        title=labels.GAPS_TITLE.format(n=min_suppliers),
        subtitle=subtitle,
        filters=filters,
    )

# --- Demand against supply ------------------------------------------------------------------------
st.subheader(labels.DEMAND_HEADER)
demand = db.cached(queries.category_demand, filters)
period_subtitle = describe(filters, ctx)
if demand.empty:
    st.info(labels.NO_DATA)
else:
    # The chart shows the vocabulary's categories; unclassified labels stay in the table.
    ranked = demand[~demand["is_unclassified"]].dropna(subset=["pageviews_per_listing"])
    ranked = ranked.sort_values("pageviews_per_listing", ascending=False)
    if not ranked.empty:
        figure = charts.horizontal_bars(
            ranked,
            category_col="category",
            value_col="pageviews_per_listing",
            value_label=labels.COL_PAGEVIEWS_PER_LISTING,
            title=labels.DEMAND_TITLE,
            subtitle=period_subtitle,
            x_title=labels.X_PAGEVIEWS_PER_LISTING,
            y_title=labels.X_CATEGORY,
            value_format=lambda v: fr_num(v, 1),
            color=charts.platform_palette(filters.platform).main,
            filter_codes=[("", code) for code in ranked["category_code"]],
        )
        charts.show_for(
            figure,
            labels.DEMAND_TITLE,
            filters,
            key="demand-ratio",
            on_click=drill_down("demand-ratio"),
        )
        st.caption(labels.DRILL_DOWN_CATEGORY_HINT)
    tables.show_table(
        demand,
        columns={
            "category": labels.COL_CATEGORY,
            "category_pageviews": labels.COL_CATEGORY_PAGES,
            "product_pageviews": labels.COL_PRODUCT_PAGES_CAT,
            "searches": labels.COL_SEARCHES_CAT,
            "active_listings": labels.COL_ACTIVE_ON_END.format(date=fr_date_short(filters.end)),
            "avg_active_listings": labels.COL_AVG_ACTIVE,
            "pageviews_per_listing": labels.COL_PAGEVIEWS_PER_LISTING,
        },
        int_columns=["category_pageviews", "product_pageviews", "searches", "active_listings"],
        decimal_columns=["avg_active_listings", "pageviews_per_listing"],
        widths={
            "category": 230,
            "category_pageviews": 115,
            "product_pageviews": 105,
            "searches": 95,
            "active_listings": 130,
            "avg_active_listings": 120,
            "pageviews_per_listing": 150,
        },
        key="demand-table",
        title=labels.DEMAND_HEADER,
        subtitle=period_subtitle,
        filters=filters,
    )
    st.caption(
        labels.DEMAND_NOTE + (labels.DEMAND_DEPARTMENT_NOTE if filters.has_supplier_scope else "")
    )
