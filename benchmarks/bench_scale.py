"""A prefecture's worth, and more: load synthetic documents through `load` (one transaction
per document, as ingest does) and time what a user waits for at that size.

    .venv/bin/python benchmarks/bench_scale.py [--documents 8700] [--observations 5000000]

Each synthetic document is the typed records of sample 003 (its measures and observations),
under a new document key and municipality, its observations repeated to reach the requested
total. Printed: load rate, the cross-city query (one indicator, every city; target < 100 ms),
and the per-document replace measured on an early document when the database was small and
again on the same document at full size (must not grow with the database).
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CROSS_CITY = ("SELECT municipality, fiscal_year, value, unit FROM observations "
              "WHERE indicator_key = ? AND kind = 'target' ORDER BY municipality, fiscal_year")


def template():
    from keikaku.api import extract_file, records_of

    raw = extract_file(ROOT / "samples" / "text" / "003_83b83b3c34cf7f73.txt")
    return records_of(raw)


def synthetic(base, number: int, per_document: int):
    """Document `number`: the template under a new key and city, `per_document` observations."""
    # A hashed stem, as real file names are: keys that sort in load order would let DuckDB's
    # min-max zonemaps find a document's rows and hide what a replace costs with real names.
    document = f"synthetic_{hashlib.sha256(str(number).encode()).hexdigest()[:8]}_{number:05d}"
    city = f"架空市{number % 1741:04d}"
    observations = []
    for index in range(per_document):
        source = base.observations[index % len(base.observations)]
        observations.append(source.model_copy(update={
            "observation_id": f"{document}_{index}", "document": document, "municipality": city,
            "fiscal_year": source.fiscal_year + index // len(base.observations)}))
    measures = [m.model_copy(update={"document": document, "municipality": city, "measure_id": f"{document}_{m.measure_id}"})
                for m in base.measures]
    head = base.document.model_copy(update={"document": document, "municipality": city,
                                            "source_path": f"/synthetic/{document}.pdf", "sha256": f"{number:064d}"})
    return base.model_copy(update={"document": head, "measures": measures, "observations": observations,
                                   "schedule": [], "evaluations": [], "unparsed_tables": []})


def timed(function, repeat: int = 1) -> tuple[float, float, float]:
    """Seconds of `repeat` calls: median wall clock, median CPU of this process (all its threads, so
    DuckDB's too), and the fastest wall clock (other work on a shared machine only ever adds time,
    so the fastest call is the steadiest measure of what the call itself costs)."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), min(walls)


def operators(con, sql: str, parameters: list) -> str:
    """EXPLAIN ANALYZE of `sql`: the tree of operators with rows and time each."""
    literal = sql.replace("?", "'" + str(parameters[0]).replace("'", "''") + "'")
    return con.execute("EXPLAIN ANALYZE " + literal).fetchall()[0][1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=8700)
    parser.add_argument("--observations", type=int, default=5_000_000)
    args = parser.parse_args(argv)
    from keikaku.load import db

    base = template()
    key = next((o.indicator_key for o in base.observations if o.indicator_key), None)
    per_document = max(1, args.observations // args.documents)
    with tempfile.TemporaryDirectory() as folder:
        con = db.connect(Path(folder) / "scale.duckdb")
        probe = synthetic(base, 10, per_document)
        started = time.perf_counter()
        early = None
        for number in range(args.documents):
            db.load_records(con, synthetic(base, number, per_document))
            if number == 100 or (early is None and number == args.documents - 1):
                early = timed(lambda: db.load_records(con, probe), repeat=9)
        seconds = time.perf_counter() - started
        total = con.execute("SELECT count(*) FROM observations").fetchone()[0]
        late = timed(lambda: db.load_records(con, probe), repeat=9)
        query = timed(lambda: con.execute(CROSS_CITY, [key]).fetchall(), repeat=5)
        engine = timed(lambda: con.sql(CROSS_CITY, params=[key]).to_arrow_table(), repeat=5)
        rows = con.execute(f"SELECT count(*) FROM ({CROSS_CITY})", [key]).fetchone()[0]
        cities = con.execute("SELECT count(DISTINCT municipality) FROM observations WHERE indicator_key = ?", [key]).fetchone()[0]
        plan = operators(con, CROSS_CITY, [key]) if query[0] >= 0.1 else ""
        con.close()
    print(f"loaded {args.documents} documents, {total:,} observations in {seconds:.0f} s "
          f"({args.documents / seconds:.1f} documents/s, {total / seconds:,.0f} observations/s)")
    print(f"cross-city query ({key}, {cities} cities, {rows:,} rows): {query[0] * 1000:.0f} ms to Python rows "
          f"(cpu {query[1] * 1000:.0f} ms; target < 100 ms), of which DuckDB (scan, filter, sort, to Arrow) "
          f"{engine[0] * 1000:.0f} ms (cpu {engine[1] * 1000:.0f} ms)")
    print(f"per-document replace ({per_document} observations): {early[0] * 1000:.0f} ms (cpu {early[1] * 1000:.0f}) "
          f"with 101 documents loaded, {late[0] * 1000:.0f} ms (cpu {late[1] * 1000:.0f}) with {args.documents}: "
          f"ratio {late[0] / early[0]:.2f} (cpu {late[1] / early[1]:.2f}, fastest of 9 {late[2] / early[2]:.2f}; "
          f"must stay near 1)")
    if plan:
        print("the cross-city query, operator by operator (EXPLAIN ANALYZE):")
        print(plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
