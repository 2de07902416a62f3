"""`etl/sql/15_mask_echoed_ips.sql` masks the addresses echoed in requests, referrers and
agents of the staged lines as `masked_if_ip`, applied to each line's own values, would.

The script tests each distinct value once and updates the lines holding it (for speed:
docs/performance.md, "The masking of echoed addresses"); here the macro applied line by line
is the oracle, on lines that repeat values, encode an address or hold none.
"""

from __future__ import annotations

import duckdb

from etl import load
from tests.staging import run_staging

CHROME = "Mozilla/5.0 (Windows NT 10.0) Chrome/81.0"


def _line(target: str, referrer: str = "-", agent: str = CHROME) -> str:
    return (
        f'203.0.113.9 - - [01/Apr/2020:10:00:00 +0200] "GET {target} HTTP/1.1" 200 100 '
        f'"{referrer}" "{agent}"\n'
    )


LINES = [
    _line("/recherche?q=203.0.113.9&ip=203.0.113.9"),
    _line("/recherche?q=203.0.113.9&ip=203.0.113.9"),  # the same value on two lines
    _line("/produits/1%2E2%2E3%2E4"),  # an address encoded: stored decoded and masked
    _line("/a?from=2001:db8:1:2:3:4:5:6", referrer="https://example.org/?c=2001:db8::1"),
    _line("/", referrer="https://example.org/?from=198.51.100.7"),
    _line("/", agent=CHROME + " ClientIP/198.51.100.7"),
    _line("/", agent=CHROME + " ClientIP/198.51.100.7"),
    _line("/produits?page=2", referrer="https://example.org/"),  # no address anywhere
    _line("/version/1.2.3", agent="curl/7.68.0"),  # dotted, not an address
    _line("/produits?page=2"),
]

COLUMNS = "line_no, target, raw_path, raw_query, referrer, user_agent, ip, method, status"


def test_echoed_addresses_are_masked_as_the_macro_masks_each_line():
    con = duckdb.connect()
    try:
        run_staging(con, LINES)
        # The oracle: each line's values masked on their own, the target cut as staging cuts it.
        expected = con.execute(
            """with masked as (
                   select * replace (
                       coalesce(masked_if_ip(target), target) as target,
                       coalesce(masked_if_ip(referrer), referrer) as referrer,
                       coalesce(masked_if_ip(user_agent), user_agent) as user_agent),
                       masked_if_ip(target) is not null as target_masked
                   from stg_parsed)
               select line_no,
                      target,
                      if(target_masked, split_part(target, '?', 1), raw_path),
                      if(target_masked,
                         coalesce(nullif(substr(target, length(split_part(target, '?', 1)) + 2),
                                         ''), ''),
                         raw_query),
                      referrer, user_agent, ip, method, status
               from masked order by line_no"""
        ).fetchall()
        load.run_script(con, "15_mask_echoed_ips.sql")
        got = con.execute(f"select {COLUMNS} from stg_parsed order by line_no").fetchall()
    finally:
        con.close()
    assert got == expected
    assert len(got) == len(LINES)
    by_line = {row[0]: row for row in got}
    assert by_line[1][1:4] == (
        "/recherche?q=[IP masquée]&ip=[IP masquée]",
        "/recherche",
        "q=[IP masquée]&ip=[IP masquée]",
    )
    assert by_line[2][1:4] == by_line[1][1:4]
    assert by_line[3][1] == "/produits/[IP masquée]"
    assert by_line[4][1] == "/a?from=[IP masquée]"
    assert by_line[4][4] == "https://example.org/?c=[IP masquée]"
    assert by_line[5][4] == "https://example.org/?from=[IP masquée]"
    assert by_line[6][5] == by_line[7][5] == CHROME + " ClientIP/[IP masquée]"
    assert by_line[8][1:6] == (
        "/produits?page=2",
        "/produits",
        "page=2",
        "https://example.org/",
        CHROME,
    )
    assert by_line[9][1] == "/version/1.2.3" and by_line[9][5] == "curl/7.68.0"
    assert by_line[1][6] == "203.0.113.9"  # the client's own address: hashed later, not here
