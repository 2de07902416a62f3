"""Key-date labels that never overlap or leave the plot, the span before the data greyed,
and count axes on whole numbers (app/charts/layout.py)."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from app import labels
from app.charts import layout, time_bars
from app.charts.layout import LABEL_CHAR_PX, PLOT_WIDTH_PX, integer_ticks, label_rows

START, END = date(2020, 1, 1), date(2020, 12, 31)
KEY_DATES = pd.DataFrame(
    {
        "date": [
            date(2020, 3, 17),
            date(2020, 3, 30),
            date(2020, 5, 11),
            date(2020, 6, 2),
            date(2020, 9, 14),
            date(2020, 10, 30),
            date(2020, 11, 28),
            date(2020, 12, 15),
        ],
        "label": [
            "Premier confinement",
            "Ouverture de Produits frais locaux",
            "Fin du premier confinement",
            "Réouverture des restaurants",
            "Nouvelle adresse : produits-locaux.centre-valdeloire.fr",
            "Deuxième confinement",
            "Réouverture des commerces",
            "Fin du deuxième confinement",
        ],
    }
)


def weekly(start=START, end=END):
    weeks = pd.date_range(start, end, freq="W-MON")
    return pd.DataFrame({"bucket": weeks.date, "visits": [100 + i for i in range(len(weeks))]})


def weekly_chart(start=START, end=END, **options) -> go.Figure:
    """The weekly visits chart of a page, over `weekly(start, end)`."""
    return time_bars(
        weekly(start, end),
        value_col="visits",
        grain="week",
        value_label="Visites",
        start=start,
        end=end,
        title="t",
        subtitle="s",
        x_title="x",
        y_title="y",
        **options,
    )


def label_extents(fig: go.Figure, width: str):
    """(row, low px, high px) of every key-date label, as add_key_dates placed it."""
    span = (END - START).days
    out = []
    for note in fig.layout.annotations:
        if note.yref != "paper" or note.y != 1:
            continue
        anchor = (pd.Timestamp(note.x).date() - START).days / span * PLOT_WIDTH_PX[width]
        lines = note.text.split("<br>")
        extent = max(len(html.unescape(line)) for line in lines) * LABEL_CHAR_PX
        low, high = (
            (anchor - extent, anchor) if note.xanchor == "right" else (anchor, anchor + extent)
        )
        first = round(-note.yshift / layout.LABEL_ROW_PX)
        out.append((set(range(first, first + len(lines))), low, high))
    return out


def test_key_date_labels_never_overlap_nor_run_off_the_plot():
    for width in ("full", "half"):
        fig = weekly_chart(key_dates=KEY_DATES, width=width)
        extents = label_extents(fig, width)
        assert len(extents) == len(KEY_DATES)
        for i, (row, low, high) in enumerate(extents):
            assert low >= -1 and high <= PLOT_WIDTH_PX[width] + 1, (width, low, high)
            for other_row, other_low, other_high in extents[i + 1 :]:
                if row & other_row:
                    assert high <= other_low or low >= other_high, (width, row)


def test_labels_far_apart_share_the_first_row():
    days = [date(2020, 1, 10), date(2020, 12, 1)]
    assert label_rows(days, [(["a"], False), (["b"], True)], START, 365, 900) == [0, 0]
    close = [date(2020, 5, 11), date(2020, 5, 12)]
    placed = [(["Fin du confinement"], False), (["Lendemain"], False)]
    assert label_rows(close, placed, START, 365, 900) == [0, 1]
    # A label on two lines takes two rows: the next one starts below both.
    placed = [(["Nouvelle adresse :", "produits-locaux.fr"], False), (["Lendemain"], False)]
    assert label_rows(close, placed, START, 365, 900) == [0, 2]


def test_the_span_before_the_data_is_greyed_and_named():
    fig = weekly_chart(data_start=date(2020, 3, 30))
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(shaded) == 1
    assert pd.Timestamp(shaded[0].x1).date() == date(2020, 3, 30)
    texts = [a.text for a in fig.layout.annotations]
    assert labels.BEFORE_DATA.format(date="30 mars") in texts


def test_nothing_is_greyed_when_the_period_starts_with_the_data():
    fig = weekly_chart(date(2020, 3, 30), data_start=date(2020, 3, 30))
    assert not [s for s in fig.layout.shapes if s.type == "rect"]


def test_a_narrow_grey_span_has_no_label_that_would_overflow():
    start = date(2020, 3, 23)
    fig = weekly_chart(
        start, start + timedelta(days=300), data_start=date(2020, 3, 30), width="half"
    )
    assert [s for s in fig.layout.shapes if s.type == "rect"]
    assert not [a for a in fig.layout.annotations if "données" in (a.text or "")]


def test_small_counts_tick_on_whole_numbers():
    assert integer_ticks(3) == {"tickformat": ",d", "tickmode": "linear", "tick0": 0, "dtick": 1}
    assert integer_ticks(8)["dtick"] == 2
    assert integer_ticks(1200) == {"tickformat": ",d"}
    assert integer_ticks(None) == {"tickformat": ",d"}


def test_arrivals_and_departures_of_a_quiet_month_tick_on_whole_numbers():
    from app.charts import month_balance_bars

    frame = pd.DataFrame(
        {"month": [date(2020, 4, 1), date(2020, 5, 1)], "in": [1, 0], "out": [0, 1]}
    )
    fig = month_balance_bars(
        frame,
        in_col="in",
        out_col="out",
        in_label="Arrivées",
        out_label="Départs",
        start=date(2020, 4, 1),
        end=date(2020, 5, 31),
        title="t",
        subtitle="s",
        y_title="y",
    )
    ticks = list(fig.layout.yaxis.tickvals)
    assert all(float(t).is_integer() for t in ticks), ticks
    texts = dict(zip(ticks, fig.layout.yaxis.ticktext))
    for side in ([t for t in ticks if t >= 0], [t for t in ticks if t <= 0]):
        assert len({texts[t] for t in side}) == len(side), texts  # no "0, 0, 1, 1"
