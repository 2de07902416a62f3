"""Couverture sectorielle: suppliers per department x category, coverage rate and gaps."""

import streamlit as st

from app import charts, db, labels, page, queries, tables
from app.filtering import describe
from app.fmt import fr_date, fr_int, fr_pct

filters, ctx = page.start(labels.PAGE_COVERAGE)
end = fr_date(filters.end)

min_suppliers = int(st.number_input(labels.COVERAGE_MIN_LABEL, min_value=1, max_value=100,
                                    value=3, step=1, help=labels.COVERAGE_MIN_HELP,
                                    key="coverage_min", width=320))
grid = db.cached(queries.coverage_grid, filters, min_suppliers)
grid = grid.assign(department=[ctx.department_label(code) for code in grid["department_code"]])
gaps = grid[~grid["is_covered"]]

metrics = st.columns(3)
metrics[0].metric(labels.METRIC_COVERAGE_RATE,
                  fr_pct(grid["is_covered"].mean() if len(grid) else None),
                  help=labels.HELP_COVERAGE_RATE.format(n=min_suppliers))
metrics[1].metric(labels.METRIC_GAPS, f"{fr_int(len(gaps))} sur {fr_int(len(grid))}")

if grid.empty:
    st.info(labels.NO_DATA)
else:
    category_order = [c for c in ctx.category_labels(filters.platform) if c in set(grid["category"])]
    department_order = list(dict.fromkeys(grid["department"]))
    figure = charts.heatmap(
        grid, x_col="category", y_col="department", z_col="suppliers",
        title=labels.COVERAGE_TITLE, subtitle=f"{describe(filters, ctx)} · au {end}",
        x_title=labels.X_CATEGORY, y_title=labels.Y_DEPARTMENT,
        colorbar_title=labels.COLORBAR_SUPPLIERS, z_label=labels.COL_SUPPLIERS,
        x_order=category_order, y_order=department_order, highlight_below=min_suppliers,
    )
    charts.show(figure, charts.png_filename(labels.COVERAGE_TITLE, filters.platform,
                                            filters.start, filters.end), key="coverage-heatmap")
    st.caption(labels.COVERAGE_NOTE.format(date=end))

st.subheader(labels.GAPS_TITLE.format(n=min_suppliers))
if gaps.empty:
    st.success(labels.NO_GAPS)
else:
    tables.show_table(
        gaps.sort_values(["suppliers", "department_code"]),
        columns={"department": labels.COL_DEPARTMENT, "category": labels.COL_CATEGORY,
                 "suppliers": labels.COL_SUPPLIERS},
        int_columns=["suppliers"],
        key="coverage-gaps",
    )
