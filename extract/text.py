"""Reader for text files (pdftotext-style or text copied out of a PDF) and TSV.

Encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else CP932 (Shift_JIS as
municipal sites publish it). Lines holding a tab are table rows; consecutive tab lines
form one table. A form feed starts a new page.
"""
from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .ir import Cell, Document, Line, Page, Table

ENCODINGS = ("utf-8-sig", "cp932")


def decode_text(data: bytes, path: str) -> str:
    """Bytes -> str, or InputError naming why the bytes are not readable text."""
    if not data.strip():
        raise InputError(path, "empty file: nothing to ingest")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data:
        raise InputError(path, "contains NUL bytes: a binary file, not text (is it a PDF or a spreadsheet saved with the wrong name?)")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(path, "text is neither UTF-8 nor CP932 (Shift_JIS): convert it to UTF-8 and ingest again")


def _table_rows(lines: list[str]) -> tuple[tuple[Cell, ...], ...]:
    rows = [line.rstrip("\r\n").split("\t") for line in lines]
    width = max(len(row) for row in rows)
    return tuple(tuple(Cell(text.strip()) for text in row + [""] * (width - len(row))) for row in rows)


def blocks_of_page(text: str, page_number: int, tsv: bool = False) -> list:
    """One page of text -> Lines and Tables in order."""
    blocks: list = []
    run: list[str] = []

    def flush() -> None:
        if run:
            blocks.append(Table(rows=_table_rows(run), page=page_number,
                                index=sum(isinstance(b, Table) for b in blocks)))
            run.clear()

    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if "\t" in line or (tsv and line.strip()):
            run.append(line)
            continue
        flush()
        if line.strip():
            blocks.append(Line(text=line.strip(), page=page_number))
    flush()
    return blocks


def read_text(path: str | Path) -> Document:
    path = Path(path)
    text = decode_text(path.read_bytes(), str(path))
    tsv = path.suffix.lower() == ".tsv"
    pages = [Page(number=number, blocks=blocks_of_page(chunk, number, tsv=tsv))
             for number, chunk in enumerate(text.split("\f"), start=1)]
    pages = [page for page in pages if page.blocks] or pages[:1]
    if not any(page.blocks for page in pages):
        raise InputError(str(path), "empty file: no text in it")
    return Document(path=str(path), kind="text", pages=pages)
