"""Replacing one document among several: the others stay exactly as they were, and the DELETE that
clears the document finds its rows through the `document` index (an ART index lookup, not a scan
of the whole relation), also on a database made before the indexes existed."""
from __future__ import annotations

import duckdb
import pytest

from conftest import sample
from keikaku.load import db as database
from keikaku.models import PlanRecords

# relations cleared by document in a replace (documents itself has its primary key)
INDEXED = ("measures", "observations", "schedule", "evaluations", "unparsed_tables", "search_entries", "search_tokens")


@pytest.fixture(scope="module")
def template() -> PlanRecords:
    from keikaku import api

    return api.records_of(api.extract_file(sample("003", "text")))


def keyed(base: PlanRecords, document: str, observations: int | None = None) -> PlanRecords:
    """`base` under another document key and city (every relation's rows), with its first
    `observations` observations."""
    city = f"{document}市"

    def rekey(item):
        update = {"document": document, "municipality": city, "measure_id": f"{document}#{getattr(item, 'measure_id', '')}",
                  "observation_id": f"{document}_{getattr(item, 'observation_id', '')}"}
        return item.model_copy(update={k: v for k, v in update.items() if k in type(item).model_fields})

    kept = base.observations[:observations] if observations is not None else base.observations
    return base.model_copy(update={
        "document": base.document.model_copy(update={"document": document, "municipality": city,
                                                     "source_path": f"/x/{document}.txt", "sha256": document * 8}),
        **{relation: [rekey(item) for item in getattr(base, relation)]
           for relation in ("measures", "schedule", "evaluations", "unparsed_tables")},
        "observations": [rekey(item) for item in kept]})


def counts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    found = {}
    for relation in (*INDEXED, "documents"):
        for document, n in con.execute(f"SELECT document, count(*) FROM {relation} GROUP BY document").fetchall():
            found[(relation, document)] = n
    return found


def older_database(path) -> None:
    """A database with the schema as it was before the document indexes."""
    con = duckdb.connect(str(path))
    con.execute(database.schema_sql().split("-- Replacing a document deletes")[0])
    con.close()


def test_the_schema_of_an_older_database_has_no_document_index(tmp_path):
    older_database(tmp_path / "old.duckdb")
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    assert con.execute("SELECT count(*) FROM duckdb_indexes()").fetchone()[0] == 0
    con.close()


def test_replacing_one_document_leaves_the_others_exact_and_uses_the_index(tmp_path, template):
    path = tmp_path / "old.duckdb"
    older_database(path)
    con = duckdb.connect(str(path))
    for document in ("alpha", "beta", "gamma"):
        database.load_records(con, keyed(template, document))       # loaded before the indexes existed
    before = counts(con)
    con.close()

    con = database.connect(path)                                      # a writing connection builds them
    indexes = {row[0] for row in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
    assert {f"{relation}_document" for relation in INDEXED} <= indexes
    assert counts(con) == before

    observations = len(template.observations)
    assert before[("observations", "beta")] == observations > 40
    database.load_records(con, keyed(template, "beta", observations=40))
    after = counts(con)
    assert after[("observations", "beta")] == 40
    assert {key: n for key, n in after.items() if key[1] != "beta"} == \
           {key: n for key, n in before.items() if key[1] != "beta"}
    assert after[("observations", "alpha")] == after[("observations", "gamma")] == observations
    assert after[("measures", "beta")] == before[("measures", "beta")] == len(template.measures)
    assert con.execute("SELECT count(*) FROM observations WHERE document = 'beta' AND observation_id NOT LIKE 'beta_%'"
                       ).fetchone()[0] == 0

    for relation in ("observations", "measures", "search_entries", "search_tokens"):
        con.execute("BEGIN TRANSACTION")
        plan = con.execute(f"EXPLAIN ANALYZE DELETE FROM {relation} WHERE document = ?", ["gamma"]).fetchall()[0][1]
        con.execute("ROLLBACK")
        assert "Index Scan" in plan, plan
    assert counts(con) == after
    con.close()
