"""`etl/sql/06_mask_stored_ips.sql`, the migration of a warehouse loaded before the masking,
masks the addresses stored in hits, page views, visits and agents as `masked_if_ip`, applied
to each row's own values, would.

The script tests each distinct value once and updates the rows holding it (for speed:
docs/performance.md, "The masking of echoed addresses"); here the macro applied row by row
is the oracle, on rows that repeat values, encode an address or hold none.
"""

from __future__ import annotations

import duckdb

from etl import load

CHROME = "Mozilla/5.0 (Windows NT 10.0) Chrome/81.0"

# path, query, referrer, user_agent, search_terms of stored hits
HITS = [
    ("/recherche", "q=203.0.113.9&ip=203.0.113.9", None, CHROME, "203.0.113.9"),
    ("/recherche", "q=203.0.113.9&ip=203.0.113.9", None, CHROME, "203.0.113.9"),  # repeated
    ("/produits/1%2E2%2E3%2E4", None, None, CHROME, None),  # encoded: stored decoded, masked
    ("/a", "from=2001:db8:1:2:3:4:5:6", "https://example.org/?c=2001:db8::1", CHROME, None),
    ("/", None, "https://example.org/?from=198.51.100.7", CHROME, None),
    ("/", None, None, CHROME + " ClientIP/198.51.100.7", None),
    ("/", None, None, CHROME + " ClientIP/203.0.113.9", None),
    ("/produits", "page=2", "https://example.org/", CHROME, "pommes"),  # no address anywhere
    ("/version/1.2.3", None, None, "curl/7.68.0", None),  # dotted, not an address
    (None, None, None, None, None),
]

# path, user_agent, search_terms of stored page views; entry_path of stored visits
PAGEVIEWS = [
    ("/produit/203.0.113.9", CHROME + " 203.0.113.9", "ip 192.0.2.1"),
    ("/produit/203.0.113.9", CHROME, None),
    ("/produits", CHROME, "pommes"),
    (None, None, None),
]
VISITS = ["/produit/203.0.113.9", "/produit/1%2E2%2E3%2E4", "/produits", None]

# Two agents that differ only by their address, classified differently: the masked agent
# keeps the whole classification of the first (CHROME + " ClientIP/198.51.100.7"), not a mix
# of both (the second's bot name beside the first's "not a robot").
AGENTS = [
    (CHROME, False, None, "Chrome", "Windows", "desktop"),
    (CHROME + " ClientIP/198.51.100.7", False, None, "Chrome", "Windows", "desktop"),
    (CHROME + " ClientIP/203.0.113.9", True, "bot", "Other", "Other", "bot"),
    (CHROME + " 203.0.113.9", False, None, "Chrome", "Windows", "mobile"),
    ("curl/7.68.0", True, "curl", None, None, "bot"),
]

MASKED = "[IP masquée]"


def _masked(column: str) -> str:
    return f"coalesce(masked_if_ip({column}), {column})"


def test_stored_addresses_are_masked_as_the_macro_masks_each_row():
    con = duckdb.connect()
    try:
        load.run_script(con, "00_schema.sql")
        for i, (path, query, referrer, agent, search) in enumerate(HITS, start=1):
            con.execute(
                """insert into hits (platform, file_id, line_no, ts_utc, ts, path, query,
                       referrer, user_agent, search_terms, visitor_id, is_bot, is_asset,
                       is_pageview)
                   values ('p', 'f', ?, '2020-04-01 08:00:00+00', '2020-04-01 10:00:00',
                           ?, ?, ?, ?, ?, 'v', false, false, true)""",
                [i, path, query, referrer, agent, search],
            )
        for i, (path, agent, search) in enumerate(PAGEVIEWS):
            con.execute(
                """insert into pageviews (platform, ts, ts_utc, visitor_id, visit_id, path,
                       user_agent, search_terms)
                   values ('p', '2020-04-01 10:00:00', '2020-04-01 08:00:00+00', 'v', ?, ?, ?, ?)""",
                [f"visit{i}", path, agent, search],
            )
        for i, entry_path in enumerate(VISITS):
            con.execute(
                """insert into visits (platform, visit_id, visitor_id, started_at, ended_at,
                       pageviews, duration_s, is_bounce, entry_path, channel, device_type,
                       browser, os)
                   values ('p', ?, 'v', '2020-04-01 10:00:00', '2020-04-01 10:00:00', 1, 0,
                           true, ?, 'direct', 'desktop', 'Chrome', 'Windows')""",
                [f"visit{i}", entry_path],
            )
        con.executemany("insert into user_agents values (?, ?, ?, ?, ?, ?)", AGENTS)
        con.execute(
            "insert into url_paths (platform, raw_path, query, path) values ('p', '/a', '', '/a')"
        )
        queries = {
            "hits": (
                "select line_no, path, query, referrer, user_agent, search_terms "
                "from hits order by line_no"
            ),
            "pageviews": "select visit_id, path, user_agent, search_terms from pageviews order by 1",
            "visits": "select visit_id, entry_path from visits order by 1",
        }
        # The oracle: each row's values masked on their own.
        expected = {
            "hits": con.execute(
                f"""select line_no, {_masked("path")}, {_masked("query")}, {_masked("referrer")},
                           {_masked("user_agent")}, {_masked("search_terms")}
                    from hits order by line_no"""
            ).fetchall(),
            "pageviews": con.execute(
                f"""select visit_id, {_masked("path")}, {_masked("user_agent")},
                           {_masked("search_terms")}
                    from pageviews order by 1"""
            ).fetchall(),
            "visits": con.execute(
                f"select visit_id, {_masked('entry_path')} from visits order by 1"
            ).fetchall(),
        }
        load.run_script(con, "06_mask_stored_ips.sql")
        got = {table: con.execute(query).fetchall() for table, query in queries.items()}
        agents = con.execute("select * from user_agents order by user_agent").fetchall()
        url_paths = con.execute("select count(*) from url_paths").fetchone()[0]
    finally:
        con.close()
    assert got == expected
    assert len(got["hits"]) == len(HITS) and len(got["pageviews"]) == len(PAGEVIEWS)
    by_line = {row[0]: row for row in got["hits"]}
    assert by_line[1][1:] == (
        "/recherche",
        f"q={MASKED}&ip={MASKED}",
        None,
        CHROME,
        MASKED,
    )
    assert by_line[2] == (2, *by_line[1][1:])
    assert by_line[3][1] == f"/produits/{MASKED}"
    assert by_line[4][2:4] == (f"from={MASKED}", f"https://example.org/?c={MASKED}")
    assert by_line[5][3] == f"https://example.org/?from={MASKED}"
    assert by_line[6][4] == by_line[7][4] == f"{CHROME} ClientIP/{MASKED}"
    assert by_line[8][1:] == ("/produits", "page=2", "https://example.org/", CHROME, "pommes")
    assert by_line[9][1] == "/version/1.2.3" and by_line[9][4] == "curl/7.68.0"
    assert got["pageviews"][0][1:] == (f"/produit/{MASKED}", f"{CHROME} {MASKED}", f"ip {MASKED}")
    assert [row[1] for row in got["visits"]] == [
        f"/produit/{MASKED}",
        f"/produit/{MASKED}",
        "/produits",
        None,
    ]
    # Agents holding an address are kept under their masked form, with their classification.
    assert agents == sorted(
        [
            AGENTS[0],
            (f"{CHROME} ClientIP/{MASKED}", *AGENTS[1][1:]),
            (f"{CHROME} {MASKED}", *AGENTS[3][1:]),
            AGENTS[4],
        ]
    )
    assert url_paths == 0  # keyed by raw text: emptied, to fill again from masked requests
