"""Tables: marked rows are tinted, and only those."""

from __future__ import annotations

import pandas as pd

from app import tables


def test_highlighted_rows_and_only_those_are_tinted(monkeypatch):
    shown = {}
    monkeypatch.setattr(
        tables.st, "dataframe", lambda styler, **kwargs: shown.setdefault("styler", styler)
    )
    monkeypatch.setattr(tables, "download_buttons", lambda *args, **kwargs: None)
    frame = pd.DataFrame({"name": ["A", "B", "C", "D"], "views": [0, 12, 0, 1500]})
    tables.show_table(
        frame,
        columns={"name": "Nom", "views": "Pages vues"},
        int_columns=["views"],
        highlight_rows=frame["views"] == 0,
        key="t",
    )
    styler = shown["styler"]
    styler._compute()
    tinted = {
        row
        for (row, _column), styles in styler.ctx.items()
        if ("background-color", tables.HIGHLIGHT.split(": ")[1]) in styles
    }
    assert tinted == {0, 2}
    assert {column for (row, column) in styler.ctx if row == 0} == {0, 1}  # the whole row
    assert styler.data["Pages vues"].tolist() == [0, 12, 0, 1500]  # values stay numbers


def test_rows_take_the_colour_given_for_them(monkeypatch):
    shown = {}
    monkeypatch.setattr(
        tables.st, "dataframe", lambda styler, **kwargs: shown.setdefault("styler", styler)
    )
    monkeypatch.setattr(tables, "download_buttons", lambda *args, **kwargs: None)
    frame = pd.DataFrame({"name": ["a", "b", "c"]})
    tables.show_table(
        frame,
        columns={"name": "Nom"},
        highlight_rows=pd.Series(["#fdecea", None, "#fff8d6"]),
        key="t",
    )
    styler = shown["styler"]
    styler._compute()
    colours = {row: dict(styles).get("background-color") for (row, _), styles in styler.ctx.items()}
    assert colours == {0: "#fdecea", 2: "#fff8d6"} or colours == {
        0: "#fdecea",
        1: None,
        2: "#fff8d6",
    }


def test_no_row_flagged_in_a_text_series_tints_nothing():
    # Vue d'ensemble with a department chosen: no scorecard row to watch or not met, so the
    # status-to-colour map gives a `str` Series of missing values (it raised before).
    status = pd.Series(["met", "met", "not_evaluated"], dtype="str")
    flagged = status.map({"not_met": "#fdecea", "watch": "#fff8d6"})
    assert list(tables._row_marks(flagged)) == ["", "", ""]
    assert list(tables._row_marks(pd.Series([True, None, False], dtype=object))) == [
        tables.HIGHLIGHT,
        "",
        "",
    ]
