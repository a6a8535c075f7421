"""ingest --jobs: workers read, the parent loads in input order; a crash or a hang fails one file."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLES
from parallel_work import misbehave

from keikaku.api import ingest
from keikaku.parallel import Limits, extract_all

RELATIONS = ("measures", "observations", "schedule", "evaluations", "unparsed_tables")


def rows(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {relation: con.execute(f"SELECT * FROM {relation} ORDER BY ALL").fetchall() for relation in RELATIONS}
    finally:
        con.close()


def test_two_workers_load_what_one_process_loads(tmp_path):
    files = [*sorted((SAMPLES / "text").glob("00[0-3]*.txt")), SAMPLES / "pdf" / "002_b844f136f78e5eb9.pdf",
             tmp_path / "missing.pdf"]
    serial = ingest(files, db=tmp_path / "serial.duckdb", jobs=1)
    parallel = ingest(files, db=tmp_path / "parallel.duckdb", jobs=2)
    assert [(r.path, r.ok, r.counts, r.error) for r in parallel] == [(r.path, r.ok, r.counts, r.error) for r in serial]
    assert [r.ok for r in parallel] == [True, True, True, True, True, False]
    assert parallel[-1].error == f"{files[-1]}: no such file"
    assert rows(tmp_path / "parallel.duckdb") == rows(tmp_path / "serial.duckdb")
    con = duckdb.connect(str(tmp_path / "parallel.duckdb"), read_only=True)
    logged = [row[0] for row in con.execute("SELECT source_path FROM ingest_log ORDER BY started_at").fetchall()]
    con.close()
    assert logged == [str(Path(path).resolve()) for path in files]


def names(outcomes) -> list:
    return [outcome.raw if outcome.error is None else outcome.error[1].split(" ")[0] for outcome in outcomes]


def test_a_crashing_worker_fails_its_file_alone(tmp_path):
    files = [tmp_path / f"{name}.pdf" for name in ("a", "b", "crash", "c", "d")]
    assert names(extract_all(files, jobs=2, work=misbehave)) == ["a", "b", "the", "c", "d"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_file_fails_at_the_time_limit_and_the_batch_goes_on(tmp_path, jobs):
    files = [tmp_path / f"{name}.pdf" for name in ("a", "hang", "b", "c")]
    outcomes = list(extract_all(files, jobs=jobs, work=misbehave, limits=Limits(time_limit=3, poll=0.2)))
    assert names(outcomes) == ["a", "not", "b", "c"]
    assert outcomes[1].error == (str(files[1]), "not read within 3 s (--time-limit); nothing loaded")


def test_a_pdf_over_the_page_limit_is_refused(tmp_path):
    result, = ingest([SAMPLES / "pdf" / "000_0284db81323c91fb.pdf"], db=tmp_path / "k.duckdb",
                     limits=Limits(max_pages=16))
    assert not result.ok and result.error.endswith("17 pages, more than the limit of 16 (--max-pages); nothing loaded")
