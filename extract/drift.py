"""Rows of a text export that drifted from their header.

Excel and pdftotext drop empty cells, so a row drifts left of its header, and not by the same
amount everywhere. Each anchor column (number, department, grade) is found where its kind of
cell stands nearest; every column moves with the nearest anchor on its left.
"""
from __future__ import annotations

import re

from keikaku.normalize import nfkc

from .ir import Cell, Table


def cell_text(row: tuple, index: int) -> str:
    cell = row[index] if 0 <= index < len(row) else None
    return cell.text.strip() if cell and cell.text else ""


GRADE_MARK = re.compile(r"[SABCDE][+-]?|[◎○〇△×]")


# Cells whose kind is plain from their text: a row whose cells drifted is re-anchored on them.
ANCHOR_TYPES = {
    "number": lambda text: bool(re.fullmatch(r"[0-9０-９]{1,3}", text)),
    "department": lambda text: "【" in text or bool(re.search(r"[^\s・●、]課(?:\s|$|・|、|】)", text)),
    "grade": lambda text: bool(GRADE_MARK.fullmatch(nfkc(text).strip())),
}
MAX_DRIFT = 3


def _nearest(row: tuple, expected: int, kind: str) -> int | None:
    for drift in sorted(range(-MAX_DRIFT, MAX_DRIFT + 1), key=abs):
        column = expected + drift
        if 0 <= column < len(row) and ANCHOR_TYPES[kind](cell_text(row, column)):
            return column
    return None


def drifted_title(row: tuple, at: dict[str, int]) -> str:
    """Where a drifted row left the department in the title column: the cell of words between
    the row's number and its department, as printed."""
    department = _nearest(row, at["department"], "department") if "department" in at else None
    if department is None:
        return ""
    number = _nearest(row, at["number"], "number") if "number" in at else None
    for column in range(department - 1, number if number is not None else -1, -1):
        text = cell_text(row, column)
        if text and not ANCHOR_TYPES["number"](text) and not ANCHOR_TYPES["department"](text):
            return text
    return ""


def drifted_grade(row: tuple, column: int) -> str | None:
    """A grade that drifted beyond realign()'s reach stands a column or two aside."""
    for near in (column, column - 1, column + 1, column - 2):
        grade = nfkc(cell_text(row, near)).strip() if near >= 0 else ""
        if GRADE_MARK.fullmatch(grade):
            return grade
    return None


def realign(row: tuple, at: dict[str, int]) -> tuple:
    """The row with its cells moved back under their header (see the module docstring)."""
    offsets: dict[int, int] = {}
    for field, check in ANCHOR_TYPES.items():
        if field not in at or check(cell_text(row, at[field])):
            continue
        for drift in sorted(range(-MAX_DRIFT, MAX_DRIFT + 1), key=abs):
            column = at[field] + drift
            if drift and 0 <= column < len(row) and check(cell_text(row, column)):
                offsets[at[field]] = drift
                break
    if not offsets:
        return row
    width = max(len(row), max(at.values()) + 1)
    moved = []
    for column in range(width):
        anchors = [anchor for anchor in (*offsets, *(c for f, c in at.items() if f in ANCHOR_TYPES)) if anchor <= column]
        drift = offsets.get(max(anchors), 0) if anchors else 0
        source = column + drift
        moved.append(row[source] if 0 <= source < len(row) else None)
    return tuple(moved)


def realign_table(table: Table, at: dict[str, int], start: int) -> Table:
    """The table with every row from `start` on realigned to the anchor columns `at`."""
    rows = list(table.rows)
    for index in range(start, len(rows)):
        rows[index] = realign(rows[index], at)
    width = max((len(row) for row in rows), default=0)
    rows = [tuple(row) + (Cell(""),) * (width - len(row)) for row in rows]
    return Table(tuple(rows), table.page, table.index, table.bbox)
