"""A floor for any load built on DuckDB: its own CSV reader storing a combined log, nothing else.

`python -m bench.duckdb_floor LOG WORK_DIR` prints one JSON object. Two statements, each into
a fresh database file in WORK_DIR, each timed alone:

* `fields`: DuckDB's multi-threaded CSV reader cuts each line at spaces and quotes into the
  ten fields of the combined format (the time is two fields) and stores them as text;
* `typed`: the same read, plus what every load must do per line: the time parsed with its
  offset, status and size as numbers, method and target out of the request line, and a
  keyed hash of client and agent.

What this leaves out, and our load does: line numbers, lines that do not parse kept with
their reason (here `ignore_errors` drops them silently), other formats and escapes, robots,
assets, URL classes, referrer hosts, visits and daily aggregates, the atomic switch. So the
figures are a lower bound for a DuckDB-based load on this machine, not a competitor.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

# The ten space-separated fields of a combined line, quotes honoured, `\"` as an escaped quote.
READ = """read_csv(?, delim = ' ', quote = '"', escape = '\\', header = false, auto_detect = false,
    columns = {'ip': 'varchar', 'ident': 'varchar', 'user': 'varchar', 'time': 'varchar',
               'utc_offset': 'varchar', 'request': 'varchar', 'status': 'varchar', 'size': 'varchar',
               'referrer': 'varchar', 'agent': 'varchar'},
    strict_mode = false, ignore_errors = true)"""

STATEMENTS = {
    "fields": f"create table hits as select * from {READ}",
    "typed": f"""create table hits as
        select try_strptime(time || ' ' || utc_offset, '[%d/%b/%Y:%H:%M:%S %z]') as ts,
               split_part(request, ' ', 1) as method, split_part(request, ' ', 2) as target,
               try_cast(status as integer) as status, try_cast(nullif(size, '-') as bigint) as size,
               nullif(referrer, '-') as referrer, agent,
               md5('0123456789abcdef' || ip || '|' || agent) as visitor_id
        from {READ}""",
}


def main(log: Path, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    result = {}
    for name, statement in STATEMENTS.items():
        db = work / f"floor_{name}.duckdb"
        db.unlink(missing_ok=True)
        con = duckdb.connect(str(db))
        started = time.perf_counter()
        con.execute(statement, [str(log)])
        con.execute("checkpoint")
        seconds = time.perf_counter() - started
        rows = con.execute("select count(*) from hits").fetchone()[0]
        con.close()
        result[name] = {
            "seconds": round(seconds, 2),
            "rows": rows,
            "db_mb": round(db.stat().st_size / 1e6),
        }
        db.unlink()
    return result


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]))))
