"""The log staging script (`etl/sql/10_stg_log_lines.sql`) run on a few lines in memory, as a
slice of a load runs it: for tests of what staging, and the masking after it, make of lines."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from etl import load, logs


def run_staging(con: duckdb.DuckDBPyConnection, lines: list[str]) -> None:
    """The schema, then `lines` (numbered from 1) staged into `stg_parsed` on `con`."""
    load.run_script(con, "00_schema.sql")
    con.register(
        "raw_lines",
        pa.table(
            {
                "line_no": pa.array(range(1, len(lines) + 1), pa.int64()),
                "line": pa.array(lines, pa.large_string()),
            }
        ),
    )
    load.run_script(
        con,
        "10_stg_log_lines.sql",
        {
            "platform": "p",
            "file_id": "f",
            "source_file": "x",
            "load_clock": datetime.now(UTC),
            "max_rejected_rows": 10_000,
            "rejected_before": 0,
            **logs.patterns_in_order("combined"),
        },
    )
