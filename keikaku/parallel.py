"""Ingest's readers: every file is read and recognized in a bounded worker process
(keikaku/isolate.py), `jobs` of them at once, and the outcomes come back in the order of the
inputs, so that the parent loads the same database whatever the number of workers.

Each worker is an `Extractor` driven by a thread of the parent. A worker reads one file at a
time, so a crash, an exhausted memory cap or a time limit fails exactly the file it was
reading; the worker is replaced for its next file. Workers read ahead of the loading by at
most twice `jobs` files, so memory holds a few documents, not the batch. With one job the file is
read when the parent asks for it, in the parent's thread (its pages drive the progress bar), and a
small text file is read in the parent itself: its readers are linear and streaming, so its cost
is bounded by its size, and a one-line ingest need not start a second interpreter.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from keikaku.extract.errors import InputError
from keikaku.extract.limits import MiB, FileLimits
from keikaku.isolate import WORKER, Extracted, Extractor

SMALL_TEXT = 1 * MiB       # a text file under this is read in the parent of a serial ingest


@dataclass(frozen=True)
class Outcome:
    """One file's read: what the worker extracted, or why it failed as an InputError's
    (path, reason)."""
    extracted: Extracted | None = None
    error: tuple[str, str] | None = None

    def unwrap(self) -> Extracted:
        """The extraction, or the failure raised as an InputError."""
        if self.error:
            raise InputError(*self.error)
        return self.extracted


def needs_worker(path: Path) -> bool:
    """A PDF (pdfminer and pypdfium2 can be driven into unbounded work) or a text file big
    enough to need the worker's memory cap; a missing file is left to the reader to report."""
    try:
        return path.suffix.lower() == ".pdf" or path.stat().st_size >= SMALL_TEXT
    except OSError:
        return False


def read_one(extractor: Extractor, path: Path, password: str | None, triage: bool,
             progress: Callable[[int, int], None] | None = None) -> Outcome:
    """`path` read by `extractor`; never raises but for Ctrl-C."""
    try:
        return Outcome(extracted=extractor.extract(path, password=password, progress=progress, triage=triage))
    except InputError as error:
        return Outcome(error=(error.path, error.reason))
    except Exception as error:  # a broken pipe to a killed worker, say: this file's failure alone
        return Outcome(error=(str(path), f"failed ({type(error).__name__}: {error}); nothing loaded"))


class Readers:
    """`jobs` workers reading `files` ahead of the caller; iterate for the outcomes in the order
    of `files`, then `close()` (which also stops the workers of a batch cut short). The workers
    start at once, so their start-up overlaps the caller's. With one job (or one file) each
    file is read when asked for, in the caller's thread, and `progress(path)` may give a page
    callback for it. `worker` names the worker module (tests)."""

    def __init__(self, files: list[Path], jobs: int = 1, password: str | None = None, triage: bool = True,
                 limits: FileLimits | None = None, worker: str = WORKER,
                 progress: Callable[[Path], Callable[[int, int], None] | None] | None = None):
        self.files, self.password, self.triage, self.progress = files, password, triage, progress
        self.limits = limits or FileLimits()
        serial = jobs == 1 or len(files) == 1
        self.to_worker = [not serial or needs_worker(path) for path in files]   # decided once, here
        wanted = min(jobs, len(files)) if not serial else int(any(self.to_worker))
        self.extractors = [Extractor(self.limits, worker).spawn() for _ in range(wanted)]
        self.in_parent: list = []         # (labels, gazetteer) for small text files read here
        self.changed = threading.Condition()
        self.taken = self.consumed = 0        # files handed to a worker; outcomes handed to the caller
        self.done: dict[int, Outcome] = {}
        self.stopping = False
        self.threads = [threading.Thread(target=self._serve, args=(extractor,), daemon=True)
                        for extractor in self.extractors] if len(self.extractors) > 1 else []
        for thread in self.threads:
            thread.start()

    def __iter__(self) -> Iterator[Outcome]:
        for index, path in enumerate(self.files):
            if not self.threads:
                yield (read_one(self.extractors[0], path, self.password, self.triage,
                                self.progress(path) if self.progress else None)
                       if self.to_worker[index] else self._read_here(path))
                continue
            with self.changed:
                while index not in self.done:
                    self.changed.wait()
                outcome = self.done.pop(index)
                self.consumed += 1
                self.changed.notify_all()
            yield outcome

    def close(self) -> None:
        """Stop the workers: done, or interrupted (no worker outlives the batch)."""
        with self.changed:
            self.stopping = True
            self.changed.notify_all()
        for extractor in self.extractors if self.threads else []:
            extractor.kill()            # a file still being read is not waited for
        for thread in self.threads:
            thread.join()
        for extractor in self.extractors:
            extractor.close()

    def __enter__(self) -> Readers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read_here(self, path: Path) -> Outcome:
        """A small text file, read and recognized in this process."""
        from keikaku.extract.gazetteer import Gazetteer
        from keikaku.extract.labels import LabelTable
        from keikaku.isolate import extract_bounded

        if not self.in_parent:
            self.in_parent.append((LabelTable(), Gazetteer()))
        labels, gazetteer = self.in_parent[0]
        try:
            return Outcome(extracted=extract_bounded(path, self.password, self.limits, labels, gazetteer,
                                                     triage=self.triage))
        except InputError as error:
            return Outcome(error=(error.path, error.reason))

    def _next(self) -> int | None:
        """The index of the next file for a worker, waiting while the workers are far enough ahead."""
        with self.changed:
            while not self.stopping and self.taken < len(self.files) and \
                    self.taken - self.consumed >= 2 * len(self.extractors):
                self.changed.wait()
            if self.stopping or self.taken >= len(self.files):
                return None
            self.taken += 1
            return self.taken - 1

    def _serve(self, extractor: Extractor) -> None:
        while (index := self._next()) is not None:
            outcome = read_one(extractor, self.files[index], self.password, self.triage)
            with self.changed:
                self.done[index] = outcome
                self.changed.notify_all()
