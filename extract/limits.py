"""Per-file limits and damage accounting for reading a PDF.

pdfminer is trusting: it inflates a Flate stream whatever its size (a few kilobytes can hold
gigabytes of zeros), follows "5 0 R" -> "5 0 R" forever, repairs a corrupt stream in quadratic
time and silently drops what it cannot inflate, and says what went wrong only in log lines on
stderr. A `PdfWatch`, entered around the reading of one file, puts bounds on that and keeps
the record:

- every Flate stream is inflated here, in bounded chunks: one stream may not inflate past
  `max_stream_bytes`, nor the whole file past `max_inflated_bytes` (a `LimitExceeded`);
  a stream that is corrupt or cut short keeps what came before the damage, and the damage
  is counted against the page being read;
- an indirect reference that leads back to itself is a `LimitExceeded` at once;
- pdfminer's log lines go to the watch (per page), not to stderr;
- `page(number)` wraps the reading of one page: an exception or any damage seen meanwhile
  makes the page unreadable, with its reason; the rest of the document still loads;
- `scan_streams(path)` inflates every stream but images within those limits before a library
  with no bounds of its own (pypdfium2, which triage uses) is given the file: a bomb is
  refused before it can exhaust memory in C code, where no MemoryError reaches us.

Wall time and memory are bounded by the process that reads the file (keikaku.isolate).
"""
from __future__ import annotations

import logging
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from collections.abc import Iterator

from .errors import InputError

MiB = 1 << 20


@dataclass(frozen=True)
class FileLimits:
    """Bounds on the work one input file may cause, so that one pathological file cannot stall
    a batch. The defaults leave room for the largest real plans seen (600+ pages, 90 s on one
    core); `ingest --max-pages` and `--time-limit` set the first and the fourth."""
    max_pages: int = 3000
    max_stream_bytes: int = 64 * MiB       # one stream, inflated (pdfminer parses ~1 MB/s of content)
    max_inflated_bytes: int = 1024 * MiB   # all streams of a file, inflated
    max_seconds: float = 600.0             # wall time to read and recognize one file
    max_page_seconds: float = 300.0        # wall time without a page read
    max_memory_bytes: int = 6144 * MiB     # address space of the process reading it
    max_messages: int = 20                 # pdfminer log lines kept per file
    max_figures: int = 100_000             # records of one document (a plan holds hundreds to thousands):
                                           # typing and loading them costs the parent ~3 KB each


class LimitExceeded(InputError):
    """The file asks for more work than its limits allow; it is refused as a whole."""


CHUNK = 64 * 1024
LOGGERS = ("pdfminer", "pdfplumber")


@dataclass
class Damage:
    """What went wrong while reading, by page (0: before any page, e.g. the cross-reference table)."""
    pages: dict[int, str] = field(default_factory=dict)    # page -> first reason
    messages: list[str] = field(default_factory=list)


class PdfWatch:
    """Bounds and damage accounting for one PDF; use as `with PdfWatch(path) as watch:`."""

    def __init__(self, path: str, limits: FileLimits | None = None):
        self.path = path
        self.limits = limits or FileLimits()
        self.damage = Damage()
        self.inflated = 0
        self.current_page = 0
        self.exceeded: LimitExceeded | None = None
        self._undo: list = []

    # ---- installing the bounds for the duration of the read ----
    def __enter__(self) -> PdfWatch:
        import pdfminer.pdftypes as pdftypes

        self._patch(pdftypes, "zlib", BoundedZlib(self))
        self._patch(pdftypes.PDFObjRef, "resolve", _acyclic_resolve(pdftypes.PDFObjRef.resolve, self))
        handler = _Collector(self)
        for name in LOGGERS:
            logger = logging.getLogger(name)
            self._undo.append(lambda logger=logger, state=(logger.level, logger.propagate):
                              (logger.removeHandler(handler), setattr(logger, "level", state[0]),
                               setattr(logger, "propagate", state[1])))
            logger.addHandler(handler)
            logger.setLevel(logging.WARNING)
            logger.propagate = False
        return self

    def __exit__(self, kind, error, traceback) -> None:
        while self._undo:
            self._undo.pop()()
        if error is not None and self.exceeded is not None and error is not self.exceeded:
            raise self.exceeded from None  # however pdfminer or pdfplumber wrapped the refusal

    def _patch(self, owner, name: str, value) -> None:
        original = getattr(owner, name)
        setattr(owner, name, value)
        self._undo.append(lambda: setattr(owner, name, original))

    # ---- accounting ----
    def note(self, reason: str) -> None:
        """Damage seen while reading the current page (or the document, before any page)."""
        self.damage.pages.setdefault(self.current_page, reason)
        if len(self.damage.messages) < self.limits.max_messages and reason not in self.damage.messages:
            self.damage.messages.append(reason)

    def refuse(self, reason: str) -> LimitExceeded:
        self.exceeded = self.exceeded or LimitExceeded(self.path, reason)
        return self.exceeded

    def check_pages(self, total: int) -> None:
        if total > self.limits.max_pages:
            raise self.refuse(f"{total} pages, more than the limit of {self.limits.max_pages} (--max-pages); "
                              "nothing loaded")

    @contextmanager
    def page(self, number: int) -> Iterator[None]:
        """Read one page: an exception other than a refusal makes the page unreadable, not the file."""
        self.current_page = number
        try:
            yield
        except InputError:
            raise
        except Exception as error:  # pdfminer raises anything on a damaged page
            if self.exceeded:
                raise self.exceeded from None
            if _caused_by(error, MemoryError):
                raise MemoryError() from None   # the memory bound of the file, not damage of the page
            self.note(f"page {number} cannot be parsed ({type(error).__name__}: {_short(error)})")
        finally:
            self.current_page = 0

    def settle(self, document, total: int, cid_pages: list[int]) -> None:
        """After the last page: a warning per damaged page, an error if no page could be read;
        pages of (cid:…) glyphs count as unreadable too."""
        damaged = self.unreadable_pages()
        if total and len(damaged) == total:
            raise InputError(self.path, f"no page could be read ({self.damage.pages[damaged[0]]})")
        if 0 in self.damage.pages:
            document.warnings.append(f"damaged PDF: {self.damage.pages[0]}")
        for number in damaged:
            document.warnings.append(f"page {number}: unreadable ({self.damage.pages[number]}); what could be read is kept")
        for number in cid_pages:
            self.damage.pages.setdefault(number, "text is (cid:…) glyphs with no Unicode mapping")

    def scan_streams(self, path: str, password: str | None = None) -> None:
        """Inflate each stream of the file but images once, within the limits, keeping nothing;
        a LimitExceeded if one inflates too far. Damage is left to the real reading to note.
        Call it inside `with watch:` (the bounded inflater is then in place)."""
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import PDFStream

        with open(path, "rb") as handle:
            try:
                document = PDFDocument(PDFParser(handle), password=password or "")
            except Exception:     # the reader says what is wrong with the file
                return
            before, self.damage = self.damage, Damage()
            try:
                for objid in {objid for xref in document.xrefs for objid in xref.get_objids()}:
                    stream = _object(document, objid)
                    if isinstance(stream, PDFStream) and _decoded_by_readers(stream):
                        _inflate_copy(stream)
            finally:
                self.damage, self.inflated = before, 0

    def unreadable_pages(self) -> list[int]:
        return sorted(page for page in self.damage.pages if page)


def _object(document, objid: int):
    """Object `objid` of a pdfminer document, or None when it cannot be parsed; a refusal by
    the limits goes through."""
    try:
        return document.getobj(objid)
    except (LimitExceeded, MemoryError):
        raise
    except Exception:
        return None


def _decoded_by_readers(stream) -> bool:
    """A stream that pdfminer or pdfium inflates to read text: anything but an image."""
    from pdfminer.psparser import LIT

    return stream.attrs.get("Subtype") is not LIT("Image")


def _inflate_copy(stream) -> None:
    """Decode a copy of `stream` (the document's object stays as it was) and drop the result."""
    from pdfminer.pdftypes import PDFStream

    copy = PDFStream(stream.attrs, stream.rawdata, stream.decipher)
    copy.objid, copy.genno = stream.objid, stream.genno
    try:
        copy.get_data()
    except (LimitExceeded, MemoryError):
        raise
    except Exception:
        pass


def _caused_by(error: BaseException | None, kind: type) -> bool:
    """`error`, or what it wraps (pdfplumber wraps pdfminer's errors), is a `kind`."""
    for _ in range(10):
        if error is None:
            return False
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return text[:120]


class _Collector(logging.Handler):
    """pdfminer's warnings become damage of the page being read."""

    def __init__(self, watch: PdfWatch):
        super().__init__(logging.WARNING)
        self.watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        self.watch.note(f"pdfminer: {_short(Exception(message))}")


def _acyclic_resolve(original, watch: PdfWatch):
    """PDFObjRef.resolve that follows a chain of references to its end, refusing a cycle."""
    from pdfminer.pdftypes import PDFObjRef

    def resolve(ref, default=None):
        seen = {ref.objid}
        found = original(ref, default)
        while isinstance(found, PDFObjRef):
            if found.objid in seen:
                raise watch.refuse(f"object {found.objid} refers to itself (a reference cycle): a broken "
                                   "or hostile PDF; nothing loaded")
            seen.add(found.objid)
            found = original(found, default)
        return found

    return resolve


class BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes: inflates within the limits, and
    never raises on a corrupt stream (it keeps what came before the damage and notes it)."""
    error = zlib.error

    def __init__(self, watch: PdfWatch):
        self.watch = watch

    def decompressobj(self, *args, **kwargs):
        return _BoundedInflater(zlib.decompressobj(*args, **kwargs), self)

    def decompress(self, data: bytes, *args, **kwargs) -> bytes:
        inflater = zlib.decompressobj()
        parts: list[bytes] = []
        size = 0
        view = memoryview(data)
        for start in range(0, len(data), CHUNK):
            chunk = view[start:start + CHUNK]
            backup = inflater.copy()
            try:
                out = self.inflate(inflater, chunk, size)
            except zlib.error as error:
                parts.extend(self._salvage(backup, chunk, size))
                self.watch.note(f"corrupt Flate stream ({error})")
                return b"".join(parts)
            parts.append(out)
            size += len(out)
            if inflater.eof:
                return b"".join(parts)
        if data:
            self.watch.note("a Flate stream is cut short")
        return b"".join(parts)

    def _salvage(self, inflater, chunk: memoryview, size: int) -> list[bytes]:
        """The output of `chunk` up to the byte where inflating fails."""
        parts = []
        for index in range(len(chunk)):
            try:
                out = self.inflate(inflater, chunk[index:index + 1], size)
            except zlib.error:
                break
            parts.append(out)
            size += len(out)
        return parts

    def inflate(self, inflater, data, size: int) -> bytes:
        """Inflate `data`, refusing output past the stream or the file limit."""
        limits = self.watch.limits
        room = max(0, min(limits.max_stream_bytes - size, limits.max_inflated_bytes - self.watch.inflated))
        out = inflater.decompress(data, room + 1)
        if len(out) > room:
            raise self.watch.refuse(
                f"a compressed stream inflates past {min(limits.max_stream_bytes, limits.max_inflated_bytes) // MiB} MiB "
                "(a decompression bomb?); nothing loaded")
        self.watch.inflated += len(out)
        return out


class _BoundedInflater:
    """zlib.decompressobj with the same limits (pdfminer repairs corrupt streams with it)."""

    def __init__(self, inflater, owner: BoundedZlib):
        self._inflater, self._owner, self._size = inflater, owner, 0

    def decompress(self, data, max_length: int = 0) -> bytes:
        out = self._owner.inflate(self._inflater, data, self._size)
        self._size += len(out)
        return out

    def __getattr__(self, name: str):
        return getattr(self._inflater, name)
