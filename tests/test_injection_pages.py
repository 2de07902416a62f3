"""Every page run (AppTest) on a warehouse whose names, titles, categories, kinds, communes,
rejected lines and search terms carry Markdown, HTML, Plotly markup, Streamlit shortcodes and
spreadsheet formulas: nothing of it reaches the page as markup.

`hostile_warehouse()` builds that warehouse from a copy of the session's small warehouse
(tests/browser/test_injection.py uses it too).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import inert, labels
from etl import derive
from tests.figure_text import strings_in
from tests.test_pages_apptest import DASHBOARD, PAGES, TIMEOUT

EVIL = "evil.example"

MARKDOWN = ["[x](https://evil.example/a)", "![p](https://evil.example/p.png)", "**b**"]
HTML = ['<a href="https://evil.example">a</a>', "<b>b</b>", "<img src=https://evil.example/i.png>"]
PLOTLY = ["x<br>y", "%{x}"]
FORMULAS = ['=HYPERLINK("https://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+1"]
# What Streamlit's Markdown adds to CommonMark: icons, emoji, directives, LaTeX, bare links.
STREAMLIT = [
    ":material/home: :red[rouge] :smile: $x^2$",
    "https://evil.example/nu www.evil.example contact@evil.example",
]
HOSTILE = MARKDOWN + HTML + PLOTLY + FORMULAS + STREAMLIT

# Known categories renamed (code: hostile label) and the unknown one of each platform.
CATEGORIES = {
    "produits-frais": {
        "oeufs": '<a href="https://evil.example">Œufs</a>',
        "miel": "[Miel](https://evil.example/m) %{x}",
        "boissons": '=HYPERLINK("https://evil.example","Boissons")',
    },
    "equipements-protection": {
        "masques": '<a href="https://evil.example">Masques</a>',
        "blouses": "**Blouses** <b>b</b> %{x}",
        "visieres": "Visières<br>x ![p](https://evil.example/p.png)",
    },
}
UNKNOWN_CATEGORY = (
    "Non classé : ![p](https://evil.example/p.png) [x](https://evil.example/a) "
    "<img src=https://evil.example/i.png> <b>b</b>"
)
KIND = "<b>Producteur</b> **b**"
COMMUNE = '<a href="https://evil.example">Tours</a>'
# A search of 5 MB: the tables show its first characters only (unit tests). The warehouse's
# is 100,000 characters, searched 150 times like the others (150 searches of 5 MB would take
# more than the dashboard's 256 MB to count: tests/test_injection_helpers.py checks the
# French message then).
LONG_SEARCH = "miel" + "x" * 5_000_000
LOGGED_LONG_SEARCH = LONG_SEARCH[:100_000]


def hostile_name(i: int) -> str:
    """The i-th hostile name: every string of HOSTILE once, then numbered (still starting
    with the formula's character)."""
    base = HOSTILE[i % len(HOSTILE)]
    return base if i < len(HOSTILE) else f"{base} n°{i}"


def hostile_warehouse(source: Path, target: Path) -> Path:
    """A copy of the dashboard file `source` at `target` with hostile texts everywhere the
    data can put text (the hits stay in the load's database, which the dashboard never opens)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        for platform in ("produits-frais", "equipements-protection"):
            # Named in the order the presentation tables show them (active, least viewed
            # first, as *Producteurs et produits* sorts by default): each hostile text is then
            # among the rows a projector shows, whatever the demo's figures.
            ids = [
                r[0]
                for r in con.execute(
                    """SELECT s.supplier_id
                       FROM suppliers AS s
                       LEFT JOIN (
                           SELECT coalesce(l.supplier_id, e.entity_id) AS supplier_id,
                                  sum(e.pageviews) AS pageviews
                           FROM entity_views_daily AS e
                           LEFT JOIN listings AS l
                                  ON e.page_type = 'produit' AND l.platform = e.platform
                                 AND l.listing_id = e.entity_id
                           WHERE e.platform = $1 AND e.page_type IN ('produit', 'fournisseur')
                           GROUP BY ALL
                       ) AS v ON v.supplier_id = s.supplier_id
                       WHERE s.platform = $1
                       ORDER BY s.left_on IS NOT NULL, coalesce(v.pageviews, 0), s.supplier_id""",
                    [platform],
                ).fetchall()
            ]
            for i, supplier_id in enumerate(ids):
                con.execute(
                    "UPDATE suppliers SET name = ? WHERE platform = ? AND supplier_id = ?",
                    [hostile_name(i), platform, supplier_id],
                )
            if tables & {"supplier_snapshots"}:  # absent from the hand-made warehouse
                con.execute("""UPDATE supplier_snapshots AS ss SET name = s.name FROM suppliers AS s
                               WHERE ss.platform = s.platform AND ss.supplier_id = s.supplier_id""")
            con.execute(
                "UPDATE suppliers SET commune = ? WHERE platform = ? AND supplier_id = ?",
                [COMMUNE, platform, ids[1]],
            )
            if platform == "produits-frais":
                con.execute(
                    "UPDATE suppliers SET kind = ? WHERE platform = ? AND supplier_id = ?",
                    [KIND, platform, ids[2]],
                )
            ids = [
                r[0]
                for r in con.execute(
                    "SELECT listing_id FROM listings WHERE platform = ? ORDER BY listing_id",
                    [platform],
                ).fetchall()
            ]
            for i, listing_id in enumerate(ids):
                con.execute(
                    "UPDATE listings SET title = ? WHERE platform = ? AND listing_id = ?",
                    [hostile_name(i + 3), platform, listing_id],
                )
            for code, label in CATEGORIES[platform].items():
                [old] = con.execute(
                    "SELECT category FROM categories WHERE platform = ? AND category_code = ?",
                    [platform, code],
                ).fetchone()
                con.execute(
                    "UPDATE categories SET category = ? WHERE platform = ? AND category_code = ?",
                    [label, platform, code],
                )
                for table in ("listings", "listing_snapshots"):
                    con.execute(
                        f"UPDATE {table} SET category = ? WHERE platform = ? AND category = ?",
                        [label, platform, old],
                    )
            # The unknown category's offer opens late: the Équipements page names it in the
            # note on categories opened after the launch (the reviewer's first case).
            for table in ("listings", "listing_snapshots"):
                con.execute(
                    f"""UPDATE {table} SET category = ? WHERE platform = ?
                                AND category LIKE 'Non classé%'""",
                    [UNKNOWN_CATEGORY, platform],
                )
            con.execute(
                """UPDATE listings SET created_on = DATE '2020-07-15', withdrawn_on = NULL,
                           is_active = true WHERE platform = ? AND category = ?""",
                [platform, UNKNOWN_CATEGORY],
            )
            searches = con.execute(
                """SELECT rowid FROM pageviews WHERE platform = ?
                                      AND page_type = 'recherche' ORDER BY ts, rowid""",
                [platform],
            ).fetchall()
            terms = [*HOSTILE, LOGGED_LONG_SEARCH] if platform == "produits-frais" else HOSTILE
            # Each hostile search 150 times, so that they rank among the top searches.
            for i, (rowid,) in enumerate(searches[: len(terms) * 150]):
                con.execute(
                    "UPDATE pageviews SET search_terms = ? WHERE rowid = ?",
                    [terms[i % len(terms)], rowid],
                )
        # The search figures read the searches as the load keeps them.
        derive.over_every_day(con, "47_visit_searches.sql", "visit_searches")
        if "annotations" in tables:
            # Analysts' notes: the load quarantines formulas, but the table is shown as text
            # whatever it holds. One per week of 2020, every platform.
            con.executemany(
                "INSERT INTO annotations VALUES (DATE '2020-04-06' + 7 * ?, NULL, ?, 'a.csv', ?)",
                [[i, text, i + 2] for i, text in enumerate(HOSTILE)],
            )
        if "canteens" in tables:
            # Canteens, EPCIs and territorial food projects: names as their publishers typed
            # them (etl/canteens.py), on the Approvisionnement local page.
            sirets = con.execute("SELECT siret FROM canteens ORDER BY siret").fetchall()
            for i, (siret,) in enumerate(sirets):
                con.execute(
                    "UPDATE canteens SET name = ?, epci_name = ? WHERE siret = ?",
                    [hostile_name(i), hostile_name(i + 1), siret],
                )
            projects = con.execute("SELECT food_project_id FROM food_projects ORDER BY 1")
            for i, (project,) in enumerate(projects.fetchall()):
                con.execute(
                    "UPDATE food_projects SET name = ? WHERE food_project_id = ?",
                    [hostile_name(i + 2), project],
                )
        rows = con.execute("SELECT rowid FROM rejected_rows ORDER BY rowid").fetchall()
        for i, (rowid,) in enumerate(rows):
            con.execute(
                # A code no label knows is shown as itself: hostile too, like the detail.
                "UPDATE rejected_rows SET raw_text = ?, reason_code = ?, detail = ? WHERE rowid = ?",
                [hostile_name(i), hostile_name(i + 5), hostile_name(i + 3), rowid],
            )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return target


@pytest.fixture(scope="session")
def hostile_db(small_warehouse, tmp_path_factory) -> Path:
    return hostile_warehouse(
        small_warehouse, tmp_path_factory.mktemp("hostile") / "warehouse.duckdb"
    )


# --- what the page received --------------------------------------------------------------

# Pieces of the hostile strings that Markdown-rendered text must never hold unescaped:
# `inert.markdown` backslash-escapes every punctuation mark (`evil\\.example`).
RAW_IN_MARKDOWN = [EVIL, "<a", "<b>", "<img", "**b**", "](", ":material/", ":red[", "$x^2$", "%{x}"]
# What Streamlit finds in the text once Markdown has taken the escapes away: emoji and icon
# shortcodes, directives, bare addresses it turns into links. A word joiner breaks them.
AFTER_PARSING = re.compile(r":[\w+-][\w+-]*:|:[a-z]+\[|https?://|www\.|\w@\w", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Pieces a Plotly text must never hold: tags and entities come escaped (`&lt;a`).
RAW_IN_PLOTLY = ["<a", "<b>", "<img", "x<br>y", "Visières<br>x"]


def markdown_leaks(text: str) -> list[str]:
    """What of `text` Streamlit's Markdown would read as markup."""
    unescaped = _ESCAPE.sub("\0", text)
    parsed = _ESCAPE.sub(r"\1", text)
    return [piece for piece in RAW_IN_MARKDOWN if piece in unescaped] + AFTER_PARSING.findall(
        parsed
    )


def markdown_texts(at: AppTest) -> list[str]:
    """Every text of the page Streamlit renders as Markdown (our own presentation note,
    which is fixed HTML, left out)."""
    texts = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "title",
        "header",
        "subheader",
    ):
        texts += [
            element.value for element in at.get(kind) if "presentation-note" not in element.value
        ]
    texts += [element.label for element in at.get("metric")]
    texts += [element.label for element in at.get("expander")]
    return texts


def table_texts(at: AppTest) -> list[str]:
    """Every cell and header of the `st.table`s (rendered as Markdown)."""
    texts = []
    for table in at.table:
        texts += [str(c) for c in table.value.columns]
        for column in table.value.columns:
            texts += [str(v) for v in table.value[column].tolist()]
    return texts


def grid_texts(at: AppTest) -> list[str]:
    texts = []
    for frame in at.dataframe:
        for column in frame.value.columns:
            texts += [v for v in frame.value[column].tolist() if isinstance(v, str)]
    return texts


def figure_strings(at: AppTest) -> Iterator[tuple[str, str]]:
    """(path in the figure, text) of every string of every Plotly figure of the page."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        spec["layout"].pop("template", None)  # Plotly's theme: no data in it
        yield from strings_in({"data": spec["data"], "layout": spec["layout"]})


def vega_strings(at: AppTest) -> Iterator[tuple[str, str]]:
    """(path in the specification, text) of every string of every Vega-Lite chart (the
    landing page's weekly charts, `app.charts.light`)."""
    for chart in at.get("vega_lite_chart"):
        yield from strings_in(json.loads(chart.proto.spec), "vega")


def run_page(page: str, presenting: bool, **params: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT)
    at.query_params["period"] = "annee-2020"
    at.query_params.update(params)
    if presenting:
        at.query_params["presentation"] = "1"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("presenting", [False, True], ids=["usual", "presentation"])
@pytest.mark.parametrize("page", PAGES)
def test_hostile_texts_reach_no_page_as_markup(hostile_db, monkeypatch, page, presenting):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    assert_inert(run_page(page, presenting), page)


@pytest.mark.parametrize("level", ["epci", "food_project"])
def test_hostile_territory_names_are_shown_as_typed(hostile_db, monkeypatch, level):
    """Canteen groups named by their publishers (EPCIs, PATs): in the table and the heatmap
    as text, never as markup."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    page = "app_pages/approvisionnement.py"
    at = run_page(page, False, level=level)
    assert_inert(at, page)
    shown = grid_texts(at)
    assert [name for name in HOSTILE if any(t.startswith(name) for t in shown)], shown[:20]
    # One group chosen: its hostile name is quoted in the notes under its lists.
    column = "epci_code" if level == "epci" else "food_project_id"
    table = "canteens" if level == "epci" else "food_projects"
    with duckdb.connect(str(hostile_db), read_only=True) as con:
        (territory,) = con.execute(f"SELECT min({column}) FROM {table}").fetchone()
    assert_inert(run_page(page, False, level=level, territory=territory), page)


def assert_inert(at: AppTest, page: str) -> None:
    """No data text of the page rendered as Markdown, HTML or a chart expression, nor longer
    than the cap."""
    markdown = markdown_texts(at) + table_texts(at)
    leaks = [(leak, text[:160]) for text in markdown for leak in markdown_leaks(text)]
    assert not leaks, f"data rendered as Markdown on {page}: {leaks[:5]}"

    plotly, vega = list(figure_strings(at)), list(vega_strings(at))
    assert plotly or vega, f"no chart on {page}"
    # Vega-Lite draws text as text: what must never hold data is an expression it evaluates.
    expressions = [text for path, text in vega if path.endswith(("labelExpr", ".expr"))]
    assert not [text for text in expressions for piece in (*HOSTILE, EVIL) if piece in text]
    assert all(len(text) <= 4000 for _path, text in vega)
    leaks = [
        (path, text[:160]) for path, text in plotly for piece in RAW_IN_PLOTLY if piece in text
    ]
    assert not leaks, f"data read as HTML by Plotly on {page}: {leaks[:5]}"
    templates = {text for path, text in plotly if path.endswith(("hovertemplate", "texttemplate"))}
    assert templates <= {"%{hovertext}<extra></extra>", "%{text}"}, templates

    # No text longer than the cap reaches a table or a chart (the 5 MB search term).
    longest = max([len(t) for t in grid_texts(at) + table_texts(at)] + [0])
    assert longest <= 2 * inert.MAX_CHARS + 50  # escaped Markdown is up to twice as long
    assert all(len(text) <= 4000 for _path, text in plotly)


def test_the_unknown_category_is_named_in_the_equipment_caption_as_text(hostile_db, monkeypatch):
    """The reviewer's first case: the note on unknown categories (named once, never drawn as
    a category) names it, escaped (shown as typed, no link, no image)."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    at = run_page("app_pages/equipements.py", False)
    notes = [
        c.value
        for c in at.caption
        if c.value.startswith(labels.UNCLASSIFIED_OFFERS_NOTE.split("{")[0])
    ]
    assert notes, [c.value for c in at.caption]
    assert inert.markdown(UNKNOWN_CATEGORY) in notes[0]


def test_hostile_names_are_in_the_tables_as_typed(hostile_db, monkeypatch):
    """The grid shows the names as typed; presentation mode's tables as inert Markdown."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    usual = [
        text
        for page in (
            "app_pages/producteurs.py",
            "app_pages/frequentation.py",
            "app_pages/qualite.py",
        )
        for text in grid_texts(run_page(page, False))
    ]
    for name in HOSTILE:  # as typed, or numbered after it (hostile_name)
        assert any(text == name or text.startswith(f"{name} n°") for text in usual), name
    # The 5 MB search, normalised ("miel" and x's): its first characters and an ellipsis.
    assert inert.shorten(LOGGED_LONG_SEARCH) in usual
    projected = set(table_texts(run_page("app_pages/producteurs.py", True)))
    # The first 15 rows, least seen first: some of the names at least, all escaped.
    assert {inert.markdown(name) for name in HOSTILE} & projected


def test_hostile_annotations_are_in_the_traffic_chart_as_text(hostile_db, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    at = run_page("app_pages/frequentation.py", False)
    hovers = " ".join(text for path, text in figure_strings(at) if ".hovertext" in path)
    hovers = hovers.replace("<br>", " ")  # long notes are wrapped over lines
    for text in HOSTILE:
        assert inert.plotly(text) in hovers, text
    assert any(c.value == labels.ANNOTATIONS_NOTE for c in at.caption)


def test_a_search_that_finds_nothing_quotes_the_term_as_text(hostile_db, monkeypatch):
    """« Aucun fournisseur actif ne correspond à la recherche « … » »: the term as typed,
    never as Markdown, whatever it holds."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    at = run_page("app_pages/producteurs.py", False)
    for piece in MARKDOWN + HTML + STREAMLIT[:1]:
        term = f"{piece} introuvable-zz"[:100]
        at.text_input(key="supplier_search").set_value(term).run()
        assert not at.exception, [e.message for e in at.exception]
        notes = [i.value for i in at.info if i.value.startswith("Aucun fournisseur actif ne")]
        assert notes == [labels.SUPPLIER_TABLE_NO_MATCH.format(search=inert.markdown(term))]
        assert not markdown_leaks(notes[0]), notes[0]


def test_chart_text_alternatives_hold_data_escaped(hostile_db, monkeypatch):
    """The paragraph after each chart (read by screen readers) quotes category names: as
    text, never as markup."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    at = run_page("app_pages/equipements.py", False)
    alternatives = [
        e.proto.body for e in at.get("html") if e.proto.body.startswith('<p class="chart-alt">')
    ]
    assert len(alternatives) == len(at.get("plotly_chart"))
    assert any("&lt;a href" in a for a in alternatives), alternatives[:2]
    for text in alternatives:
        inner = text.split(">", 1)[1].rsplit("<", 1)[0]
        assert "<" not in inner and ">" not in inner, inner[:160]
