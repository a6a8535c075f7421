"""Reader for PDFs (pdfplumber). Each page is parsed once: overprinted (bold) characters are
deduplicated, ruled tables are found with `TableSettings`, and the text outside the tables
becomes lines. Vertical text stacked one character per line is joined top to bottom.

What cannot be read is an InputError with one line of reason: not a PDF, truncated,
needs a password, no text layer (scanned), text only as (cid:…) glyphs.
"""
from __future__ import annotations

import gc
import re
from bisect import bisect_left
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from collections.abc import Callable

from .borderless import BorderlessSettings, find_borderless, runs_of
from .errors import InputError
from .ir import Cell, Document, Line, Page, Table
from .limits import PdfWatch
from .magazine import PageColumnSettings, find_gutter, sections
from .triage import triage_pdf

CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True)
class TableSettings:
    """How tables are found: pdfplumber's table_settings, in one documented place.

    City PDFs come from Excel or Word, which draw the cell borders as lines or thin
    rectangles, so the ruling-line strategy finds them; tables drawn without rulings are
    found from word positions with `borderless` (see extract/borderless.py).
    """
    vertical_strategy: str = "lines"
    horizontal_strategy: str = "lines"
    snap_tolerance: float = 3       # merge rulings this close (points): Excel draws doubled borders
    join_tolerance: float = 3
    intersection_tolerance: float = 3
    edge_min_length: float = 3
    text_x_tolerance: float = 1.5   # characters closer than this are one word (Japanese has no spaces)
    text_y_tolerance: float = 3
    borderless: BorderlessSettings | None = field(default_factory=BorderlessSettings)  # None: ruled tables only
    page_columns: PageColumnSettings | None = field(default_factory=PageColumnSettings)  # None: never two columns

    def for_pdfplumber(self) -> dict:
        return {key: value for key, value in asdict(self).items() if key not in ("borderless", "page_columns")}


@dataclass(frozen=True)
class ReadLimits:
    """When a document is not a text PDF at all."""
    min_chars_per_page: int = 10      # fewer real characters than this: the page has no text layer
    max_cid_share: float = 0.3        # a page whose characters are mostly (cid:…) is unreadable
    max_unreadable_pages_share: float = 0.5  # more unreadable pages than this: reject the file
    scan_image_share: float = 0.85    # an image covering this much of a page makes it a scanned page


@dataclass
class PageReport:
    unreadable: list[int] = field(default_factory=list)
    cid_pages: list[int] = field(default_factory=list)
    scanned: list[int] = field(default_factory=list)
    ocr: list[int] = field(default_factory=list)        # scanned pages with an OCR text layer


def is_scanned(page, share: float) -> bool:
    """A page that is one big image (a scan), whatever OCR text lies over it."""
    area = float(page.width) * float(page.height)
    return any((image["x1"] - image["x0"]) * (image["bottom"] - image["top"]) >= share * area for image in page.images)


def _open(path: Path, password: str | None):
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    with path.open("rb") as handle:
        head = handle.read(1024)
    if not head.strip():
        raise InputError(str(path), "empty file: nothing to ingest")
    if b"%PDF" not in head:
        raise InputError(str(path), "not a PDF: the file does not start with %PDF")
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 2048))
        tail = handle.read()
    if b"%%EOF" not in tail:
        raise InputError(str(path), "truncated PDF: no end-of-file marker (an interrupted download?); fetch it again")
    try:
        return pdfplumber.open(str(path), password=password or "")
    except Exception as error:  # pdfplumber wraps pdfminer errors
        cause = error.__cause__ or error.__context__ or error
        if isinstance(error, PDFPasswordIncorrect) or isinstance(cause, PDFPasswordIncorrect) \
                or "password" in str(error).lower():
            raise InputError(str(path), "encrypted: needs a user password; pass --password") from None
        raise InputError(str(path), f"not a readable PDF (truncated or corrupt: {type(cause).__name__})") from None


def join_vertical(text: str) -> str:
    """A cell whose lines are all single characters is vertical text: join it."""
    parts = [part for part in text.split("\n") if part.strip()]
    if len(parts) >= 2 and all(len(part.strip()) == 1 for part in parts):
        return "".join(part.strip() for part in parts)
    return text


def _slots(values: list[float]) -> list[float]:
    return sorted({round(value, 1) for value in values})


def _span(start: float, end: float, slots: list[float]) -> int:
    """Grid lines (sorted `slots`) from the cell's start up to just before its end."""
    return max(1, bisect_left(slots, round(end, 1) - 0.5) - bisect_left(slots, round(start, 1)))


class CharIndex:
    """A page's characters sorted by vertical middle, so that a table row finds its characters
    by bisection instead of testing every character of the page for every row and cell (what
    pdfplumber's Table.extract does); the choice of characters is the same (middle inside)."""

    def __init__(self, chars: list[dict]):
        keyed = sorted(((char["top"] + char["bottom"]) / 2, order, char) for order, char in enumerate(chars)
                       ) if chars else []
        self.middles = [middle for middle, _, _ in keyed]
        self.entries = [(order, char) for _, order, char in keyed]

    def inside(self, bbox: tuple) -> list[dict]:
        x0, top, x1, bottom = bbox
        found = self.entries[bisect_left(self.middles, top):bisect_left(self.middles, bottom)]
        return [char for _, char in sorted(item for item in found if x0 <= (item[1]["x0"] + item[1]["x1"]) / 2 < x1)]


def _table_texts(found, chars: CharIndex, settings: TableSettings) -> list[list[str | None]]:
    """Cell texts as pdfplumber's Table.extract gives them."""
    from pdfplumber.utils import extract_text

    out = []
    for row in found.rows:
        row_chars = chars.inside(row.bbox)
        texts = []
        for box in row.cells:
            if box is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = box
            cell = [c for c in row_chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom]
            texts.append(extract_text(cell, x_tolerance=settings.text_x_tolerance, y_tolerance=settings.text_y_tolerance)
                         if cell else "")
        out.append(texts)
    return out


def table_from_pdfplumber(found, page_number: int, index: int, settings: TableSettings,
                          chars: CharIndex | None = None) -> Table:
    """A pdfplumber table -> IR Table, with each cell's bbox and spans over the grid."""
    texts = _table_texts(found, chars or CharIndex(found.page.chars), settings)
    boxes = [box for row in found.rows for box in row.cells if box]
    x_slots = _slots([box[0] for box in boxes])
    y_slots = _slots([box[1] for box in boxes])
    rows = []
    for row, row_texts in zip(found.rows, texts):
        cells = []
        for box, text in zip(row.cells, row_texts):
            if box is None:
                cells.append(None)
                continue
            cells.append(Cell(text=join_vertical(text or ""), bbox=tuple(box),
                              row_span=_span(box[1], box[3], y_slots), col_span=_span(box[0], box[2], x_slots)))
        rows.append(tuple(cells))
    return Table(rows=tuple(rows), page=page_number, index=index, bbox=tuple(found.bbox))


def _outside(boxes: list[tuple]) -> Callable[[dict], bool]:
    def keep(obj: dict) -> bool:
        middle_x = (obj["x0"] + obj["x1"]) / 2
        middle_y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)
    return keep


def join_vertical_lines(lines: list[Line]) -> list[Line]:
    """Runs of one-character lines stacked at the same x are one vertical line of text."""
    out: list[Line] = []
    for line in lines:
        previous = out[-1] if out else None
        if (previous and line.bbox and previous.bbox and len(line.text) == 1
                and len(previous.text.split("\n")[-1]) >= 1 and abs(line.bbox[0] - previous.bbox[0]) < 2
                and (previous.bbox[2] - previous.bbox[0]) < 1.6 * (line.bbox[2] - line.bbox[0])
                and 0 <= line.bbox[1] - previous.bbox[3] < (line.bbox[3] - line.bbox[1])):
            out[-1] = Line(text=previous.text + line.text, page=line.page,
                           bbox=(previous.bbox[0], previous.bbox[1], max(previous.bbox[2], line.bbox[2]), line.bbox[3]))
            continue
        out.append(line)
    return out


def overprinted(chars: list[dict], tolerance: float = 1.0) -> set[int]:
    """ids of characters drawn again over an earlier one (same glyph, font and size, within
    `tolerance` points): how PDFs fake bold. Linear time: a character looks for an earlier twin
    only among the characters of its own glyph, font and size in the 3x3 grid cells (of
    `tolerance` points) around it, where pdfplumber's dedupe_chars compares far more pairs.
    The grid is kept by band (row) first, so that the usual character, whose glyph occurs on
    the page but not on its line, is settled by three lookups."""
    seen: dict[tuple, dict[int, dict[int, list[tuple[float, float]]]]] = {}
    duplicates: set[int] = set()
    for char in chars:
        x0, top = char["x0"], char["top"]
        key = (char.get("text"), char.get("fontname"), round(char.get("size", 0), 1))
        column, band = int(x0 // tolerance), int(top // tolerance)
        bands = seen.get(key)
        if bands is None:                 # the first of its glyph on the page: no twin possible
            seen[key] = {band: {column: [(x0, top)]}}
        elif _has_twin(bands, column, band, x0, top, tolerance):
            duplicates.add(id(char))
        else:
            bands.setdefault(band, {}).setdefault(column, []).append((x0, top))
    return duplicates


def _has_twin(bands: dict[int, dict[int, list[tuple[float, float]]]], column: int, band: int, x0: float, top: float,
              tolerance: float) -> bool:
    for near_band in (band - 1, band, band + 1):
        columns = bands.get(near_band)
        if not columns:
            continue
        for near_column in (column - 1, column, column + 1):
            for other_x0, other_top in columns.get(near_column, ()):
                if abs(other_x0 - x0) <= tolerance and abs(other_top - top) <= tolerance:
                    return True
    return False


def _text_blocks(region, words: list[dict], number: int, first_index: int, settings: TableSettings) -> list:
    """Borderless tables and lines of one part of a page (its ruled tables taken out)."""
    tables = find_borderless(words, number, first_index, settings.borderless) if settings.borderless else []
    raw_lines = region.extract_text_lines(x_tolerance=settings.text_x_tolerance, y_tolerance=settings.text_y_tolerance)
    inside = _outside([table.bbox for table in tables])
    lines = join_vertical_lines([
        Line(text=CID.sub("", item["text"]).strip(), page=number,
             bbox=(item["x0"], item["top"], item["x1"], item["bottom"]))
        for item in raw_lines if CID.sub("", item["text"]).strip() and inside(item)
    ])
    return [*tables, *lines]


def _centre_in(box: tuple) -> Callable[[dict], bool]:
    x0, top, x1, bottom = box

    def keep(obj: dict) -> bool:
        return x0 <= (obj["x0"] + obj["x1"]) / 2 < x1 and top <= (obj["top"] + obj["bottom"]) / 2 < bottom
    return keep


def _by_position(blocks: list) -> list:
    return sorted(blocks, key=lambda block: (round(block.bbox[1]), block.bbox[0]))


def _parts(words: list[dict], width: float, height: float, settings: TableSettings) -> list[tuple] | None:
    """Boxes of a two-column page in reading order, or None for a page read across."""
    if settings.page_columns is None:
        return None
    gutter = find_gutter(runs_of(words), width, settings.page_columns)
    if gutter is None:
        return None
    middle = sum(gutter) / 2
    out = []
    for top, bottom, two in sections(runs_of(words), gutter):
        top, bottom = max(top, 0.0), min(bottom, height + 1)
        out += [(0.0, top, middle, bottom), (middle, top, width + 1, bottom)] if two else [(0.0, top, width + 1, bottom)]
    return out


def read_page(page, number: int, settings: TableSettings) -> tuple[Page, int, int]:
    """One pdfplumber page -> IR Page, with its count of real and of (cid:…) characters."""
    duplicates = overprinted(page.chars)
    if duplicates:
        page = page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) not in duplicates)
    chars = page.chars
    cid_count = sum(1 for char in chars if CID.fullmatch(char.get("text", "")))
    real_count = sum(1 for char in chars if char.get("text", "").strip()) - cid_count
    found = page.find_tables(settings.for_pdfplumber())
    index = CharIndex(chars) if found else None
    ruled = [table_from_pdfplumber(table, number, position, settings, index) for position, table in enumerate(found)]
    outside = page.filter(_outside([table.bbox for table in ruled])) if ruled else page
    words = []
    if settings.borderless is not None or settings.page_columns is not None:
        gap = settings.borderless.column_gap if settings.borderless else settings.text_x_tolerance
        words = outside.extract_words(x_tolerance=gap, y_tolerance=settings.text_y_tolerance, keep_blank_chars=True)
        words = [{**word, "text": CID.sub("", word["text"])} for word in words]
    parts = _parts(words, float(page.width), float(page.height), settings)
    if parts is None:
        blocks = _by_position([*ruled, *_text_blocks(outside, words, number, len(ruled), settings)])
    else:                                             # two columns: each part in turn, top to bottom within
        blocks = []
        for box in parts:
            keep = _centre_in(box)
            blocks += _by_position([*(t for t in ruled if keep(dict(zip(("x0", "top", "x1", "bottom"), t.bbox)))),
                                    *_text_blocks(outside.filter(keep), [w for w in words if keep(w)], number,
                                                  len(ruled) + sum(isinstance(b, Table) for b in blocks), settings)])
        blocks = _renumber(blocks)
    return Page(number=number, blocks=blocks, width=float(page.width), height=float(page.height)), real_count, cid_count


def _renumber(blocks: list) -> list:
    """Tables numbered in reading order from 0."""
    out, count = [], 0
    for block in blocks:
        if isinstance(block, Table):
            block = Table(rows=block.rows, page=block.page, index=count, bbox=block.bbox)
            count += 1
        out.append(block)
    return out


@contextmanager
def quiet_collector():
    """The garbage collector kept out of the parse. pdfminer makes millions of short-lived
    objects, freed by reference counting as each page closes; only a few hundred per page are
    cyclic. Left on, the collector ran hundreds of times per document, and every full pass
    walked the caller's whole heap (pydantic, DuckDB, label tables, earlier documents). So the
    objects alive before the read are frozen (never walked), automatic collection is off, and
    the reader collects the young generation itself as each page closes (as cheap as every 20th
    page, measured). On the five samples: reads 7-10 % faster, the same peak RSS."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


def read_pdf(path: str | Path, password: str | None = None, settings: TableSettings | None = None,
             limits: ReadLimits | None = None, progress: Callable[[int, int], None] | None = None,
             triage: bool = True, watch: PdfWatch | None = None) -> Document:
    """The IR of a PDF, read under the per-file bounds of `watch` (extract.limits), which also
    records the pages that could not be read. With `triage`, pages pypdfium2 shows to hold no
    year and no plan label (extract/triage.py) are not parsed: they stay empty and are listed in
    skipped_pages."""
    with quiet_collector(), watch or PdfWatch(str(path)) as watching:
        return _read_pdf(Path(path), password, settings or TableSettings(), limits or ReadLimits(), progress,
                         watching, triage)


def _read_pdf(path: Path, password: str | None, settings: TableSettings, limits: ReadLimits,
              progress: Callable[[int, int], None] | None, watch: PdfWatch, triage: bool) -> Document:
    pdf = _open(path, password)
    document = Document(path=str(path), kind="pdf")
    report = PageReport()
    try:
        total = len(pdf.pages)
        if total == 0:
            raise InputError(str(path), "the PDF has no pages")
        watch.check_pages(total)
        if triage:
            watch.scan_streams(str(path), password)   # pdfium, unbounded, reads the file next
        skip = triage_pdf(path, password) if triage else None
        for number, pdf_page in enumerate(pdf.pages, start=1):
            if skip and skip.skips(number):   # no year, no plan label: an empty page, not parsed
                document.pages.append(Page(number=number, blocks=[], width=float(pdf_page.width),
                                           height=float(pdf_page.height)))
                document.skipped_pages.append(number)
                if progress:
                    progress(number, total)
                continue
            page, real, cid = Page(number=number), 0, 0
            with watch.page(number):  # a page that raises is unreadable, not the whole file
                if is_scanned(pdf_page, limits.scan_image_share):
                    report.scanned.append(number)
                page, real, cid = read_page(pdf_page, number, settings)
            pdf_page.close()   # frees the page's parsed objects: memory stays flat over long books
            gc.collect(0)      # and their few cycles (automatic collection is off: quiet_collector)
            if number in report.scanned:
                if real >= limits.min_chars_per_page:
                    report.ocr.append(number)
            elif cid > limits.max_cid_share * max(1, real + cid):
                report.cid_pages.append(number)
            elif real < limits.min_chars_per_page:
                report.unreadable.append(number)
            document.pages.append(page)
            if progress:
                progress(number, total)
    finally:
        pdf.close()
    watch.settle(document, total, report.cid_pages)  # damaged pages: warnings, or an error if none could be read
    report.unreadable = [number for number in report.unreadable if number not in watch.damage.pages]
    _judge(document, report, total, limits)
    return document


def _judge(document: Document, report: PageReport, total: int, limits: ReadLimits) -> None:
    if len(report.scanned) > limits.max_unreadable_pages_share * total:
        if len(report.ocr) * 2 < len(report.scanned):
            raise InputError(document.path, f"no text layer on {len(report.scanned)} of {total} pages (a scanned PDF): "
                             "OCR it (e.g. ocrmypdf -l jpn) and ingest again")
        raise InputError(document.path, f"scanned PDF: {len(report.scanned)} of {total} pages are page images under an "
                         "OCR text layer, whose figures are not trusted; ingest the city's text PDF instead")
    bad = len(report.unreadable) + len(report.cid_pages)
    if bad > limits.max_unreadable_pages_share * total:
        if len(report.cid_pages) >= len(report.unreadable):
            reason = (f"text is (cid:…) glyphs with no Unicode mapping on {len(report.cid_pages)} of {total} pages: "
                      "OCR the PDF (e.g. ocrmypdf --force-ocr) and ingest again")
        elif len(report.unreadable) == total:   # no page image either: blank pages, not a scan
            reason = f"no text on any page ({total} blank page{'s' if total > 1 else ''}): nothing to read"
        else:
            reason = f"no text on {len(report.unreadable)} of {total} pages (blank, or text drawn as outlines): nothing to read"
        raise InputError(document.path, reason)
    for number in report.cid_pages:
        document.warnings.append(f"page {number}: text is (cid:…) glyphs, skipped")
        document.pages[number - 1].blocks.clear()
    for number in report.unreadable:
        if document.pages[number - 1].blocks:
            continue
        document.warnings.append(f"page {number}: no text layer, skipped")
    for number in report.scanned:
        document.warnings.append(f"page {number}: a scanned page image, its OCR text skipped")
        document.pages[number - 1].blocks.clear()
