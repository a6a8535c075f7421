"""What the cross-city additions cost at ingest, as shares of the whole ingest in the same run.

    .venv/bin/python benchmarks/bench_cities.py [FILE ...]

For each file: the whole ingest (read, recognize, type, load), the indicator keys of its
observations (a fresh matcher, so no cached answers) and its search index rows. The shares
`keys/ingest` and `index/ingest` are what to compare across machines; both should stay a few
percent.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    from keikaku.extract.gazetteer import Gazetteer
    from keikaku.extract.labels import LabelTable
    from keikaku import api
    from keikaku.load import db as database
    from keikaku.load.search import Tokenizer, index_document
    from keikaku.normalize.indicators import IndicatorMatcher

    files = [Path(name) for name in (argv if argv is not None else sys.argv[1:])] or sorted(
        (ROOT / "samples" / "pdf").glob("*.pdf"))
    labels, gazetteer, tokenizer = LabelTable(), Gazetteer(), Tokenizer()
    print(f"{'file':36} {'ingest s':>8} {'keys s':>7} {'index s':>7} {'keys/ingest':>11} {'index/ingest':>12}")
    with tempfile.TemporaryDirectory() as folder:
        con = database.connect(Path(folder) / "bench.duckdb")
        try:
            for path in files:
                ingest = timed(lambda: api.ingest_file(path, con, labels, gazetteer=gazetteer))
                records = api.records_of(api.extract_file(path, labels, gazetteer=gazetteer), gazetteer=gazetteer)
                matcher = IndicatorMatcher()
                keys = timed(lambda: [matcher.key(o.indicator, o.measure, o.unit) for o in records.observations])
                index = timed(lambda: index_document(con, records, tokenizer))
                print(f"{path.name[:36]:36} {ingest:8.2f} {keys:7.3f} {index:7.3f} {keys / ingest:11.3f} "
                      f"{index / ingest:12.3f}")
        finally:
            con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
