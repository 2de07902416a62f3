"""The ETL's SQL runner binds exactly the parameters a statement names."""

import duckdb

from etl.scripts import params_used


def test_a_parameter_is_bound_only_where_its_whole_name_appears():
    params = {"first": 1, "first_day": "2020-04-01", "day": "x"}
    assert params_used("select $first_day::date", params) == {"first_day": "2020-04-01"}
    assert params_used("select $first + 1, $first_day::date", params) == {
        "first": 1,
        "first_day": "2020-04-01",
    }
    assert params_used("select 1", params) == {}
    # DuckDB refuses a parameter the statement does not use: what the runner avoids.
    con = duckdb.connect()
    statement = "select $first_day::date as d"
    assert (
        con.execute(statement, params_used(statement, params)).fetchone()[0].isoformat()
        == "2020-04-01"
    )
