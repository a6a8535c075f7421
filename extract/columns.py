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
    top: float = 0.0
    bottom: float = 0.0


def _overlaps(a0: float, a1: float, b0: float, b1: float, eps: float) -> bool:
    return min(a1, b1) - max(a0, b0) > eps


def bridging(runs: list[Run], eps: float) -> set[int]:
    """Indexes of runs that overlap two or more runs of some other line."""
    by_line: dict[int, list[Run]] = {}
    for run in runs:
        by_line.setdefault(run.line, []).append(run)
    out = set()
    for index, run in enumerate(runs):
        for line, others in by_line.items():
            if line == run.line or len(others) < 2:
                continue
            if sum(_overlaps(run.x0, run.x1, o.x0, o.x1, eps) for o in others) >= 2:
                out.add(index)
                break
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
