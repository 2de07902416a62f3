"""Server-side time of every dashboard page, run through Streamlit's AppTest.

    python -m bench.pages_bench --db WAREHOUSE [--runs 5] [--pages a,b] [--filters narrow]
                                                               (prints JSON)

As tests/test_pages_apptest.py does: `AppTest.from_file("dashboard.py")`, filters passed as
page-address parameters (`at.query_params`), the page chosen with `switch_page`, then one
`run()` — the shared sidebar and the page, exactly what the server executes per page view,
minus the websocket and the browser. Only `run()` is timed.

Per page and filter set: one warm-up run, then `runs` warm runs (figures already in
`st.cache_data`: a second visitor, or a rerun) and `runs` cold runs (`st.cache_data.clear()`
before each: the first visitor after a load; the read-only connection stays open). Medians.

Filters: the defaults (food platform, since the opening) and a narrow one: one department and
one category (the first of each the warehouse offers), as a copied link would carry them.
Run in its own process, since OBSERVATOIRE_DB is read by the app and caches are per process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from bench.common import REPO_ROOT

TIMEOUT_S = 300


def narrow_filter(warehouse: Path) -> dict[str, str]:
    """One department and one food category, as URL parameters (app/filtering.py URL_KEYS):
    the pair with the most listings, so that the narrow pages have something to compute and
    draw (the first department and category in alphabetical order can hold no listing)."""
    import duckdb

    from app import queries

    with duckdb.connect(str(warehouse), read_only=True) as con:
        ctx = queries.filter_context(con)
        pair = con.execute(
            """
            select s.department_code, l.category_code
            from listings l join suppliers s on s.platform = l.platform and s.supplier_id = l.supplier_id
            where l.platform = 'produits-frais'
              and list_contains($departments, s.department_code)
              and list_contains($categories, l.category_code)
            group by all
            order by count(*) desc, 1, 2
            limit 1""",
            {
                "departments": sorted(ctx.departments),
                "categories": sorted(ctx.categories["produits-frais"]),
            },
        ).fetchone()
    if pair is None:  # an empty catalogue: any pair will do
        return {
            "departments": next(iter(ctx.departments)),
            "categories": next(iter(ctx.categories["produits-frais"])),
        }
    return {"departments": pair[0], "categories": pair[1]}


def _one_run(page: str, params: dict[str, str]) -> tuple[float, list[str]]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT_S)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py")
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    problems = [f"exception: {e.message}" for e in at.exception] + [
        f"error: {e.value}" for e in at.error
    ]
    if not at.title:
        problems.append("no title: the page did not run")
    return seconds, problems


def measure(
    warehouse: Path, runs: int, only_pages: list[str] | None = None, only_filters: str | None = None
) -> dict:
    os.environ["OBSERVATOIRE_DB"] = str(warehouse)
    import streamlit as st

    try:
        from app.queries.engine import clear_scope_cache
    except ImportError:  # a commit before the kept visit scope (before/after runs)
        clear_scope_cache = lambda: None  # noqa: E731

    narrow = narrow_filter(warehouse)
    pages = only_pages or sorted(
        p.stem for p in (REPO_ROOT / "app_pages").glob("*.py") if not p.name.startswith("_")
    )
    rows, problems = [], []
    for filters, params in (("default", {}), ("narrow", narrow)):
        if only_filters and filters != only_filters:
            continue
        for page in pages:
            warmup, issues = _one_run(page, params)
            warm, cold = [], []
            for _ in range(runs):
                seconds, more = _one_run(page, params)
                warm.append(seconds)
                issues += more
            for _ in range(runs):
                st.cache_data.clear()
                clear_scope_cache()  # kept apart from st.cache_data (app/queries/engine.py)
                seconds, more = _one_run(page, params)
                cold.append(seconds)
                issues += more
            problems += [f"{page} ({filters}): {issue}" for issue in sorted(set(issues))]
            rows.append(
                {
                    "page": page,
                    "filters": filters,
                    "runs": runs,
                    "warmup_ms": round(warmup * 1000),
                    "warm_median_ms": round(statistics.median(warm) * 1000),
                    "warm_max_ms": round(max(warm) * 1000),
                    "cold_median_ms": round(statistics.median(cold) * 1000),
                    "cold_max_ms": round(max(cold) * 1000),
                    "loadavg": " ".join(f"{v:.2f}" for v in os.getloadavg()),
                    "problems": "; ".join(sorted(set(issues))),
                }
            )
    return {"warehouse": str(warehouse), "narrow": narrow, "rows": rows, "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", help="comma-separated page names (default: every page)")
    parser.add_argument("--filters", choices=("default", "narrow"), help="one filter set only")
    args = parser.parse_args()
    pages = args.pages.split(",") if args.pages else None
    result = measure(args.db.resolve(), args.runs, pages, args.filters)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
