"""Vue d'ensemble: the decision page — headline figures and continuation scorecard per platform."""

import pandas as pd
import streamlit as st

from app import charts, db, delivery, inert, labels, overview, page, queries, report, scorecard
from app.context import presenting
from app.filtering import describe
from app.fmt import fr_date, fr_datetime, fr_int, fr_pct
from app.tables import show_table

filters, ctx = page.start(labels.PAGE_OVERVIEW)
page.data_span_caption()
st.caption(labels.OVERVIEW_INTRO)
if filters.has_catalogue_scope:
    st.caption(labels.TRAFFIC_SCOPE_FILTERED)
stale = overview.stale_notice(filters, ctx)
if stale:
    st.warning(stale, icon=":material/history:")

# A broken targets file takes away the verdicts and the grid, never the figures and charts.
try:
    config = scorecard.load_config()
    config_error = None
except scorecard.ScorecardConfigError as error:
    config = scorecard.Config(settings=scorecard.DEFAULT_SETTINGS, targets={})
    config_error = str(error)
    st.error(config_error, icon=":material/rule_settings:")

platforms = overview.build(filters, ctx, config)
settings = config.settings

for column, item in zip(st.columns(2, gap="large"), platforms):
    with column, st.container(border=True):
        st.subheader(item.name)
        missing = overview.missing_source_notice(item)
        if missing:
            st.warning(missing, icon=":material/report:")
        if config_error is None:
            # Coloured by the overall status (the worst criterion evaluated); not an alert box:
            # a red verdict is a finding about the platform, not a failure of the page.
            with st.container(key=f"verdict-{item.platform}"):
                st.html(overview.verdict_html(item))

        # Two figures per row at most: big numbers such as "1 337 467" must not be cut.
        for pair in (item.headlines[i : i + 2] for i in range(0, len(item.headlines), 2)):
            for cell, headline in zip(st.columns(2), pair):
                shown = fr_pct if headline.kind == "share" else fr_int
                value = shown(headline.value)
                page.metric_with_change(
                    cell,
                    headline.label,
                    value,
                    current=headline.value,
                    previous=headline.previous,
                    kind="points" if headline.kind == "share" else "relative",
                    help=headline.help + overview.sparkline_note(headline.trend, shown, item.grain),
                    chart_data=overview.sparkline(headline.trend),
                    previous_label=(
                        shown(headline.previous) if headline.previous is not None else None
                    ),
                )
        previous = item.filters.previous()
        span = {"start": fr_date(previous.start), "end": fr_date(previous.end)}
        st.caption(
            labels.OVERVIEW_COMPARISON_NOTE.format(**span)
            if item.comparable
            else labels.NO_COMPARISON.format(**span, data_start=fr_date(ctx.data_start))
        )

        figure = overview.weekly_figure(item, ctx)
        title = overview.weekly_title(item)
        # Drawn by Vega-Lite: Plotly's library is most of a first visit's time (app/charts/light.py).
        charts.show_light(
            figure,
            charts.png_filename(title, item.platform, filters.start, filters.end),
            key=f"overview-weekly-{item.platform}",
        )
if len(platforms) > 1:
    # Side by side at one height, 20 000 and 1 500 visits a week would read as equals.
    st.caption(labels.OVERVIEW_SCALES_NOTE[overview.trend_grain(filters)])

st.header(labels.SCORECARD_TITLE)
st.caption(labels.SCORECARD_INTRO)
if config_error is not None:
    st.error(config_error, icon=":material/rule_settings:")
for item in platforms if config_error is None else ():
    with st.container(key=f"scorecard-{item.platform}"):
        st.subheader(item.name)
        table = pd.DataFrame(overview.scorecard_rows(item, settings))
        # Rows in their status tint: red not met, yellow to watch (as the verdict boxes).
        flagged = table["status_key"].map(
            {s: charts.STATUS_COLORS[s][0] for s in (scorecard.NOT_MET, scorecard.WATCH)}
        )
        show_table(
            table,
            columns=labels.SCORECARD_COLUMNS,
            widths={"criterion": "large"},
            highlight_rows=flagged,
            key=f"scorecard-table-{item.platform}",
            title=overview.scorecard_title(item),
            subtitle=describe(item.filters, ctx),
            filters=item.filters,
            # The files carry the value and target as numbers beside their unit.
            download_columns=labels.SCORECARD_EXPORT_COLUMNS,
            row_kinds=overview.SCORECARD_ROW_KINDS,
        )

if config_error is None:
    st.caption(inert.markdown(scorecard.targets_origin(config), limit=None))

# The meeting report is downloaded from the usual view: a slide offers no button (the
# report section ends the page, so stopping here leaves it out whole).
if presenting():
    st.stop()

st.header(labels.REPORT_HEADER)
st.caption(labels.REPORT_INTRO)
# The brief the scheduler e-mails (python -m app.brief --send): when, to how many (never
# who), from the outbox's state file; nothing recorded or a damaged file says so, no more.
last = delivery.last_sending()
if last is None:
    st.caption(labels.REPORT_NEVER_SENT)
else:
    st.caption(
        labels.REPORT_LAST_SENT.format(
            sent_at=fr_datetime(last.sent_at),
            recipients=delivery.recipients_text(last.recipients),
            period=labels.PERIOD_TEXT.format(start=fr_date(last.start), end=fr_date(last.end)),
        )
    )
info = db.cached(queries.load_info)
stem = report.file_stem(filters.start, filters.end)


def report_html() -> str:
    # Built when a button is clicked (deferred `data`), not at every run of the page.
    return report.render_html(overview.report_content(platforms, filters, ctx, config, info))


left, right = st.columns(2)
left.download_button(
    labels.REPORT_HTML_BUTTON,
    data=report_html,
    file_name=f"{stem}.html",
    mime="text/html",
    on_click="ignore",
    icon=":material/description:",
    key="report-html",
)
pdf_ready = report.chromium_path() is not None
right.download_button(
    labels.REPORT_PDF_BUTTON,
    data=lambda: report.render_pdf(report_html()),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    on_click="ignore",
    icon=":material/picture_as_pdf:",
    key="report-pdf",
    disabled=not pdf_ready,
    help=None if pdf_ready else labels.REPORT_NO_CHROMIUM,
)
