"""Export as a hive-partitioned parquet dataset, the layout Spark, Trino and DuckDB read as
one table:

    DIR/prefecture=静岡県/municipality_code=222101/observations.parquet   (and measures, …)
    DIR/prefecture=__HIVE_DEFAULT_PARTITION__/…        (documents with no known municipality)
    DIR/ingest_log.parquet, DIR/indicators.parquet     (not per city)

A relation with no rows has no partition, hence no file.

Partition values are percent-encoded in the paths (readers decode them). The partition
columns are not inside the files: read with hive partitioning, and keep municipality_code
a string (`hive_types = {'municipality_code': VARCHAR}`), or codes such as 012025 lose their
leading zero.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb

from . import DEFAULT_DB
from .db import RELATIONS, connect

PARTITIONS = ("prefecture", "municipality_code")
UNPARTITIONED = ("ingest_log", "indicators")


def _select(relation: str) -> str:
    """The relation's rows with the partition columns of their document."""
    if relation == "documents":
        return "SELECT * FROM documents ORDER BY ALL"
    return (f"SELECT r.*, d.prefecture, d.municipality_code FROM {relation} r "
            f"JOIN documents d ON r.document = d.document ORDER BY ALL")


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def export_partitioned(out_dir: str | Path, db: str | Path = DEFAULT_DB) -> list[Path]:
    """Write the document relations partitioned by prefecture and municipality_code, one
    `<relation>.parquet` per city, and the relations that are not per city at the top.
    Returns the files written, sorted."""
    out = Path(out_dir)
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out}: not empty; a partitioned export goes into a new or empty folder "
                         "(files of cities no longer loaded would stay and be read as data)")
    out.mkdir(parents=True, exist_ok=True)
    connect(db, read_only=True).close()            # the database exists and has today's columns
    con = duckdb.connect(str(db), read_only=True)  # our own COPY writes files: not the query sandbox
    written: list[Path] = []
    try:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        with tempfile.TemporaryDirectory(dir=out) as scratch:
            for relation in (name for name in RELATIONS if name in tables):
                staged = Path(scratch) / relation
                con.execute(f"COPY ({_select(relation)}) TO {_quoted(staged)} (FORMAT PARQUET, "
                            f"PARTITION_BY ({', '.join(PARTITIONS)}), FILENAME_PATTERN 'part_{{i}}', OVERWRITE_OR_IGNORE)")
                for folder in sorted({part.parent for part in staged.rglob("*.parquet")}):
                    parts = sorted(folder.glob("*.parquet"))     # one file per city, as a rule
                    for number, part in enumerate(parts):
                        name = f"{relation}.parquet" if len(parts) == 1 else f"{relation}_{number}.parquet"
                        target = out / folder.relative_to(staged) / name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.move(part, target)
                        written.append(target)
        for relation in (name for name in UNPARTITIONED if name in tables):
            target = out / f"{relation}.parquet"
            con.execute(f"COPY (SELECT * FROM {relation} ORDER BY ALL) TO {_quoted(target)} (FORMAT PARQUET)")
            written.append(target)
    finally:
        con.close()
    return sorted(written)
