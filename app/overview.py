"""What the *Vue d'ensemble* page and the meeting report show for each platform.

Gathers, through the cached queries, the headline figures of the period (with the previous
period's), the scorecard results and the weekly visits, into plain objects that the page
draws with Streamlit and `app.report` writes into a file. No drawing here.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from app import charts, db, exports, labels, queries, report, scorecard
from app.filtering import PLATFORMS, FilterContext, Filters, describe
from app.fmt import fr_date


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: float | None
    previous: float | None
    kind: str  # "count" (relative change) or "share" (change in points)
    help: str
    trend: tuple[float, ...] = ()  # values per day or week (`trend_grain`) for the trend line


@dataclass(frozen=True)
class PlatformOverview:
    platform: str
    name: str
    filters: Filters
    headlines: tuple[Headline, ...]
    results: tuple[scorecard.CriterionResult, ...]
    verdict: str
    verdict_status: str  # scorecard.MET, WATCH, NOT_MET or NOT_EVALUABLE: the box's colour
    weekly: pd.DataFrame  # visits per `grain` bucket, for the chart and the trend lines
    comparable: bool  # the previous period lies within the data
    missing_sources: tuple[str, ...]
    grain: str = "week"  # `trend_grain(filters)`


# Up to a month, the overview draws visits day by day: week by week, a weekly brief's chart
# was one bar, and its trend lines a single point.
DAILY_TREND_MAX_DAYS = 31


def trend_grain(filters: Filters) -> str:
    """`day` for a period of at most DAILY_TREND_MAX_DAYS days, else `week`."""
    return "day" if filters.days <= DAILY_TREND_MAX_DAYS else "week"


def stale_notice(filters: Filters, ctx: FilterContext) -> str | None:
    """A plain sentence when the period asked runs past the newest data."""
    if filters.end > ctx.data_end:
        return labels.STALE_PERIOD.format(data_end=fr_date(ctx.data_end), end=fr_date(filters.end))
    return None


def missing_source_notice(overview: PlatformOverview) -> str | None:
    if not overview.missing_sources:
        return None
    names = ", ".join(labels.SOURCE_NAMES[s] for s in overview.missing_sources)
    return labels.MISSING_SOURCE.format(platform=overview.name, sources=names)


# How `build` runs a query function of `app.queries`: `call(fn, *args)` returns
# `fn(conn, *args)`. The dashboard's is `db.cached`; the brief command passes a plain call on
# its own connection (app/brief.py), so both read the figures through the same functions.
QueryCall = Callable[..., Any]


def build(
    filters: Filters,
    ctx: FilterContext,
    config: scorecard.Config,
    call: QueryCall | None = None,
    platforms: Iterable[str] = PLATFORMS,
) -> list[PlatformOverview]:
    """One overview per platform of `platforms` (default: both), for the chosen filters
    (categories apply to the selected platform only, as everywhere). `call`: how queries
    run, `db.cached` unless given."""
    call = call or db.cached
    sources = call(queries.platform_sources)
    return [
        _platform(filters.for_platform(p), ctx, config, sources.get(p, set()), call)
        for p in platforms
    ]


def _platform(
    filters: Filters,
    ctx: FilterContext,
    config: scorecard.Config,
    sources: set[str],
    call: QueryCall,
) -> PlatformOverview:
    settings = config.settings
    previous_filters = filters.previous()
    comparable = previous_filters.start >= ctx.data_start
    visits = call(queries.visits_summary, filters)
    measures = call(queries.scorecard_measures, filters, settings, ctx.data_start)
    previous_visits = call(queries.visits_summary, previous_filters) if comparable else {}
    previous = (
        call(queries.scorecard_measures, previous_filters, settings, ctx.data_start)
        if comparable
        else {}
    )
    grain = trend_grain(filters)
    weekly = call(queries.visits_timeseries, filters, grain)
    daily_catalogue = call(queries.catalogue_timeseries, filters)
    # One point per bucket for the catalogue trend lines (by week, the week's last day).
    weekly_catalogue = (
        daily_catalogue.iloc[::-7].iloc[::-1]
        if grain == "week" and len(daily_catalogue)
        else daily_catalogue
    )
    end = fr_date(filters.end)
    headlines = (
        Headline(
            "visits",
            labels.METRIC_VISITS,
            visits["visits"],
            previous_visits.get("visits"),
            "count",
            labels.HELP_VISITS,
            tuple(weekly["visits"]),
        ),
        Headline(
            "visitors",
            labels.METRIC_VISITORS,
            visits["visitors"],
            previous_visits.get("visitors"),
            "count",
            labels.HELP_VISITORS,
            tuple(weekly["visitors"]),
        ),
        Headline(
            "active_suppliers",
            labels.METRIC_ACTIVE_SUPPLIERS,
            measures["active_suppliers"],
            previous.get("active_suppliers"),
            "count",
            labels.HELP_ACTIVE_SUPPLIERS.format(date=end),
            tuple(weekly_catalogue.get("active_suppliers", ())),
        ),
        Headline(
            "active_listings",
            labels.METRIC_ACTIVE_LISTINGS,
            measures["active_listings"],
            previous.get("active_listings"),
            "count",
            labels.HELP_ACTIVE_LISTINGS.format(date=end),
            tuple(weekly_catalogue.get("active_listings", ())),
        ),
        Headline(
            "new_suppliers",
            labels.METRIC_NEW_SUPPLIERS,
            measures["new_suppliers"],
            previous.get("new_suppliers"),
            "count",
            labels.HELP_NEW_SUPPLIERS,
        ),
        Headline(
            "coverage_rate",
            labels.METRIC_COVERAGE_RATE,
            measures["coverage_rate"],
            previous.get("coverage_rate"),
            "share",
            labels.HELP_COVERAGE_RATE.format(n=settings.min_suppliers, date=end),
        ),
    )
    results = tuple(scorecard.evaluate(filters.platform, measures, previous or None, config))
    name = labels.PLATFORM_NAMES[filters.platform]
    has_data = any(
        (figure or 0) > 0
        for figure in (
            visits["visits"],
            measures["active_suppliers"],
            measures["active_listings"],
        )
    )
    verdict = scorecard.verdict(
        name, list(results), filters.start, filters.end, settings, has_data=has_data
    )
    return PlatformOverview(
        platform=filters.platform,
        name=name,
        filters=filters,
        headlines=headlines,
        results=results,
        verdict=verdict.text,
        verdict_status=verdict.status,
        weekly=weekly,
        comparable=comparable,
        missing_sources=tuple(s for s in ("logs", "suppliers", "listings") if s not in sources),
        grain=grain,
    )


# Verdict box colours by overall status (app/charts/theme.py): the status is also written in
# the text, never told by colour alone.
VERDICT_COLOURS = {
    status: charts.STATUS_COLORS[status]
    for status in (scorecard.MET, scorecard.WATCH, scorecard.NOT_MET, scorecard.NOT_EVALUABLE)
}


# Streamlit draws a metric's trend line on an axis from its lowest to its highest value, not
# from zero: a series that moves less than this share of its maximum would draw a few percent
# as a collapse, so it gets no line (its help says it is flat).
SPARKLINE_MIN_SWING = 0.10


def sparkline(trend: tuple[float, ...]) -> list[float] | None:
    """The weekly values to draw under a headline figure, or None when the line would mislead
    (no value, or a swing under SPARKLINE_MIN_SWING of the maximum)."""
    values = [v for v in trend if v is not None]
    if len(values) < 2:
        return None
    high, low = max(values), min(values)
    if high <= 0 or (high - low) < SPARKLINE_MIN_SWING * high:
        return None
    return list(trend)


def sparkline_note(trend: tuple[float, ...], shown, grain: str = "week") -> str:
    """The help text's line about the trend: its range (the axis of the small line does not
    start at zero), or that it is flat."""
    values = [v for v in trend if v is not None]
    if len(values) < 2:
        return ""
    low, high = shown(min(values)), shown(max(values))
    note = (labels.HELP_SPARKLINE_TREND if sparkline(trend) else labels.HELP_SPARKLINE_FLAT)[grain]
    return "\n\n" + note.format(low=low, high=high)


def verdict_html(item: PlatformOverview) -> str:
    """The verdict as a coloured box (the text escaped: no markup reaches the page)."""
    background, border = VERDICT_COLOURS[item.verdict_status]
    label = labels.VERDICT_STATUS[item.verdict_status]
    return (
        f'<div role="status" aria-label="{html.escape(label)}" style="background:{background};'
        f"border-left:5px solid {border};border-radius:6px;padding:0.75rem 1rem;"
        f'color:{charts.STATUS_TEXT_COLOR};line-height:1.5"><strong>{html.escape(label)}</strong> — '
        f"{html.escape(item.verdict)}</div>"
    )


def weekly_title(item: PlatformOverview) -> str:
    return labels.OVERVIEW_TREND_TITLE[item.grain].format(platform=item.name)


def weekly_figure(item: PlatformOverview, ctx: FilterContext, width: str = "half") -> go.Figure:
    """Visits per day or week (`trend_grain`) of the platform, as on the page and in the
    report."""
    return charts.time_bars(
        item.weekly,
        value_col="visits",
        grain=item.grain,
        value_label=labels.METRIC_VISITS,
        start=item.filters.start,
        end=item.filters.end,
        title=weekly_title(item),
        subtitle=describe(item.filters, ctx, platform=False),
        x_title=labels.X_DAY if item.grain == "day" else labels.X_WEEK,
        y_title=labels.Y_VISITS,
        color=charts.platform_palette(item.platform).main,
        light_color=charts.platform_palette(item.platform).light,
        height=320,
        width=width,
        data_start=ctx.data_start,
    )


# The scorecard's value and target columns change kind from row to row (a count, then
# shares): the downloads type each cell by its row's `value_kind` (app/exports.py).
SCORECARD_ROW_KINDS = {
    "value_number": "value_kind",
    "target_number": "value_kind",
    "trend_number": "trend_kind",
}


def scorecard_rows(item: PlatformOverview, settings: scorecard.Settings) -> list[dict[str, object]]:
    """The scorecard as rows: the text shown (keys of labels.SCORECARD_COLUMNS), `status_key`,
    and for the downloads (labels.SCORECARD_EXPORT_COLUMNS) the value and target as numbers
    rounded as shown, their kind (`value_kind`, see SCORECARD_ROW_KINDS) and unit."""
    return [
        {
            "criterion": scorecard.criterion_name(r.key, settings, item.filters.days),
            "value": scorecard.format_value(r.key, r.value),
            "target": scorecard.format_target(r.key, r.target),
            "trend": scorecard.format_trend(r),
            "status": labels.SCORECARD_STATUS[r.status],
            "status_key": r.status,
            "value_number": scorecard.export_number(r.key, r.value),
            "target_number": scorecard.export_number(r.key, r.target.target),
            "value_kind": scorecard.EXPORT_KINDS[scorecard.UNITS[r.key]],
            "unit": labels.SCORECARD_UNITS[scorecard.UNITS[r.key]],
            "trend_number": scorecard.export_trend(r),
            "trend_kind": "pct",  # a relative change or a gap in points: both fractions
            "trend_unit": labels.SCORECARD_TREND_UNITS[scorecard.UNITS[r.key] == "count"],
        }
        for r in item.results
    ]


def scorecard_title(item: PlatformOverview) -> str:
    """The heading of a platform's scorecard table, which also titles its downloads."""
    return f"{labels.SCORECARD_TITLE} — {item.name}"


def scorecard_export(
    items: list[PlatformOverview], settings: scorecard.Settings
) -> list[exports.ExportColumn]:
    """The scorecards of `items` as one table for the CSV and XLSX files of the brief
    command: the platform's name, then the columns of the page's downloads
    (labels.SCORECARD_EXPORT_COLUMNS), each cell typed by its row (SCORECARD_ROW_KINDS)."""
    names = {"platform_name": labels.SCORECARD_PLATFORM_COLUMN, **labels.SCORECARD_EXPORT_COLUMNS}
    rows = [
        {"platform_name": item.name, **row}
        for item in items
        for row in scorecard_rows(item, settings)
    ]
    frame = pd.DataFrame(rows, columns=[*names, *dict.fromkeys(SCORECARD_ROW_KINDS.values())])
    return exports.export_columns(frame, names, row_kinds=SCORECARD_ROW_KINDS)


def scope_note(filters: Filters, platforms: list[PlatformOverview]) -> str | None:
    """Which platform the category and kind filters apply to, when one is chosen: they are
    the chosen platform's vocabulary, the other platforms' figures ignore them (`build`)."""
    if not (filters.categories or filters.kinds):
        return None
    others = [item.name for item in platforms if item.platform != filters.platform]
    if not others:
        return None
    return labels.REPORT_SCOPE_NOTE.format(
        platform=labels.PLATFORM_NAMES[filters.platform], others=", ".join(others)
    )


def report_content(
    platforms: list[PlatformOverview],
    filters: Filters,
    ctx: FilterContext,
    config: scorecard.Config,
    info: dict,
) -> report.ReportContent:
    """The meeting brief of this view (see app/report.py); `info` is `queries.load_info`.
    Pure (no query): the page calls it only when a report button is clicked."""
    notices = [stale_notice(filters, ctx)]
    previous = filters.previous()
    if previous.start < ctx.data_start:
        notices.append(
            labels.NO_COMPARISON.format(
                start=fr_date(previous.start),
                end=fr_date(previous.end),
                data_start=fr_date(ctx.data_start),
            )
        )
    return report.ReportContent(
        start=filters.start,
        end=filters.end,
        data_end=info["data_end"],
        loaded_at=info["loaded_at"],
        generated_at=datetime.now(),
        notices=tuple(n for n in notices if n),
        scope_note=scope_note(filters, platforms),
        platforms=tuple(
            report.ReportPlatform(
                name=item.name,
                filters_text=describe(item.filters, ctx, platform=False),
                verdict=item.verdict,
                headlines=tuple(
                    report.headline_cells(h.label, h.value, h.previous, h.kind)
                    for h in item.headlines
                ),
                scorecard=tuple(scorecard_rows(item, config.settings)),
                figure=weekly_figure(item, ctx, width="full"),
                missing_notice=missing_source_notice(item),
            )
            for item in platforms
        ),
    )
