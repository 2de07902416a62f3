"""A query out of memory beside others is run again alone (`app.queries.engine.MemoryGate`):
several sessions share one memory limit, and only a query too large by itself may reach the
user as « plus de mémoire »."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from app.queries import engine

WAIT_S = 30  # a bound on every wait below, never reached when the gate works


class FakeExecute:
    """Stands in for `sqlrun.execute`: `script` says, call by call, to answer, to fail for
    memory, or to hold until released; records how many queries ran at each call."""

    def __init__(self, script: list[str]):
        self.script = list(script)
        self.calls: list[tuple[str, int]] = []
        self.callers: list[str] = []  # the thread making each call
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, cursor, sql, params):
        with self.lock:
            action = self.script.pop(0)
            self.calls.append((action, engine.MEMORY_GATE._running))
            self.callers.append(threading.current_thread().name)
            if action == "hold" and self.script.count("hold") == 0:
                self.holding.set()
        if action == "hold":
            assert self.release.wait(WAIT_S)
        if action == "oom":
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate")
        return SimpleNamespace(df=lambda: pd.DataFrame({"answer": [1]}))


@pytest.fixture
def conn():
    connection = duckdb.connect()
    yield connection
    connection.close()


def test_a_query_out_of_memory_is_run_again_and_answers(conn, monkeypatch):
    fake = FakeExecute(["oom", "answer"])
    monkeypatch.setattr(engine.sqlrun, "execute", fake)
    frame = engine.run(conn, "SELECT 1 AS answer")
    assert isinstance(frame, pd.DataFrame) and frame["answer"].tolist() == [1]
    # The retry ran alone: no query counted as running beside it.
    assert fake.calls == [("oom", 1), ("answer", 0)]


def test_a_query_too_large_alone_still_says_so(conn, monkeypatch):
    monkeypatch.setattr(engine.sqlrun, "execute", FakeExecute(["oom", "oom"]))
    with pytest.raises(duckdb.OutOfMemoryException):
        engine.run(conn, "SELECT 1 AS answer")
    # The gate is left open for the next queries.
    monkeypatch.setattr(engine.sqlrun, "execute", FakeExecute(["answer"]))
    assert engine.run(conn, "SELECT 1 AS answer")["answer"].tolist() == [1]


def test_the_retry_waits_for_the_running_query_and_holds_new_ones_back(conn, monkeypatch):
    # A holds memory (a long query); B fails beside it and must retry only once A is over;
    # C, arriving while B waits to run alone, must run after B's retry.
    fake = FakeExecute(["hold", "oom", "answer", "answer"])
    monkeypatch.setattr(engine.sqlrun, "execute", fake)
    results: dict[str, list] = {}

    def query(name: str) -> None:
        results[name] = engine.run(conn.cursor(), "SELECT 1 AS answer")["answer"].tolist()

    a = threading.Thread(target=query, args=("A",), name="A")
    a.start()
    assert fake.holding.wait(WAIT_S)
    b = threading.Thread(target=query, args=("B",), name="B")
    b.start()
    with engine.MEMORY_GATE._condition:
        assert engine.MEMORY_GATE._condition.wait_for(
            lambda: engine.MEMORY_GATE._waiting_alone == 1, WAIT_S
        )
    c = threading.Thread(target=query, args=("C",), name="C")
    c.start()
    assert len(fake.calls) == 2  # B's retry and C both wait while A runs
    fake.release.set()
    for thread in (a, b, c):
        thread.join(WAIT_S)
    # The queries' order as they reached DuckDB: A, B beside it, B again alone, then C.
    assert fake.callers == ["A", "B", "B", "C"]
    assert results == {"A": [1], "B": [1], "C": [1]}
    assert [action for action, _ in fake.calls] == ["hold", "oom", "answer", "answer"]
    assert fake.calls[2] == ("answer", 0)  # B's retry, alone


def test_no_more_queries_than_cores_run_side_by_side(conn, monkeypatch):
    gate = engine.MemoryGate(side_by_side=2)
    monkeypatch.setattr(engine, "MEMORY_GATE", gate)
    fake = FakeExecute(["hold", "hold", "answer"])
    monkeypatch.setattr(engine.sqlrun, "execute", fake)
    answers: list[list[int]] = []

    def query() -> None:
        answers.append(engine.run(conn.cursor(), "SELECT 1")["answer"].tolist())

    threads = [threading.Thread(target=query) for _ in range(3)]
    for thread in threads:
        thread.start()
    with gate._condition:
        assert gate._condition.wait_for(lambda: gate._running == 2, WAIT_S)
    assert [action for action, _ in fake.calls] == ["hold", "hold"]  # the third one waits
    fake.release.set()
    for thread in threads:
        thread.join(WAIT_S)
    assert len(fake.calls) == 3 and gate._running == 0
    assert answers == [[1], [1], [1]]
