"""The script of app/french_ui.py on a page of its own: what it translates, when, and what it
leaves alone (no Streamlit server needed: the script only reads the document)."""

from __future__ import annotations

import re

import pytest

from app.french_ui import FRENCH_DOCUMENT_SCRIPT

SCRIPT = re.search(r"<script>(.*)</script>", FRENCH_DOCUMENT_SCRIPT, re.DOTALL).group(1)

PAGE = """<!doctype html><html lang="en"><body>
<div id="ui">
  <span id="search">Search</span>
  <span id="spaced">  Fullscreen </span>
  <span id="longer">Search terms</span>
  <button id="help" aria-label="Help for Période"></button>
  <input id="choose" placeholder="Choose an option">
  <span id="price">Help for $1 &amp; $&amp;</span>
  <div id="month" role="spinbutton" aria-valuetext="04 – April"></div>
  <span id="selected">Selected Date: May 31, 2020</span>
</div>
<div data-testid="stTable"><table><tr>
  <td id="cell">Search</td><td id="cell-label" aria-label="Open">Open</td>
</tr></table></div>
<div role="grid"><div role="gridcell" id="gridcell">Stop</div></div>
</body></html>"""


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_content(PAGE)
    page.add_script_tag(content=SCRIPT)
    yield page
    page.close()


def text(page, element_id: str) -> str:
    return page.eval_on_selector(f"#{element_id}", "e => e.textContent")


def test_translates_whole_strings_and_attributes_and_marks_the_document_french(page):
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert text(page, "search") == "Rechercher"
    assert text(page, "spaced") == "  Plein écran "  # the spaces around stay
    assert text(page, "longer") == "Search terms"  # never part of a text
    assert page.get_attribute("#help", "aria-label") == "Aide : Période"
    assert page.get_attribute("#choose", "placeholder") == "Choisir une option"
    # The date field's month, read by screen readers.
    assert page.get_attribute("#month", "aria-valuetext") == "04 – avril"
    assert text(page, "selected") == "Date choisie : 31 mai 2020"
    # A `$` in the varying part is text, not a replacement pattern.
    assert text(page, "price") == "Aide : $1 & $&"


def test_never_translates_data(page):
    assert text(page, "cell") == "Search"
    assert text(page, "cell-label") == "Open"
    assert page.get_attribute("#cell-label", "aria-label") == "Open"
    assert text(page, "gridcell") == "Stop"


def test_translates_what_appears_later_and_what_changes(page):
    # Tooltips and menus are created on hover and click; React rewrites texts in place.
    page.evaluate("""() => {
        const item = document.createElement("div");
        item.id = "added";
        item.innerHTML = '<span id="item">Sort ascending</span><span id="tip" title="Download as CSV"></span>';
        document.body.append(item);
        document.querySelector("#longer").firstChild.nodeValue = "Hide column";
        document.querySelector("#choose").setAttribute("placeholder", "No results");
    }""")
    page.wait_for_function("document.querySelector('#item').textContent === 'Tri croissant'")
    assert page.get_attribute("#tip", "title") == "Exporter en CSV"
    page.wait_for_function("document.querySelector('#longer').textContent === 'Masquer la colonne'")
    page.wait_for_function("document.querySelector('#choose').placeholder === 'Aucun résultat'")
