"""export --format parquet --partitioned: a hive dataset that reads back as the database."""
from __future__ import annotations

import duckdb
import pytest

from keikaku.cli import main
from keikaku.load.db import RELATIONS

READ = ("SELECT * EXCLUDE (prefecture, municipality_code) FROM read_parquet('{glob}', hive_partitioning = true, "
        "hive_types = {{'prefecture': VARCHAR, 'municipality_code': VARCHAR}}) ORDER BY ALL")


def test_partitioned_export_reads_back_as_the_database(sample_db, tmp_path):
    db = sample_db("text")
    out = tmp_path / "dataset"
    assert main(["export", "--format", "parquet", "--partitioned", str(out), "--db", str(db), "-q"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        for relation in RELATIONS:
            expected = con.execute(f"SELECT * EXCLUDE (prefecture, municipality_code) FROM {relation} "
                                   "ORDER BY ALL" if relation == "documents" else f"SELECT * FROM {relation} ORDER BY ALL")
            names, rows = [c[0] for c in expected.description], expected.fetchall()
            if not rows:   # an empty relation has no partition to write
                assert not list(out.rglob(f"{relation}.parquet")), relation
                continue
            got = con.execute(READ.format(glob=out / "**" / f"{relation}.parquet"))
            assert ([c[0] for c in got.description], got.fetchall()) == (names, rows), relation
        codes = con.execute("SELECT DISTINCT prefecture, municipality_code FROM documents ORDER BY ALL").fetchall()
        read = con.execute(f"SELECT DISTINCT prefecture, municipality_code FROM read_parquet('{out}/**/documents.parquet', "
                           "hive_partitioning = true, hive_types = {'prefecture': VARCHAR, 'municipality_code': VARCHAR}) "
                           "ORDER BY ALL").fetchall()
    finally:
        con.close()
    assert read == codes and len(codes) >= 2
    assert (out / "ingest_log.parquet").exists() and (out / "indicators.parquet").exists()


def test_partitioned_export_refuses_a_folder_with_files(sample_db, tmp_path, capsys):
    (tmp_path / "old.parquet").write_bytes(b"x")
    assert main(["export", "--format", "parquet", "--partitioned", str(tmp_path), "--db", str(sample_db("text"))]) == 2
    assert "not empty" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--format", "csv", "--partitioned", "x"], ["--format", "parquet"]])
def test_partitioned_needs_parquet_and_one_folder(sample_db, args, capsys):
    assert main(["export", *args, "--db", str(sample_db("text"))]) == 2
