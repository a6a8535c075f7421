"""Reader for text files: text copied or exported out of a PDF (`pdftotext`, with or without
`-layout`) and spreadsheets saved as TSV/CSV.

Encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else CP932 (Shift_JIS as
municipal sites publish it). A stray NUL byte is dropped with a warning; a file of many
NULs is binary and refused.

- TSV/CSV (`.tsv`, `.csv`, or a `.txt` whose lines all hold the same number of tabs, as
  Excel's 「テキスト（タブ区切り）」 writes): read with the csv module, streaming, so quoted
  cells over several lines and CRLF rows come out as cells. Blank rows separate blocks; in
  a block, rows with only a first cell before the first and after the last row of several
  cells are Lines, and so is a run of two or more such rows, or a long one, in the middle.
- Other text: a form feed starts a page; lines holding a tab are table rows (consecutive ones
  one table); space-aligned columns become tables (`layout_text`); the rest are Lines.
Every block and cell carries the 1-based line number where it starts.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError
from .ir import Cell, Document, Line, Page, Table
from .layout_text import LayoutSettings, layout_blocks

ENCODINGS = ("utf-8-sig", "cp932")
SNIFF_BYTES = 1 << 20
MAX_NUL_SHARE = 0.001        # more NUL bytes than this share of the file: a binary file
PROSE_CELL = 40              # a lone first cell longer than this (characters) in a TSV is a line of prose


def _nul_check(head: bytes, path: str) -> int:
    count = head.count(b"\x00")
    if count > 1 + MAX_NUL_SHARE * len(head):
        raise InputError(path, "contains NUL bytes: a binary file, not text (is it a PDF or a spreadsheet saved with the wrong name?)")
    return count


def detect_encoding(head: bytes, path: str) -> str:
    """The codec of a file from its first bytes, or InputError."""
    if not head.strip():
        raise InputError(path, "empty file: nothing to ingest")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    clean = head.replace(b"\x00", b"")
    for encoding in ENCODINGS:
        try:
            codecs.getincrementaldecoder(encoding)().decode(clean, final=len(head) < SNIFF_BYTES)
            return encoding
        except UnicodeDecodeError:
            continue
    raise InputError(path, "text is neither UTF-8 nor CP932 (Shift_JIS): convert it to UTF-8 and ingest again")


def decode_text(data: bytes, path: str) -> str:
    """Bytes -> str as read_text decodes them (NUL bytes dropped), or InputError naming why
    the bytes are not readable text. Line numbers of the IR count the "\n" of this text."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        _nul_check(data, path)
        data = data.replace(b"\x00", b"")
    encoding = detect_encoding(data[:SNIFF_BYTES], path)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(path, f"not valid {encoding} text at byte {error.start}: convert it to UTF-8 and ingest again") from None


def _chunks(path: Path, encoding: str, warnings: list[str]) -> Iterator[str]:
    """The file's text in pieces, NUL bytes dropped (with one warning)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    dropped = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 16):
            if encoding != "utf-16" and b"\x00" in block:
                dropped += block.count(b"\x00")
                block = block.replace(b"\x00", b"")
            try:
                yield decoder.decode(block)
            except UnicodeDecodeError as error:
                raise InputError(str(path), f"not valid {encoding} text ({error.reason}): convert it to UTF-8 and ingest again") from None
        yield decoder.decode(b"", final=True)
    if dropped:
        warnings.append(f"{dropped} NUL byte(s) dropped")


def _lines_of(chunks: Iterator[str]) -> Iterator[str]:
    """Chunks -> lines keeping their line ends, as csv wants them (newline='' semantics)."""
    rest = ""
    for chunk in chunks:
        rest += chunk
        lines = rest.splitlines(keepends=True)
        rest = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        if rest == "" and lines and lines[-1].endswith("\r"):
            rest = lines.pop()                       # \r may be the first half of \r\n
        yield from lines
    if rest:
        yield rest


def _is_tsv(text: str) -> bool:
    """A .txt that Excel wrote as TSV: every record of its head has the same number (≥ 2) of fields."""
    records = list(csv.reader(io.StringIO(text[:65536], newline=""), delimiter="\t"))
    records = records[:-1] if len(text) > 65536 else records
    widths = {len(record) for record in records if record}
    return len(records) >= 2 and len(widths) == 1 and widths.pop() >= 2


def _delimited_pages(lines: Iterator[str], delimiter: str) -> list[Page]:
    reader = csv.reader(lines, delimiter=delimiter)
    page = Page(number=1)
    block: list[tuple[int, list[str]]] = []
    start = 1
    for record in reader:
        if any(field.strip() for field in record):
            block.append((start, [field.replace("\r\n", "\n").strip("\r\n ") for field in record]))
        else:
            page.blocks += _delimited_blocks(block, len(page.tables))
            block = []
        start = reader.line_num + 1
    page.blocks += _delimited_blocks(block, len(page.tables))
    return [page]


def _lone(fields: list[str]) -> bool:
    return bool(fields[0].strip()) and not any(field.strip() for field in fields[1:])


def _delimited_blocks(rows: list[tuple[int, list[str]]], first_index: int) -> list:
    """Rows between blank rows -> Lines and Tables (see the module docstring)."""
    line_rows = [False] * len(rows)
    multi = [k for k, (_, fields) in enumerate(rows) if not _lone(fields)]
    for k, (_, fields) in enumerate(rows):
        if not _lone(fields):
            continue
        neighbours = (k > 0 and _lone(rows[k - 1][1])) or (k + 1 < len(rows) and _lone(rows[k + 1][1]))
        line_rows[k] = not multi or k < multi[0] or k > multi[-1] or neighbours or len(fields[0].strip()) > PROSE_CELL
    blocks: list = []
    run: list[tuple[int, list[str]]] = []

    def flush() -> None:
        if run:
            width = max(max((i + 1 for i, f in enumerate(fields) if f.strip()), default=1) for _, fields in run)
            cells = tuple(tuple(Cell(text=(fields[i] if i < len(fields) else "").strip(), line=line) for i in range(width))
                          for line, fields in run)
            blocks.append(Table(rows=cells, page=1, index=first_index + sum(isinstance(b, Table) for b in blocks)))
            run.clear()

    for k, (line, fields) in enumerate(rows):
        if line_rows[k]:
            flush()
            blocks.append(Line(text=fields[0].strip(), page=1, line=line))
        else:
            run.append((line, fields))
    flush()
    return blocks


def _tab_table(lines: list[tuple[int, str]], page: int, index: int) -> Table:
    rows = [(number, text.split("\t")) for number, text in lines]
    width = max(len(fields) for _, fields in rows)
    return Table(rows=tuple(tuple(Cell(text=text.strip(), line=number) for text in fields + [""] * (width - len(fields)))
                            for number, fields in rows), page=page, index=index)


def blocks_of_page(text: str, page_number: int, first_line: int = 1, settings: LayoutSettings | None = None) -> list:
    """One page of text -> Lines and Tables in order: runs of tab lines are tables, the rest
    goes through the space-aligned table finder."""
    blocks: list = []
    plain: list[str] = []
    tabbed: list[tuple[int, str]] = []
    plain_start = first_line

    def tables_so_far() -> int:
        return sum(isinstance(b, Table) for b in blocks)

    for offset, raw in enumerate(text.split("\n")):
        line = raw.rstrip("\r")
        number = first_line + offset
        if "\t" in line:
            if plain:
                blocks += layout_blocks(plain, plain_start, page_number, tables_so_far(), settings)
                plain = []
            tabbed.append((number, line))
            continue
        if tabbed:
            blocks.append(_tab_table(tabbed, page_number, tables_so_far()))
            tabbed = []
        if not plain:
            plain_start = number
        plain.append(line)
    if tabbed:
        blocks.append(_tab_table(tabbed, page_number, tables_so_far()))
    if plain:
        blocks += layout_blocks(plain, plain_start, page_number, tables_so_far(), settings)
    return blocks


def _text_pages(text: str, settings: LayoutSettings | None) -> list[Page]:
    pages = []
    line = 1
    for number, chunk in enumerate(text.split("\f"), start=1):
        pages.append(Page(number=number, blocks=blocks_of_page(chunk, number, line, settings)))
        line += chunk.count("\n")
    return [page for page in pages if page.blocks] or pages[:1]


def read_text(path: str | Path, settings: LayoutSettings | None = None) -> Document:
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        _nul_check(head, str(path))
    encoding = detect_encoding(head, str(path))
    document = Document(path=str(path), kind="text")
    suffix = path.suffix.lower()
    head_text = codecs.getincrementaldecoder(encoding)().decode(head.replace(b"\x00", b"") if encoding != "utf-16" else head)
    if suffix in (".tsv", ".csv") or _is_tsv(head_text):
        delimiter = "," if suffix == ".csv" else "\t"
        document.pages = _delimited_pages(_lines_of(_chunks(path, encoding, document.warnings)), delimiter)
    else:
        text = "".join(_chunks(path, encoding, document.warnings))
        document.pages = _text_pages(text, settings)
    if not any(page.blocks for page in document.pages):
        raise InputError(str(path), "empty file: no text in it")
    return document
