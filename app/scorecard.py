"""The continuation scorecard: criteria, targets and statuses (pure module, no Streamlit).

Targets live in app/scorecard.toml (edited by the directorates, read at every run);
docs/scorecard.md defines each criterion. `app.queries.scorecard_measures` computes the raw
measures from the warehouse; this module turns them into statuses and one French sentence
per platform. It informs the decision: it never says "keep" or "close".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import labels
from app.fmt import fr_date, fr_int, fr_pct, fr_signed_pct, fr_signed_points

TARGETS_FILE = Path(__file__).with_name("scorecard.toml")

# Display order of the criteria; their French names are in labels.SCORECARD_CRITERIA.
CRITERIA: tuple[str, ...] = (
    "weekly_visits",
    "fresh_suppliers",
    "viewed_listings",
    "coverage_rate",
    "post_lockdown_trend",
    "conversion_rate",
)
# How a criterion's value reads: a count, a share (0.5 -> "50,0 %") or a change (-0.3 -> "-30,0 %").
UNITS: Mapping[str, str] = {
    "weekly_visits": "count",
    "fresh_suppliers": "share",
    "viewed_listings": "share",
    "coverage_rate": "share",
    "post_lockdown_trend": "change",
    "conversion_rate": "share",
}

MET, WATCH, NOT_MET, NOT_EVALUABLE = "met", "watch", "not_met", "not_evaluable"


class ScorecardConfigError(ValueError):
    """The targets file is unusable; the message says where, in French."""


@dataclass(frozen=True)
class Settings:
    recent_weeks: int
    fresh_days: int
    min_suppliers: int
    reference_date: date
    reference_weeks: int


@dataclass(frozen=True)
class Target:
    target: float
    watch: float


@dataclass(frozen=True)
class Config:
    settings: Settings
    targets: Mapping[str, Mapping[str, Target]]  # platform -> criterion -> Target
    # Who set the targets and when ([meta] of scorecard.toml); None: the shipped examples.
    set_by: str | None = None
    set_on: date | None = None


@dataclass(frozen=True)
class CriterionResult:
    key: str
    value: float | None
    previous: float | None
    target: Target
    status: str

    @property
    def trend(self) -> float | None:
        """Change of the value against the previous period, in the criterion's own terms:
        relative for counts, difference for shares and changes (in points)."""
        if self.value is None or self.previous is None:
            return None
        if UNITS[self.key] == "count":
            return None if self.previous == 0 else self.value / self.previous - 1
        return self.value - self.previous


# The settings used when the targets file cannot be read: the headline figures and charts of
# the page still need a window for their measures (the values shipped in scorecard.toml).
DEFAULT_SETTINGS = Settings(
    recent_weeks=8,
    fresh_days=90,
    min_suppliers=3,
    reference_date=date(2020, 5, 11),
    reference_weeks=4,
)
_TOML_POSITION = re.compile(r"(?:at line|line) (\d+), column (\d+)")


def _config_error(path: Path, detail: str) -> ScorecardConfigError:
    return ScorecardConfigError(labels.SCORECARD_CONFIG_ERROR.format(file=path.name, detail=detail))


def _number(path: Path, where: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise _config_error(path, labels.SCORECARD_CONFIG_NUMBER.format(where=where))
    return float(value)


def load_config(path: Path | None = None) -> Config:
    """The targets file (default TARGETS_FILE) read and checked; every problem is a
    ScorecardConfigError whose message says, in French, where the file is wrong."""
    path = path or TARGETS_FILE
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except OSError:
        raise _config_error(path, labels.SCORECARD_CONFIG_UNREADABLE) from None
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.search(str(error))
        detail = (
            labels.SCORECARD_CONFIG_SYNTAX_AT.format(line=found[1], column=found[2])
            if found
            else labels.SCORECARD_CONFIG_SYNTAX
        )
        raise _config_error(path, detail) from None
    s = raw.get("settings")
    if not isinstance(s, dict):
        raise _config_error(path, labels.SCORECARD_CONFIG_MISSING.format(key="[settings]"))
    values = {}
    for key in ("recent_weeks", "fresh_days", "min_suppliers", "reference_weeks"):
        if key not in s:
            raise _config_error(path, labels.SCORECARD_CONFIG_MISSING.format(key=f"settings.{key}"))
        number = _number(path, f"settings.{key}", s[key])
        if number < 1 or number != int(number):
            raise _config_error(path, labels.SCORECARD_CONFIG_COUNT.format(where=f"settings.{key}"))
        values[key] = int(number)
    if not isinstance(s.get("reference_date"), date):
        raise _config_error(
            path, labels.SCORECARD_CONFIG_DATE.format(where="settings.reference_date")
        )
    settings = Settings(reference_date=s["reference_date"], **values)
    targets_raw = raw.get("targets")
    if not isinstance(targets_raw, dict) or not targets_raw:
        raise _config_error(path, labels.SCORECARD_CONFIG_MISSING.format(key="[targets.…]"))
    targets: dict[str, dict[str, Target]] = {}
    for platform, criteria in targets_raw.items():
        targets[platform] = {}
        for key in CRITERIA:
            where = f"targets.{platform}.{key}"
            entry = criteria.get(key) if isinstance(criteria, dict) else None
            if not isinstance(entry, dict) or "target" not in entry or "watch" not in entry:
                raise _config_error(path, labels.SCORECARD_CONFIG_MISSING.format(key=where))
            target = Target(
                _number(path, f"{where}.target", entry["target"]),
                _number(path, f"{where}.watch", entry["watch"]),
            )
            if target.watch > target.target:
                raise _config_error(path, labels.SCORECARD_CONFIG_WATCH.format(where=where))
            targets[platform][key] = target
    meta = raw.get("meta", {})
    set_by = meta.get("set_by") if isinstance(meta, dict) else None
    set_on = meta.get("set_on") if isinstance(meta, dict) else None
    return Config(
        settings=settings,
        targets=targets,
        set_by=set_by.strip() if isinstance(set_by, str) and set_by.strip() else None,
        set_on=set_on if isinstance(set_on, date) else None,
    )


def default_min_suppliers() -> int:
    """The coverage threshold of the targets file, the default of *Couverture*'s threshold as
    of the overview's verdict; the built-in one when the file is broken (the overview says
    so)."""
    try:
        return load_config().settings.min_suppliers
    except ScorecardConfigError:
        return DEFAULT_SETTINGS.min_suppliers


def targets_origin(config: Config) -> str:
    """Who set the targets, or that they are the shipped examples."""
    if config.set_by is None:
        return labels.SCORECARD_EXAMPLE_TARGETS
    on = (
        labels.SCORECARD_TARGETS_SET_ON.format(date=fr_date(config.set_on)) if config.set_on else ""
    )
    return labels.SCORECARD_TARGETS_SET.format(set_by=config.set_by, on=on)


def status(value: float | None, target: Target) -> str:
    if value is None or value != value:  # None or NaN
        return NOT_EVALUABLE
    if value >= target.target:
        return MET
    if value >= target.watch:
        return WATCH
    return NOT_MET


def evaluate(
    platform: str,
    measures: Mapping[str, float | None],
    previous: Mapping[str, float | None] | None,
    config: Config,
) -> list[CriterionResult]:
    """One result per criterion, in display order."""
    targets = config.targets.get(platform)
    if targets is None:  # no targets for it (the file is broken, or names other platforms)
        return []
    return [
        CriterionResult(
            key=key,
            value=measures.get(key),
            previous=(previous or {}).get(key),
            target=targets[key],
            status=status(measures.get(key), targets[key]),
        )
        for key in CRITERIA
    ]


def criterion_name(key: str, settings: Settings, days_in_period: int | None = None) -> str:
    """The criterion's French name, true to the period: the visits and the trend average over
    the last `recent_weeks` weeks, or over the whole period when it is shorter
    (app/queries/measures.py); the share of listings viewed grows with the period's length."""
    window = 7 * settings.recent_weeks
    if days_in_period is not None:
        if key in labels.SCORECARD_CRITERIA_SHORT_PERIOD and days_in_period < window:
            return labels.SCORECARD_CRITERIA_SHORT_PERIOD[key].format(days_in_period=days_in_period)
        if key == "viewed_listings":
            return labels.SCORECARD_VIEWED_ON_PERIOD.format(days_in_period=days_in_period)
    return labels.SCORECARD_CRITERIA[key].format(
        weeks=settings.recent_weeks, days=settings.fresh_days
    )


def criterion_help(key: str, settings: Settings, end: date) -> str:
    return labels.SCORECARD_HELP[key].format(
        weeks=settings.recent_weeks,
        days=settings.fresh_days,
        n=settings.min_suppliers,
        end=fr_date(end),
        ref_weeks=settings.reference_weeks,
        ref_date=fr_date(settings.reference_date),
    )


def format_value(key: str, value: float | None) -> str:
    if value is None or value != value:
        return labels.NOT_AVAILABLE
    unit = UNITS[key]
    if unit == "count":
        return fr_int(round(value))
    if unit == "share":
        return fr_pct(value)
    return _minus(fr_signed_pct(value))


# How a criterion's value is typed in the table downloads (app/exports.py kinds): a count as an
# integer, a share or a change as a fraction with a percent format.
EXPORT_KINDS: Mapping[str, str] = {"count": "int", "share": "pct", "change": "pct"}
# Decimals of a share or change kept in the downloads: 0.548 is the "54,8 %" shown.
EXPORT_SHARE_DECIMALS = 3


def export_number(key: str, value: float | None) -> int | float | None:
    """The value as the downloads carry it, rounded as `format_value` shows it (a count to
    the unit, a share or change to 0,1 %): None when it is not available, never a number
    made up for the empty cell."""
    if value is None or value != value:
        return None
    if UNITS[key] == "count":
        return round(value)
    return round(float(value), EXPORT_SHARE_DECIMALS)


def _minus(text: str) -> str:
    """A real minus sign (U+2212) for text read by people, not by st.metric's arrow."""
    return text.replace("-", "\u2212")


def export_trend(result: CriterionResult) -> float | None:
    """The change against the comparison period as the downloads carry it, rounded as
    `format_trend` shows it: a count's relative change, a share's gap in points, both as a
    fraction (0.05: 5,0 % or 5,0 points); None when not available."""
    if result.trend is None or result.trend != result.trend:
        return None
    return round(float(result.trend), EXPORT_SHARE_DECIMALS)


def format_trend(result: CriterionResult) -> str:
    trend = result.trend
    if trend is None:
        return labels.NOT_AVAILABLE
    if UNITS[result.key] == "count":
        return _minus(fr_signed_pct(trend))
    return _minus(fr_signed_points(trend))


def format_target(key: str, target: Target) -> str:
    return "≥ " + format_value(key, target.target)


@dataclass(frozen=True)
class Verdict:
    """What the evidence says for one platform: the overall status (the colour of its box),
    the strongest finding in plain words with its number, and the whole text."""

    status: str  # MET, WATCH, NOT_MET; NOT_EVALUABLE when nothing could be evaluated
    lead: str
    text: str


def overall_status(results: list[CriterionResult]) -> str:
    """The worst status among the criteria evaluated (NOT_EVALUABLE when none was)."""
    statuses = {r.status for r in results} - {NOT_EVALUABLE}
    for candidate in (NOT_MET, WATCH, MET):
        if candidate in statuses:
            return candidate
    return NOT_EVALUABLE


def margin(result: CriterionResult) -> float:
    """How far the value lies from its target, in widths of the target's watch band (at least
    5 % of the target): -2 is twice the band below the target. Ranks the findings."""
    band = max(result.target.target - result.target.watch, abs(result.target.target) * 0.05, 1e-9)
    return (float(result.value) - result.target.target) / band


def strongest(results: list[CriterionResult]) -> CriterionResult | None:
    """The finding that leads the verdict: the criterion furthest below its target when any is
    below it (not met, to watch), else the one furthest above it."""
    evaluated = [r for r in results if r.status != NOT_EVALUABLE]
    if not evaluated:
        return None
    below = [r for r in evaluated if r.status in (NOT_MET, WATCH)]
    if below:
        return min(below, key=margin)
    return max(evaluated, key=margin)


def finding(result: CriterionResult, settings: Settings, days_in_period: int | None = None) -> str:
    """One criterion in plain words, with its value, status and target; true to a period of
    `days_in_period` days shorter than the recent weeks, as `criterion_name`."""
    value = result.value
    short = days_in_period is not None and days_in_period < 7 * settings.recent_weeks
    if result.key == "post_lockdown_trend":
        template = labels.FINDING_TREND_DOWN if value < 0 else labels.FINDING_TREND_UP
        words = template.format(change=fr_pct(abs(value), 0), date=fr_date(settings.reference_date))
    elif short and result.key in labels.FINDING_SHORT_PERIOD:
        words = labels.FINDING_SHORT_PERIOD[result.key].format(
            value=format_value(result.key, value), days_in_period=days_in_period
        )
    else:
        words = labels.FINDING[result.key].format(
            value=format_value(result.key, value),
            weeks=settings.recent_weeks,
            days=settings.fresh_days,
            n=settings.min_suppliers,
        )
    return labels.FINDING_WITH_TARGET.format(
        finding=words,
        status=labels.SCORECARD_STATUS[result.status],
        target=format_target(result.key, result.target),
    )


def verdict(
    platform_name: str,
    results: list[CriterionResult],
    start: date,
    end: date,
    settings: Settings,
    has_data: bool = True,
) -> Verdict:
    """The French verdict: the strongest finding first, then the count of criteria met and
    their names by status. `has_data` False (no visit, supplier or listing for the filters):
    says so instead of a verdict on empty figures."""
    period = labels.SCORECARD_PERIOD.format(start=fr_date(start), end=fr_date(end))
    if not has_data:
        text = labels.SCORECARD_NO_DATA.format(platform=platform_name, period=period)
        return Verdict(NOT_EVALUABLE, text, text)
    by_status: dict[str, list[str]] = {MET: [], WATCH: [], NOT_MET: [], NOT_EVALUABLE: []}
    for result in results:
        by_status[result.status].append(labels.SCORECARD_SHORT[result.key])
    evaluated = len(results) - len(by_status[NOT_EVALUABLE])
    lead_result = strongest(results)
    if lead_result is None:
        text = labels.SCORECARD_VERDICT_NONE.format(period=period, platform=platform_name)
        return Verdict(NOT_EVALUABLE, text, text)
    lead = finding(lead_result, settings, (end - start).days + 1)
    met = len(by_status[MET])
    if met == 0:
        count = labels.SCORECARD_COUNT_NONE[evaluated > 1].format(evaluated=evaluated)
    elif met == evaluated:
        count = labels.SCORECARD_COUNT_ALL[evaluated > 1].format(evaluated=evaluated)
    else:
        count = labels.SCORECARD_COUNT_SOME[met > 1].format(met=met, evaluated=evaluated)
    parts = []
    for key, (singular, plural) in (
        (NOT_MET, labels.SCORECARD_PART_NOT_MET),
        (WATCH, labels.SCORECARD_PART_WATCH),
        (MET, labels.SCORECARD_PART_MET),
    ):
        names = by_status[key]
        if names:
            parts.append((singular if len(names) == 1 else plural).format(names=", ".join(names)))
    text = labels.SCORECARD_VERDICT.format(
        lead=lead[0].upper() + lead[1:],
        platform=platform_name,
        period=period,
        count=count,
        details=" ; ".join(parts),
    )
    if by_status[NOT_EVALUABLE]:
        text += " " + labels.SCORECARD_NOT_EVALUABLE_NOTE.format(
            names=", ".join(by_status[NOT_EVALUABLE])
        )
    return Verdict(overall_status(results), lead, text)
