"""Tables drawn without ruling lines, found from the positions of words on a PDF page.

Words are taken with a wide x tolerance, so a word is a run of text with no column gap
inside it (Japanese has no spaces between words, and cells are padded apart). Runs are
grouped into text lines; a table is a stretch of consecutive, closely spaced lines of which
at least two hold several runs in shared columns (see `columns.find_columns`). Inside a table,
a run close below another run of the same column continues its cell (a value and its
（令和5年度） on the next line), rows are the vertical bands the cells occupy, and a cell
that overlaps several bands (a merged cell printed in the middle of its rows, vertical text)
belongs to the top one and spans the others, as a spreadsheet keeps a merged value in its
top-left cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from .columns import Run, boundaries, find_columns, merge_header_columns, place
from .ir import Cell, Table

KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]{1,2}")


@dataclass(frozen=True)
class BorderlessSettings:
    """How borderless tables are found: every threshold in one documented place.

    Lengths are in PDF points unless said to be a share of the text height (the median
    height of the words on the page)."""
    column_gap: float = 3.0       # characters farther apart than this on one line are in different runs
    line_overlap: float = 0.5     # runs overlapping vertically by this share of the shorter one share a line
    wrap_gap: float = 0.45        # × text height: a run this close under a run of the same column continues its cell
    max_line_gap: float = 1.6     # × text height: a wider vertical gap between lines ends a table
    prose_share: float = 0.6      # a lone run wider than this share of the table is prose or a heading: the table ends
    min_rows: int = 2             # lines holding runs in two or more columns that make a table
    min_aligned_columns: int = 2  # columns that must each hold runs of at least two lines
    spread_gap: float = 3.0       # × text height: 均等割付 labels (市　場　事　業　費) have their characters
    spread_min: int = 3           # ... this far apart at most, in chains of this many runs at least
    eps: float = 0.5              # overlaps smaller than this (points) do not count


@dataclass
class _Piece:
    """Runs of one column chained top to bottom: one cell's text."""
    runs: list[Run]
    col: int
    span: int
    top: float = 0.0
    bottom: float = 0.0
    row_span: int = 1

    def __post_init__(self) -> None:
        self.top = min(r.top for r in self.runs)
        self.bottom = max(r.bottom for r in self.runs)

    @property
    def text(self) -> str:
        parts = [r.text for r in self.runs]
        if len(parts) >= 2 and all(len(p) == 1 for p in parts):
            return "".join(parts)                       # vertical text, one character a line
        return "\n".join(parts)


@dataclass
class _Band:
    top: float
    bottom: float
    pieces: list[_Piece] = field(default_factory=list)

    def add(self, piece: _Piece) -> None:
        self.pieces.append(piece)
        self.top, self.bottom = min(self.top, piece.top), max(self.bottom, piece.bottom)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def runs_of(words: list[dict]) -> list[Run]:
    return [Run(text=w["text"].strip(), x0=float(w["x0"]), x1=float(w["x1"]), line=-1,
                top=float(w["top"]), bottom=float(w["bottom"])) for w in words if w["text"].strip()]


def group_lines(runs: list[Run], settings: BorderlessSettings) -> list[list[Run]]:
    """Runs -> text lines, top to bottom, each left to right."""
    lines: list[list[Run]] = []
    bands: list[tuple[float, float]] = []
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        height = run.bottom - run.top
        for index in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = bands[index]
            if _overlap(run.top, run.bottom, top, bottom) >= settings.line_overlap * min(height, bottom - top):
                lines[index].append(run)
                bands[index] = (min(top, run.top), max(bottom, run.bottom))
                break
        else:
            lines.append([run])
            bands.append((run.top, run.bottom))
    return [sorted(line, key=lambda r: r.x0) for line in lines]


def join_spread(line: list[Run], height: float, settings: BorderlessSettings) -> list[Run]:
    """A label set with its characters spread evenly over the cell (均等割付) is one run:
    a chain of one- or two-character kana/kanji runs at even, small gaps."""
    out: list[Run] = []
    chain: list[Run] = []

    def flush() -> None:
        gaps = [b.x0 - a.x1 for a, b in zip(chain, chain[1:])]
        if len(chain) >= settings.spread_min and max(gaps) <= 2.5 * max(min(gaps), 1.0):
            out.append(Run("".join(r.text for r in chain), chain[0].x0, chain[-1].x1, chain[0].line,
                           min(r.top for r in chain), max(r.bottom for r in chain)))
        else:
            out.extend(chain)
        chain.clear()

    for run in line:
        short = KANA_KANJI.fullmatch(run.text) is not None
        if short and chain and run.x0 - chain[-1].x1 <= settings.spread_gap * height:
            chain.append(run)
            continue
        if chain:
            flush()
        if short:
            chain.append(run)
        else:
            out.append(run)
    if chain:
        flush()
    return out


def _regions(lines: list[list[Run]], height: float, settings: BorderlessSettings) -> list[tuple[int, int]]:
    """(first, last) line indexes of stretches that may be tables."""
    out = []
    index = floor = 0
    while index < len(lines):
        if len(lines[index]) < 2:
            index += 1
            continue
        start = end = index
        while start > floor and _heads(lines[start - 1], [r for line in lines[start:start + 3] for r in line],
                                       height, settings):
            start -= 1                                  # the first line of a header cell in two lines
        left = min(r.x0 for r in lines[index])
        right = max(r.x1 for r in lines[index])
        bottom = max(r.bottom for r in lines[index])
        while end + 1 < len(lines):
            nxt = lines[end + 1]
            if min(r.top for r in nxt) - bottom > settings.max_line_gap * height:
                break
            if len(nxt) == 1 and nxt[0].x1 - nxt[0].x0 > settings.prose_share * (right - left):
                break
            end += 1
            bottom = max(bottom, max(r.bottom for r in nxt))
            if len(nxt) >= 2:
                left, right = min(left, nxt[0].x0), max(right, nxt[-1].x1)
        while end > start and len(lines[end]) == 1 and \
                min(r.top for r in lines[end]) - max(r.bottom for r in lines[end - 1]) > settings.wrap_gap * height:
            end -= 1                                    # a caption or note under the table is a line
        out.append((start, end))
        index = floor = end + 1
    return out


def _heads(above: list[Run], below: list[Run], height: float, settings: BorderlessSettings) -> bool:
    """A lone run right above a run of the table's first lines, as close as a wrapped line."""
    if len(above) != 1:
        return False
    run = above[0]
    return any(-settings.eps <= other.top - run.bottom <= settings.wrap_gap * height
               and min(run.x1, other.x1) - max(run.x0, other.x0) > settings.eps for other in below)


def _pieces(runs: list[Run], columns: list[tuple[float, float]], height: float,
            settings: BorderlessSettings) -> list[_Piece]:
    placed: dict[tuple[int, int], list[Run]] = {}
    for run in runs:
        placed.setdefault(place(run, columns, settings.eps), []).append(run)
    pieces = []
    for (col, span), column_runs in placed.items():
        chain: list[Run] = []
        for run in sorted(column_runs, key=lambda r: r.top):
            if chain and run.top - chain[-1].bottom > settings.wrap_gap * height:
                pieces.append(_Piece(chain, col, span))
                chain = []
            chain.append(run)
        pieces.append(_Piece(chain, col, span))
    return pieces


def _bands(pieces: list[_Piece], settings: BorderlessSettings) -> list[_Band]:
    """Rows: bands of y the cells occupy; a cell over several bands spans them."""
    bands: list[_Band] = []
    deferred: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: (len(p.runs), p.top)):
        height = piece.bottom - piece.top
        hits = [b for b in bands if _overlap(piece.top, piece.bottom, b.top, b.bottom)
                >= settings.line_overlap * min(height, b.bottom - b.top)]
        if not hits:
            bands.append(_Band(piece.top, piece.bottom, [piece]))
        elif len(hits) == 1:
            hits[0].add(piece)
        else:
            deferred.append(piece)
    bands.sort(key=lambda b: b.top)
    bands = _dissolve(bands, settings)
    for piece in deferred:
        hits = [i for i, b in enumerate(bands) if _overlap(piece.top, piece.bottom, b.top, b.bottom) > settings.eps]
        piece.row_span = max(1, hits[-1] - hits[0] + 1) if hits else 1
        (bands[hits[0]] if hits else bands[-1]).pieces.append(piece)
    return bands


def _dissolve(bands: list[_Band], settings: BorderlessSettings) -> list[_Band]:
    """A band of fewer cells lying across its neighbours is a merged cell printed between
    rows: it joins the upper row and spans the lower one."""
    out: list[_Band] = []
    for index, band in enumerate(bands):
        above = out[-1] if out else None
        below = bands[index + 1] if index + 1 < len(bands) else None
        touches_above = above is not None and _overlap(band.top, band.bottom, above.top, above.bottom) > settings.eps
        touches_below = below is not None and _overlap(band.top, band.bottom, below.top, below.bottom) > settings.eps
        if touches_above and len(band.pieces) < len(above.pieces):
            taken = {(p.col) for p in above.pieces}
            if not any(p.col in taken for p in band.pieces):
                for piece in band.pieces:
                    piece.row_span = 2 if touches_below else 1
                    above.pieces.append(piece)
                continue
        out.append(band)
    return out


def _grid(bands: list[_Band], columns: list[tuple[float, float]], page: int, index: int) -> Table:
    xs = boundaries(columns)
    ys = [bands[0].top] + [(a.bottom + b.top) / 2 for a, b in zip(bands, bands[1:])] + [bands[-1].bottom]
    slots: dict[tuple[int, int], list[_Piece]] = {}
    for r, band in enumerate(bands):
        for piece in band.pieces:
            slots.setdefault((r, piece.col), []).append(piece)
    covered: set[tuple[int, int]] = set()
    rows = []
    for r in range(len(bands)):
        row: list[Cell | None] = []
        for c in range(len(columns)):
            if (r, c) in covered:
                row.append(None)
                continue
            found = sorted(slots.get((r, c), []), key=lambda p: p.top)
            col_span = max((p.span for p in found), default=1)
            row_span = max((p.row_span for p in found), default=1)
            col_span = next((k for k in range(1, col_span) if (r, c + k) in slots), col_span)
            row_span = min(row_span, len(bands) - r)
            for dr in range(row_span):
                for dc in range(col_span):
                    if (dr, dc) != (0, 0):
                        covered.add((r + dr, c + dc))
            text = "\n".join(p.text for p in found)
            row.append(Cell(text=text, bbox=(xs[c], ys[r], xs[c + col_span], ys[r + row_span]),
                            row_span=row_span, col_span=col_span))
        rows.append(tuple(row))
    return Table(rows=tuple(rows), page=page, index=index, bbox=(xs[0], ys[0], xs[-1], ys[-1]))


def _aligned(runs: list[Run], columns: list[tuple[float, float]], settings: BorderlessSettings) -> bool:
    per_column: dict[int, set[int]] = {}
    per_line: dict[int, set[int]] = {}
    for run in runs:
        col, span = place(run, columns, settings.eps)
        if span == 1:
            per_column.setdefault(col, set()).add(run.line)
            per_line.setdefault(run.line, set()).add(col)
    columns_ok = sum(len(lines) >= 2 for lines in per_column.values()) >= settings.min_aligned_columns
    rows_ok = sum(len(cols) >= 2 for cols in per_line.values()) >= settings.min_rows
    return columns_ok and rows_ok


def find_borderless(words: list[dict], page: int, first_index: int,
                    settings: BorderlessSettings | None = None) -> list[Table]:
    """Borderless tables among `words` (pdfplumber words taken with x_tolerance = column_gap
    and keep_blank_chars), numbered on the page from `first_index`."""
    settings = settings or BorderlessSettings()
    runs = runs_of(words)
    if len(runs) < 4:
        return []
    height = median(r.bottom - r.top for r in runs)
    lines = [join_spread(line, height, settings) for line in group_lines(runs, settings)]
    tables: list[Table] = []
    for start, end in _regions(lines, height, settings):
        region = [Run(r.text, r.x0, r.x1, number, r.top, r.bottom)
                  for number, line in enumerate(lines[start:end + 1]) for r in line]
        columns = merge_header_columns(region, find_columns(region, settings.eps), settings.eps)
        if len(columns) < 2 or not _aligned(region, columns, settings):
            continue
        bands = _bands(_pieces(region, columns, height, settings), settings)
        tables.append(_grid(bands, columns, page, first_index + len(tables)))
    return tables
