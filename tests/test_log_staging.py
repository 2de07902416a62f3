"""The staging SQL splits log lines exactly as the format regexes do.

`etl/sql/10_stg_log_lines.sql` cuts plain combined lines with one `string_split` (the fast
path) and sends every other line through the full regexes of `etl.logs.LOG_FORMATS`. Here
Python's `re` with those same regexes is the oracle: for any line, whichever path it takes,
the staged fields must be the ones the regex captures.
"""

from __future__ import annotations

import re

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl import logs
from tests.staging import run_staging

FIELDS = ["ip", "ts", "request", "status", "bytes", "referrer", "user_agent"]
# What stg_parsed keeps of them: typed, the request cut into method and target.
STAGED = ["ip", "ts_text", "status_text", "method", "target", "bytes", "referrer", "user_agent"]
_GROUPS = {name: i for i, name in enumerate(logs.LOG_FIELDS)}


def stage(lines: list[str]) -> list[tuple]:
    """Fields of each line as staged by the SQL (None for a line no format parses)."""
    con = duckdb.connect()
    try:
        run_staging(con, lines)
        staged = {
            row[0]: row[1:]
            for row in con.execute(
                f"select line_no, {', '.join(STAGED)} from stg_parsed"
            ).fetchall()
        }
    finally:
        con.close()
    return [
        None if staged.get(i) is None or staged[i][1] is None else staged[i]
        for i in range(1, len(lines) + 1)
    ]


def oracle(line: str) -> tuple | None:
    """The fields the format regexes capture, tried in the order the SQL tries them."""
    text = line.rstrip("\r\n")
    for name in ("combined", "vhost_combined", "common"):
        match = re.match(logs.LOG_FORMATS[name], text)
        if match:
            groups = [g or "" for g in match.groups()]
            fields = {f: groups[_GROUPS[f]] for f in FIELDS}
            for f in ("request", "referrer", "user_agent"):
                fields[f] = fields[f].replace('\\"', '"').replace("\\x22", '"')
            method, target = split_request(fields["request"])
            size = fields["bytes"]
            return (
                fields["ip"],
                fields["ts"],
                fields["status"],
                method,
                target,
                None if size == "-" else int(size),
                None if fields["referrer"] == "-" else fields["referrer"],
                None if fields["user_agent"] in ("-", "") else fields["user_agent"],
            )
    return None


def split_request(request: str) -> tuple[str | None, str | None]:
    """`GET /path HTTP/1.1` → (GET, /path); an invalid request line → (None, None)."""
    if re.fullmatch(r"[A-Za-z]+ [^ ]+(?: [A-Za-z]+/[0-9.]+)?", request):
        method, target = request.split(" ")[:2]
    elif re.fullmatch(r"[A-Za-z]+ +[^ ]+(?: +[A-Za-z]+/[0-9.]+)? *", request):
        method, target = request.split()[:2]
    else:
        return None, None
    if not target.startswith("/"):
        target = re.sub(r"^[a-zA-Z]+://[^/]+", "", target)
    return method, target


def test_plain_and_unusual_lines_split_like_the_regexes():
    lines = [
        '203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "GET /produits?q=miel HTTP/1.1" 200 512 "https://www.google.fr/" "Mozilla/5.0 (X11)"\n',
        # nginx appends fields after the agent; a truncated last line has no newline
        '203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "GET / HTTP/1.1" 304 - "-" "curl/8.0" "-" 0.012\n',
        '203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0 (cut',
        # escaped quotes (Apache `\"`, nginx `\x22`) take the full regex
        '203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "GET /a\\"b HTTP/1.1" 200 5 "-" "say \\"hi\\""\n',
        '203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "GET /a HTTP/1.1" 200 5 "-" "x\\x22y"\n',
        # a proxy's client list, vhost_combined, common, a quote inside the time
        '10.0.0.2, 10.0.0.1 - - [30/Mar/2020:10:00:00 +0200] "GET / HTTP/1.1" 200 5 "-" "ua"\n',
        'www.example.fr:443 203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "GET / HTTP/1.1" 200 5 "-" "ua"\n',
        '203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "GET / HTTP/1.1" 200 5\n',
        '203.0.113.7 - - [30/Mar"/2020:10:00:00 +0200] "GET / HTTP/1.1" 200 5 "-" "ua"\n',
        # no space after the agent's quote, an invalid request, junk, an empty line
        '203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "GET / HTTP/1.1" 200 5 "-" "ua""x"\n',
        '203.0.113.7 - - [30/Mar/2020:10:00:00 +0200] "\\x16\\x03\\x01" 400 0 "-" "-"\n',
        '\x00\x01 not a log line "" ""\n',
        "\n",
    ]
    assert stage(lines) == [oracle(line) for line in lines]


_chars = st.sampled_from(list('ab1 -/:"\\[],.x+') + ["\\x22", "\t", "é"])
_text = st.lists(_chars, max_size=12).map("".join)


@st.composite
def log_lines(draw):
    ip = draw(st.sampled_from(["203.0.113.7", "2001:db8::1", "10.0.0.2, 10.0.0.1", "-"]) | _text)
    ts = draw(st.sampled_from(["30/Mar/2020:10:00:00 +0200", "27/Jun/2013:11:55:44"]) | _text)
    request = draw(st.sampled_from(["GET / HTTP/1.1", "-", "GET /a?b=c HTTP/1.0"]) | _text)
    status = draw(st.sampled_from(["200", "404", "2000", "x"]))
    size = draw(st.sampled_from(["0", "512", "-", ""]))
    referrer = draw(st.sampled_from(["-", "https://www.google.fr/"]) | _text)
    agent = draw(st.sampled_from(["Mozilla/5.0 (X11; Linux)", "-"]) | _text)
    tail = draw(st.sampled_from(["", ' "-" 0.01', " ", '"', "x"]))
    end = draw(st.sampled_from(["\n", "\r\n", ""]))
    return f'{ip} - - [{ts}] "{request}" {status} {size} "{referrer}" "{agent}"{tail}{end}'


# 300 generated examples, each staged in DuckDB: tens of seconds.
@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(log_lines(), min_size=1, max_size=20))
@example(['1.2.3.4 - - [x] "a" 200 1 "b" "c"\n'])
def test_any_line_splits_like_the_regexes(lines):
    assert stage(lines) == [oracle(line) for line in lines]
