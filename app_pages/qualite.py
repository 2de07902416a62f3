"""Qualité des données: load bookkeeping, quarantined rows, requests excluded from page views."""

import pandas as pd
import streamlit as st

from app import charts, db, fmt, labels, page, queries, tables
from app.filtering import describe
from app.fmt import fr_int

filters, ctx = page.start(labels.PAGE_QUALITY)
page.data_span_caption()
st.caption(labels.QUALITY_FILTERS_NOTE)
platform_name = labels.PLATFORM_NAMES[filters.platform]

hits = db.cached(queries.hits_summary, filters)
rejected = db.cached(queries.rejected_by_reason, filters)
metrics = st.columns(4)
metrics[0].metric(labels.METRIC_HITS, fr_int(hits["hits"]))
metrics[1].metric(labels.METRIC_PAGEVIEW_HITS, fr_int(hits["pageview_hits"]))
metrics[2].metric(labels.METRIC_EXCLUDED_HITS, fr_int(hits["excluded_hits"]))
metrics[3].metric(labels.METRIC_REJECTED_ROWS, fr_int(queries.rejected_rows_total(rejected)))

st.subheader(labels.LOAD_SUMMARY_TITLE)
st.caption(f"{platform_name} · {labels.LOAD_SUMMARY_NOTE}")
summary = db.cached(queries.load_summary, filters)
summary = summary.assign(
    platform=summary["platform"]
    .map({**labels.PLATFORM_NAMES, **labels.ALL_PLATFORMS_NAMES})
    .fillna(summary["platform"]),
    source=summary["source"].map(labels.SOURCES).fillna(summary["source"]),
)
known = {c: n for c, n in labels.LOAD_SUMMARY_COLUMNS.items() if c in summary.columns}
extra = {c: c for c in summary.columns if c not in known}  # shown as is if the ETL adds any
tables.show_table(
    summary,
    columns={**known, **extra},
    int_columns=[c for c in known if c not in ("platform", "source")],
    key="load-summary",
    title=labels.LOAD_SUMMARY_TITLE,
    subtitle=platform_name,
    platform=filters.platform,
)

left, right = st.columns(2, gap="large")
with left:
    st.subheader(labels.REJECTED_TITLE)
    if rejected.empty:
        st.success(labels.NO_REJECTED)
    else:
        tables.show_table(
            rejected.assign(
                source=rejected["source"].map(labels.SOURCES).fillna(rejected["source"])
            ),
            columns={
                "source": labels.COL_SOURCE,
                "reason": labels.COL_REASON,
                "n_rows": labels.COL_ROWS,
            },
            int_columns=["n_rows"],
            key="rejected-by-reason",
            title=labels.REJECTED_TITLE,
            subtitle=platform_name,
            platform=filters.platform,
        )
with right:
    excluded = db.cached(queries.hits_excluded, filters)
    if excluded.empty:
        st.info(labels.NO_DATA)
    else:
        excluded = excluded.assign(
            exclusion_reason=excluded["exclusion_reason"].fillna(labels.REASON_UNKNOWN)
        )
        figure = charts.horizontal_bars(
            excluded,
            category_col="exclusion_reason",
            value_col="hits",
            value_label=labels.X_HITS.split(" (")[0],
            title=labels.EXCLUSIONS_TITLE,
            subtitle=describe(filters, ctx, departments=False, categories=False),
            x_title=labels.X_HITS,
            y_title=labels.Y_REASON,
            color=charts.platform_palette(filters.platform).main,
            width="half",
        )
        charts.show_for(figure, labels.EXCLUSIONS_TITLE, filters, key="exclusions")

st.subheader(labels.REJECTED_SAMPLE_TITLE)
sample = db.cached(queries.rejected_sample, filters)
if sample.empty:
    st.success(labels.NO_REJECTED)
else:
    st.caption(labels.REJECTED_SAMPLE_NOTE.format(n=fr_int(queries.REJECTED_SAMPLE_LIMIT)))
    tables.show_table(
        sample.assign(
            source=sample["source"].map(labels.SOURCES).fillna(sample["source"]),
            source_file=sample["source_file"].map(fmt.raw_file_label),
        ),
        columns={
            "source": labels.COL_SOURCE,
            "source_file": labels.COL_FILE,
            "line_no": labels.COL_LINE_NO,
            "reason": labels.COL_REASON,
            "detail": labels.COL_REASON_DETAIL,
            "raw_text": labels.COL_RAW_TEXT,
        },
        key="rejected-sample",
        title=labels.REJECTED_SAMPLE_TITLE,
        subtitle=platform_name,
        platform=filters.platform,
    )

# --- Data checks: SQL that must return no rows ------------------------------------------------
st.subheader(labels.CHECKS_HEADER)
st.caption(f"{platform_name} · {labels.CHECKS_NOTE}")
checks = db.cached(queries.data_checks, filters)
overview = pd.DataFrame(
    [
        {
            "check": labels.CHECKS.get(name, (name, ""))[0],
            "rows": count,
            "status": labels.CHECK_OK if count == 0 else labels.CHECK_KO,
        }
        for name, (count, _) in checks.items()
    ]
)
tables.show_table(
    overview,
    columns={
        "check": labels.COL_CHECK,
        "rows": labels.COL_CHECK_ROWS,
        "status": labels.COL_CHECK_STATUS,
    },
    int_columns=["rows"],
    highlight_rows=overview["rows"] > 0,
    key="checks-overview",
    title=labels.CHECKS_HEADER,
    subtitle=platform_name,
    platform=filters.platform,
)
for name, (count, sample) in checks.items():
    if not count:
        continue
    title, description = labels.CHECKS.get(name, (name, ""))
    with st.expander(f"{title} — {fr_int(count)}"):
        st.caption(description)
        shown = sample.copy()
        if "key_kind" in shown:
            shown["key_kind"] = (
                shown["key_kind"].map(labels.CHECK_KEY_KINDS).fillna(shown["key_kind"])
            )
        for column in shown.columns:
            if shown[column].dtype == bool:
                shown[column] = shown[column].map({True: labels.YES, False: labels.NO})
        int_columns = [
            c
            for c in shown.columns
            if pd.api.types.is_integer_dtype(shown[c]) and c != "source_line"
        ]
        date_columns = [
            c
            for c in shown.columns
            if pd.api.types.is_datetime64_any_dtype(shown[c]) or c in ("created_on", "withdrawn_on")
        ]
        tables.show_table(
            shown,
            columns={c: labels.CHECK_COLUMNS.get(c, c) for c in shown.columns},
            int_columns=int_columns,
            date_columns=date_columns,
            key=f"check-{name}",
            title=title,
            subtitle=platform_name,
            platform=filters.platform,
        )
        if count > len(sample):
            st.caption(labels.CHECK_SAMPLE.format(n=fr_int(len(sample)), total=fr_int(count)))
