"""Common top of every page: title, data span, and the current filters."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

from app import db, labels, queries
from app.context import current
from app.filtering import (
    Comparison,
    FilterContext,
    Filters,
    comparison_to_query_params,
)
from app.fmt import fr_date, fr_datetime

# Every view: captions in a grey that holds 4.5:1. Streamlit draws them in near-black at 60 %
# opacity, 3.8:1 on white. A fixed stylesheet, nothing from the data.
SCREEN_CSS = """
<style>
[data-testid="stCaptionContainer"] { opacity: 1; color: #555b66; }
[data-testid="stCaptionContainer"] p { color: #555b66; }
/* A chart's text alternative (charts.show): read by screen readers, not drawn, no gap. */
[data-testid="stElementContainer"]:has(.chart-alt) {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
</style>
"""

# Presentation mode (projector view). A fixed stylesheet — nothing from the user or the data
# goes into it. Streamlit's own test ids name the elements:
# * the sidebar and the buttons that open or close it are hidden (the filters still apply,
#   from the address; `dashboard.py` moves the page links to a bar at the top);
# * page title, headings, figures and captions are enlarged for a projector (the charts'
#   fonts are enlarged by `charts.for_projector`); so are the tables, which this mode shows as
#   plain tables of their first rows (`tables.show_table`): the grid's canvas text cannot grow.
PRESENTATION_CSS = """
<style>
section[data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"],
[data-testid="stSidebarCollapseButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }
[data-testid="stMain"] h1 { font-size: 3.6rem; }
[data-testid="stMain"] h2 { font-size: 2.8rem; }
[data-testid="stMain"] h3 { font-size: 2.2rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p {
  font-size: 1.4rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 3.4rem; line-height: 1.25; }
[data-testid="stMetricDelta"] { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
[data-testid="stMain"] [data-testid="stTable"] th,
[data-testid="stMain"] [data-testid="stTable"] td { font-size: 1.3rem; padding: 0.45rem 0.75rem; }
.presentation-note { font-size: 1rem !important; color: #555; margin: 0; }
</style>
"""


def start(title: str) -> tuple[Filters, FilterContext]:
    """Title the page and return the shared filters (stops with a message if no warehouse)."""
    db.require_warehouse()
    context = current()
    st.title(title)
    return context.filters, context.ctx


def comparison() -> Comparison:
    """The period *Fréquentation* compares with (chosen in the sidebar, kept in the address)."""
    return current().comparison


def data_span_caption() -> None:
    """'Données du 30 mars 2020 au 31 décembre 2020, chargées le …'."""
    info = db.cached(queries.load_info)
    st.caption(
        labels.DATA_SPAN.format(
            start=fr_date(info["data_start"]),
            end=fr_date(info["data_end"]),
            loaded=fr_datetime(info["loaded_at"]),
        )
    )


def no_visits_notice(filters: Filters) -> None:
    """No visit under the filters: what is empty, why, and what to change."""
    st.info(
        labels.NO_VISITS_FOR_FILTERS[filters.has_catalogue_scope].format(
            start=fr_date(filters.start), end=fr_date(filters.end)
        ),
        icon=":material/info:",
    )


def metric_with_change(
    column,
    label: str,
    value: str,
    *,
    current=None,
    previous=None,
    kind: str = "relative",
    good: str = "up",
    help: str = "",
    previous_text: str | None = None,
    previous_label: str | None = None,
    chart_data=None,
) -> None:
    """`st.metric` with its change against the previous period (French, coloured by whether
    up is good news, grey on a small base), followed by its base (`previous_label`, the
    previous value as shown); `previous_text`, a longer note, goes in the help tooltip."""
    from app.compare import delta

    change = delta(current, previous, kind=kind, good=good, previous_label=previous_label)
    if previous_text:
        help = f"{help}\n\n{previous_text}" if help else previous_text
    column.metric(
        label,
        value,
        delta=change.text,
        delta_color=change.color,
        delta_arrow=change.arrow,
        help=help or None,
        chart_data=chart_data,
        chart_type="area",
    )


def page_types_of(platform: str) -> dict[str, str]:
    """Page type code -> French name, in the platform's own words (Producteur, Entreprise)."""
    return {**labels.PAGE_TYPES, **labels.PAGE_TYPES_BY_PLATFORM[platform]}


def page_label(platform: str, page_type, entity_id, name) -> str:
    """A page as people name it: « Produit : Miel de tilleul », or its type alone (home page,
    map…); a catalogue id no longer in the catalogue is shown as such."""
    names = page_types_of(platform)
    kind = names.get(page_type, labels.PAGE_TYPES["autre"])
    if page_type in ("produit", "fournisseur", "categorie"):
        if isinstance(name, str):
            return f"{kind} : {name}"
        return f"{kind} ({labels.UNKNOWN_ENTITY.format(id=entity_id)})"
    return kind


def department_text(ctx: FilterContext, code, name) -> str:
    """'37 — Indre-et-Loire', or '86 — Vienne (hors région)' / '86 (hors région)'."""
    if code in ctx.departments:
        return ctx.department_label(code)
    if not isinstance(code, str) or not code:
        return labels.UNKNOWN_PLACE
    if isinstance(name, str) and name:
        return f"{code} — {name} ({labels.OUT_OF_REGION})"
    return f"{code} ({labels.OUT_OF_REGION})"


def presentation_view(filters: Filters, ctx: FilterContext, where=None) -> None:
    """Projector view: the fixed stylesheet, and a note at the top (in the container `where`,
    else where the page is) linking to the same view without the presentation mode.

    The link is a plain address (the canonical filters, without `presentation`) opened in the
    same tab: a new session then starts from that address, in the usual view. Its values
    are the filters' canonical codes (platform, period, dates, department and category
    codes), URL-encoded and HTML-escaped.
    """
    st.html(PRESENTATION_CSS)
    shown = {
        **filters.to_url(),
        **comparison_to_query_params(current().comparison),
    }
    quit_href = "?" + urlencode(shown, doseq=True)
    (where or st).markdown(
        f'<p class="presentation-note">{html.escape(labels.PRESENTATION_NOTE)} — '
        f'<a href="{html.escape(quit_href, quote=True)}" target="_self">'
        f"{html.escape(labels.PRESENTATION_QUIT)}</a></p>",
        unsafe_allow_html=True,
    )
