"""Benchmarks of the ETL and the dashboard (issues #7 and #8): `bench/run` runs them all.

Each step writes its figures to `bench/results/` (committed: they are the evidence quoted in
docs/performance.md). Generated data, warehouses and logs live in a work folder under /tmp,
never in data/.
"""
