"""Data made inert wherever the dashboard shows it.

Supplier names, product titles, category labels, communes, rejected lines and search terms
come from CSV exports and web logs anyone can write into. Shown as they are, they would be
read as markup by whatever draws them: Streamlit renders Markdown (links, images, `**bold**`,
`:material/icon:` and emoji shortcodes, `:red[colour]` directives, `$LaTeX$`, bare URLs
turned into links), Plotly a subset of HTML (`<a href>`, `<b>`, `<br>`, entities). Every
data string goes through one of these functions on its way to the screen:

* `markdown(text)`: for any Streamlit call that renders Markdown (`st.caption`,
  `st.markdown`, `st.info` …, and the cells and headers of `st.table`);
* `plotly(text)`: for any text of a Plotly figure (axis categories, hover texts, trace and
  legend names, annotations, titles);
* `shorten(text)`: the length cap both apply, also used for the cells of the grid
  (`st.dataframe`), which draws text on a canvas as it is.

Pure module (no Streamlit). Downloads are made inert separately (`app.exports`: CSV cells
that would start a formula get an apostrophe, XLSX cells are typed strings).
"""

from __future__ import annotations

import html
import re

# Longest data string shown (a search term of 5 MB reached the tables): enough for any real
# name, title or search, and cut with an ellipsis beyond.
MAX_CHARS = 200
ELLIPSIS = "…"

# Invisible, and no line-break opportunity: put inside a shortcode, a directive or an address,
# it stops Streamlit from recognising it, and the text reads the same.
WORD_JOINER = "\u2060"

# Characters that break a line (or would in Markdown), shown as one space.
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
# Every ASCII punctuation character: CommonMark lets any of them be backslash-escaped, and
# each escaped one is shown as itself (never starts emphasis, a link, code, HTML, an entity,
# a heading, a list, a table, a directive or LaTeX).
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# What Streamlit still finds in the text once Markdown is parsed (escapes no longer there):
# emoji and icon shortcodes (`:smile:`, `:material/home:`), directives (`:red[…]`), addresses
# turned into links (`https://…`, `www.…`, `name@host`). A word joiner after the colon or the
# at sign, or between `www` and its dot, leaves none of them whole.
_COLON_OR_AT = re.compile(r"(\\[:@])(?=\S)")
_WWW = re.compile(r"(?i)\b(www)(?=\\\.)")


def shorten(text, limit: int | None = MAX_CHARS) -> str:
    """`text` as one line of at most `limit` characters (None: any length), cut with "…"
    beyond."""
    text = _LINE_BREAKS.sub(" ", str(text))
    if limit is not None and len(text) > limit:
        return text[: limit - 1].rstrip() + ELLIPSIS
    return text


def markdown(text, limit: int | None = MAX_CHARS) -> str:
    """`text` (shortened) for a Streamlit call that renders Markdown: shown as typed, never
    as a link, an image, an icon, HTML, LaTeX or formatting."""
    escaped = _ASCII_PUNCTUATION.sub(r"\\\1", shorten(text, limit))
    escaped = _COLON_OR_AT.sub(lambda m: m.group(1) + WORD_JOINER, escaped)
    return _WWW.sub(lambda m: m.group(1) + WORD_JOINER, escaped)


def plotly(text, limit: int | None = MAX_CHARS) -> str:
    """`text` (shortened) for a Plotly figure: `&`, `<` and `>` as entities, so that Plotly
    shows them instead of reading tags (`<a href>`, `<b>`, `<br>`) or entities."""
    return html.escape(shorten(text, limit), quote=False)
