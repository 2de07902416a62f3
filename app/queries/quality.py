"""Data-quality figures: load accounting, quarantined rows, excluded requests, data checks."""

from __future__ import annotations

import pandas as pd

from app import labels
from app.filtering import Filters
from app.queries.engine import _first_row, check_names, labelled, load_check, run

REJECTED_SAMPLE_LIMIT = 50
CHECK_SAMPLE_LIMIT = 200  # offending rows shown per data check


def load_summary(conn, filters: Filters) -> pd.DataFrame:
    return run(conn, "load_summary", filters.params())


def rejected_by_reason(conn, filters: Filters) -> pd.DataFrame:
    """Quarantined rows per source and reason code, with the code's French label (`reason`)."""
    frame = run(conn, "rejected_by_reason", filters.params())
    return frame.assign(reason=labelled(frame["reason_code"], labels.REJECT_REASON_LABELS))


def rejected_rows_total(rejected: pd.DataFrame) -> int:
    """Quarantined rows of every reason, from `rejected_by_reason`."""
    return int(rejected["n_rows"].sum())


def rejected_sample(conn, filters: Filters, limit: int = REJECTED_SAMPLE_LIMIT) -> pd.DataFrame:
    """The first quarantined rows, with their reason's French label (`reason`) and detail."""
    frame = run(conn, "rejected_sample", {**filters.params(), "limit": int(limit)})
    return frame.assign(reason=labelled(frame["reason_code"], labels.REJECT_REASON_LABELS))


def hits_summary(conn, filters: Filters) -> dict[str, int]:
    return {
        k: int(v or 0) for k, v in _first_row(run(conn, "hits_summary", filters.params())).items()
    }


def hits_excluded(conn, filters: Filters) -> pd.DataFrame:
    frame = run(conn, "hits_excluded", filters.params())
    return frame.assign(
        exclusion_reason=labelled(frame["exclusion_reason"], labels.EXCLUSION_REASON_LABELS)
    )


def data_check(
    conn, name: str, platform: str, limit: int = CHECK_SAMPLE_LIMIT
) -> tuple[int, pd.DataFrame]:
    """Run the data check `app/sql/checks/<name>.sql` for a platform: (offending rows, the
    first `limit` of them). A check passes when it returns no rows."""
    sql = load_check(name).strip().rstrip(";")
    params = {"platform": platform}
    # The check runs once for both figures (some scan every page view: 1.3 s at scale 10).
    rows = run(
        conn,
        f"""WITH offending AS MATERIALIZED ({sql}
)
SELECT (SELECT count(*) FROM offending) AS _offending_rows, *
FROM (SELECT * FROM offending LIMIT {int(limit)})""",
        params,
    )
    count = int(rows["_offending_rows"].iloc[0]) if len(rows) else 0
    return count, rows.drop(columns="_offending_rows")


def data_checks(conn, filters: Filters) -> dict[str, tuple[int, pd.DataFrame]]:
    """Every data check for the filters' platform: {name: (offending rows, sample)}."""
    return {name: data_check(conn, name, filters.platform) for name in check_names()}
