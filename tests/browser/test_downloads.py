"""Downloads deliver files that open.

Users download a chart through the Plotly toolbar ("Télécharger le graphique (PNG)"), and a
table through the toolbar Streamlit puts on every `st.dataframe` (CSV) or through the
"Télécharger en CSV" / "Télécharger en Excel (XLSX)" buttons under it
(tests/browser/test_table_downloads.py).
"""

from __future__ import annotations

import io
import struct

import pandas as pd

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
    assert download.suggested_filename == charts.png_filename(
        labels.TRAFFIC_TITLE["week"], filters.platform, filters.start, filters.end) + ".png"
    data = open(download.path(), "rb").read()
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # IHDR chunk
    assert width > 300 and height > 200, (width, height)
    app.assert_clean()


def test_table_toolbar_downloads_a_csv_that_pandas_reads(app, figures):
    # Chromium has the File System Access API, so Streamlit would open a native "Save as"
    # dialog that a headless browser cannot answer. Without it (Firefox, Safari, or the API
    # failing) Streamlit falls back to a plain download: the path tested here.
    app.page.add_init_script(
        "window.showSaveFilePicker = async () => { throw new Error('no native dialog'); };")
    app.goto("producteurs")
    # The supplier table is the page's first table (st.dataframe gets no `st-key-` class).
    table = app.page.locator('[data-testid="stDataFrame"]').first
    table.hover()  # the toolbar shows on hover
    # Streamlit's "Download as CSV", in French through app/french_ui.py.
    container = table.locator("xpath=ancestor::div[@data-testid='stElementContainer'][1]")
    button = container.locator('[data-testid="stElementToolbar"] '
                               'button[aria-label="Exporter en CSV"]')
    with app.page.expect_download(timeout=ui.NAVIGATION_TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".csv")
    frame = pd.read_csv(io.BytesIO(open(download.path(), "rb").read()))
    assert labels.COL_NAME in frame.columns
    assert len(frame) == int(figures.active_suppliers().replace("\u202f", ""))
    app.assert_clean()
