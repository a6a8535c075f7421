"""CLI round trip: ingest -> query -> export, and re-ingest idempotence."""
from __future__ import annotations

import io
import json

import pandas as pd
from conftest import sample

from keikaku.cli import main

COUNTS = "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM measures), (SELECT count(*) FROM observations)"


def test_round_trip_and_idempotent_reingest(tmp_path, capsys):
    db = str(tmp_path / "k.duckdb")
    files = [str(sample("002", "text")), str(sample("003", "text"))]
    assert main(["ingest", *files, "--db", db]) == 0
    capsys.readouterr()
    assert main(["query", COUNTS, "--db", db, "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert list(first[0].values()) == [2, 36, 177]

    assert main(["ingest", files[1], "--db", db]) == 0   # the same file again replaces its rows
    capsys.readouterr()
    assert main(["query", COUNTS, "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == first

    sql = "SELECT document, measure, indicator, fiscal_year, kind, value, unit, text FROM observations ORDER BY ALL"
    assert main(["query", sql, "--db", db, "--format", "csv"]) == 0
    queried = pd.read_csv(io.StringIO(capsys.readouterr().out))

    for excel in (False, True):
        out = tmp_path / ("excel" if excel else "plain")
        assert main(["export", "--out", str(out), "--db", db, *(["--excel"] if excel else [])]) == 0
        raw = (out / "observations.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") is excel
        exported = pd.read_csv(out / "observations.csv", encoding="utf-8-sig")
        columns = ["document", "measure", "indicator", "fiscal_year", "kind", "value", "unit", "text"]
        exported = exported[columns].sort_values(columns, na_position="first").reset_index(drop=True)
        expected = queried.sort_values(columns, na_position="first").reset_index(drop=True)
        pd.testing.assert_frame_equal(exported, expected)
        measures = pd.read_csv(out / "measures.csv", encoding="utf-8-sig")
        assert json.loads(measures.loc[measures["title"] == "受益者負担の適正化", "departments"].iloc[0]) == ["政策推進課"]


def test_documents_lists_counts(tmp_path, capsys):
    db = str(tmp_path / "k.duckdb")
    assert main(["ingest", str(sample("002", "text")), "--db", db]) == 0
    capsys.readouterr()
    assert main(["documents", "--db", db, "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["document"], row["municipality"], row["measures"], row["observations"]) == ("002_b844f136f78e5eb9", "安曇野市", 5, 22)


def test_query_is_read_only_and_errors_are_one_line(tmp_path, capsys):
    db = str(tmp_path / "k.duckdb")
    assert main(["ingest", str(sample("002", "text")), "--db", db]) == 0
    capsys.readouterr()
    assert main(["query", "DELETE FROM observations", "--db", db]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "read-only" in err.lower()


def test_missing_database_is_a_clear_error(tmp_path, capsys):
    assert main(["query", "SELECT 1", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "keikaku ingest" in capsys.readouterr().err


def test_keep_unparsed_loads_tables_of_an_unknown_layout(tmp_path, capsys):
    path = tmp_path / "budget.tsv"
    path.write_text("款\t項\t金額\n市税\t市民税\t1,234\n", encoding="utf-8")
    db = str(tmp_path / "k.duckdb")
    assert main(["ingest", str(path), "--db", db]) == 1
    assert "no plan records" in capsys.readouterr().err
    assert main(["ingest", str(path), "--db", db, "--keep-unparsed"]) == 0
    capsys.readouterr()
    assert main(["query", "SELECT n_rows, n_cols, cells FROM unparsed_tables", "--db", db, "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["n_rows"], row["n_cols"]) == (2, 3) and json.loads(row["cells"])[1] == ["市税", "市民税", "1,234"]
