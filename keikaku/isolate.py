"""Read and recognize each file in a worker process, so that a hostile file costs bounded
time and memory and can never take the batch (or the database) down with it.

One worker reads one file at a time and serves a whole ingest run (it is started once:
imports and the SudachiPy dictionary are paid once; `spawn()` starts it early, so that its
start-up overlaps the parent's). Its address space is capped (FileLimits.max_memory_bytes); a
file that takes longer than `max_seconds`, or goes `max_page_seconds` without finishing a page,
gets its worker killed and a one-line error, as does a file whose worker crashes; the next file
gets a fresh worker. The worker ignores Ctrl-C: the parent stops it. `ingest --jobs N` runs N
of these (keikaku/parallel.py).
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from keikaku.extract.errors import InputError
from keikaku.extract.limits import MiB, FileLimits, PdfWatch
from keikaku.models import RawDocument


STARTUP_SECONDS = 120.0


@dataclass
class Extracted:
    """What the worker sends back for one file."""
    raw: RawDocument
    pages: int
    unreadable: list[int] = field(default_factory=list)   # pages that could not be read (damaged, (cid:…))
    skipped: int = 0                                       # pages triage did not parse (extract/triage.py)


def extract_bounded(path: Path, password: str | None, limits: FileLimits, labels, gazetteer,
                    progress=None, triage: bool = True) -> Extracted:
    """Read and recognize one file under `limits` (in the calling process: its pages, inflated
    bytes and reference chains; wall time and memory need a worker); raises InputError with one
    line of reason. `triage` skips PDF pages with no year and no plan label."""
    from keikaku.extract.read import read_document
    from keikaku.extract.recognize import recognize
    watch = PdfWatch(str(path), limits)
    try:
        document = read_document(path, password=password, progress=progress, watch=watch, triage=triage)
        cells = sum(len(row) for page in document.pages for table in page.tables for row in table.rows)
        if cells > CELLS_PER_FIGURE * limits.max_figures:   # refused before the work of reading them
            _too_many(path, f"{cells:,} table cells", limits)
        raw = recognize(document, labels, gazetteer)
        figures = len(raw.observations) + len(raw.schedule) + len(raw.evaluations)
        if figures > limits.max_figures:
            _too_many(path, f"{figures:,} figures", limits)
        raw = raw.model_copy(update={"unparsed": with_table_boxes(raw, document)})
    except (InputError, KeyboardInterrupt):
        raise
    except MemoryError:
        raise InputError(str(path), f"needs more memory than the limit of {limits.max_memory_bytes // MiB} MiB "
                                    "(a hostile or broken file?); nothing loaded") from None
    except RecursionError:
        raise InputError(str(path), "nested too deeply to read (a broken or hostile file); nothing loaded") from None
    except Exception as error:  # pdfminer raises anything on a broken file
        text = str(error).splitlines()[0][:160] if str(error) else ""
        raise InputError(str(path), f"not readable ({type(error).__name__}: {text}); nothing loaded") from None
    return Extracted(raw=raw, pages=len(document.pages), unreadable=watch.unreadable_pages(),
                     skipped=len(document.skipped_pages))


CELLS_PER_FIGURE = 4   # more table cells than this many per allowed figure: the figures cannot fit either


def _too_many(path: Path, what: str, limits: FileLimits) -> None:
    raise InputError(str(path), f"{what}, more than one document may hold (limit {limits.max_figures:,} figures: "
                                "a data table rather than a plan?); nothing loaded")


def with_table_boxes(raw: RawDocument, document) -> list:
    """Unparsed tables with the outline their IR table has, where the recognizers left none."""
    boxes = {(table.page, table.index): table.bbox for page in document.pages for table in page.tables}
    return [table if table.bbox else table.model_copy(update={"bbox": boxes.get((table.page, table.table_index))})
            for table in raw.unparsed]


def _limit_memory(limit: int) -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):  # not on this platform: the wall-time limit still holds
        pass


def _serve(requests, answers, limits: FileLimits, read: Callable[..., Extracted]) -> None:
    """The worker: one request (path, password, triage) at a time, one answer each."""
    import signal

    from keikaku.extract.gazetteer import Gazetteer
    from keikaku.extract.labels import LabelTable

    import keikaku.extract.pdf  # noqa: F401  (imported at start-up, not on the first file's time)
    import keikaku.extract.recognize  # noqa: F401

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(limits.max_memory_bytes)
    labels, gazetteer = LabelTable(), Gazetteer()
    answers.send(("ready",))
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        path, password, triage = request
        try:
            done = read(Path(path), password, limits, labels, gazetteer,
                        progress=lambda number, total: answers.send(("page", number, total)), triage=triage)
            answers.send(("ok", done))
        except InputError as error:
            answers.send(("error", error.reason))


def main(read: Callable[..., Extracted] = extract_bounded) -> None:
    """Entry of the worker process: `python -m keikaku.isolate REQUEST_FD ANSWER_FD` (a fresh
    interpreter, so that a caller's script is never re-imported as multiprocessing would).
    `read` stands in for extract_bounded in tests of crashes and hangs."""
    import pickle

    requests = Connection(int(sys.argv[1]), writable=False)
    answers = Connection(int(sys.argv[2]), readable=False)
    _serve(requests, answers, pickle.loads(requests.recv_bytes()), read)


WORKER = "keikaku.isolate"


class Extractor:
    """`with Extractor(limits) as extractor: extractor.extract(path)`: files read in a bounded
    worker. `worker` names the module run as the worker (tests give one that crashes or hangs)."""

    def __init__(self, limits: FileLimits | None = None, worker: str = WORKER):
        self.limits, self.worker = limits or FileLimits(), worker
        self._process: subprocess.Popen | None = None
        self._requests = self._answers = None
        self._ready = self._killed = False
        self._lock = threading.Lock()      # kill() comes from another thread than extract()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._process is None:
            return
        try:
            self._requests.send(None)
            self._process.wait(timeout=2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self._stop()

    def kill(self) -> None:
        """Stop the worker now (from any thread): the file it reads fails; the next one restarts it."""
        with self._lock:
            self._killed = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()

    def _stop(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        self._requests.close()
        self._answers.close()
        self._requests = self._answers = None
        self._ready = False

    def spawn(self) -> Extractor:
        """Start the worker without waiting for it to be ready (its imports overlap the caller's)."""
        with self._lock:
            if self._killed:
                raise RuntimeError("stopped")
            if self._process is None:
                self._popen()
        return self

    def _popen(self) -> None:
        import pickle

        request_read, request_write = os.pipe()
        answer_read, answer_write = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-m", self.worker, str(request_read), str(answer_write)],
            pass_fds=(request_read, answer_write), stdin=subprocess.DEVNULL)
        os.close(request_read)
        os.close(answer_write)
        self._requests = Connection(request_write, readable=False)
        self._answers = Connection(answer_read, writable=False)
        self._requests.send_bytes(pickle.dumps(self.limits))

    def _start(self) -> None:
        self.spawn()
        if self._ready:
            return
        ready = self._answers.poll(STARTUP_SECONDS)   # start-up is not charged to the first file's time
        try:
            ready = ready and self._answers.recv() == ("ready",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self._process.poll()
            self._stop()
            raise RuntimeError(f"the reader process did not start (exit code {code}; out of memory?)")
        self._ready = True

    def extract(self, path: Path, password: str | None = None,
                progress: Callable[[int, int], None] | None = None, triage: bool = True) -> Extracted:
        """Read and recognize `path` in the worker; `progress(page, pages)` as pages are read."""
        try:
            self._start()
        except (RuntimeError, OSError) as error:
            self._stop()
            raise InputError(str(path), f"{error}; nothing loaded") from None
        try:
            self._requests.send((str(path), password, triage))
            return self._answer(path, progress)
        except BaseException:
            self._stop()  # a timeout, a crash or Ctrl-C: this worker is not reused
            raise

    def _answer(self, path: Path, progress: Callable[[int, int], None] | None) -> Extracted:
        limits = self.limits
        started = last_page = time.monotonic()
        while True:
            now = time.monotonic()
            deadline = min(started + limits.max_seconds, last_page + limits.max_page_seconds)
            if now >= deadline or not self._answers.poll(max(0.0, deadline - now)):
                if time.monotonic() < deadline:
                    continue
                which = (f"{limits.max_seconds:g} s for the file" if started + limits.max_seconds <= deadline
                         else f"{limits.max_page_seconds:g} s for one page")
                raise InputError(str(path), f"gave up after {time.monotonic() - started:.0f} s (limit {which}): "
                                            "a hostile or broken file?; nothing loaded")
            try:
                message = self._answers.recv()
            except (EOFError, OSError):
                try:
                    code = self._process.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    code = None
                raise InputError(str(path), f"the reader stopped (exit code {code}; out of memory?); nothing loaded") from None
            if message[0] == "page":
                last_page = time.monotonic()
                if progress:
                    progress(message[1], message[2])
            elif message[0] == "ok":
                return message[1]
            else:
                raise InputError(str(path), message[1])


if __name__ == "__main__":
    from keikaku.isolate import main as serve  # the module's own name, so that answers unpickle in the parent

    serve()
