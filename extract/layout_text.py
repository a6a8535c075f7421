"""Tables in text laid out with spaces (`pdftotext -layout`), found by the column idea of
the borderless PDF reader (`columns.find_columns`) on character columns, a wide character
(East Asian width W/F/A) counting two.

A run is text with fewer than `min_gap` spaces inside it. A table is a stretch of
consecutive non-blank lines from a line of several runs on, until a blank line or a lone
prose-wide line. Rows: each line starts a row unless it continues the one above — all its
runs stand in columns the line above fills, and each either opens a bracketed note
(（令和5年度） under its value, not in the first column) or continues a cell that the line
above filled to the column's right edge (text wrapped in its cell). A column of single
characters is vertical text down a merged first column: its characters join into one cell
per item (an item starts at a list marker such as Ⅱ or 2), placed in the row of its first
character and spanning the rows to its last.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .columns import Run, find_columns, merge_header_columns, place
from .ir import Cell, Line, Table
from .magazine import PageColumnSettings, find_gutter, sections

OPENERS = "（("
CLOSERS = "）)"
ITEM_START = re.compile(r"[Ⅰ-Ⅻ0-9０-９①-⑳第]")
FIGURE_ONLY = re.compile(r"[▲△\-−]?[\d,.０-９，．]+\S{0,4}")
ITEM_NUMBER = re.compile(r"(?:No\.?\s*)?[0-9０-９]{1,3}|[①-⑳]|[(（][0-9０-９]{1,2}[)）]")   # a No. cell
PAGE_NUMBER = re.compile(r"[-－−―‐–—]\s*[0-9０-９]+\s*[-－−―‐–—]|[pPＰ][.．]?\s*[0-9０-９]+|[0-9０-９]+\s*/\s*[0-9０-９]+")


@dataclass(frozen=True)
class LayoutSettings:
    """How space-aligned tables are found in text (widths in display columns)."""
    min_gap: int = 2              # this many spaces or more separate two runs (one space is inside a cell)
    prose_share: float = 0.6      # a lone run wider than this share of the table is prose: the table ends
    full_slack: int = 1           # a run ending this close to its column's right edge filled it (wrapped)
    min_wrap_width: int = 10      # narrower columns (No., grades, 目標値 | 実績 labels) are never taken to wrap
    page_columns: PageColumnSettings | None = field(default_factory=lambda: PageColumnSettings(min_gutter=3))
    min_rows: int = 2             # lines holding runs in two or more columns that make a table
    min_aligned_columns: int = 2  # columns that must each hold runs of at least two lines


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def runs_of_line(text: str, line: int, min_gap: int) -> list[Run]:
    """Runs of one line with their display-column extents."""
    runs: list[Run] = []
    column = 0
    for piece in re.split(f"( {{{min_gap},}})", text):
        size = width(piece)
        stripped = piece.strip() or piece.strip(" ")     # a lone 　 is a character of vertical text
        if stripped and not piece.startswith(" " * min_gap):
            lead = len(piece) - len(piece.lstrip(" "))
            runs.append(Run(stripped, column + lead, column + lead + width(stripped), line, line, line + 1))
        column += size
    return runs


def _is_table(runs: list[Run], columns: list[tuple[float, float]], settings: LayoutSettings) -> bool:
    per_column: dict[int, set[int]] = {}
    per_line: dict[int, set[int]] = {}
    for run in runs:
        col, span = place(run, columns, 0.5)
        if span == 1:
            per_column.setdefault(col, set()).add(run.line)
            per_line.setdefault(run.line, set()).add(col)
    return (sum(len(v) >= 2 for v in per_column.values()) >= settings.min_aligned_columns
            and sum(len(v) >= 2 for v in per_line.values()) >= settings.min_rows)


def _regions(lines: list[list[Run]], settings: LayoutSettings) -> list[tuple[int, int]]:
    out = []
    index = 0
    while index < len(lines):
        if len(lines[index]) < 2:
            index += 1
            continue
        start = end = index
        left, right = lines[index][0].x0, lines[index][-1].x1
        while end + 1 < len(lines) and lines[end + 1]:
            nxt = lines[end + 1]
            if len(nxt) == 1 and nxt[0].x0 <= left + settings.full_slack \
                    and nxt[0].x1 - nxt[0].x0 > settings.prose_share * (right - left):
                break
            end += 1
            if len(nxt) >= 2:
                left, right = min(left, nxt[0].x0), max(right, nxt[-1].x1)
        while end > start and len(lines[end]) == 1 and PAGE_NUMBER.fullmatch(lines[end][0].text):
            end -= 1                                  # a page footer right under the table is a line
        out.append((start, end))
        index = end + 1
    return out


def _vertical_column(runs: list[Run], columns: list[tuple[float, float]]) -> int | None:
    """The first column when it holds mostly single characters (a heading may stand above
    them) on three or more lines: vertical text down merged cells. Digits are item numbers
    (No. 1 … 9), not letters of a word written downwards."""
    by_column: dict[int, list[Run]] = {}
    for run in runs:
        col, span = place(run, columns, 0.5)
        by_column.setdefault(col if span == 1 else -1, []).append(run)
    found = by_column.get(0, [])
    singles = sum(len(r.text) == 1 and not r.text.isdigit() for r in found)
    return 0 if singles >= 3 and singles >= 0.75 * len(found) else None


class _Row:
    def __init__(self, line: int):
        self.line = line
        self.cells: dict[int, list[Run]] = {}
        self.spans: dict[int, int] = {}
        self.last: dict[int, Run] = {}       # column -> run on the row's latest line
        self.width = 0                       # most runs on one of its lines

    def add(self, runs: list[tuple[Run, int, int]]) -> None:
        self.last = {}
        self.width = max(self.width, len(runs))
        for run, col, span in runs:
            self.cells.setdefault(col, []).append(run)
            self.spans[col] = max(self.spans.get(col, 1), span)
            for c in range(col, col + span):
                self.last[c] = run


def _filled(upper: Run, col: int, columns: list[tuple[float, float]], wrapping: dict[int, float],
            settings: LayoutSettings) -> bool:
    """Did `upper` fill its column, so that its text may go on below? Either it runs from the
    column's left edge up to the gap before the next column (a wide character that does not
    fit leaves one column free; in the last column, up to its right edge), or it reaches the
    edge of a column where several runs do."""
    if col in wrapping and upper.x1 >= wrapping[col] - settings.full_slack:
        return True
    if upper.x0 > columns[col][0] + settings.full_slack:
        return False
    if col + 1 == len(columns):
        return upper.x1 >= columns[col][1] - settings.full_slack
    return upper.x1 >= columns[col + 1][0] - settings.min_gap - 1 - settings.full_slack


def _continues(row: _Row, placed: list[tuple[Run, int, int]], first: int, columns: list[tuple[float, float]],
               wrapping: dict[int, float], settings: LayoutSettings) -> bool:
    """Does this line continue the row above rather than start one?"""
    above = row.width
    if not all(col in row.last for _, col, _ in placed):
        return False
    if any(FIGURE_ONLY.fullmatch(run.text) and FIGURE_ONLY.fullmatch(row.last[col].text) for run, col, _ in placed):
        return False                                  # figures under figures: a row of its own
    if _item_wrapped(row, placed, first, columns, wrapping, settings):
        return True                                   # a cell of the item goes on: so does the rest of the line
    in_first = [(run, col, span) for run, col, span in placed if col == first]
    if not in_first and 2 * len(placed) <= above:
        return True                                   # a few cells of the row wrapped onto this line
    first_goes_on = False
    if in_first:                                      # the row's label wrapped: the rest of it is shorter
        run, col, span = in_first[0]
        upper = row.last[col]
        first_goes_on = _note(run, col, first) or (span == 1 and _filled(upper, col, columns, wrapping, settings)
                                                   and run.x1 < upper.x1 - settings.full_slack)
        if not first_goes_on:
            return False
    notes = 0
    for run, col, span in placed:
        if col == first:
            continue
        upper = row.last[col]
        note = _note(run, col, first)
        full = span == 1 and _filled(upper, col, columns, wrapping, settings)
        if not (note or full):
            return False
        notes += note
    return notes > 0 or len(placed) < above


def _item_wrapped(row: _Row, placed: list[tuple[Run, int, int]], first: int, columns: list[tuple[float, float]],
                  wrapping: dict[int, float], settings: LayoutSettings) -> bool:
    """Under an item whose first cell is its number (No. 8 | RPA・AI-OCRの活用による業務 | 公共施設マネ
    | …), a line with no number where a cell goes on from one that filled its column: that cell
    wrapped, and the others of the line with it."""
    numbered = [col for col in (first, first + 1)      # No. first, or after a column of policies
                if len(row.cells.get(col, ())) == 1 and ITEM_NUMBER.fullmatch(row.cells[col][0].text)]
    if not numbered or any(col == numbered[0] for _, col, _ in placed):
        return False
    wrapped = False
    for run, col, span in placed:
        upper = row.last[col]
        wrapped |= span == 1 and _filled(upper, col, columns, wrapping, settings) and run.x0 <= upper.x0 + settings.full_slack
    return wrapped


def _note(run: Run, col: int, first: int) -> bool:
    """A bracketed note such as （令和5年度） under a value; in the first column only when
    the whole run is in brackets (（１）防災 starts a section row)."""
    return run.text[0] in OPENERS and (col != first or run.text[-1] in CLOSERS)


def _wrapping(runs: list[Run], columns: list[tuple[float, float]], settings: LayoutSettings) -> dict[int, float]:
    """Columns whose text wraps, with their right edge: two or more runs reach that edge."""
    rights: dict[int, list[float]] = {}
    for run in runs:
        col, span = place(run, columns, 0.5)
        if span == 1:
            rights.setdefault(col, []).append(run.x1)
    out = {}
    for col, ends in rights.items():
        edge = max(ends)
        if edge - columns[col][0] >= settings.min_wrap_width and sum(end >= edge - settings.full_slack for end in ends) >= 2:
            out[col] = edge
    return out


def table_of(region: list[list[Run]], numbers: list[int], page: int, index: int,
             settings: LayoutSettings) -> Table | None:
    """Lines of runs -> a Table, or None when the runs do not stand in columns."""
    flat = [run for line in region for run in line]
    columns = merge_header_columns(flat, find_columns(flat, 0.5), 0.5)
    if len(columns) < 2 or not _is_table(flat, columns, settings):
        return None
    vertical = _vertical_column(flat, columns)
    first = next(c for c in range(len(columns)) if c != vertical)
    wrapping = _wrapping(flat, columns, settings)
    rows: list[_Row] = []
    chars: list[tuple[int, int, str]] = []             # (row, line, character) down the vertical column
    for offset, line in enumerate(region):
        placed = [(run, *place(run, columns, 0.5)) for run in line]
        upright = [item for item in placed if not _is_vertical(item, vertical)]
        if upright and not (rows and _continues(rows[-1], upright, first, columns, wrapping, settings)):
            rows.append(_Row(numbers[offset]))
        if not rows:
            rows.append(_Row(numbers[offset]))
        if upright:
            rows[-1].add(upright)
        chars += [(len(rows) - 1, offset, item[0].text) for item in placed if _is_vertical(item, vertical)]
    return _build(rows, _vertical_items(chars), vertical, len(columns), page, index)


def _is_vertical(item: tuple[Run, int, int], vertical: int | None) -> bool:
    run, col, span = item
    return col == vertical and span == 1 and len(run.text) == 1


def _vertical_items(chars: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """(first row, last row, text) of each item of vertical text: a new item after a line
    without a character (but for the space after a list marker: Ⅰ, blank, 多…), or at a list
    marker."""
    items: list[list] = []
    previous = -2
    for row, line, char in chars:
        gap = line != previous + 1
        after_marker = bool(items) and line == previous + 2 and len(items[-1][2]) == 1 and ITEM_START.match(items[-1][2])
        previous = line
        if not items or (gap and not after_marker) or ITEM_START.match(char):
            items.append([row, row, char])
        else:
            items[-1][1], items[-1][2] = row, items[-1][2] + char
    return [tuple(item) for item in items]


def _build(rows: list[_Row], items: list[tuple[int, int, str]], vertical: int | None, n_cols: int,
           page: int, index: int) -> Table:
    slots: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        for col, runs in row.cells.items():
            slots[(r, col)] = Cell(text="\n".join(run.text for run in runs), col_span=row.spans[col],
                                   line=min(run.line for run in runs))
    for first, last, text in items:
        slots[(first, vertical)] = Cell(text=text, row_span=last - first + 1, line=rows[first].line)
    covered: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        cells: list[Cell | None] = []
        for c in range(n_cols):
            if (r, c) in covered:
                cells.append(None)
                continue
            cell = slots.get((r, c)) or Cell(text="", line=row.line)
            cells.append(cell)
            covered |= {(r + dr, c + dc) for dr in range(cell.row_span) for dc in range(cell.col_span)} - {(r, c)}
        out.append(tuple(cells))
    return Table(rows=tuple(out), page=page, index=index)


def cut(text: str, column: float) -> tuple[str, str]:
    """A line split at a display column."""
    used = 0
    for index, char in enumerate(text):
        if used >= column:
            return text[:index], text[index:]
        used += width(char)
    return text, ""


def layout_blocks(lines: list[str], first_line: int, page: int, first_index: int,
                  settings: LayoutSettings | None = None) -> list:
    """Lines of one page (no tabs) -> Lines and Tables in reading order; `first_line` is the
    file line number of lines[0]. A page in two columns of prose is read column by column."""
    settings = settings or LayoutSettings()
    runs = [runs_of_line(text, first_line + k, settings.min_gap) for k, text in enumerate(lines)]
    gutter = None
    if settings.page_columns is not None:
        width_ = max((run.x1 for line in runs for run in line), default=0)
        gutter = find_gutter([run for line in runs for run in line], width_, settings.page_columns)
    if gutter is None:
        return _blocks(lines, runs, first_line, page, first_index, settings)
    middle = sum(gutter) / 2
    blocks: list = []
    for top, bottom, two in sections([run for line in runs for run in line], gutter):
        start = max(0, int(top) - first_line) if top != float("-inf") else 0
        end = min(len(lines), int(bottom) - first_line) if bottom != float("inf") else len(lines)
        if start >= end:
            continue
        part = lines[start:end]
        columns = [[cut(text, middle)[0] for text in part], [cut(text, middle)[1] for text in part]] if two else [part]
        for texts in columns:
            count = sum(isinstance(b, Table) for b in blocks)
            part_runs = [runs_of_line(text, first_line + start + k, settings.min_gap) for k, text in enumerate(texts)]
            blocks += _blocks(texts, part_runs, first_line + start, page, first_index + count, settings)
    return blocks


def _blocks(lines: list[str], runs: list[list[Run]], first_line: int, page: int, first_index: int,
            settings: LayoutSettings) -> list:
    blocks: list = []
    done = 0
    for start, end in _regions(runs, settings):
        table = table_of(runs[start:end + 1], [first_line + k for k in range(start, end + 1)], page,
                         first_index + sum(isinstance(b, Table) for b in blocks), settings)
        if table is None:
            continue
        blocks += _lines(lines[done:start], first_line + done, page)
        blocks.append(table)
        done = end + 1
    return blocks + _lines(lines[done:], first_line + done, page)


def _lines(texts: list[str], first_line: int, page: int) -> list[Line]:
    """The Lines of `texts`; a line cut at the page width goes on in the next one (see goes_on)."""
    lines: list[Line] = []
    previous = -2
    for k, text in enumerate(texts):
        text = text.strip()
        if not text:
            continue
        if k == previous + 1 and goes_on(lines[-1].text, text):
            lines[-1] = Line(text=lines[-1].text + text, page=page, line=lines[-1].line)
        else:
            lines.append(Line(text=text, page=page, line=first_line + k))
        previous = k
    return lines


CLOSERS_ALL = "）)」』】］]"


def goes_on(line: str, following: str) -> bool:
    """Is `following` the rest of `line`, cut where the text export wrapped it? It is when
    `line` leaves a bracket open that `following` closes ("…計画値（令和9年度〜令和13年度" +
    "）300人"), when `following` starts with a closing bracket, or when it is a unit alone
    after a number ("…計画値（令和13年度）8.3" + "分", "62人" + "/年")."""
    from keikaku.normalize import nfkc
    from keikaku.normalize.quantity import UNIT_WORD

    line, following = nfkc(line), nfkc(following)
    if following[0] in CLOSERS_ALL:
        return True
    if line.count("(") + line.count("「") > line.count(")") + line.count("」") and any(c in following for c in ")」"):
        return True
    unit = re.sub(r"\s*/\s*年度?$", "", following)          # "人/年", "/年"
    if not line[-1].isdigit() and not (unit == "" and UNIT_WORD.search(line[-3:])):
        return False
    return unit == "" or len(unit) <= 4 and bool(UNIT_WORD.fullmatch(unit))
