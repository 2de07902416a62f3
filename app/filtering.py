"""The dashboard's filters as plain data, and their round trip to the page address (URL).

Pure module (no Streamlit): `Filters` is what every query function receives; the URL
functions turn `st.query_params` into `Filters` and back, so a copied link reproduces a view.
Anything in the address that cannot be used falls back to the default and yields a French
notice; nothing here raises on user input, and no user value is ever echoed back in a notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from app import inert, labels
from app.fmt import fr_date

PLATFORMS: tuple[str, ...] = ("produits-frais", "equipements-protection")
DEFAULT_PLATFORM = "produits-frais"

# Codes of the preset periods (the address carries them; labels.PERIOD_PRESETS names them).
PERIODS: tuple[str, ...] = (
    "avril-mai-2020",
    "depuis-ouverture",
    "30-derniers-jours",
    "annee-2020",
    "personnalisee",
)
DEFAULT_PERIOD = "depuis-ouverture"
CUSTOM_PERIOD = "personnalisee"

# Names of the URL parameters (the page address is part of the interface: keep them stable).
URL_KEYS = (
    "platform",
    "period",
    "start",
    "end",
    "departments",
    "categories",
    "kinds",
    "presentation",
    "comparison",
    "compare_start",
    "compare_end",
)
# Tracking parameters that links from newsletters and campaigns carry (Matomo, Google
# Analytics, ads): they say nothing about the view, so they are ignored without a notice.
_CAMPAIGN_PREFIXES = ("utm_", "mtm_", "pk_", "matomo_")
_CAMPAIGN_KEYS = frozenset({"gclid", "fbclid", "msclkid", "dclid", "mc_cid", "mc_eid", "_ga"})
# Not a filter but a way of showing the page (projector view): `?presentation=1`.
PRESENTATION_KEY = "presentation"

# The comparison period of *Fréquentation* (`Comparison`): codes of the address.
COMPARISONS: tuple[str, ...] = tuple(labels.COMPARISON_CHOICES)
PREVIOUS_PERIOD = "periode-precedente"
YEAR_BEFORE = "annee-precedente"
CUSTOM_COMPARISON = "personnalisee"
DEFAULT_COMPARISON = PREVIOUS_PERIOD
# A custom comparison period longer than this is a broken link, not a choice.
_MAX_COMPARISON_DAYS = 3_660

# Longest value accepted from the address; longer values are hostile or broken links.
_MAX_VALUE_LENGTH = 64
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Filters:
    """What the user chose. Dates are inclusive, Europe/Paris calendar days.

    `departments` are department codes, `categories` category codes (`listings.category_code`)
    and `kinds` supplier kind codes (`suppliers.kind_code`); their labels are in
    `FilterContext`. An empty tuple means "all".

    One way in and out: `Filters.from_url` (a page address) and `Filters.from_widgets` (what
    the sidebar holds) check the values, once, against the warehouse's vocabulary; `to_url`
    writes the address back and `params` binds the SQL parameters.
    """

    platform: str
    start: date
    end: date
    departments: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    period: str = DEFAULT_PERIOD
    kinds: tuple[str, ...] = ()

    @classmethod
    def from_url(cls, params: Mapping[str, object], ctx: FilterContext) -> ParsedFilters:
        """The filters a page address describes; unusable values fall back to the defaults,
        each with a French notice. `params` maps a key to a string or a list of strings
        (repeated keys), as `{k: st.query_params.get_all(k) for k in st.query_params}`."""
        return _from_url(params, ctx)

    @classmethod
    def from_widgets(
        cls,
        ctx: FilterContext,
        *,
        platform: str,
        period: str,
        start: date,
        end: date,
        departments: Iterable[str] = (),
        categories: Iterable[str] = (),
        kinds: Iterable[str] = (),
    ) -> Filters:
        """The filters the sidebar's widgets hold, checked: the codes the warehouse knows for
        the platform, each once, in the warehouse's order."""
        return _sanitize(
            cls(
                platform=platform,
                start=start,
                end=end,
                departments=tuple(departments),
                categories=tuple(categories),
                period=period,
                kinds=tuple(kinds),
            ),
            ctx,
        )

    def to_url(self) -> dict[str, str | list[str]]:
        """Page-address parameters reproducing these filters (`from_url` reads them back)."""
        params: dict[str, str | list[str]] = {"platform": self.platform, "period": self.period}
        if self.period == CUSTOM_PERIOD:
            params["start"] = self.start.isoformat()
            params["end"] = self.end.isoformat()
        for key in ("departments", "categories", "kinds"):
            if getattr(self, key):
                params[key] = list(getattr(self, key))
        return params

    def for_platform(self, platform: str, ctx: FilterContext | None = None) -> Filters:
        """The same filters for another platform. Categories belong to one platform only;
        kinds are kept when `ctx` says the other platform has them, dropped otherwise."""
        if platform == self.platform:
            return self
        kinds = ctx.kinds.get(platform, {}) if ctx is not None else {}
        return replace(
            self,
            platform=platform,
            categories=(),
            kinds=tuple(kind for kind in self.kinds if kind in kinds),
        )

    @property
    def days(self) -> int:
        """Number of days of the period (inclusive)."""
        return (self.end - self.start).days + 1

    @property
    def has_catalogue_scope(self) -> bool:
        """True when a department, category or kind filter narrows the catalogue (and the
        visits)."""
        return bool(self.departments or self.categories or self.kinds)

    @property
    def has_supplier_scope(self) -> bool:
        """True when a filter on the suppliers themselves (department, kind) is chosen: category
        pages and site searches belong to no supplier, so they cannot be counted then."""
        return bool(self.departments or self.kinds)

    def previous(self) -> Filters:
        """The period just before this one (same platform and filters): as many whole months
        when the period is whole calendar months (« Année 2020 » → 2019, avril–mai → février–
        mars), else the same number of days."""
        end = self.start - timedelta(days=1)
        if self.start.day == 1 and (self.end + timedelta(days=1)).day == 1:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            first = self.start.year * 12 + self.start.month - 1 - months
            start = date(first // 12, first % 12 + 1, 1)
            return replace(self, start=start, end=end, period=CUSTOM_PERIOD)
        return replace(
            self, start=end - timedelta(days=self.days - 1), end=end, period=CUSTOM_PERIOD
        )

    def params(self) -> dict:
        """Values bound to the SQL parameters `$platform $start $end $departments $categories
        $kinds`."""
        return {
            "platform": self.platform,
            "start": self.start,
            "end": self.end,
            "departments": list(self.departments),
            "categories": list(self.categories),
            "kinds": list(self.kinds),
        }


def year_before(day: date) -> date:
    """The same calendar day a year earlier; 29 February gives 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Comparison:
    """The period *Fréquentation* compares with (not a filter: the figures' filters are kept).

    `mode`: `periode-precedente` (same length, just before), `annee-precedente` (the same
    calendar days a year earlier), `personnalisee` (`start`..`end`, inclusive, any length).
    Kept apart from `Filters` so that changing it re-runs only the comparison's queries.
    """

    mode: str = DEFAULT_COMPARISON
    start: date | None = None
    end: date | None = None

    def period(self, filters: Filters) -> Filters:
        """The filters of the comparison period: `filters` with the comparison's dates."""
        if self.mode == YEAR_BEFORE:
            start, end = year_before(filters.start), year_before(filters.end)
        elif self.mode == CUSTOM_COMPARISON and self.start and self.end:
            start, end = self.start, self.end
        else:
            return filters.previous()
        return replace(filters, start=start, end=end, period=CUSTOM_PERIOD)

    def is_comparable(self, filters: Filters, ctx: FilterContext) -> bool:
        return comparison_gap(self.period(filters), ctx.data_start, ctx.data_end) is None


def comparison_gap(period: Filters, data_start: date, data_end: date | None = None) -> str | None:
    """Why `period` cannot be compared with, or None when it can. The rule of every comparison
    (previous period, a year earlier, custom): it lies wholly within the data, since days
    before the data start (or after its end) hold no visit, not zero visits.
    `before_data` / `after_data`."""
    if period.start < data_start:
        return "before_data"
    if data_end is not None and period.end > data_end:
        return "after_data"
    return None


@dataclass(frozen=True)
class FilterContext:
    """What the warehouse offers to choose from (read once per load)."""

    data_start: date
    data_end: date
    departments: Mapping[str, str]  # code -> name, in display order
    categories: Mapping[str, Mapping[str, str]]  # platform -> {category_code: label}
    # platform -> {kind_code: label}, in display order (labels from app/labels.py).
    kinds: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def department_label(self, code: str) -> str:
        name = self.departments.get(code)
        return f"{code} — {name}" if name else code


@dataclass(frozen=True)
class ParsedFilters:
    filters: Filters
    notices: tuple[str, ...] = field(default=())

    @property
    def has_notice(self) -> bool:
        return bool(self.notices)


def resolve_period(period: str, ctx: FilterContext) -> tuple[date, date]:
    """Start and end dates (inclusive) of a preset period."""
    if period == "avril-mai-2020":
        return date(2020, 4, 1), date(2020, 5, 31)
    if period == "30-derniers-jours":
        return ctx.data_end - timedelta(days=29), ctx.data_end
    if period == "annee-2020":
        return date(2020, 1, 1), date(2020, 12, 31)
    # "depuis-ouverture", and the initial range of a custom period.
    return ctx.data_start, ctx.data_end


def default_filters(ctx: FilterContext) -> Filters:
    start, end = resolve_period(DEFAULT_PERIOD, ctx)
    return Filters(platform=DEFAULT_PLATFORM, start=start, end=end, period=DEFAULT_PERIOD)


def _values(params: Mapping[str, object], key: str) -> list[str]:
    """All values of a parameter as strings: accepts `str`, lists (repeated keys) or None."""
    raw = params.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [raw]
    values: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            continue
        # "18,45" and repeated keys are both accepted.
        values.extend(part.strip() for part in item.split(",") if part.strip())
    return values


def _single(params: Mapping[str, object], key: str) -> str | None:
    values = _values(params, key)
    if len(values) != 1 or len(values[0]) > _MAX_VALUE_LENGTH:
        return None if not values else ""
    return values[0]


def _parse_iso(value: str | None) -> date | None:
    if not value or not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _from_url(params: Mapping[str, object], ctx: FilterContext) -> ParsedFilters:
    """`Filters.from_url`."""
    notices: list[str] = []
    default = default_filters(ctx)

    if any(not is_known_param(key) for key in params):
        notices.append(labels.NOTICE_UNKNOWN_PARAMS)

    platform = default.platform
    if "platform" in params:
        value = _single(params, "platform")
        if value in PLATFORMS:
            platform = value
        else:
            notices.append(
                labels.NOTICE_PLATFORM.format(default=labels.PLATFORM_NAMES[default.platform])
            )

    period, start, end = default.period, default.start, default.end
    default_period_label = labels.PERIOD_PRESETS[DEFAULT_PERIOD]
    if "period" in params:
        value = _single(params, "period")
        if value in PERIODS:
            period = value
        else:
            notices.append(labels.NOTICE_PERIOD.format(default=default_period_label))
    if period == CUSTOM_PERIOD:
        custom_start = _parse_iso(_single(params, "start"))
        custom_end = _parse_iso(_single(params, "end"))
        if (
            custom_start is None
            or custom_end is None
            or custom_start > custom_end
            or custom_end < ctx.data_start
            or custom_start > ctx.data_end
        ):
            notices.append(labels.NOTICE_DATES.format(default=default_period_label))
            period = DEFAULT_PERIOD
            start, end = resolve_period(period, ctx)
        else:
            # Clip to the data span so a long link keeps working after a reload.
            start, end = max(custom_start, ctx.data_start), min(custom_end, ctx.data_end)
    else:
        start, end = resolve_period(period, ctx)

    # Departments, categories and supplier kinds travel as codes (`37`, `fruits_legumes`,
    # `producteur`): an unknown one is dropped by `Filters.from_widgets`, with a notice.
    chosen = {key: _values(params, key) for key in ("departments", "categories", "kinds")}
    filters = Filters.from_widgets(
        ctx,
        platform=platform,
        period=period,
        start=start,
        end=end,
        departments=chosen["departments"],
        categories=chosen["categories"],
        kinds=chosen["kinds"],
    )
    for key, notice in (
        ("departments", labels.NOTICE_DEPARTMENTS),
        ("categories", labels.NOTICE_CATEGORIES),
        ("kinds", labels.NOTICE_KINDS),
    ):
        if set(chosen[key]) - set(getattr(filters, key)):
            notices.append(notice)
    return ParsedFilters(filters=filters, notices=tuple(notices))


def comparison_from_query_params(
    params: Mapping[str, object],
) -> tuple[Comparison, tuple[str, ...]]:
    """The comparison a page address asks for, and the French notice if it cannot be used
    (then the default, the previous period). Custom dates are kept as given, even outside the
    data: the page then says the comparison is impossible, rather than silently moving it."""
    if "comparison" not in params:
        return Comparison(), ()
    mode = _single(params, "comparison")
    if mode not in COMPARISONS:
        return Comparison(), (labels.NOTICE_COMPARISON,)
    if mode != CUSTOM_COMPARISON:
        return Comparison(mode), ()
    start = _parse_iso(_single(params, "compare_start"))
    end = _parse_iso(_single(params, "compare_end"))
    if start is None or end is None or start > end or (end - start).days >= _MAX_COMPARISON_DAYS:
        return Comparison(), (labels.NOTICE_COMPARISON,)
    return Comparison(mode, start, end), ()


def comparison_to_query_params(comparison: Comparison) -> dict[str, str]:
    """Address parameters of `comparison` (none for the default, the previous period)."""
    if comparison.mode == CUSTOM_COMPARISON and comparison.start and comparison.end:
        return {
            "comparison": CUSTOM_COMPARISON,
            "compare_start": comparison.start.isoformat(),
            "compare_end": comparison.end.isoformat(),
        }
    if comparison.mode in COMPARISONS and comparison.mode != DEFAULT_COMPARISON:
        return {"comparison": comparison.mode}
    return {}


def presentation_from_query_params(params: Mapping[str, object]) -> tuple[bool, tuple[str, ...]]:
    """Whether the address asks for the presentation mode, and the French notice if its value
    cannot be used: `1` turns it on, `0` or no parameter leaves it off, anything else leaves
    it off with a notice (the value is never echoed back)."""
    if PRESENTATION_KEY not in params:
        return False, ()
    value = _single(params, PRESENTATION_KEY)
    if value in ("0", "1"):
        return value == "1", ()
    return False, (labels.NOTICE_PRESENTATION,)


def presentation_to_query_params(presenting: bool) -> dict[str, str]:
    """The address parameter keeping the presentation mode on (none when it is off)."""
    return {PRESENTATION_KEY: "1"} if presenting else {}


def is_campaign_param(key: str) -> bool:
    """True for a campaign-tracking parameter (`utm_source`, `mtm_campaign`, `gclid` …)."""
    lowered = key.lower()
    return lowered.startswith(_CAMPAIGN_PREFIXES) or lowered in _CAMPAIGN_KEYS


def is_known_param(key: str) -> bool:
    """True for a parameter the address may carry: a filter, a page control, the
    presentation mode, or a campaign parameter (ignored)."""
    return key in URL_KEYS or key in PAGE_CONTROLS or is_campaign_param(key)


@dataclass(frozen=True)
class PageControl:
    """A control of one page that the address carries, so a link reproduces the exact view.

    Not a filter: no other page reads it, and the address holds it only on its own page.
    Its value is a code among `choices`, an integer within `number` (inclusive), or free
    text (`text`, up to `_MAX_TEXT_LENGTH` characters).
    """

    page: str  # URL path of the page (the file name under app_pages/)
    widget_key: str
    choices: tuple[str, ...] = ()
    number: tuple[int, int] | None = None
    text: bool = False

    def parse(self, raw: str) -> str | int | None:
        """The control's value from its address text, or None when it cannot be used."""
        if self.text:
            return raw if len(raw) <= _MAX_TEXT_LENGTH else None
        if self.number is not None:
            if not re.fullmatch(r"[0-9]{1,4}", raw):
                return None
            low, high = self.number
            return int(raw) if low <= int(raw) <= high else None
        return raw if raw in self.choices else None


# Longest free text accepted from the address: the supplier search field's own limit.
_MAX_TEXT_LENGTH = 100

# The distances, in km, the local sourcing page accepts (app/queries/sourcing.py).
RADIUS_KM_RANGE = (1, 200)

PAGE_CONTROLS: dict[str, PageControl] = {
    "grain": PageControl("frequentation", "traffic_grain", choices=tuple(labels.GRAINS)),
    "measure": PageControl(
        "couverture", "coverage_measure", choices=tuple(labels.COVERAGE_MEASURES)
    ),
    "scale": PageControl("couverture", "coverage_scale", choices=tuple(labels.COVERAGE_SCALES)),
    "threshold": PageControl("couverture", "coverage_min", number=(1, 100)),
    "search": PageControl("producteurs", "supplier_search", text=True),
    "sort": PageControl("producteurs", "supplier_sort", choices=tuple(labels.SUPPLIER_SORTS)),
    "level": PageControl(
        "approvisionnement", "sourcing_level", choices=tuple(labels.SOURCING_LEVELS)
    ),
    "radius": PageControl("approvisionnement", "sourcing_radius", number=RADIUS_KM_RANGE),
    "territory": PageControl("approvisionnement", "sourcing_territory", text=True),
}


def controls_from_query_params(
    params: Mapping[str, object],
) -> tuple[dict[str, str | int], tuple[str, ...]]:
    """The page controls an address sets (`{url_key: value}`), and one French notice when
    some value cannot be used (that control then keeps its default; the value is never
    echoed back)."""
    values: dict[str, str | int] = {}
    broken = False
    for key, control in PAGE_CONTROLS.items():
        raw = params.get(key)
        if raw is None:
            continue
        items = [raw] if isinstance(raw, str) else [i for i in raw if isinstance(i, str)]
        # Free text is taken whole (a search may hold a comma); one value per control.
        value = control.parse(items[0].strip()) if len(items) == 1 else None
        if value is None:
            broken = True
        else:
            values[key] = value
    return values, (labels.NOTICE_PAGE_CONTROLS,) if broken else ()


def controls_to_query_params(values: Mapping[str, str | int], page: str) -> dict[str, str]:
    """Address parameters of the controls of `page` among `values` (other pages' dropped;
    an empty search is no parameter)."""
    return {
        key: str(value)
        for key, value in values.items()
        if key in PAGE_CONTROLS and PAGE_CONTROLS[key].page == page and str(value) != ""
    }


def _known_in_order(chosen: Iterable[str], vocabulary: Iterable[str]) -> tuple[str, ...]:
    chosen = set(chosen)
    return tuple(code for code in vocabulary if code in chosen)


def _sanitize(filters: Filters, ctx: FilterContext) -> Filters:
    """The canonical form of `filters`, the one place values are checked and ordered: the
    departments, categories and kinds this warehouse knows for the platform, each once, in the
    warehouse's order (so that two ways of choosing the same view give the same address and
    the same cached queries)."""
    return replace(
        filters,
        departments=_known_in_order(filters.departments, ctx.departments),
        categories=_known_in_order(filters.categories, ctx.categories.get(filters.platform, {})),
        kinds=_known_in_order(filters.kinds, ctx.kinds.get(filters.platform, {})),
    )


def _join(items: Iterable[str]) -> str:
    # Category and kind labels are data: each one shortened (app.inert); the caller escapes
    # the description for where it is shown (Markdown caption, Plotly subtitle).
    return ", ".join(inert.shorten(item) for item in items)


def describe(
    filters: Filters,
    ctx: FilterContext,
    *,
    platform: bool = True,
    departments: bool = True,
    categories: bool = True,
    kinds: bool | None = None,
) -> str:
    """One-line French description of the filters, used as chart subtitle: plain text
    holding category and kind labels (data), to escape where it is shown.

    `departments`/`categories`/`kinds` are False for figures those filters do not apply to, so
    the subtitle never claims a filter that was not applied. The kind filter reaches the
    figures through the suppliers, exactly as the department filter does, so `kinds` follows
    `departments` unless given. Kinds are named only when chosen (no "all kinds" text).
    """
    if kinds is None:
        kinds = departments
    parts: list[str] = []
    if platform:
        parts.append(labels.PLATFORM_NAMES.get(filters.platform, filters.platform))
    parts.append(labels.PERIOD_TEXT.format(start=fr_date(filters.start), end=fr_date(filters.end)))
    if departments:
        if filters.departments:
            parts.append(
                labels.DEPARTMENTS_PREFIX
                + _join(ctx.department_label(code) for code in filters.departments)
            )
        else:
            parts.append(labels.ALL_DEPARTMENTS)
    if categories:
        if filters.categories:
            names = ctx.categories.get(filters.platform, {})
            parts.append(
                labels.CATEGORIES_PREFIX + _join(names.get(c, c) for c in filters.categories)
            )
        else:
            parts.append(labels.ALL_CATEGORIES)
    if kinds and filters.kinds:
        names = ctx.kinds.get(filters.platform, {})
        parts.append(labels.KINDS_PREFIX + _join(names.get(k, k) for k in filters.kinds))
    return " · ".join(parts)
