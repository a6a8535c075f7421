"""Bulk inserts from plain rows (load/rows.py): the values DuckDB stores, and an ingest that
never imports pandas."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import duckdb
import pytest

from keikaku.load.rows import column_types, insert_columns, insert_rows

TABLE = ("CREATE TABLE t (name VARCHAR, tags VARCHAR[], count INTEGER, value DOUBLE, flag BOOLEAN, "
         "cells JSON, stamp TIMESTAMP)")


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute(TABLE)
    yield connection
    connection.close()


def test_rows_keep_their_types_and_nulls(con):
    at = datetime(2026, 1, 2, 3, 4, 5, 678901)
    rows = [{"name": "a", "tags": ["x", "y"], "count": 1, "value": 2, "flag": True, "cells": '[["1"]]', "stamp": at},
            {"name": None, "tags": [], "count": None, "value": 2.5, "flag": None, "cells": None, "stamp": None},
            {"name": "c", "ignored": "no such column"}]
    assert insert_rows(con, "t", rows) == 3
    assert con.execute("SELECT * FROM t").fetchall() == [
        ("a", ["x", "y"], 1, 2.0, True, '[["1"]]', at),
        (None, [], None, 2.5, None, None, None),
        ("c", None, None, None, None, None, None)]
    assert [type(value) for value in con.execute("SELECT value FROM t WHERE name = 'a'").fetchone()] == [float]


def test_columns_not_given_are_null_and_types_may_be_passed(con):
    types = column_types(con)
    assert types["t"][:3] == [("name", "VARCHAR"), ("tags", "VARCHAR[]"), ("count", "INTEGER")]
    assert insert_columns(con, "t", {"count": [3, 4], "name": ["p", "q"]}, types) == 2
    assert con.execute("SELECT name, count, tags FROM t ORDER BY count").fetchall() == [("p", 3, None), ("q", 4, None)]


def test_nothing_to_insert(con):
    assert insert_rows(con, "t", []) == 0
    assert insert_columns(con, "t", {"name": []}) == 0
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_bad_batches_are_refused_whole(con):
    with pytest.raises(ValueError, match="different lengths"):
        insert_columns(con, "t", {"name": ["a", "b"], "count": [1]})
    with pytest.raises(ValueError, match="no column colour"):
        insert_columns(con, "t", {"name": ["a"], "colour": ["red"]})
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_an_ingest_imports_neither_pandas_nor_numpy(tmp_path):
    line = tmp_path / "one.txt"
    line.write_text("取組名\t窓口のオンライン化\n", encoding="utf-8")
    code = ("import sys\nfrom keikaku.cli import main\n"
            f"status = main(['ingest', '-q', '--db', {str(tmp_path / 'one.duckdb')!r}, {str(line)!r}])\n"
            "print(status, sorted({name.split('.')[0] for name in sys.modules} & {'pandas', 'numpy', 'pyarrow'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[-2] == "0 []"
