"""The reference tables a load starts from: INSEE departments and communes, key dates, the
category and supplier-kind vocabulary, the URL patterns of page types and the channel
patterns (etl/config/)."""

from __future__ import annotations

import hashlib
import tomllib

import pyarrow as pa

from etl import catalogue
from etl.scripts import run_script, sql
from etl.settings import CONFIG_DIR, REFERENCE_DIR


def page_types() -> set[str]:
    """The page types of etl/config/url_patterns.toml, and `autre` (a page matching none)."""
    patterns = tomllib.loads((CONFIG_DIR / "url_patterns.toml").read_text(encoding="utf-8"))
    return {"autre"} | {
        p["page_type"] for spec in patterns["platforms"].values() for p in spec["patterns"]
    }


def load_vocabulary(con) -> None:
    """The category vocabulary (`categories`) and the aliases the catalogue's SQL maps labels
    with (`supplier_kinds`, `category_aliases`), from etl/config/vocabulary.toml."""
    vocab = catalogue.vocabulary_tables()
    con.register("v_categories", vocab["categories"])
    con.execute("create or replace table categories as select * from v_categories")
    for name in ("supplier_kinds", "category_aliases"):
        con.register(f"v_{name}", vocab[name])
        con.execute(f"create or replace temp table {name} as select * from v_{name}")


def load_reference(con) -> None:
    run_script(
        con,
        "05_reference.sql",
        {"reference_dir": str(REFERENCE_DIR), "key_dates_csv": str(CONFIG_DIR / "key_dates.csv")},
    )
    load_vocabulary(con)
    patterns_text = (CONFIG_DIR / "url_patterns.toml").read_text(encoding="utf-8")
    # The cache depends on the patterns and on the SQL that classifies URLs.
    fingerprint = hashlib.sha256((patterns_text + sql("20_hits.sql")).encode()).hexdigest()
    if con.execute(
        "select fingerprint from config_state where name = 'url_patterns'"
    ).fetchall() != [(fingerprint,)]:
        con.execute("delete from url_paths")
        con.execute("insert or replace into config_state values ('url_patterns', ?)", [fingerprint])
    patterns = tomllib.loads(patterns_text)
    rows = [
        {"platform": platform, "priority": i, "page_type": p["page_type"], "regex": p["regex"]}
        for platform, spec in patterns["platforms"].items()
        for i, p in enumerate(spec["patterns"])
    ]
    con.register("v_url_patterns", pa.Table.from_pylist(rows))
    con.execute("create or replace temp table url_patterns as select * from v_url_patterns")
    channels = tomllib.loads((CONFIG_DIR / "channels.toml").read_text(encoding="utf-8"))
    channel_rows = [
        {"priority": i, "channel": c["channel"], "regex": rx}
        for i, c in enumerate(channels["channels"])
        for rx in c["patterns"]
    ]
    con.register("v_channel_patterns", pa.Table.from_pylist(channel_rows))
    con.execute("create or replace table channel_patterns as select * from v_channel_patterns")
