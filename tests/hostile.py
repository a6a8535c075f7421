"""Hostile and damaged inputs, made on the fly (nothing committed): reference cycles, a Flate
bomb, randomly corrupted copies of real PDFs, blank pages, huge cells, long lines, formula
cells, control characters. Each generator is deterministic (fixed seeds)."""
from __future__ import annotations

import random
import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

from fixtures import _stream, raw_pdf

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources 5 0 R >>"


def reference_cycle_pdf() -> bytes:
    """A page whose /Resources is object 5, and object 5 is "5 0 R": pdfminer's resolve1
    follows it forever."""
    return raw_pdf([CATALOG, ONE_PAGE, PAGE, _stream(b"BT ET"), b"6 0 R", b"5 0 R"])


def page_tree_cycle_pdf() -> bytes:
    """A page tree whose node lists itself among its kids."""
    return raw_pdf([CATALOG, b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>", _stream(b"BT ET")])


def deflated_zeros(blocks: int, block: int = 1 << 24) -> bytes:
    """A zlib stream of `blocks` * `block` zero bytes, made without compressing them all: after a
    full flush each block compresses to the same bytes, so one is repeated; an empty final block
    and the Adler-32 of that many zeros close it."""
    deflater = zlib.compressobj(9)
    head = deflater.compress(b"\0" * block) + deflater.flush(zlib.Z_FULL_FLUSH)
    repeat = deflater.compress(b"\0" * block) + deflater.flush(zlib.Z_FULL_FLUSH)
    total = blocks * block
    return head + repeat * (blocks - 1) + b"\x03\x00" + struct.pack(">I", ((total % 65521) << 16) | 1)


def flate_bomb_pdf(gigabytes: int = 4) -> bytes:
    """One content stream, Flate-compressed twice: a few kilobytes on disk, `gigabytes` of
    zeros once inflated."""
    outer = zlib.compress(deflated_zeros(gigabytes * 64), 9)
    return raw_pdf([CATALOG, ONE_PAGE, PAGE.replace(b"/Resources 5 0 R", b"/Resources << >>"),
                    _stream(outer, b" /Filter [/FlateDecode /FlateDecode]")])


def slow_pdf(megabytes: int = 8) -> bytes:
    """A content stream of `megabytes` of zeros: within the inflation limits, but pdfminer's
    parser takes seconds per megabyte of it."""
    return raw_pdf([CATALOG, ONE_PAGE, PAGE.replace(b"/Resources 5 0 R", b"/Resources << >>"),
                    _stream(zlib.compress(b"\0" * (megabytes << 20), 9), b" /Filter /FlateDecode")])


def blank_pdf(path: Path, pages: int = 3) -> Path:
    """Pages with nothing on them: no text, no image."""
    from reportlab.pdfgen import canvas

    drawing = canvas.Canvas(str(path), pagesize=(595, 842))
    for _ in range(pages):
        drawing.showPage()
    drawing.save()
    return path


STREAM = re.compile(rb"stream\r?\n")


def stream_spans(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of every stream's bytes in a PDF."""
    spans = []
    for match in STREAM.finditer(data):
        if data[max(0, match.start() - 3):match.start()] == b"end":
            continue
        end = data.find(b"endstream", match.end())
        if end > match.end():
            spans.append((match.end(), end))
    return spans


CORRUPTIONS = ("flip", "flip", "delete", "truncate_stream", "truncate_file")


def corrupt(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One random damage inside one stream of a PDF: bit flips, deleted bytes, a stream cut
    short, or the file cut inside a stream. Returns (what was done, the damaged bytes)."""
    spans = stream_spans(data)
    start, end = rng.choices(spans, weights=[e - s for s, e in spans])[0]
    kind = rng.choice(CORRUPTIONS)
    at = rng.randrange(start, end)
    if kind == "flip":
        damaged = bytearray(data)
        for position in {at, *(rng.randrange(start, end) for _ in range(rng.randrange(0, 3)))}:
            damaged[position] ^= 1 << rng.randrange(8)
        return f"flip@{at}", bytes(damaged)
    if kind == "delete":
        count = rng.randrange(1, 17)
        return f"delete{count}@{at}", data[:at] + data[at + count:]
    if kind == "truncate_stream":
        return f"truncate_stream@{at}", data[:at] + data[end:]
    return f"truncate_file@{at}", data[:at]


def corrupted_copies(sources: list[Path], count: int, folder: Path, seed: int = 11) -> Iterator[tuple[Path, Path, str]]:
    """`count` damaged copies of the `sources`, round robin: (copy, its source, what was done)."""
    rng = random.Random(seed)
    originals = {source: source.read_bytes() for source in sources}
    for number in range(count):
        source = sources[number % len(sources)]
        what, damaged = corrupt(originals[source], rng)
        copy = folder / f"{source.stem}~{number:03d}.pdf"
        copy.write_bytes(damaged)
        yield copy, source, what
