"""The continuation scorecard: criteria, targets and statuses (pure module, no Streamlit).

Targets live in app/scorecard.toml (edited by the directorates, read at every run);
docs/scorecard.md defines each criterion. `app.queries.scorecard_measures` computes the raw
measures from the warehouse; this module turns them into statuses and one French sentence
per platform. It informs the decision: it never says "keep" or "close".
"""

from __future__ import annotations

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
)
# How a criterion's value reads: a count, a share (0.5 -> "50,0 %") or a change (-0.3 -> "-30,0 %").
UNITS: Mapping[str, str] = {
    "weekly_visits": "count",
    "fresh_suppliers": "share",
    "viewed_listings": "share",
    "coverage_rate": "share",
    "post_lockdown_trend": "change",
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


def load_config(path: Path = TARGETS_FILE) -> Config:
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ScorecardConfigError(
            labels.SCORECARD_CONFIG_ERROR.format(file=path.name, detail=str(error))
        ) from error
    try:
        s = raw["settings"]
        settings = Settings(
            recent_weeks=int(s["recent_weeks"]),
            fresh_days=int(s["fresh_days"]),
            min_suppliers=int(s["min_suppliers"]),
            reference_date=s["reference_date"],
            reference_weeks=int(s["reference_weeks"]),
        )
        if not isinstance(settings.reference_date, date):
            raise TypeError("reference_date")
        targets = {
            platform: {
                key: Target(float(values[key]["target"]), float(values[key]["watch"]))
                for key in CRITERIA
            }
            for platform, values in raw["targets"].items()
        }
    except (KeyError, TypeError, ValueError) as error:
        raise ScorecardConfigError(
            labels.SCORECARD_CONFIG_ERROR.format(
                file=path.name, detail=f"{type(error).__name__}: {error}"
            )
        ) from error
    for platform, criteria in targets.items():
        for key, target in criteria.items():
            if target.watch > target.target:
                raise ScorecardConfigError(
                    labels.SCORECARD_CONFIG_ERROR.format(
                        file=path.name, detail=f"{platform}.{key}: watch > target"
                    )
                )
    return Config(settings=settings, targets=targets)


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
    if targets is None:
        raise ScorecardConfigError(
            labels.SCORECARD_CONFIG_ERROR.format(
                file=TARGETS_FILE.name, detail=f"no targets for {platform}"
            )
        )
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


def criterion_name(key: str, settings: Settings) -> str:
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
    return fr_signed_pct(value)


def format_trend(result: CriterionResult) -> str:
    trend = result.trend
    if trend is None:
        return labels.NOT_AVAILABLE
    if UNITS[result.key] == "count":
        return fr_signed_pct(trend)
    return fr_signed_points(trend)


def format_target(key: str, target: Target) -> str:
    return "≥ " + format_value(key, target.target)


def verdict(
    platform_name: str,
    results: list[CriterionResult],
    start: date,
    end: date,
    data_end: date | None,
) -> str:
    """One French sentence saying what the evidence says, computed from the statuses."""
    by_status: dict[str, list[str]] = {MET: [], WATCH: [], NOT_MET: [], NOT_EVALUABLE: []}
    for result in results:
        by_status[result.status].append(labels.SCORECARD_SHORT[result.key])
    evaluated = len(results) - len(by_status[NOT_EVALUABLE])
    period = labels.SCORECARD_PERIOD.format(
        start=fr_date(start),
        end=fr_date(end),
        data_end=fr_date(data_end) if data_end else labels.NOT_AVAILABLE,
    )
    if evaluated == 0:
        return labels.SCORECARD_VERDICT_NONE.format(period=period, platform=platform_name)
    parts = []
    for key, (singular, plural) in (
        (MET, labels.SCORECARD_PART_MET),
        (WATCH, labels.SCORECARD_PART_WATCH),
        (NOT_MET, labels.SCORECARD_PART_NOT_MET),
    ):
        names = by_status[key]
        if names:
            parts.append((singular if len(names) == 1 else plural).format(names=", ".join(names)))
    met = len(by_status[MET])
    sentence = labels.SCORECARD_VERDICT.format(
        period=period,
        platform=platform_name,
        met=met,
        evaluated=evaluated,
        criteria=labels.CRITERION_WORD[0 if met <= 1 else 1],
        details=" ; ".join(parts),
    )
    if by_status[NOT_EVALUABLE]:
        sentence += " " + labels.SCORECARD_NOT_EVALUABLE_NOTE.format(
            names=", ".join(by_status[NOT_EVALUABLE])
        )
    return sentence
