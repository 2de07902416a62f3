"""Observatoire des circuits courts — entry point: `streamlit run dashboard.py`.

Sets the page, draws the shared sidebar filters once (before the page runs, so every page
reads the same filters), then runs the page chosen in the navigation. With
`?presentation=1` the sidebar is hidden and texts are enlarged for a projector.
"""

import streamlit as st

from app import context, db, labels
from app.access import require_login
from app.filters import current_comparison, presentation_mode, render_filters, show_notices
from app.french_ui import FRENCH_DOCUMENT_SCRIPT
from app.keyboard import ENTER_COMMITS_DATES_SCRIPT
from app.page import SCREEN_CSS, presentation_view

# The grid's own CSV export writes formulas raw: .streamlit/config.toml switches it off. A
# server started without that file (another working folder) draws no figure: setting the
# option here would need a rerun, which loses a deep link's sub-page.
if not st.get_option("client.disableDataExport"):
    st.error(labels.DATA_EXPORT_NOT_DISABLED)
    st.stop()

# `?presentation=1`: projector view, sidebar hidden (read from the address once per session).
presenting = presentation_mode()
# An emoji as page icon: a Material icon would be fetched from the internet.
st.set_page_config(
    page_title=labels.APP_TITLE,
    layout="wide",
    page_icon="🧺",
    initial_sidebar_state="collapsed" if presenting else "auto",
)

# Streamlit serves `<html lang="en">` and writes its own tooltips, menus and screen-reader
# labels in English: the script marks the document as French and translates them. The
# stylesheet darkens captions and keeps each chart's text alternative for screen readers;
# Enter in a date field applies the typed dates (app/keyboard.py).
st.html(
    FRENCH_DOCUMENT_SCRIPT + ENTER_COMMITS_DATES_SCRIPT + SCREEN_CSS, unsafe_allow_javascript=True
)

require_login()  # when OIDC is configured, nothing but the login prompt before sign-in

pages = [
    st.Page(
        "app_pages/vue_ensemble.py",
        title=labels.PAGE_OVERVIEW,
        icon=":material/dashboard:",
        default=True,
    ),
    st.Page("app_pages/frequentation.py", title=labels.PAGE_TRAFFIC, icon=":material/bar_chart:"),
    st.Page("app_pages/parcours.py", title=labels.PAGE_JOURNEYS, icon=":material/alt_route:"),
    st.Page("app_pages/producteurs.py", title=labels.PAGE_SUPPLIERS, icon=":material/agriculture:"),
    st.Page("app_pages/couverture.py", title=labels.PAGE_COVERAGE, icon=":material/grid_on:"),
    st.Page(
        "app_pages/approvisionnement.py",
        title=labels.PAGE_SOURCING,
        icon=":material/restaurant:",
    ),
    st.Page("app_pages/equipements.py", title=labels.PAGE_EQUIPMENT, icon=":material/masks:"),
    st.Page("app_pages/qualite.py", title=labels.PAGE_QUALITY, icon=":material/fact_check:"),
]
# The sidebar is hidden in presentation mode: the page links move to a bar at the top.
page = st.navigation(pages, position="top" if presenting else "sidebar")

db.require_warehouse()  # French message and stop when there is no warehouse yet
# Presentation mode: the note, then a bar with platform, period and categories (the sidebar that
# holds them is hidden), above the page; both containers are filled once the filters are read.
note, bar = (st.container(), st.container(key="presentation-bar")) if presenting else (None, None)
filters, ctx = render_filters(bar=bar, page=page.url_path)
context.publish(
    context.PageContext(
        filters=filters, ctx=ctx, presenting=presenting, comparison=current_comparison()
    )
)
show_notices()
if presenting:
    presentation_view(filters, ctx, note)
page.run()
