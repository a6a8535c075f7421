"""Columns of a borderless table from the horizontal extents of its text runs.

Shared by the PDF reader (extents in points) and the layout-text reader (extents in
display columns, a wide character counting two). The idea is the one of Nurminen's
"text edges" (tabula's guess mode) and camelot's stream mode, without their need for a
mode of words per row: a column is a stretch of x covered by runs that do not bridge
two runs of another line; a run that does bridge them (a header centred over year
columns, an `A→B` cell over two columns, a section row) spans those columns instead of
gluing them together.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text on one line with no column gap inside it."""
    text: str
    x0: float
    x1: float
    line: int                 # index of its text line in the region
    top: float = 0.0          # vertical extent: points in a PDF, (line, line + 1) in text
    bottom: float = 0.0


def _overlaps(a0: float, a1: float, b0: float, b1: float, eps: float) -> bool:
    return min(a1, b1) - max(a0, b0) > eps


def bridging(runs: list[Run], eps: float) -> set[int]:
    """Indexes of runs that overlap two runs standing side by side (horizontally apart,
    vertically overlapping: on one line, or cells of one row printed at slightly different
    heights)."""
    out = set()
    for index, run in enumerate(runs):
        under = [o for o in runs if o is not run and o.line != run.line and _overlaps(run.x0, run.x1, o.x0, o.x1, eps)]
        if any(a.x1 <= b.x0 + eps and min(a.bottom, b.bottom) - max(a.top, b.top) > 0
               for a in under for b in under if a is not b):
            out.add(index)
    return out


def find_columns(runs: list[Run], eps: float) -> list[tuple[float, float]]:
    """Column x-ranges, left to right: the union of the extents of runs that bridge nothing."""
    skip = bridging(runs, eps)
    spans = sorted((r.x0, r.x1) for i, r in enumerate(runs) if i not in skip)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 < columns[-1][1] + eps:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def place(run: Run, columns: list[tuple[float, float]], eps: float) -> tuple[int, int]:
    """(first column, number of columns) a run covers; a run in no column goes to the nearest."""
    hit = [i for i, (a, b) in enumerate(columns) if _overlaps(run.x0, run.x1, a, b, eps)]
    if not hit:
        middle = (run.x0 + run.x1) / 2
        nearest = min(range(len(columns)), key=lambda i: min(abs(columns[i][0] - middle), abs(columns[i][1] - middle)))
        return nearest, 1
    return hit[0], hit[-1] - hit[0] + 1


def boundaries(columns: list[tuple[float, float]]) -> list[float]:
    """Cell edges between the columns: the middle of each gap, plus the outer edges."""
    edges = [columns[0][0]]
    edges += [(left[1] + right[0]) / 2 for left, right in zip(columns, columns[1:])]
    edges.append(columns[-1][1])
    return edges


def merge_header_columns(runs: list[Run], columns: list[tuple[float, float]], eps: float) -> list[tuple[float, float]]:
    """Join a column whose runs all stand above those of its neighbour with that neighbour: a
    header centred or left-aligned over right-aligned figures that it does not overlap
    (Nurminen's point that a column may be aligned left, right or centre, and its header
    another way). Which neighbour: the pairing that joins the most columns (headers
    left-aligned over right-aligned figures pair each header with the figures on its right,
    even when the next header stands closer to them)."""
    columns = list(columns)
    while True:
        extents = _vertical_extents(runs, columns, eps)
        pairs = _most_pairs([_stacked(extents[i], extents[i + 1]) for i in range(len(columns) - 1)])
        if not pairs:
            return columns
        for left in sorted(pairs, reverse=True):
            columns[left:left + 2] = [(min(columns[left][0], columns[left + 1][0]),
                                       max(columns[left][1], columns[left + 1][1]))]


def _stacked(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool:
    return a is not None and b is not None and (a[1] <= b[0] or b[1] <= a[0])


def _most_pairs(edges: list[bool]) -> list[int]:
    """Left indexes of the largest set of neighbour pairs (edges[i]: columns i and i + 1 may
    join) sharing no column: a maximum matching on a path."""
    best = [0] * (len(edges) + 2)                  # best[i]: pairs among the first i columns
    for i in range(2, len(edges) + 2):
        best[i] = max(best[i - 1], best[i - 2] + 1 if edges[i - 2] else 0)
    out, i = [], len(edges) + 1
    while i >= 2:
        if edges[i - 2] and best[i] == best[i - 2] + 1:
            out.append(i - 2)
            i -= 2
        else:
            i -= 1
    return out


def _vertical_extents(runs: list[Run], columns: list[tuple[float, float]], eps: float) -> list[tuple[float, float] | None]:
    """(highest top, lowest bottom) of the runs standing in each single column."""
    out: list[tuple[float, float] | None] = [None] * len(columns)
    for run in runs:
        col, span = place(run, columns, eps)
        if span != 1:
            continue
        now = out[col]
        out[col] = (run.top, run.bottom) if now is None else (min(now[0], run.top), max(now[1], run.bottom))
    return out
