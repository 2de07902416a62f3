"""Data tables shown with `st.dataframe`: values stay typed (sortable), display is French.

Numbers are displayed through a pandas Styler with babel formatting (so "1 500" whatever the
browser's language); dates through column_config as JJ/MM/AAAA. Cell contents are data and
shown as typed: text longer than `inert.MAX_CHARS` is cut with "…" (a 5 MB search term
reached the tables), the grid draws text on a canvas as it is, and the plain tables of the
presentation mode, which Streamlit renders as Markdown, get every cell and header through
`inert.markdown`. Under every table, two buttons download it as CSV (for Excel in French)
and as XLSX (`app.exports`), named after its title, platform and period, whole and with
formulas neutralised; the grid's own CSV export is switched off (`client.disableDataExport`,
set by `dashboard.py`), as it writes `=HYPERLINK(…)` as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from app import exports, inert, labels
from app.charts.theme import STATUS_COLORS
from app.context import presenting
from app.filtering import Filters
from app.fmt import DASH, fr_date_short, fr_int, fr_num, fr_pct

HIGHLIGHT = f"background-color: {STATUS_COLORS['watch'][0]}"  # the "à surveiller" tint


def show_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str],
    int_columns: Iterable[str] = (),
    pct_columns: Iterable[str] = (),
    date_columns: Iterable[str] = (),
    decimal_columns: Iterable[str] = (),
    highlight_rows: pd.Series | None = None,
    widths: Mapping[str, str | int] | None = None,
    height: int | str = "auto",
    key: str | None = None,
    title: str | None = None,
    subtitle: str = "",
    filters: Filters | None = None,
    platform: str | None = None,
    download_columns: Mapping[str, str] | None = None,
    row_kinds: Mapping[str, str] | None = None,
) -> None:
    """Show `frame[columns]` renamed to the French names in `columns` ({column: name}), with
    its CSV and XLSX downloads under it (none in presentation mode).

    `decimal_columns` get one decimal; `highlight_rows` (a Series aligned on `frame`) tints
    rows: where it is True (booleans), or in the colour it gives (colours, None for none); `widths` ({column: "small" | "medium" | "large" | px})
    sets column widths, so a half-page table shows all its columns. `title` (the table's
    heading on the page), `subtitle` (the filters, as under the charts) and `filters` (the
    platform and period) name the downloaded files and head the XLSX sheet; a table that
    does not depend on the period gives its `platform` instead of `filters`.

    `download_columns` ({column: name}): what the files carry when it differs from what is
    shown (the scorecard shows "≥ 5 000" as text and downloads the number 5000 beside a unit
    column); `row_kinds` ({column: kind column}) types those of its columns whose kind
    changes from row to row (`exports.export_columns`).
    """
    view = frame[list(columns)].rename(columns=dict(columns)).reset_index(drop=True)
    for name in view.columns:  # text is data: shown whole up to inert.MAX_CHARS characters
        if view[name].dtype == object or pd.api.types.is_string_dtype(view[name]):
            view[name] = pd.Series(
                [inert.shorten(v) if isinstance(v, str) else v for v in view[name]],
                index=view.index,
                dtype=view[name].dtype,
            )
    # The grid draws a missing value as "None": show "—" instead (the column then holds text
    # where values are missing; formatters below pass text through).
    date_names = [columns[c] for c in date_columns]
    for name in view.columns:
        missing = view[name].isna()
        if not missing.any():
            continue
        if name in date_names:
            # A date column with gaps becomes text (JJ/MM/AAAA or "—"): the grid has no way
            # to draw a missing date other than "None".
            view[name] = [
                DASH if gap else fr_date_short(pd.Timestamp(value))
                for value, gap in zip(view[name], missing)
            ]
            date_names.remove(name)
        else:
            view[name] = view[name].astype(object).where(~missing, DASH)
    formats = {
        **{columns[c]: fr_int for c in int_columns},
        **{columns[c]: fr_pct for c in pct_columns},
        **{columns[c]: lambda v: fr_num(v, 1) for c in decimal_columns},
    }
    marks = _row_marks(highlight_rows)
    if presenting():
        # A slide shows figures, not buttons: the downloads stay in the usual view.
        _projector_table(view, formats, date_names, marks)
        return
    config = {name: st.column_config.DateColumn(name, format="DD/MM/YYYY") for name in date_names}
    for column, width in (widths or {}).items():
        if column not in columns:  # a shared width map may name columns this table lacks
            continue
        name = columns[column]
        if name in config:
            config[name] = st.column_config.DateColumn(name, format="DD/MM/YYYY", width=width)
        else:
            config[name] = st.column_config.Column(name, width=width)
    st.dataframe(
        _styled(view, formats, marks),
        hide_index=True,
        column_config=config,
        height=height,
        key=key,
        width="stretch",
    )
    columns_out = exports.export_columns(
        frame,
        download_columns or columns,
        int_columns=int_columns,
        pct_columns=pct_columns,
        date_columns=date_columns,
        decimal_columns=decimal_columns,
        row_kinds=row_kinds,
    )
    title = title or key or labels.EXPORT_SHEET_FALLBACK
    if filters is not None:
        stem = exports.file_stem(title, filters.platform, filters.start, filters.end)
    else:
        stem = exports.file_stem(title, platform)
    download_buttons(columns_out, title=title, subtitle=subtitle, file_stem=stem, key=key)


# Rows a projected table shows: what a room can read at once.
PROJECTOR_ROWS = 15


def _styled(view: pd.DataFrame, formats: Mapping[str, object], marks: np.ndarray | None):
    """`view` through a Styler: French numbers, "—" for a missing value (never Python's
    "None" or pandas' "nan"), the marked rows tinted."""
    styler = view.style.format(na_rep=DASH)
    for name, formatter in formats.items():
        styler = styler.format(_text_or(formatter), subset=[name])
    if marks is not None:
        styler = styler.apply(partial(_row_styles, marks), axis=None)
    return styler


def _projector_table(
    view: pd.DataFrame,
    formats: Mapping[str, object],
    date_names: list[str],
    marks: np.ndarray | None,
) -> None:
    """Presentation mode: the grid's small canvas text cannot be enlarged, so the first rows
    (in the order chosen) are shown as a plain table, which the projector stylesheet enlarges;
    the whole table and its downloads stay one click away in the usual view."""
    head = view.head(PROJECTOR_ROWS).copy()
    for name in date_names:  # the dates the grid would have drawn as JJ/MM/AAAA
        head[name] = [
            value if isinstance(value, str) else fr_date_short(pd.Timestamp(value))
            for value in head[name]
        ]
    # st.table renders cells and headers as Markdown: a name or a search term typed by anyone
    # must show as typed, not become a link (bare addresses included), an image, an icon or
    # italics.
    for name in head.columns:
        values = head[name].tolist()
        if any(isinstance(v, str) for v in values):
            head[name] = pd.Series(
                [inert.markdown(v) if isinstance(v, str) else v for v in values],
                index=head.index,
                dtype=object,
            )
    head = head.rename(columns=inert.markdown)
    formats = {inert.markdown(name): formatter for name, formatter in formats.items()}
    head_marks = None if marks is None else marks[:PROJECTOR_ROWS]
    st.table(_styled(head, formats, head_marks).hide(axis="index"))
    if len(view) > PROJECTOR_ROWS:
        st.caption(
            labels.PROJECTOR_TABLE_HEAD.format(
                shown=fr_int(PROJECTOR_ROWS), total=fr_int(len(view))
            )
        )


def download_buttons(
    columns: list[exports.ExportColumn],
    *,
    title: str,
    subtitle: str,
    file_stem: str,
    key: str | None = None,
) -> None:
    """ "Télécharger en CSV" and "Télécharger en Excel (XLSX)" side by side.

    The files are built only when a button is clicked (a callable as `data`: a page holds
    up to a dozen tables, most never downloaded), and a click does not rerun the page.
    """
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            labels.DOWNLOAD_CSV,
            data=partial(exports.to_csv, columns),
            file_name=f"{file_stem}.csv",
            mime=exports.CSV_MIME,
            help=labels.DOWNLOAD_CSV_HELP,
            on_click="ignore",
            icon=":material/download:",
            type="tertiary",
            key=f"{key}-csv" if key else None,
        )
        st.download_button(
            labels.DOWNLOAD_XLSX,
            data=partial(exports.to_xlsx, columns, title=title, subtitle=subtitle),
            file_name=f"{file_stem}.xlsx",
            mime=exports.XLSX_MIME,
            help=labels.DOWNLOAD_XLSX_HELP,
            on_click="ignore",
            icon=":material/download:",
            type="tertiary",
            key=f"{key}-xlsx" if key else None,
        )


def _row_marks(highlight_rows: pd.Series | None) -> np.ndarray | None:
    """The CSS of each row ("" for none): HIGHLIGHT where a boolean Series is True, or the
    background colour a Series of colours gives (None: no tint)."""
    if highlight_rows is None:
        return None
    # Type by type, not `.map(type).eq(bool)`: on a text Series with no value (a scorecard
    # where no row is flagged, pandas' `str` dtype) that comparison raised NotImplementedError.
    present = highlight_rows.dropna()
    if highlight_rows.dtype == bool or (
        len(present) and all(isinstance(v, (bool, np.bool_)) for v in present)
    ):
        return np.where(highlight_rows.fillna(False).astype(bool).to_numpy(), HIGHLIGHT, "")
    return np.array(
        [f"background-color: {c}" if isinstance(c, str) and c else "" for c in highlight_rows],
        dtype=object,
    )


def _row_styles(marks: np.ndarray, data: pd.DataFrame) -> pd.DataFrame:
    """The style of every cell: its row's CSS from `_row_marks`. Built for the whole table at
    once: a row-by-row apply costs about a second on a table of 6,500 suppliers."""
    cells = np.asarray(marks, dtype=object)[:, np.newaxis]
    return pd.DataFrame(np.broadcast_to(cells, data.shape), index=data.index, columns=data.columns)


def _text_or(formatter):
    """A number formatter that leaves text (the "—" of a missing value) as it is."""
    return lambda value: value if isinstance(value, str) else formatter(value)
