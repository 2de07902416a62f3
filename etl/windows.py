"""The days a load touched, taken in windows of whole days for the steps that derive them
(robots by behaviour, visits), so that their memory stays bounded."""

from __future__ import annotations

from datetime import date, timedelta


def _touched_span(con) -> dict:
    """$first_day and $last_day: the span of the days this load touched (an empty span when
    none), so that the SQL's scans skip the row groups outside it."""
    first, last = con.execute("select min(day), max(day) from touched_days").fetchone()
    if first is None:
        first = last = date(1, 1, 1)
    return {"first_day": first, "last_day": last}


# Hits grouped at a time by the robot and visit steps, which group every hit of the days they
# derive. A visitor id, hence a visit, never crosses a day, so days taken a window at a time
# give the same figures with bounded memory: a full load at scale 50 (270 million hits) ran
# out of its memory at once, while scale 10 (54 million) went through in one piece.
DERIVE_WINDOW_HITS = 20_000_000


def _derive_windows(con) -> list[dict]:
    """$first_day/$last_day of consecutive windows over the touched days, each of whole days
    holding about DERIVE_WINDOW_HITS hits at most (a single day may hold more): one window
    for a daily load or a small warehouse."""
    span = _touched_span(con)
    per_day = con.execute(
        """select h.ts::date as day, count(*) from hits h
           semi join touched_days d on h.platform = d.platform and h.ts::date = d.day
           where h.ts >= $first_day and h.ts < $last_day + interval 1 day
           group by 1 order by 1""",
        span,
    ).fetchall()
    windows, start, held = [], span["first_day"], 0
    for day, hits in per_day:
        if held and held + hits > DERIVE_WINDOW_HITS:
            windows.append({"first_day": start, "last_day": day - timedelta(days=1)})
            start, held = day, 0
        held += hits
    windows.append({"first_day": start, "last_day": span["last_day"]})
    return windows
