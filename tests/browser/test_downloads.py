"""Downloads deliver files that open.

Users download a chart through the Plotly toolbar ("Télécharger le graphique (PNG)"), and a
table through the "Télécharger en CSV" / "Télécharger en Excel (XLSX)" buttons under it
(tests/browser/test_table_downloads.py); the CSV export of the toolbar Streamlit puts on every
`st.dataframe` is switched off (it wrote formulas raw).
"""

from __future__ import annotations

import struct
from pathlib import Path

from app import charts, labels
from tests.browser import ui

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_chart_toolbar_downloads_a_png_with_a_meaningful_name(app, figures):
    app.goto("frequentation")
    chart = app.page.locator(".st-key-traffic-series .js-plotly-plot")
    chart.hover()  # the toolbar shows on hover
    button = chart.locator(f'.modebar-btn[data-title="{labels.PNG_BUTTON}"]')
    with app.page.expect_download(timeout=ui.NAVIGATION_TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    assert download.failure() is None
    filters = figures.filters()
    assert (
        download.suggested_filename
        == charts.png_filename(
            labels.TRAFFIC_TITLE["week"], filters.platform, filters.start, filters.end
        )
        + ".png"
    )
    data = Path(download.path()).read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # IHDR chunk
    assert width > 300 and height > 200, (width, height)
    app.assert_clean()


def test_table_toolbar_has_no_csv_export(app):
    """The grid's own « Exporter en CSV » wrote names such as `=HYPERLINK(…)` raw, formulas
    for Excel: switched off (`client.disableDataExport`, .streamlit/config.toml). The table downloads
    through our buttons under it, which neutralise formulas (test_table_downloads.py)."""
    app.goto("producteurs")
    table = app.page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    table.hover()  # the toolbar shows on hover
    container = table.locator("xpath=ancestor::div[@data-testid='stElementContainer'][1]")
    toolbar = container.locator('[data-testid="stElementToolbar"] button')
    toolbar.first.wait_for(state="visible")
    names = [button.get_attribute("aria-label") for button in toolbar.all()]
    assert names and not {"Exporter en CSV", "Download as CSV"} & set(names), names
    assert app.page.get_by_role("button", name=labels.DOWNLOAD_CSV, exact=True).count() >= 1
    app.assert_clean()
