"""ingest --jobs: workers read, the parent loads in input order; a crash or a hang fails one file."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import SAMPLES

from keikaku.api import ingest
from keikaku.extract.limits import FileLimits
from keikaku.parallel import Readers

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


@pytest.fixture
def misbehaving(monkeypatch):
    """Readers whose workers run tests/parallel_work.py (crash or hang by file name)."""
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))

    def readers(files, jobs, limits=None):
        with Readers(files, jobs, limits=limits, worker="parallel_work") as batch:
            return [outcome.extracted.raw if outcome.error is None else outcome.error[1] for outcome in batch]
    return readers


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crashing_worker_fails_its_file_alone(tmp_path, misbehaving, jobs):
    files = [tmp_path / f"{name}.pdf" for name in ("a", "b", "crash", "c", "d")]
    read = misbehaving(files, jobs)
    assert read[:2] + read[3:] == ["a", "b", "c", "d"]
    assert read[2] == "the reader stopped (exit code 3; out of memory?); nothing loaded"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_hanging_file_fails_at_the_time_limit_and_the_batch_goes_on(tmp_path, misbehaving, jobs):
    files = [tmp_path / f"{name}.pdf" for name in ("a", "hang", "b", "c")]
    read = misbehaving(files, jobs, FileLimits(max_seconds=3))
    assert read[:1] + read[2:] == ["a", "b", "c"]
    assert read[1].startswith("gave up after 3 s (limit 3 s for the file)"), read[1]


def test_a_pdf_over_the_page_limit_is_refused(tmp_path):
    result, = ingest([SAMPLES / "pdf" / "000_0284db81323c91fb.pdf"], db=tmp_path / "k.duckdb",
                     limits=FileLimits(max_pages=16))
    assert not result.ok and result.error.endswith("17 pages, more than the limit of 16 (--max-pages); nothing loaded")
