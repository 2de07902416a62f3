"""The context of one run of a page: what `dashboard.py` decided before the page runs.

`dashboard.py` parses the address and draws the sidebar once per run, then stores one frozen
`PageContext` here; pages, charts and tables read it instead of reaching back into the sidebar
module. Kept in `st.session_state`, not in a module global: Streamlit runs every browser
session in the same process, and each one has its own filters.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.filtering import Comparison, FilterContext, Filters

_KEY = "observatoire_page_context"


@dataclass(frozen=True)
class PageContext:
    filters: Filters
    ctx: FilterContext
    presenting: bool = False
    comparison: Comparison = Comparison()  # the period *Fréquentation* compares with


def publish(context: PageContext) -> None:
    """Called by dashboard.py once per run, after the sidebar, before the page."""
    st.session_state[_KEY] = context


def current() -> PageContext:
    """This run's context. A page run without dashboard.py is a programming error."""
    try:
        return st.session_state[_KEY]
    except KeyError:
        raise RuntimeError("page run outside dashboard.py: no page context") from None


def presenting() -> bool:
    """True in the presentation (projector) mode; False before dashboard.py has decided."""
    context = st.session_state.get(_KEY)
    return bool(context and context.presenting)
