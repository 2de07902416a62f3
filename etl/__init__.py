"""ETL of the Observatoire des circuits courts: raw files → DuckDB warehouse.

Data flows one way: `data/raw/` (access logs, CSV exports) → parsers (`logs`, `catalogue`)
→ staging tables → models (`etl/sql/*.sql`, run in file order) → the warehouse contract
documented in `docs/warehouse.md`.
"""
