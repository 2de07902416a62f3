"""The decision page in a real browser: scorecard drawn, meeting report downloaded and opened."""

from __future__ import annotations

import html
import re
from pathlib import Path

from app import labels
from tests.browser import ui


def _download(app: ui.AppPage, label: str):
    button = app.page.get_by_role("button", name=label)
    with app.page.expect_download(timeout=ui.NAVIGATION_TIMEOUT_MS * 3) as download_info:
        button.click()
    download = download_info.value
    assert download.failure() is None
    return download


def test_overview_shows_verdicts_and_scorecards(app, figures):
    app.goto("")
    text = app.page.locator('[data-testid="stMain"]').inner_text()
    verdicts = app.verdicts()
    assert len(verdicts) == 2 and all(" évalué" in v for v in verdicts), verdicts
    # The first clause after the status is the strongest finding, with its number, its
    # status and its target (which criterion is strongest: tests/test_scorecard.py).
    findings = [*labels.FINDING.values(), labels.FINDING_TREND_DOWN, labels.FINDING_TREND_UP]
    patterns = [re.escape(f).replace(r"\{", "{").replace(r"\}", "}") for f in findings]
    patterns = [re.sub(r"\{\w+\}", ".+?", p) for p in patterns]
    for verdict in verdicts:
        status, _, rest = verdict.partition(" — ")
        assert status in labels.VERDICT_STATUS.values(), verdict
        first = rest.split(". ")[0]
        assert re.search(r"\d", first), first
        assert any(re.match(p, first, re.IGNORECASE) for p in patterns), first
        assert re.search(r"\(.+ ; cible .+\)$", first), first
    assert labels.SCORECARD_TITLE in text
    for platform in ("produits-frais", "equipements-protection"):
        table = app.page.locator(f'.st-key-scorecard-{platform} [data-testid="stDataFrame"]')
        assert table.count() == 1, platform
    assert app.metric(labels.METRIC_VISITS) == figures.visits()
    app.screenshot("overview-scorecard", 1500, 2600)
    app.assert_clean()


def test_report_html_downloads_and_holds_the_page_figures(app, figures):
    app.goto("")
    download = _download(app, labels.REPORT_HTML_BUTTON)
    filters = figures.filters()
    assert download.suggested_filename == (
        f"rapport_observatoire_{filters.start:%Y-%m-%d}_{filters.end:%Y-%m-%d}.html"
    )
    page = Path(download.path()).read_text(encoding="utf-8")
    assert html.escape(labels.REPORT_TITLE) in page
    assert f'<td class="num">{figures.visits()}</td>' in page
    assert f'<td class="num">{figures.visits(platform="equipements-protection")}</td>' in page
    assert not re.search(r"<script[^>]+src=", page)  # opens offline
    app.assert_clean()


def test_report_pdf_downloads(app):
    app.goto("")
    download = _download(app, labels.REPORT_PDF_BUTTON)
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) == 3
    app.assert_clean()


# Tick labels of 4 digits and more, and what their thousands gap measures in the report as
# Chromium draws it (the PDF is the same page printed).
_TICK_GAPS = """els => els.filter(e => /\\d\\D\\d{3}$/.test(e.textContent)).map(e => {
  const probe = e.cloneNode(true);
  probe.textContent = e.textContent.replace(/\\D/g, '');
  e.parentNode.appendChild(probe);
  const gap = e.getComputedTextLength() - probe.getComputedTextLength();
  probe.remove();
  return [e.textContent, gap, parseFloat(getComputedStyle(e).fontSize)];
})"""


def test_report_chart_ticks_show_the_thousands_gap(browser, tmp_path):
    """The gap of "12 000" (never "12000") is drawn by the fonts the report gets (no web
    font there), at least a fifth of an em wide, as a narrow space is."""
    from datetime import date, timedelta

    import pandas as pd

    from app import charts, report

    weeks = [date(2020, 3, 30) + timedelta(weeks=i) for i in range(12)]
    frame = pd.DataFrame({"bucket": weeks, "visits": [12_000 - 700 * i for i in range(12)]})
    figure = charts.time_bars(
        frame,
        value_col="visits",
        grain="week",
        value_label=labels.METRIC_VISITS,
        start=weeks[0],
        end=weeks[-1] + timedelta(days=6),
        title="Visites par semaine",
        subtitle="",
        x_title=labels.X_WEEK,
        y_title=labels.Y_VISITS,
    )
    content = report.ReportContent(
        start=weeks[0],
        end=weeks[-1],
        data_end=weeks[-1],
        loaded_at=None,
        generated_at=pd.Timestamp("2021-01-04 09:30").to_pydatetime(),
        platforms=(
            report.ReportPlatform(
                name="Produits frais locaux",
                filters_text="",
                verdict="",
                headlines=(),
                scorecard=(),
                figure=figure,
            ),
        ),
    )
    path = tmp_path / "rapport.html"
    path.write_text(report.render_html(content), encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(path.as_uri(), timeout=ui.NAVIGATION_TIMEOUT_MS)
        page.wait_for_selector(".ytick text", timeout=ui.NAVIGATION_TIMEOUT_MS)
        gaps = page.locator(".ytick text").evaluate_all(_TICK_GAPS)
    finally:
        context.close()
    assert gaps, "no tick of 1 000 or more"
    for text, gap, size in gaps:
        assert gap >= 0.19 * size, f"{text!r}: thousands gap of {gap:.2f} px at {size} px"
