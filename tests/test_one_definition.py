"""Each headline figure has one definition: the same number wherever it appears.

On the real pipeline's warehouse (tests/conftest.py), under several filter combinations, the
overview's figures (app/overview.py, what *Vue d'ensemble* shows) equal the queries the other
pages call, the scorecard measures, the meeting report's cells and the CSV/XLSX exports of the
matching tables. The SQL files are also checked to filter on codes, never on French labels.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import duckdb
import openpyxl
import pytest

from app import exports, overview, queries, scorecard
from app.filtering import Filters
from app.fmt import fr_int, fr_pct

SQL_DIR = Path(__file__).resolve().parent.parent / "app" / "sql"


@pytest.fixture(scope="module")
def ctx(small_warehouse):
    with duckdb.connect(str(small_warehouse), read_only=True) as conn:
        return queries.filter_context(conn)


def _combinations(ctx):
    """(name, filters of the fresh-produce platform): the filter combinations checked."""
    end = ctx.data_end
    base = Filters("produits-frais", ctx.data_start, end)
    category = next(iter(ctx.categories["produits-frais"]))
    kind = next(iter(ctx.kinds["produits-frais"]))
    return {
        "no filter": base,
        "department": Filters("produits-frais", ctx.data_start, end, departments=("37",)),
        "category": Filters("produits-frais", ctx.data_start, end, categories=(category,)),
        "kind": Filters("produits-frais", ctx.data_start, end, kinds=(kind,)),
        "department and category": Filters(
            "produits-frais", ctx.data_start, end, departments=("45",), categories=(category,)
        ),
        "30 days": Filters("produits-frais", end - timedelta(days=29), end, period="custom"),
    }


COMBINATIONS = ["no filter", "department", "category", "kind", "department and category", "30 days"]


def _csv_column(data: bytes, header: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    return [row[rows[0].index(header)] for row in rows[1:]]


def _xlsx_column(data: bytes, header: str) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
    start = next(i for i, row in enumerate(rows) if header in row)
    return [row[rows[start].index(header)] for row in rows[start + 1 :]]


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_each_headline_figure_is_equal_everywhere(warehouse_env, conn, ctx, combination):
    filters = _combinations(ctx)[combination]
    config = scorecard.load_config()
    settings = config.settings
    platforms = overview.build(filters, ctx, config)
    report = overview.report_content(platforms, filters, ctx, config, queries.load_info(conn))
    assert [item.platform for item in platforms] == ["produits-frais", "equipements-protection"]
    for item, in_report in zip(platforms, report.platforms, strict=True):
        f = item.filters
        shown = {h.key: h.value for h in item.headlines}
        cells = {h.key: cells for h, cells in zip(item.headlines, in_report.headlines, strict=True)}
        # Pages: the catalogue summary (Producteurs et produits, Équipements), the daily
        # catalogue series' last day, the coverage grid (Couverture), the visit summary.
        summary = queries.catalogue_summary(conn, f)
        series = queries.catalogue_timeseries(conn, f).iloc[-1]
        grid = queries.coverage_grid(conn, f, settings.min_suppliers)
        visits = queries.visits_summary(conn, f)
        measures = queries.scorecard_measures(conn, f, settings, ctx.data_start)
        for key in ("active_suppliers", "active_listings"):
            assert shown[key] == summary[key] == series[key] == measures[key], (key, f)
        assert shown["coverage_rate"] == queries.coverage_rate(grid) == measures["coverage_rate"]
        assert shown["visits"] == visits["visits"] and shown["visitors"] == visits["visitors"]
        # The report writes the very values the overview shows.
        for key, value in shown.items():
            kind = next(h.kind for h in item.headlines if h.key == key)
            assert cells[key][1] == (fr_pct(value) if kind == "share" else fr_int(value)), key
        # The scorecard criteria built on those figures use the same denominators.
        if summary["active_listings"]:
            assert measures["viewed_listings"] == pytest.approx(
                measures["viewed_listing_count"] / summary["active_listings"]
            )
        # Exports: one row per active supplier; the per-category offers add up to the headline.
        suppliers = queries.supplier_listings(conn, f)
        columns = exports.export_columns(
            suppliers,
            {"name": "Nom", "active_listings": "Annonces actives"},
            int_columns=["active_listings"],
        )
        assert len(_csv_column(exports.to_csv(columns), "Nom")) == summary["active_suppliers"]
        xlsx = exports.to_xlsx(columns, title="Fournisseurs")
        assert sum(_xlsx_column(xlsx, "Annonces actives")) == summary["active_listings"]
        if f.platform == "equipements-protection":
            by_category = queries.equipment_by_category(conn, f)
            offers = exports.export_columns(
                by_category, {"active_offers": "Offres actives"}, int_columns=["active_offers"]
            )
            csv_offers = _csv_column(exports.to_csv(offers), "Offres actives")
            assert sum(int(v.replace("\u202f", "")) for v in csv_offers) == shown["active_listings"]
        grid_columns = exports.export_columns(grid, {"is_covered": "Couverte"})
        covered = _xlsx_column(exports.to_xlsx(grid_columns, title="Couverture"), "Couverte")
        rate = sum(1 for v in covered if v in (True, "oui")) / len(covered) if covered else None
        assert rate == pytest.approx(shown["coverage_rate"]) if covered else rate is None


# A filter compares a list of codes ($categories, $kinds) with a column: that column must be a
# code, and no SQL compares a kind or category label with a French literal.
_LABEL_FILTER = re.compile(
    r"is_chosen\(\s*\$?(?:chosen_)?(?:categories|kinds)\s*,\s*[\w.]*\b(?:category|kind)\s*\)"
    r"|list_contains\(\s*\$?(?:chosen_)?(?:categories|kinds)\s*,\s*[\w.]*\b(?:category|kind)\s*\)"
    r"|\b(?:category|kind)\s*(?:=|<>|\bIN\b|\bNOT IN\b)\s*(?:'|\(SELECT (?:category|kind)\b)"
    r"|USING\s*\([^)]*\bcategory\b[^)]*\)",
    re.IGNORECASE,
)


def _sql_files():
    etl = SQL_DIR.parent.parent / "etl" / "sql"
    return [*sorted(SQL_DIR.rglob("*.sql")), etl / "01_vocabulary.sql", etl / "92_scopes.sql"]


@pytest.mark.parametrize("path", _sql_files(), ids=lambda p: p.name)
def test_sql_filters_on_codes_not_labels(path):
    text = "\n".join(line.split("--", 1)[0] for line in path.read_text("utf-8").splitlines())
    assert not _LABEL_FILTER.findall(text), path


def test_the_label_rule_catches_a_label_filter():
    # The pattern must be able to fail: the filters as they were written before the codes.
    for old in (
        "AND (len($categories) = 0 OR list_contains($categories, l.category))",
        "AND is_chosen($kinds, s.kind)",
        "WHERE s.kind = 'Producteur'",
        "LEFT JOIN supply AS su USING (category)",
    ):
        assert _LABEL_FILTER.search(old), old


def test_published_file_carries_the_shared_macros(small_warehouse):
    # The app opens the published file read-only: the macros must be stored in it.
    with duckdb.connect(str(small_warehouse), read_only=True) as conn:
        assert conn.execute("SELECT fr_sort_key('Œufs'), fold_text('cœur')").fetchone() == (
            "oeufs",
            "coeur",
        )
        end = conn.execute("SELECT data_end FROM load_info").fetchone()[0]
        by_macro = conn.execute(
            "SELECT count(*) FROM active_listings_on('equipements-protection', [], [], [], ?)",
            [end],
        ).fetchone()[0]
        by_hand = conn.execute(
            """SELECT count(*) FROM listings l JOIN suppliers s USING (platform, supplier_id)
               WHERE l.platform = 'equipements-protection' AND l.created_on <= $1
                 AND (l.withdrawn_on > $1 OR (l.withdrawn_on IS NULL AND l.is_active))
                 AND s.joined_on <= $1 AND (s.left_on IS NULL OR s.left_on > $1)""",
            [end],
        ).fetchone()[0]
        assert by_macro == by_hand > 0


def test_the_span_on_offer_is_the_rule_on_offer_on_every_case():
    """listing_offer_start/end give the days listing_on_offer holds, on every combination of
    dates around the day (before, on, after, NULL) and of the active flag (NULL included)."""
    etl = SQL_DIR.parent.parent / "etl" / "sql"
    con = duckdb.connect()
    for name in ("01_vocabulary.sql",):
        con.execute((etl / name).read_text("utf-8"))
    con.execute("CREATE TABLE listings (platform VARCHAR, supplier_id VARCHAR)")
    con.execute("CREATE TABLE suppliers (platform VARCHAR, supplier_id VARCHAR)")
    con.execute((etl / "92_scopes.sql").read_text("utf-8"))
    dates = "(VALUES (DATE '2020-05-09'), (DATE '2020-05-10'), (DATE '2020-05-11'), (NULL::DATE))"
    mismatches, cases = con.execute(
        f"""WITH cases AS (
                SELECT * FROM {dates} AS c(created_on), {dates} AS w(withdrawn_on),
                              (VALUES (true), (false), (NULL::BOOLEAN)) AS a(is_active),
                              {dates} AS j(joined_on), {dates} AS l(left_on)
            )
            SELECT count(*) FILTER (WHERE
                       coalesce(listing_on_offer(created_on, withdrawn_on, is_active, joined_on,
                                                 left_on, DATE '2020-05-10'), false)
                       <> (DATE '2020-05-10' >= listing_offer_start(created_on, joined_on)
                           AND DATE '2020-05-10' < listing_offer_end(withdrawn_on, is_active,
                                                                     left_on))),
                   count(*)
            FROM cases"""
    ).fetchone()
    assert cases == 4 * 4 * 3 * 4 * 4
    assert mismatches == 0


def test_the_app_requires_every_shared_macro_the_etl_publishes():
    # A dashboard file without one of them is an earlier ETL's: the app asks for a load
    # (app/db.require_warehouse) instead of failing on the first query that calls it.
    etl = SQL_DIR.parent.parent / "etl" / "sql"
    defined = set()
    for name in ("01_vocabulary.sql", "92_scopes.sql"):
        defined |= set(
            re.findall(r"create or replace macro (\w+)", (etl / name).read_text("utf-8"))
        )
    assert set(queries.REQUIRED_MACROS) == defined


# Rules the shared macros define (etl/sql/01_vocabulary.sql, 92_scopes.sql), each with the
# pattern of the formula restated by hand; no app query may restate it.
RESTATED_RULES = {
    "bounce_rate": re.compile(r"is_bounce\s+THEN|sum\(bounces\)\s*/|bounces\s*/", re.I),
    "per_100k": re.compile(r"100\s*000|100_000"),
    "has_catalogue_scope / has_supplier_scope": re.compile(r"len\(\$(departments|kinds)\)\s*[=>]"),
    "listing_on_offer": re.compile(r"withdrawn_on\s*>|withdrawn_on IS NULL AND is_active", re.I),
}


def _code_lines(path: Path) -> str:
    # Comments say what a rule means: only the code is checked.
    return "\n".join(line.split("--", 1)[0] for line in path.read_text("utf-8").splitlines())


@pytest.mark.parametrize("path", sorted(SQL_DIR.rglob("*.sql")), ids=lambda p: p.name)
def test_app_queries_call_the_macros_instead_of_restating_them(path):
    code = _code_lines(path)
    restated = [name for name, pattern in RESTATED_RULES.items() if pattern.search(code)]
    assert not restated, f"{path.name} restates {restated}: call the macro"


@pytest.mark.parametrize(
    "formula",
    [
        "avg(CASE WHEN is_bounce THEN 1.0 ELSE 0.0 END) AS bounce_rate",
        "g.bounces / g.visits AS bounce_rate",
        "suppliers * 100000.0 / population",
        "WHERE len($departments) = 0 AND len($kinds) = 0",
        "AND (withdrawn_on > $end OR (withdrawn_on IS NULL AND is_active))",
    ],
)
def test_the_restatement_rule_catches_a_formula_by_hand(formula):
    assert any(pattern.search(formula) for pattern in RESTATED_RULES.values())


def test_coverage_page_computes_no_rate():
    # Rates per 100 000 inhabitants come from the queries (per_100k): the page only shows them.
    page = (SQL_DIR.parent.parent / "app_pages" / "couverture.py").read_text("utf-8")
    assert not re.search(r"\*\s*100_?000|100_?000\s*/|\.sum\(\)", page)


def test_equipment_page_adds_up_nothing():
    # Totals and shares of all categories come from equipment_summary.sql.
    page = (SQL_DIR.parent.parent / "app_pages" / "equipements.py").read_text("utf-8")
    assert ".sum()" not in page


# Pages choose, format and draw: a total, a share or a difference they show comes computed from
# app/queries. Sums and means of columns, and arithmetic between values, are what this catches
# (`+` is left out: pages join texts with it).
_PAGE_ARITHMETIC = re.compile(r"\.(?:sum|mean|cumsum|div|mul|sub)\(|[\w\])] [-*/] [\w(\[]")


def _page_code(path: Path) -> str:
    """The page's code without comments and docstring lines (prose may say "a / b")."""
    lines = []
    for line in path.read_text("utf-8").splitlines():
        code = line.split("#", 1)[0]
        if code.strip().startswith(('"', "'")):
            continue
        lines.append(code)
    return "\n".join(lines)


@pytest.mark.parametrize(
    "path",
    sorted((SQL_DIR.parent.parent / "app_pages").glob("*.py")),
    ids=lambda p: p.name,
)
def test_pages_do_no_arithmetic_on_figures(path):
    found = [
        line.strip() for line in _page_code(path).splitlines() if _PAGE_ARITHMETIC.search(line)
    ]
    assert not found, f"{path.name} computes figures: {found}"


@pytest.mark.parametrize(
    "line",
    [
        'total = int(channels["visits"].sum())',
        "share = from_sites / total if total else None",
        'frame.assign(pct=frame["share"] * 100)',
        "days = (end - start).days + 1",
    ],
)
def test_the_arithmetic_rule_catches_a_page_computation(line):
    assert _PAGE_ARITHMETIC.search(line)
