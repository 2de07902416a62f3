"""Data tables shown with `st.dataframe`: values stay typed (sortable), display is French.

Numbers are displayed through a pandas Styler with babel formatting (so "1 500" whatever the
browser's language); dates through column_config as JJ/MM/AAAA. Cell contents are never
rendered as Markdown or HTML.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import pandas as pd
import streamlit as st

from app.fmt import fr_int, fr_pct


def show_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str],
    int_columns: Iterable[str] = (),
    pct_columns: Iterable[str] = (),
    date_columns: Iterable[str] = (),
    height: int | str = "auto",
    key: str | None = None,
) -> None:
    """Show `frame[columns]` renamed to the French names in `columns` ({column: name})."""
    view = frame[list(columns)].rename(columns=dict(columns))
    int_names = [columns[c] for c in int_columns]
    pct_names = [columns[c] for c in pct_columns]
    date_names = [columns[c] for c in date_columns]
    styler = view.style
    if int_names:
        styler = styler.format(fr_int, subset=int_names)
    if pct_names:
        styler = styler.format(fr_pct, subset=pct_names)
    config = {name: st.column_config.DateColumn(name, format="DD/MM/YYYY") for name in date_names}
    st.dataframe(styler, hide_index=True, column_config=config, height=height, key=key,
                 width="stretch")
