"""Resident memory of a real dashboard server after a browser has visited every page.

    python -m bench.app_memory --db WAREHOUSE [--narrow QUERY]

One `streamlit run` server, one headless Chromium tab visiting each page with the default
filters, then each page again with the narrow filter; the server's VmRSS/VmHWM are read from
/proc/PID/status after start, after the default visits and after the narrow visits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path

from bench import browser as bb

TIMEOUT_MS = 180_000  # a cold page at scale 10 on a busy 2-core machine


async def _measure(warehouse: Path, narrow_query: str, log_dir: Path) -> dict:
    from playwright.async_api import async_playwright

    server = bb.start_server(warehouse, log_dir / "server-memory.log")
    result: dict = {
        "warehouse": str(warehouse),
        "narrow_query": narrow_query,
        "after_start": server.memory_mb(),
        "visits": [],
    }
    try:
        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(
                executable_path=bb.CHROMIUM, args=bb.CHROMIUM_ARGS
            )
            context = await bb.new_context(chromium, server.base_url)
            page = await context.new_page()
            for label, query in (("default", ""), ("narrow", narrow_query)):
                for stem, path in bb.PAGE_PATHS.items():
                    url = f"{server.base_url}/{path}" + (f"?{query}" if query else "")
                    visit = await bb.visit(page, url, TIMEOUT_MS, charts=(label == "default"))
                    result["visits"].append({"filters": label, "page": stem, **visit})
                result[f"after_{label}"] = server.memory_mb()
            await chromium.close()
    finally:
        server.stop()
    result["errors"] = [v for v in result["visits"] if v["error"]]
    return result


def measure(warehouse: Path, narrow_query: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        return asyncio.run(_measure(warehouse, narrow_query, Path(folder)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--narrow", default="", help="query string of the narrow filter")
    args = parser.parse_args()
    print(json.dumps(measure(args.db.resolve(), args.narrow), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
