"""Issue #7: many people open the dashboard at once (e.g. a directorate meeting).

    python -m bench.concurrent_sessions --db WAREHOUSE [--sessions 20] [--out FILE.json]

Starts the dashboard (`streamlit run dashboard.py`) on a free port against WAREHOUSE, then
one headless Chromium (Debian's, flags of the browser tests) opens `--sessions` contexts —
separate profiles, so separate Streamlit sessions — all at the same moment. Each session
loads the home page, then two other pages (a different pair per session, in turn), each by
its address, and waits until the page is fully drawn: script run over, no running indicator
(`stStatusWidget`), Plotly charts (`.js-plotly-plot`) drawn, no `stException`.

Reported: errors (exceptions, timeouts), the p50/p95/max time from navigation start to a
fully drawn page (measured in the browser), per page, the server's resident memory, and the
CPU seconds the server and the browser (Playwright driver and every Chromium process) used
meanwhile: on one machine the 20 browsers compete with the server for the same cores.
The server starts with empty caches: the first sessions compute the figures, later ones
find them in `st.cache_data` — as on the morning after a nightly load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import browser as bb
from bench.common import loadavg_text, now_iso

TIMEOUT_MS = 300_000  # 20 sessions on 2 cores: a page may wait long; a hang still ends


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p95 of 60 values is the 57th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[rank - 1]


def _pages_of(session: int) -> list[str]:
    others = [stem for stem in bb.PAGE_FILES if stem != bb.DEFAULT_PAGE]
    return [bb.DEFAULT_PAGE, others[session % len(others)], others[(session + 1) % len(others)]]


async def _session(chromium, base_url: str, session: int, start: asyncio.Event) -> list[dict]:
    context = await bb.new_context(chromium, base_url)
    page = await context.new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)[:300]))
    await start.wait()
    visits = []
    for stem in _pages_of(session):
        visit = await bb.visit(page, f"{base_url}/{bb.PAGE_PATHS[stem]}", TIMEOUT_MS)
        visits.append({"session": session, "page": stem, **visit})
    await context.close()
    if crashes:
        visits[-1]["page_errors"] = crashes
    return visits


async def _run(warehouse: Path, sessions: int, log_dir: Path) -> dict:
    from playwright.async_api import async_playwright

    server = bb.start_server(warehouse, log_dir / "server-sessions.log")
    result: dict = {
        "warehouse": str(warehouse),
        "sessions": sessions,
        "started": now_iso(),
        "loadavg_start": loadavg_text(),
        "server_after_start": server.memory_mb(),
    }
    try:
        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(
                executable_path=bb.CHROMIUM, args=bb.CHROMIUM_ARGS
            )
            start = asyncio.Event()
            tasks = [
                asyncio.create_task(_session(chromium, server.base_url, n, start))
                for n in range(sessions)
            ]
            await asyncio.sleep(1)  # contexts created; then every session navigates at once
            me = os.getpid()
            server_cpu, client_cpu = (
                server.cpu_seconds(),
                bb.tree_cpu_seconds(me, exclude=server.process.pid),
            )
            began = time.monotonic()
            start.set()
            visits = [visit for batch in await asyncio.gather(*tasks) for visit in batch]
            result["all_sessions_s"] = round(time.monotonic() - began, 1)
            result["server_cpu_s"] = round(server.cpu_seconds() - server_cpu, 1)
            # This Python process included (it only waits on the browser).
            result["browser_cpu_s"] = round(
                bb.tree_cpu_seconds(me, exclude=server.process.pid) - client_cpu, 1
            )
            await chromium.close()
        result["server_after"] = server.memory_mb()
        result["server_log_tail"] = server.log_tail(10)
    finally:
        server.stop()
    result["loadavg_end"] = loadavg_text()
    drawn = [v["drawn_ms"] for v in visits if not v["error"] and v["drawn_ms"] is not None]
    result["page_loads"] = len(visits)
    result["errors"] = [v for v in visits if v["error"] or v.get("page_errors")]
    result["drawn_ms"] = {
        "p50": percentile(drawn, 0.50),
        "p95": percentile(drawn, 0.95),
        "max": max(drawn) if drawn else None,
        "mean": round(statistics.mean(drawn)) if drawn else None,
    }
    result["per_page"] = {}
    for stem in bb.PAGE_FILES:
        times = [v["drawn_ms"] for v in visits if v["page"] == stem and not v["error"]]
        result["per_page"][stem] = {
            "loads": len(times),
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
        }
    result["visits"] = visits
    return result


def run(warehouse: Path, sessions: int = 20) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as folder:
        return asyncio.run(_run(warehouse.resolve(), sessions, Path(folder)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="warehouse file to serve")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--out", type=Path, help="write the JSON result there (default: stdout)")
    args = parser.parse_args()
    result = run(args.db, args.sessions)
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    summary = result["drawn_ms"]
    print(
        f"{result['page_loads']} page loads, {len(result['errors'])} errors, "
        f"fully drawn p50 {summary['p50']} ms, p95 {summary['p95']} ms",
        file=sys.stderr,
    )
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
