"""Ingest on every core: files are extracted (read + recognized) in worker processes and
loaded by the parent, one transaction per document, in the order of the inputs, so a
batch loads the same database whatever the number of workers.

A worker that crashes (a segfault in a PDF library, memory exhausted) or runs past the
per-file time limit fails that file alone: its pool is replaced and the other files in
flight run again. After a crash the files that were in flight run one at a time, so the
one that crashes again is the one that fails. Workers start with `spawn` (no fork of a
parent holding a DuckDB connection) and import only what extraction needs.
"""
from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from keikaku.extract.errors import InputError


@dataclass(frozen=True)
class Limits:
    """What one file may cost before it is refused, so one pathological PDF cannot stall a batch."""
    max_pages: int = 3000          # a plan has tens to hundreds of pages; the 612-page budget book passes
    time_limit: float = 600.0      # seconds of extraction per file, enforced in workers (--jobs > 1)
    poll: float = 0.5              # how often the parent checks the clock while waiting


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: the raw document and the count of pages triage skipped,
    or why the file failed, as an InputError's (path, reason) (exceptions do not pickle)."""
    skipped: int = 0
    raw: object = None             # keikaku.models.RawDocument
    error: tuple[str, str] | None = None

    def unwrap(self) -> tuple[int, object]:
        """(skipped pages, raw document), or the failure raised as an InputError."""
        if self.error:
            raise InputError(*self.error)
        return self.skipped, self.raw


def page_count(path: Path, password: str | None) -> int | None:
    """Pages of a PDF by pypdfium2 (no parsing), or None when it is not a PDF pypdfium2 opens
    (the reader then says what is wrong)."""
    if path.suffix.lower() != ".pdf" or not path.is_file():
        return None
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path), password=password or None)
    except (pdfium.PdfiumError, OSError):
        return None
    try:
        return len(pdf)
    finally:
        pdf.close()


def check_page_limit(path: Path, password: str | None, max_pages: int) -> None:
    """Refuse a PDF of more than `max_pages` pages before parsing it."""
    pages = page_count(path, password)
    if pages is not None and pages > max_pages:
        raise InputError(str(path), f"{pages} pages, more than the limit of {max_pages} (--max-pages); "
                                    "nothing loaded")


def extract_one(path: Path, password: str | None, triage: bool, limits: Limits, labels, gazetteer,
                progress: Callable[[int, int], None] | None = None) -> tuple[int, object]:
    """(pages skipped by triage, raw document) of one file, or an InputError; the unit of
    work of a worker, and of a serial ingest."""
    from keikaku import api

    check_page_limit(path, password, limits.max_pages)
    document, raw = api._extract(path, labels, password, progress, gazetteer, triage=triage)
    return len(document.skipped_pages), raw


@cache
def _tools():
    """A worker's label table and gazetteer, built once per process."""
    from keikaku.extract.gazetteer import Gazetteer
    from keikaku.extract.labels import LabelTable

    return LabelTable(), Gazetteer()


def _work(path: str, password: str | None, triage: bool, limits: Limits) -> Outcome:
    """Runs in a worker: never raises, so that a failure is this file's alone."""
    try:
        labels, gazetteer = _tools()
        skipped, raw = extract_one(Path(path), password, triage, limits, labels, gazetteer)
        return Outcome(skipped=skipped, raw=raw)
    except InputError as error:
        return Outcome(error=(error.path, error.reason))
    except Exception as error:  # one line, as a serial ingest reports it
        return Outcome(error=(path, f"failed ({type(error).__name__}: {error})"))


@dataclass(frozen=True)
class Task:
    index: int
    path: Path
    started: float
    suspect: bool = False           # in flight when a worker crashed: runs alone


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose worker hangs: shutdown alone would wait for it forever."""
    for process in list(getattr(pool, "_processes", {}).values()):   # no public API kills a worker
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


class Scheduler:
    """Files in flight on a pool of `jobs` workers, their outcomes kept until their turn."""

    def __init__(self, files: list[Path], jobs: int, password: str | None, triage: bool, limits: Limits,
                 work: Callable[[str, str | None, bool, Limits], Outcome] | None = None):
        self.files, self.jobs, self.password, self.triage, self.limits = files, jobs, password, triage, limits
        self.work = work or _work     # a module-level function: workers are spawned
        self.pending: deque[tuple[int, bool]] = deque((index, False) for index in range(len(files)))
        self.running: dict[Future, Task] = {}
        self.done: dict[int, Outcome] = {}
        self.pool = _pool(jobs)

    def room(self) -> int:
        if any(task.suspect for task in self.running.values()):
            return 0
        if self.pending and self.pending[0][1]:                   # a suspect waits for an empty pool
            return 0 if self.running else 1
        return self.jobs - len(self.running)

    def submit(self) -> None:
        for _ in range(min(self.room(), len(self.pending))):
            index, suspect = self.pending.popleft()
            future = self.pool.submit(self.work, str(self.files[index]), self.password, self.triage, self.limits)
            self.running[future] = Task(index, self.files[index], time.monotonic(), suspect)

    def restart(self, requeue: list[Task], suspects: bool) -> None:
        """A new pool; the files that were in flight go first, as suspects after a crash."""
        _kill(self.pool)
        self.running.clear()
        self.pending.extendleft((task.index, suspects) for task in sorted(requeue, key=lambda t: -t.index))
        self.pool = _pool(self.jobs)

    def fail(self, task: Task, reason: str) -> None:
        self.done[task.index] = Outcome(error=(str(task.path), reason))

    def step(self) -> None:
        """Wait for a file to finish, or for one to overrun its time limit."""
        self.submit()
        finished, _ = wait(self.running, timeout=self.limits.poll, return_when=FIRST_COMPLETED)
        crashed = False
        for future in finished:
            task = self.running.pop(future)
            try:
                self.done[task.index] = future.result()
            except BrokenProcessPool:
                crashed = True
                self.running[future] = task
        if crashed:
            tasks = list(self.running.values())
            for task in tasks:
                if task.suspect:
                    self.fail(task, "the worker process reading it crashed (a fault in a PDF library, or out of "
                                    "memory); nothing loaded")
            self.restart([task for task in tasks if not task.suspect], suspects=True)
            return
        now = time.monotonic()
        late = [task for task in self.running.values() if now - task.started > self.limits.time_limit]
        if late:
            for task in late:
                self.fail(task, f"not read within {self.limits.time_limit:.0f} s (--time-limit); nothing loaded")
            self.restart([task for task in self.running.values() if task not in late], suspects=False)

    def outcomes(self) -> Iterator[Outcome]:
        """Each file's outcome, in the order of the files."""
        try:
            for index in range(len(self.files)):
                while index not in self.done:
                    self.step()
                yield self.done.pop(index)
        finally:
            _kill(self.pool) if self.running else self.pool.shutdown(wait=True, cancel_futures=True)


def extract_all(files: list[Path], jobs: int, password: str | None = None, triage: bool = True,
                limits: Limits | None = None, work: Callable | None = None) -> Iterator[Outcome]:
    """Extract `files` on `jobs` worker processes; outcomes come in the order of `files`.
    `work(path, password, triage, limits) -> Outcome` replaces the extraction (tests)."""
    yield from Scheduler(files, jobs, password, triage, limits or Limits(), work).outcomes()
