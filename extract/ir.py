"""The layout-neutral document every reader returns and every recognizer reads.

A Document is pages; a page is blocks in reading order, each a Table (rows of cells) or a
Line of text. PDF blocks carry bboxes (x0, top, x1, bottom in PDF points); text blocks carry
none but the 1-based line number of the file where they start (`line`). Recognizers never see the file: what a text file and its PDF share is this shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union
from collections.abc import Iterator

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Cell:
    text: str                     # as printed; line breaks inside the cell kept as "\n"
    bbox: BBox | None = None
    row_span: int = 1
    col_span: int = 1
    line: int | None = None       # text files: 1-based line number where the cell starts


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[Cell | None, ...], ...]   # None where a merged cell from the left/above covers the grid slot
    page: int
    index: int                                  # n-th table on its page, from 0
    bbox: BBox | None = None

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        """Cell texts, "" for empty or covered slots."""
        return [[cell.text if cell else "" for cell in row] for row in self.rows]


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    page: int
    bbox: BBox | None = None
    line: int | None = None       # text files: 1-based line number where the line starts


Block = Union[Table, Line]


@dataclass(slots=True)
class Page:
    number: int                                 # 1-based
    blocks: list[Block] = field(default_factory=list)
    width: float | None = None
    height: float | None = None

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    @property
    def lines(self) -> list[Line]:
        return [block for block in self.blocks if isinstance(block, Line)]


@dataclass(slots=True)
class Document:
    path: str
    kind: str                                    # "pdf" | "text"
    pages: list[Page] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped_pages: list[int] = field(default_factory=list)   # pages triage left unparsed (extract/triage.py)

    def blocks(self) -> Iterator[Block]:
        for page in self.pages:
            yield from page.blocks

    def text(self) -> str:
        """All text in reading order (table cells joined by tabs), for metadata searches."""
        out = []
        for block in self.blocks():
            if isinstance(block, Line):
                out.append(block.text)
            else:
                out.extend("\t".join(row) for row in block.texts())
        return "\n".join(out)
