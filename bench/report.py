"""`bench/results/summary.md` and `scaling.png`, rebuilt from the result files.

    python -m bench.report

The plot is drawn with Plotly into an HTML page (plotly.js inline, no network) and
photographed by headless Chromium (Debian's, as everywhere else): no extra image library.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import RESULTS, read_json, scale_name

# Targets of issues #7/#8 and of the visit-analytics issue (docs/performance.md).
PAGE_TARGET_MS = {1.0: 300, 10.0: 1000}
MEMORY_TARGET_MB = 500  # server RSS at scale 10
NEW_DAY_TARGET_S = 5  # incremental load of one day at scale 10
LINES_PER_S_TARGET = 500_000


def _n(value, unit: str = "") -> str:
    """1234567 -> "1,234,567" (docs are in English), with its unit; None -> "—"."""
    if value is None or value == "":
        return "—"
    return f"{value:,.0f}" + (f" {unit}" if unit else "")


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines + [""]


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("**met**" if ok else "**not met**")


def summary() -> str:
    etl = read_json("etl") or []
    pages = read_json("pages") or []
    memory = read_json("app_memory") or []
    goaccess = read_json("goaccess")
    sessions = read_json("sessions")
    runs = (read_json("machine") or {}).get("runs", [])
    out = [
        "# Benchmark results",
        "",
        "Written by `bench/run` (`python -m bench`); do not edit by hand. Method and comments:",
        'docs/performance.md, section "Benchmarks".',
        "",
    ]

    if runs:
        last = runs[-1]
        out += [
            f"Machine: {last['cores']} cores ({last['cpu']}), {last['memory_gib']} GiB, Linux "
            f"{last['kernel']}, Python {last['python']}, DuckDB {last['duckdb']}, "
            f"Streamlit {last['streamlit']}.",
            "",
        ]
        out += _table(
            ["run", "command", "commit", "load averages at start → end (1, 5, 15 min)"],
            [
                [
                    r["started"],
                    f"`{r['command']}`",
                    r["commit"]
                    + (" + uncommitted app edits" if r.get("uncommitted_app_etl_files") else ""),
                    f"{r['loadavg_start']} → {r['loadavg_end']}",
                ]
                for r in runs[-6:]
            ],
        )

    if etl:
        out += ["## ETL", ""]
        out += _table(
            [
                "scale",
                "demo generation",
                "full load (wall / CPU)",
                "log lines read",
                "hits",
                "rejected",
                "decompressed",
                "lines/s",
                "peak memory",
                "dashboard file / load's database",
                "unchanged re-run",
                "one new day: new file",
                "one new day: appended",
                "load avg during load",
            ],
            [
                [
                    scale_name(r["scale"]),
                    f"{r['demo_s']} s",
                    f"{r['load_s']} s / {r.get('load_cpu_s', '—')} s",
                    _n(r["log_lines_read"]),
                    _n(r["hits"]),
                    _n(r["log_lines_rejected"]),
                    f"{r['log_gb_decompressed']} GB",
                    _n(r["lines_per_s"]),
                    _n(r["load_max_rss_mb"], "MB"),
                    _n(r["warehouse_mb"], "MB")
                    + (f" / {_n(r['etl_db_mb'], 'MB')}" if "etl_db_mb" in r else " (one file)"),
                    f"{r['rerun_s']} s",
                    f"{r.get('day_new_file_seconds', '—')} s ({_n(r.get('day_new_file_lines'))} lines)",
                    f"{r.get('day_appended_seconds', '—')} s",
                    r.get("loadavg_load", ""),
                ]
                for r in etl
            ],
        )

    if goaccess:
        g = goaccess
        rows = [
            [
                "our ETL (`python -m etl load --rebuild`)",
                f"{g['etl']['seconds']} s",
                f"{g['etl'].get('cpu_s', '—')} s",
                _n(g["etl"]["lines_per_s"]),
                _n(g["etl"]["max_rss_mb"], "MB"),
                g["etl"]["loadavg_before"],
            ]
        ]
        for name in ("goaccess", "goaccess_jobs2"):
            if name in g:
                rows.append(
                    [
                        f"GoAccess {g['goaccess_version']} (`{g[name]['command']}`)",
                        f"{g[name]['seconds']} s",
                        f"{g[name].get('cpu_s', '—')} s",
                        _n(g[name]["lines_per_s"]),
                        _n(g[name]["max_rss_mb"], "MB"),
                        g[name]["loadavg_before"],
                    ]
                )
        floor = g.get("duckdb_floor")
        for name, what in (
            ("fields", "the ten fields stored as text"),
            ("typed", "fields typed, time parsed, keyed visitor hash"),
        ):
            if floor and name in floor:
                rows.append(
                    [
                        f"floor: DuckDB's CSV reader alone, {what} (`bench/duckdb_floor.py`)",
                        f"{floor[name]['seconds']} s",
                        "—",
                        _n(round(g["lines"] / floor[name]["seconds"])),
                        _n(floor["max_rss_mb"], "MB") + " (both)",
                        floor["loadavg_before"],
                    ]
                )
        out += [
            "## Against GoAccess",
            "",
            f"{_n(g['lines'])} combined lines ({g['log_mb']} MB), cut from the scale-{scale_name(g['scale'])} "
            f"demo's `produits-frais` logs, oldest first. GoAccess counted "
            f"{_n(g['goaccess'].get('valid_requests'))} valid and {_n(g['goaccess'].get('failed_requests'))} "
            f"failed requests.",
            "",
        ]
        out += _table(["tool", "wall", "CPU", "lines/s", "peak memory", "load avg before"], rows)
        ours = g["etl"]["seconds"]
        theirs = min(g[name]["seconds"] for name in ("goaccess", "goaccess_jobs2") if name in g)
        verdict = (
            f"GoAccess is {theirs and ours / theirs:.2f}× faster than our ETL end to end"
            if theirs < ours
            else f"Our ETL is {ours and theirs / ours:.2f}× faster than GoAccess end to end"
        )
        out += [
            verdict
            + " (wall time; ours also classifies, hashes visitors, models visits and writes a "
            "database). The floor rows are not a load: no line numbers, no quarantine (unparsed lines "
            "are dropped), no classification, no visits; they bound what any DuckDB-based load can "
            "reach on this machine.",
            "",
        ]

    if pages:
        out += [
            "## Dashboard pages (server side, AppTest)",
            "",
            "Median of the measured runs, in ms: **cold** = `st.cache_data` cleared before each "
            "run (first visitor after a load), warm = figures cached. Narrow filter: one department, "
            "one category.",
            "",
        ]
        scales = sorted({r["scale"] for r in pages})
        names = sorted({r["page"] for r in pages})
        header = ["page"] + [
            f"scale {scale_name(s)} {f}: cold / warm" for s in scales for f in ("default", "narrow")
        ]
        rows = []
        for name in names:
            row = [name]
            for s in scales:
                for f in ("default", "narrow"):
                    hit = next(
                        (
                            r
                            for r in pages
                            if r["scale"] == s and r["page"] == name and r["filters"] == f
                        ),
                        None,
                    )
                    row.append(
                        "—"
                        if hit is None
                        else f"{_n(hit['cold_median_ms'])} / {_n(hit['warm_median_ms'])}"
                        + (" ⚠" if hit.get("problems") else "")
                    )
            rows.append(row)
        out += _table(header, rows)
        problems = [
            f"scale {scale_name(r['scale'])}, {r['page']} ({r['filters']}): {r['problems']}"
            for r in pages
            if r.get("problems")
        ]
        if problems:
            out += ["⚠ Runs that did not draw the page normally (their times do not count):", ""]
            out += [f"* {p}" for p in problems] + [""]

    if memory:
        out += [
            "## Server memory (`streamlit run`, VmRSS after a Chromium visit of every page)",
            "",
        ]
        out += _table(
            [
                "scale",
                "after start",
                "after every page (default filters)",
                "after every page (narrow)",
                "peak (VmHWM)",
                "errors",
            ],
            [
                [
                    scale_name(r["scale"]),
                    f"{r['after_start_mb']} MB",
                    f"{r['after_default_mb']} MB",
                    f"{r['after_narrow_mb']} MB",
                    f"{r['peak_mb']} MB",
                    r["errors"] or "none",
                ]
                for r in memory
            ],
        )

    if isinstance(sessions, dict):  # a single run, as first written
        sessions = [sessions]
    for s in sessions or []:
        out += [
            f"## {s['sessions']} concurrent browser sessions (scale {scale_name(s['scale'])})",
            "",
        ]
        out += _table(
            [
                "page loads",
                "errors",
                "fully drawn p50",
                "p95",
                "max",
                "all sessions done",
                "CPU: server / browsers",
                "server RSS after (peak)",
                "load avg start → end",
            ],
            [
                [
                    s["page_loads"],
                    len(s["errors"]),
                    _n(s["drawn_ms"]["p50"], "ms"),
                    _n(s["drawn_ms"]["p95"], "ms"),
                    _n(s["drawn_ms"]["max"], "ms"),
                    f"{s['all_sessions_s']} s",
                    f"{s.get('server_cpu_s', '—')} s / {s.get('browser_cpu_s', '—')} s",
                    f"{s['server_after']['rss_mb']} MB ({s['server_after']['peak_rss_mb']} MB)",
                    f"{s['loadavg_start']} → {s['loadavg_end']}",
                ]
            ],
        )
        out += _table(
            ["page", "loads", "p50", "p95"],
            [
                [name, v["loads"], _n(v["p50"], "ms"), _n(v["p95"], "ms")]
                for name, v in s["per_page"].items()
            ],
        )
        for error in s["errors"][:10]:
            what = error["error"] or error.get("page_errors")
            out.append(f"* session {error['session']}, {error['page']}: {what}")
        if s["errors"]:
            out.append("")

    out += ["## Targets", ""] + _targets(etl, pages, memory)
    return "\n".join(out).rstrip() + "\n"


def _targets(etl: list[dict], pages: list[dict], memory: list[dict]) -> list[str]:
    rows = []
    for r in etl:
        rows.append(
            [
                f"ETL ≥ {_n(LINES_PER_S_TARGET)} log lines/s end to end",
                scale_name(r["scale"]),
                _n(r["lines_per_s"]),
                _verdict(r["lines_per_s"] >= LINES_PER_S_TARGET),
            ]
        )
        if r["scale"] == 10 and "day_new_file_seconds" in r:
            for step in ("new_file", "appended"):
                seconds = r[f"day_{step}_seconds"]
                rows.append(
                    [
                        f"one new day loaded < {NEW_DAY_TARGET_S} s ({step.replace('_', ' ')})",
                        "10",
                        f"{seconds} s",
                        _verdict(seconds < NEW_DAY_TARGET_S),
                    ]
                )
    for scale, limit in PAGE_TARGET_MS.items():
        at_scale = [r for r in pages if r["scale"] == scale]
        if not at_scale:
            continue
        for mode in ("cold", "warm"):
            worst = max(at_scale, key=lambda r: r[f"{mode}_median_ms"])
            slow = sorted({r["page"] for r in at_scale if r[f"{mode}_median_ms"] >= limit})
            broken = any(r.get("problems") for r in at_scale)
            rows.append(
                [
                    f"every page < {_n(limit)} ms ({mode} median)",
                    scale_name(scale),
                    f"worst {worst['page']} ({worst['filters']}) {_n(worst[f'{mode}_median_ms'], 'ms')}"
                    + (f"; over: {', '.join(slow)}" if slow else ""),
                    _verdict(not slow and not broken) + (" (some runs failed)" if broken else ""),
                ]
            )
    for r in memory:
        if r["scale"] == 10:
            worst = max(r["after_default_mb"], r["after_narrow_mb"])
            rows.append(
                [
                    f"server memory < {MEMORY_TARGET_MB} MB",
                    "10",
                    f"{worst} MB (peak {r['peak_mb']} MB)",
                    _verdict(worst < MEMORY_TARGET_MB),
                ]
            )
    return _table(["target", "scale", "measured", "verdict"], rows)


def plot(target: Path) -> Path | None:
    """Full-load time and page times (cold median, default filters) against the demo scale."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    etl = read_json("etl") or []
    pages = read_json("pages") or []
    if not etl and not pages:
        return None
    figure = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(
            "Full ETL load (python -m etl load --rebuild)",
            "Page run, cold median, default filters (AppTest)",
        ),
    )
    figure.add_trace(
        go.Scatter(
            x=[r["scale"] for r in etl],
            y=[r["load_s"] for r in etl],
            mode="lines+markers+text",
            text=[f"{r['load_s']:.0f} s" for r in etl],
            textposition="top left",
            name="load, wall time (s)",
        ),
        row=1,
        col=1,
    )
    with_cpu = [r for r in etl if r.get("load_cpu_s")]
    figure.add_trace(
        go.Scatter(
            x=[r["scale"] for r in with_cpu],
            y=[r["load_cpu_s"] for r in with_cpu],
            mode="lines+markers",
            line_dash="dot",
            name="load, CPU time (s)",
        ),
        row=1,
        col=1,
    )
    for name in sorted({r["page"] for r in pages}):
        points = sorted(
            (r["scale"], r["cold_median_ms"])
            for r in pages
            if r["page"] == name and r["filters"] == "default"
        )
        figure.add_trace(
            go.Scatter(
                x=[p[0] for p in points], y=[p[1] for p in points], mode="lines+markers", name=name
            ),
            row=1,
            col=2,
        )
    figure.add_trace(
        go.Scatter(
            x=list(PAGE_TARGET_MS),
            y=list(PAGE_TARGET_MS.values()),
            mode="markers",
            marker_symbol="line-ew-open",
            marker_size=28,
            marker_line_width=3,
            marker_color="crimson",
            name="page target",
        ),
        row=1,
        col=2,
    )
    figure.update_xaxes(type="log", title_text="demo scale (1 = the 2020 figures)")
    figure.update_yaxes(title_text="seconds", rangemode="tozero", row=1, col=1)
    figure.update_yaxes(title_text="milliseconds", rangemode="tozero", row=1, col=2)
    figure.update_layout(
        width=1200,
        height=520,
        template="plotly_white",
        margin=dict(t=60, b=60, l=70, r=20),
        legend=dict(orientation="h", y=-0.22),
    )
    with tempfile.TemporaryDirectory(prefix="bench-plot-") as folder:
        html = Path(folder) / "scaling.html"
        figure.write_html(html, include_plotlyjs=True, full_html=True, config={"staticPlot": True})
        _screenshot(html, target, 1200, 520)
    return target


def _screenshot(html: Path, target: Path, width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    from bench.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": width, "height": height})
        page.goto(html.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg")
        page.locator(".js-plotly-plot").first.screenshot(path=str(target))
        chromium.close()


def write() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "summary.md").write_text(summary(), encoding="utf-8")
    plot(RESULTS / "scaling.png")


if __name__ == "__main__":
    write()
