"""Bulk inserts from plain Python rows, without pandas: an ingest never imports pandas, numpy
or pyarrow (about 0.25 s and 90 MB of a small ingest's start-up, measured with
`python -X importtime` and peak RSS).

Each column travels as one list parameter; the lists are unnested side by side (DuckDB zips
several unnests of one SELECT) and cast to the relation's column types, so a whole batch is
one statement, as fast as registering a DataFrame and much faster than executemany.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb


Types = dict[str, list[tuple[str, str]]]     # relation -> (column, type) in table order


def column_types(con: duckdb.DuckDBPyConnection) -> Types:
    """(column, type) of every relation of the database, in table order: one catalog query,
    for a load that inserts into several relations."""
    types: Types = {}
    for relation, name, kind in con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                                            "WHERE database_name = current_database() AND schema_name = current_schema() "
                                            "ORDER BY table_name, column_index").fetchall():   # 1 ms; unfiltered 3-6 ms
        types.setdefault(relation, []).append((name, kind))
    return types


def _types_of(con: duckdb.DuckDBPyConnection, relation: str, types: Types | None) -> list[tuple[str, str]]:
    if types is not None and relation in types:
        return types[relation]
    return [(name, kind) for name, kind, *_ in con.execute(f"DESCRIBE {relation}").fetchall()]


def insert_columns(con: duckdb.DuckDBPyConnection, relation: str, columns: Mapping[str, Sequence],
                   types: Types | None = None) -> int:
    """Insert rows given column by column (every list as long as the others); columns of the
    relation not given are NULL. `types` (column_types) saves a catalog query. Returns the
    number of rows."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"{relation}: columns of different lengths {sorted(lengths)}")
    count = lengths.pop() if lengths else 0
    if not count:
        return 0
    kinds = dict(_types_of(con, relation, types))
    names = list(columns)
    unknown = [name for name in names if name not in kinds]
    if unknown:
        raise ValueError(f"{relation} has no column {', '.join(unknown)}")
    into = ", ".join(f'"{name}"' for name in names)
    values = ", ".join(f"CAST(unnest(${number}) AS {kinds[name]})" for number, name in enumerate(names, start=1))
    con.execute(f"INSERT INTO {relation} ({into}) SELECT {values}", [list(columns[name]) for name in names])
    return count


def insert_rows(con: duckdb.DuckDBPyConnection, relation: str, rows: Sequence[Mapping],
                types: Types | None = None) -> int:
    """Insert rows (mappings of column -> value) into every column of the relation; a column a
    row does not name is NULL, a key that is no column is ignored. Returns the number of rows."""
    if not rows:
        return 0
    kinds = _types_of(con, relation, types)
    return insert_columns(con, relation, {name: [row.get(name) for row in rows] for name, _ in kinds},
                          {relation: kinds})
