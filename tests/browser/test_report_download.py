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
