"""The download buttons under a table deliver a CSV and an XLSX file, with meaningful names,
that read back with the rows shown (app/exports.py)."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from app import exports, labels
from app.fmt import fr_date
from tests.browser import ui


def download(app: ui.AppPage, label: str):
    """Click the first button labelled `label`; the finished download."""
    with app.page.expect_download(timeout=ui.NAVIGATION_TIMEOUT_MS) as download_info:
        app.page.get_by_role("button", name=label, exact=True).first.click()
    finished = download_info.value
    assert finished.failure() is None
    return finished, open(finished.path(), "rb").read()


def test_supplier_table_downloads_as_csv_and_xlsx(app, figures):
    app.goto("producteurs")
    filters = figures.filters()
    title = labels.SUPPLIER_AUDIENCE_TITLE[filters.platform].format(date=fr_date(filters.end))
    stem = exports.file_stem(title, filters.platform, filters.start, filters.end)
    suppliers = int(figures.active_suppliers().replace("\u202f", ""))

    csv_file, data = download(app, labels.DOWNLOAD_CSV)
    assert csv_file.suggested_filename == f"{stem}.csv"
    assert stem.isascii() and "produits-frais" in stem and "2020-" in stem
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(frame.columns)[:2] == [labels.COL_NAME, labels.COL_PLACE]
    assert len(frame) == suppliers
    assert frame[labels.COL_JOINED_ON].str.fullmatch(r"\d{2}/\d{2}/\d{4}").all()
    assert pd.api.types.is_integer_dtype(frame[labels.COL_PAGEVIEWS_TOTAL])

    xlsx_file, data = download(app, labels.DOWNLOAD_XLSX)
    assert xlsx_file.suggested_filename == f"{stem}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == title
    table = pd.read_excel(io.BytesIO(data), header=exports.HEADER_ROW)
    assert len(table) == suppliers
    assert table[labels.COL_NAME].tolist() == frame[labels.COL_NAME].tolist()
    assert pd.api.types.is_datetime64_any_dtype(table[labels.COL_JOINED_ON])
    # A download does not rerun the page.
    assert (
        app.page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
        == "notRunning"
    )
    app.assert_clean()
