"""Common top of every page: title, data span, and the current filters."""

from __future__ import annotations

import streamlit as st

from app import db, labels, queries
from app.filtering import FilterContext, Filters
from app.filters import current
from app.fmt import fr_date, fr_datetime


def _leave_legacy_multipage_mode() -> None:
    """Run the page through dashboard.py even when Streamlit took the legacy route.

    Streamlit pitfall: with a `pages/` folder next to the entry script, the first request of a
    server's life that targets a sub-page (a bookmarked link after a restart) runs that page
    file on its own, in the legacy "pages directory" mode: file names as navigation, no
    `set_page_config`, until somebody opens the home page. Clearing the flag and rerunning
    makes Streamlit execute dashboard.py, whose `st.navigation` then resolves the same page.
    (Renaming the folder, e.g. `app_pages/`, would remove the need for this guard.)
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # internal module moved: nothing to fix then
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def start(title: str) -> tuple[Filters, FilterContext]:
    """Title the page and return the shared filters (stops with a message if no warehouse)."""
    _leave_legacy_multipage_mode()
    db.require_warehouse()
    filters, ctx = current()
    st.title(title)
    return filters, ctx


def data_span_caption() -> None:
    """'Données du 30 mars 2020 au 31 décembre 2020, chargées le …'."""
    info = db.cached(queries.load_info)
    st.caption(labels.DATA_SPAN.format(
        start=fr_date(info["data_start"]),
        end=fr_date(info["data_end"]),
        loaded=fr_datetime(info["loaded_at"]),
    ))
