"""Change of a figure against the previous period, ready for `st.metric` (pure module).

Counts, durations and pages per visit change in relative terms (+12,5 %); a rate such as the
bounce rate changes in percentage points (+1,2 pt), since a relative change of a rate reads
ambiguously. The colour says whether the change is good news: `normal` (up is good, green),
`inverse` (up is bad: bounce rate), `off` (neither: average duration).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.fmt import fr_signed_pct, fr_signed_points


@dataclass(frozen=True)
class Delta:
    text: str | None  # None: no comparison possible
    color: str = "normal"  # st.metric delta_color
    arrow: str = "auto"  # st.metric delta_arrow


def _missing(value) -> bool:
    return value is None or value != value  # None or NaN


def delta(current, previous, *, kind: str = "relative", good: str = "up") -> Delta:
    """`kind`: 'relative' or 'points'; `good`: 'up', 'down' or 'neutral'."""
    if _missing(current) or _missing(previous):
        return Delta(None)
    if kind == "points":
        change = float(current) - float(previous)
        text = fr_signed_points(change)
    else:
        if float(previous) == 0:
            return Delta(None)
        change = float(current) / float(previous) - 1
        text = fr_signed_pct(change)
    color = {"up": "normal", "down": "inverse", "neutral": "off"}[good]
    if text.lstrip("+-").startswith("0,0"):
        # Rounds to zero: no arrow, grey, and no sign that would suggest a direction.
        return Delta(text.lstrip("+-"), color="off", arrow="off")
    return Delta(text, color=color)
