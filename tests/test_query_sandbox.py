"""`keikaku query` reads its database and nothing else: no file read, listed or written, no other
database attached, no extension installed or loaded, no setting changed back; `export` still
writes its files (it writes them itself)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from keikaku.cli import main
from keikaku.load import db as database


@pytest.fixture()
def places(tmp_path) -> dict[str, Path]:
    db = tmp_path / "k.duckdb"
    database.connect(db).close()
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n", encoding="utf-8")
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE precious (x INTEGER)")
    con.close()
    return {"db": db, "secret": secret, "other": other, "dir": tmp_path}


def refused(sql: str, db: Path, capsys) -> str:
    status = main(["query", sql, "--db", str(db)])
    captured = capsys.readouterr()
    assert status == 1, captured.out
    lines = captured.err.strip().splitlines()   # DuckDB's whole message, its hint lines included
    assert lines[0].startswith("error: "), captured.err
    return lines[0]


READS = {
    "read_text": "SELECT * FROM read_text('{secret}')",
    "read_csv": "SELECT * FROM read_csv('{secret}')",
    "read_blob": "SELECT * FROM read_blob('{secret}')",
    "glob": "SELECT * FROM glob('{dir}/*')",
    "sniff_csv": "SELECT * FROM sniff_csv('{secret}')",
    "replacement_scan": "SELECT * FROM '{secret}'",
    "url": "SELECT * FROM read_csv('https://example.invalid/x.csv')",
}


@pytest.mark.parametrize("name", sorted(READS))
def test_query_reads_no_file(places, name, capsys):
    line = refused(READS[name].format(**places), places["db"], capsys)
    assert "hunter2" not in line


@pytest.mark.parametrize("sql, written", [
    ("COPY (SELECT 1 AS x) TO '{dir}/copied.csv'", "copied.csv"),
    ("COPY documents TO '{dir}/documents.parquet' (FORMAT parquet)", "documents.parquet"),
    ("EXPORT DATABASE '{dir}/dump'", "dump"),
])
def test_query_writes_no_file(places, sql, written, capsys):
    line = refused(sql.format(**places), places["db"], capsys)
    assert "Permission" in line
    assert not (places["dir"] / written).exists()


@pytest.mark.parametrize("sql", [
    "ATTACH '{other}' AS other (READ_WRITE)",
    "ATTACH '{other}' AS other",
    "ATTACH '{dir}/new.duckdb' AS fresh",
])
def test_query_attaches_no_database(places, sql, capsys):
    refused(sql.format(**places), places["db"], capsys)
    assert not (places["dir"] / "new.duckdb").exists()
    con = duckdb.connect(str(places["other"]), read_only=True)
    assert con.execute("SELECT count(*) FROM precious").fetchone() == (0,)
    con.close()


@pytest.mark.parametrize("sql", [
    "INSTALL httpfs", "LOAD httpfs", "SET enable_external_access = true", "RESET enable_external_access",
    "SET lock_configuration = false", "SET autoinstall_known_extensions = true", "SET temp_directory = '/tmp'",
    "CREATE SECRET (TYPE s3)",
])
def test_query_cannot_widen_its_sandbox(places, sql, capsys):
    refused(sql, places["db"], capsys)


def test_one_statement_cannot_unlock_and_then_read(places, capsys):
    sql = "SET enable_external_access = true; SELECT * FROM read_text('{secret}')".format(**places)
    line = refused(sql, places["db"], capsys)
    assert "hunter2" not in line


def test_query_still_reads_its_own_database(places, capsys):
    assert main(["query", "SELECT count(*) AS n FROM documents", "--db", str(places["db"]), "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "0"]


def test_export_writes_its_files_outside_the_sandbox(places, capsys):
    out = places["dir"] / "exports"
    for fmt in ("csv", "parquet", "xlsx"):
        assert main(["export", "--out", str(out), "--format", fmt, "--db", str(places["db"])]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{relation}.{fmt}" for relation in database.EXPORTED for fmt in ("csv", "parquet")] + ["keikaku.xlsx"])
