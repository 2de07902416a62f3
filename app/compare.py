"""Change of a figure against the previous period, ready for `st.metric` (pure module).

Counts, durations and pages per visit change in relative terms (+12,5 %); a rate such as the
bounce rate changes in percentage points (+1,2 pt), since a relative change of a rate reads
ambiguously. The colour says whether the change is good news: `normal` (up is good, green),
`inverse` (up is bad: bounce rate), `off` (neither: average duration).
"""

from __future__ import annotations

from dataclasses import dataclass

from app import labels
from app.fmt import fr_signed_pct, fr_signed_points


@dataclass(frozen=True)
class Delta:
    text: str | None  # None: no comparison possible
    color: str = "normal"  # st.metric delta_color
    arrow: str = "auto"  # st.metric delta_arrow


def _missing(value) -> bool:
    return value is None or value != value  # None or NaN


# A relative change of a count below this base says little ("1 against 11": -90,9 %): it is
# shown grey, with its base and a note, never as red or green news.
SMALL_BASE = 20


def delta(
    current,
    previous,
    *,
    kind: str = "relative",
    good: str = "up",
    previous_label: str | None = None,
) -> Delta:
    """`kind`: 'relative' or 'points'; `good`: 'up', 'down' or 'neutral'. `previous_label`,
    the previous value as shown: the change then names its base (« −90,9 % (contre 11) »)."""
    if _missing(current) or _missing(previous):
        return Delta(None)
    small = False
    if kind == "points":
        change = float(current) - float(previous)
        text = fr_signed_points(change)
    else:
        if float(previous) == 0:
            return Delta(None)
        change = float(current) / float(previous) - 1
        text = fr_signed_pct(change)
        small = abs(float(previous)) < SMALL_BASE
    color = {"up": "normal", "down": "inverse", "neutral": "off"}[good]
    base = ""
    if previous_label is not None:
        base = labels.CHANGE_BASE_SMALL if small else labels.CHANGE_BASE
        base = " " + base.format(previous=previous_label)
    if text.lstrip("+-").startswith("0,0"):
        # Rounds to zero: no arrow, grey, and no sign that would suggest a direction.
        return Delta(text.lstrip("+-") + base, color="off", arrow="off")
    if small:
        return Delta(text + base, color="off")
    return Delta(text + base, color=color)
