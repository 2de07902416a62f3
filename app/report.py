"""The meeting brief: the current overview as one self-contained HTML file, and as PDF.

HTML: the verdicts, the headline figures, the scorecards and the weekly charts, with the
filters of each platform (the category and kind filters apply to the chosen platform only)
and the data date; plotly.js is embedded once, so the file opens offline. PDF: the same HTML
printed by headless Chromium (Debian's `chromium`), which runs the charts' JavaScript before
printing; one A4 landscape page for the summary and one per platform, each with a footer
« Document interne · données jusqu'au … » and its page number (CSS page-margin boxes, which
the browser's own « Imprimer » uses too). No developer path appears: the file leaves the
team. No Streamlit here. Every text that may come from data (category names) is
HTML-escaped.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import plotly.graph_objects as go

from app import labels
from app.compare import delta
from app.fmt import DASH, fr_date, fr_datetime, fr_int, fr_pct

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
PDF_TIMEOUT_SECONDS = 90
# Thousands separator of the charts in the report: a no-break space. The app's narrow
# no-break space (U+202F) is missing from Liberation Sans, the Arial that Chromium finds on
# a server without the app's web font: the ticks then read "12000" (a 1.7 px gap at 12 px).
REPORT_CHART_SEPARATORS = ",\u00a0"


class ReportError(RuntimeError):
    """The PDF could not be produced; the message is French and says why."""


@dataclass(frozen=True)
class ReportPlatform:
    name: str
    filters_text: str  # the filters applied to this platform's figures (`describe`)
    verdict: str
    headlines: tuple[tuple[str, str, str], ...]  # (label, value, change)
    scorecard: tuple[dict[str, object], ...]  # rows keyed like labels.SCORECARD_COLUMNS
    figure: go.Figure
    missing_notice: str | None = None


@dataclass(frozen=True)
class ReportContent:
    start: date
    end: date
    data_end: date | None
    loaded_at: datetime | None
    generated_at: datetime
    platforms: tuple[ReportPlatform, ...]
    notices: tuple[str, ...] = ()
    # Which platform the category and kind filters apply to, when one is chosen.
    scope_note: str | None = None


def headline_cells(label: str, value, previous, kind: str) -> tuple[str, str, str]:
    """(label, value, change against the previous period) as report text."""
    shown = fr_pct if kind == "share" else fr_int
    text = shown(value)
    change = delta(
        value,
        previous,
        kind="points" if kind == "share" else "relative",
        previous_label=None if previous is None else shown(previous),
    ).text
    return label, text, change or DASH


def file_stem(start: date, end: date) -> str:
    return f"rapport_observatoire_{start:%Y-%m-%d}_{end:%Y-%m-%d}"


_STYLE = """
@page { size: A4 landscape; margin: 12mm; color: #52606d;
        font: 9pt 'Source Sans Pro', 'DejaVu Sans', Arial, sans-serif; }
body { font-family: 'Source Sans Pro', 'DejaVu Sans', Arial, sans-serif; color: #1f2933;
       margin: 0 auto; max-width: 1100px; font-size: 11pt; }
h1 { font-size: 20pt; margin: 0 0 4pt; }
h2 { font-size: 15pt; margin: 0 0 6pt; }
.meta { color: #52606d; margin: 2pt 0; }
.verdict { background: #eaf2fb; border-left: 4pt solid #1c5aa6; padding: 6pt 10pt; margin: 8pt 0; }
.notice { background: #fff4e5; border-left: 4pt solid #d9822b; padding: 6pt 10pt; margin: 8pt 0; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0 10pt; }
th, td { border: 1px solid #d9e2ec; padding: 3pt 6pt; text-align: left; }
th { background: #f0f4f8; }
td.num { text-align: right; white-space: nowrap; }
tr.met td.status { color: #1e7b34; font-weight: bold; }
tr.watch td.status { color: #b25e09; font-weight: bold; }
tr.not_met td.status { color: #b3261e; font-weight: bold; }
section { page-break-after: always; break-after: page; }
section:last-of-type { page-break-after: auto; break-after: auto; }
.foot { color: #52606d; font-size: 9pt; }
.internal { color: #b3261e; font-weight: bold; text-transform: uppercase; font-size: 9pt;
            letter-spacing: 0.05em; margin: 0 0 4pt; }
ul.filters { margin: 2pt 0 6pt; padding-left: 16pt; color: #52606d; }
"""
# The footer of every printed page (Chromium 131 and later draw page-margin boxes); its font
# and colour come from the @page rule of _STYLE.
_PAGE_FOOTER = "@page { @bottom-left { content: LEFT; } @bottom-right { content: RIGHT; } }"


def _css_string(text: str) -> str:
    """`text` as a CSS string literal: quotes, backslashes and line breaks escaped, and `<`
    too, so that no text can close the <style> element."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    )
    return f'"{escaped}"'


def _page_counter(template: str) -> str:
    """'Page {page} sur {pages}' as CSS content: "Page " counter(page) " sur " counter(pages)."""
    parts = []
    for index, piece in enumerate(template.split("{pages}")):
        if index:
            parts.append("counter(pages)")
        for inner, text in enumerate(piece.split("{page}")):
            if inner:
                parts.append("counter(page)")
            if text:
                parts.append(_css_string(text))
    return " ".join(parts)


def page_footer(content: ReportContent) -> str:
    """« Document interne · données jusqu'au 31 décembre 2020 » and « Page 1 sur 3 »."""
    left = labels.REPORT_INTERNAL
    if content.data_end:
        left += " · " + labels.REPORT_FOOTER_DATA.format(data_end=fr_date(content.data_end))
    return _PAGE_FOOTER.replace("LEFT", _css_string(left)).replace(
        "RIGHT", _page_counter(labels.REPORT_PAGE_NUMBER)
    )


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def render_html(content: ReportContent) -> str:
    """The self-contained HTML brief (plotly.js inline once)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        "<title>"
        + labels.REPORT_PAGE_TITLE.format(
            title=_e(labels.REPORT_TITLE),
            start=_e(fr_date(content.start)),
            end=_e(fr_date(content.end)),
        )
        + "</title>",
        f"<style>{_STYLE}{page_footer(content)}</style></head><body>",
        "<section>",
        f'<p class="internal">{_e(labels.REPORT_INTERNAL)}</p>',
        f"<h1>{_e(labels.REPORT_TITLE)}</h1>",
        f'<p class="meta">{_e(labels.REPORT_DATA_DATE.format(data_end=fr_date(content.data_end) if content.data_end else DASH, loaded=fr_datetime(content.loaded_at) if content.loaded_at else DASH, generated=fr_datetime(content.generated_at)))}</p>',
        f'<p class="meta">{_e(labels.REPORT_FILTERS_HEADING)}</p>',
        '<ul class="filters">'
        + "".join(
            f"<li><strong>{_e(p.name)}</strong> : {_e(p.filters_text)}</li>"
            for p in content.platforms
        )
        + "</ul>",
    ]
    if content.scope_note:
        parts.append(f'<p class="meta">{_e(content.scope_note)}</p>')
    parts += [f'<p class="notice">{_e(n)}</p>' for n in content.notices]
    for platform in content.platforms:
        parts.append(f"<h2>{_e(platform.name)}</h2>")
        if platform.missing_notice:
            parts.append(f'<p class="notice">{_e(platform.missing_notice)}</p>')
        parts.append(f'<p class="verdict">{_e(platform.verdict)}</p>')
    parts.append(_headline_table(content.platforms))
    parts.append(f'<p class="foot">{_e(labels.REPORT_SCORECARD_INTRO)}</p>')
    parts.append("</section>")
    plotly_js: bool | str = True  # the first chart carries plotly.js, the others reuse it
    for platform in content.platforms:
        parts.append("<section>")
        parts.append(f"<h2>{_e(labels.SCORECARD_TITLE)} — {_e(platform.name)}</h2>")
        parts.append(_scorecard_table(platform))
        figure = go.Figure(platform.figure)
        figure.update_layout(width=1000, height=330, separators=REPORT_CHART_SEPARATORS)
        parts.append(
            figure.to_html(
                full_html=False,
                include_plotlyjs=plotly_js,
                config={"staticPlot": True, "locale": "fr"},
            )
        )
        plotly_js = False
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _headline_table(platforms: tuple[ReportPlatform, ...]) -> str:
    head = "".join(f"<th>{_e(p.name)}</th><th>{_e(labels.REPORT_CHANGE)}</th>" for p in platforms)
    rows = []
    for index, (label, _, _) in enumerate(platforms[0].headlines if platforms else ()):
        cells = "".join(
            f'<td class="num">{_e(p.headlines[index][1])}</td><td class="num">{_e(p.headlines[index][2])}</td>'
            for p in platforms
        )
        rows.append(f"<tr><td>{_e(label)}</td>{cells}</tr>")
    return (
        f"<table><thead><tr><th>{_e(labels.REPORT_FIGURE)}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _scorecard_table(platform: ReportPlatform) -> str:
    columns = labels.SCORECARD_COLUMNS
    head = "".join(f"<th>{_e(name)}</th>" for name in columns.values())
    rows = []
    for row in platform.scorecard:
        cells = []
        for key in columns:
            css = (
                "num"
                if key in ("value", "target", "trend")
                else ("status" if key == "status" else "")
            )
            cells.append(f'<td class="{css}">{_e(row[key])}</td>')
        rows.append(f'<tr class="{_e(row.get("status_key", ""))}">{"".join(cells)}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def chromium_path() -> str | None:
    """Chromium's executable, or None when it is not installed on this server."""
    configured = os.environ.get("OBSERVATOIRE_CHROMIUM")
    for candidate in ((configured,) if configured else ()) + CHROMIUM_CANDIDATES:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium")
    return found


def _chromium_render(
    page_html: str, output: str, options: list[str], *, missing: str, failed: str
) -> bytes:
    """Open `page_html` in headless Chromium (charts drawn first: virtual time) and return
    the file it writes (`output`: its name; `options`: the flag writing it, and sizes).
    `missing` and `failed` (with `{detail}`): the French messages of a `ReportError`."""
    browser = chromium_path()
    if browser is None:
        raise ReportError(missing)
    with tempfile.TemporaryDirectory(prefix="observatoire-report-") as folder:
        source = Path(folder) / "page.html"
        target = Path(folder) / output
        source.write_text(page_html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--virtual-time-budget=15000",
            *(option.format(target=target) for option in options),
            source.as_uri(),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_TIMEOUT_SECONDS)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            raise ReportError(failed.format(detail=type(error).__name__)) from error
        if not target.is_file() or target.stat().st_size == 0:
            raise ReportError(failed.format(detail="empty"))
        return target.read_bytes()


def render_pdf(report_html: str) -> bytes:
    """Print the HTML brief to PDF with headless Chromium (charts drawn before printing)."""
    return _chromium_render(
        report_html,
        "rapport.pdf",
        ["--no-pdf-header-footer", "--print-to-pdf={target}"],
        missing=labels.REPORT_NO_CHROMIUM,
        failed=labels.REPORT_PDF_FAILED,
    )


# A chart's PNG drawn on the server: the width of a slide's chart, twice the pixels (as
# Plotly's own PNG button, `toImageButtonOptions.scale`).
PNG_WIDTH = 900
PNG_SCALE = 2
PNG_SIDE_MARGIN = 24  # CSS pixels of white on each side


def render_png(figure: go.Figure) -> bytes:
    """The figure as a PNG, drawn by Plotly in headless Chromium: the PNG button of a chart
    drawn without Plotly's toolbar (the landing page's, `app.charts.light`)."""
    height = int(figure.layout.height or 420)
    # The side margin is the page's: Plotly places the title at the figure's very left edge
    # whatever the figure's own margins.
    figure = go.Figure(figure).update_layout(
        width=PNG_WIDTH - 2 * PNG_SIDE_MARGIN,
        height=height,
        margin={"l": 0, "r": 0},
        separators=REPORT_CHART_SEPARATORS,
    )
    page_html = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f"<style>body{{margin:0;padding:0 {PNG_SIDE_MARGIN}px;background:#fff}}</style>"
        "</head><body>"
        + figure.to_html(full_html=False, include_plotlyjs=True, config={"staticPlot": True})
        + "</body></html>"
    )
    return _chromium_render(
        page_html,
        "graphique.png",
        [
            "--hide-scrollbars",
            f"--window-size={PNG_WIDTH},{height}",
            f"--force-device-scale-factor={PNG_SCALE}",
            "--screenshot={target}",
        ],
        missing=labels.PNG_NO_CHROMIUM,
        failed=labels.PNG_FAILED,
    )
