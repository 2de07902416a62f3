"""French formatting of numbers, shares, dates and durations (babel, locale fr_FR).

Every space inside a formatted value is the narrow no-break space U+202F (`NNBSP`), the one
babel uses as the French thousands separator, so a figure never wraps across lines and tests
can compare exact strings. Pure module (no Streamlit).
"""

from __future__ import annotations

import math
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal

from app import labels

LOCALE = "fr_FR"
NNBSP = "\u202f"  # narrow no-break space
DASH = "—"  # shown for a missing value (no data, division by zero)


def _is_missing(value) -> bool:
    if value is None or type(value).__name__ in ("NAType", "NaTType"):  # pandas NA, NaT
        return True
    try:
        return math.isnan(value)
    except TypeError:
        return False


def fr_int(value) -> str:
    """1500 -> '1 500' (rounded to the unit, half to even as babel does).

    Written without babel: tables format thousands of cells, and this is ten times faster
    while giving babel's exact output (checked in tests/test_fmt.py)."""
    if _is_missing(value):
        return DASH
    return f"{round(float(value)):,}".replace(",", NNBSP)


def fr_num(value, decimals: int = 1) -> str:
    """12.345 -> '12,3' (fixed number of decimals)."""
    if _is_missing(value):
        return DASH
    pattern = "#,##0." + "0" * decimals if decimals > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def fr_pct(share, decimals: int = 1) -> str:
    """0.125 -> '12,5 %' (share between 0 and 1; narrow no-break space before %)."""
    if _is_missing(share):
        return DASH
    return f"{fr_num(float(share) * 100, decimals)}{NNBSP}%"


def fr_date(value: date | datetime | None) -> str:
    """date(2020, 3, 30) -> '30 mars 2020'; the first of the month is '1er mars 2020'."""
    if value is None:
        return DASH
    if isinstance(value, datetime):
        value = value.date()
    text = format_date(value, format="d MMMM y", locale=LOCALE)
    if value.day == 1:
        text = "1er" + text[1:]
    return text


def fr_date_short(value: date | datetime) -> str:
    """date(2020, 3, 30) -> '30/03/2020' (tables, compact labels)."""
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y")


def fr_month(value: date | datetime) -> str:
    """date(2020, 3, 1) -> 'mars 2020'."""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="MMMM y", locale=LOCALE)


def fr_month_short(value: date | datetime) -> str:
    """date(2020, 3, 1) -> 'mars 2020', date(2020, 4, 1) -> 'avr. 2020' (axis ticks)."""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="MMM y", locale=LOCALE)


def fr_day_month(value: date | datetime) -> str:
    """date(2020, 4, 6) -> '6 avr.' (axis ticks); '1er avr.' on the first of the month."""
    if isinstance(value, datetime):
        value = value.date()
    text = format_date(value, format="d MMM", locale=LOCALE)
    if value.day == 1:
        text = "1er" + text[1:]
    return text


def fr_datetime(value: datetime | None) -> str:
    """datetime(2020, 12, 31, 23, 5) -> '31 décembre 2020 à 23:05'."""
    if value is None:
        return DASH
    return labels.DATETIME.format(date=fr_date(value), time=f"{value:%H:%M}")


def fr_duration(seconds) -> str:
    """125 -> '2 min 05 s'; 45 -> '45 s'; 3725 -> '1 h 02 min 05 s'."""
    if _is_missing(seconds):
        return DASH
    total = int(round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}{NNBSP}h {minutes:02d}{NNBSP}min {secs:02d}{NNBSP}s"
    if minutes:
        return f"{minutes}{NNBSP}min {secs:02d}{NNBSP}s"
    return f"{secs}{NNBSP}s"


def fr_signed_pct(change, decimals: int = 1) -> str:
    """0.125 -> '+12,5 %', -0.03 -> '-3,0 %' (a relative change; ASCII minus sign, which
    Streamlit's st.metric reads to orient the arrow)."""
    if _is_missing(change):
        return DASH
    text = fr_pct(abs(float(change)), decimals)
    return ("-" if change < 0 else "+") + text


def fr_signed_points(diff, decimals: int = 1) -> str:
    """0.012 -> '+1,2 pt' (difference of two shares, in percentage points)."""
    if _is_missing(diff):
        return DASH
    text = fr_num(abs(float(diff)) * 100, decimals)
    return ("-" if diff < 0 else "+") + f"{text}{NNBSP}pt"


def fr_weekday(isodow: int) -> str:
    """1 -> 'lundi' … 7 -> 'dimanche' (ISO weekday numbers)."""
    return WEEKDAYS[int(isodow) - 1]


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def raw_file_label(path: str | None) -> str:
    """`/srv/…/data/raw/produits-frais/logs/access.log.3.gz` → `produits-frais/logs/access.log.3.gz`."""
    if not path:
        return "—"
    marker = path.rfind("/raw/")
    return path[marker + len("/raw/") :] if marker >= 0 else path.rsplit("/", 1)[-1]
