"""Pages set in two columns (magazine style, 広報 reports): find the gutter, so that the page
is read column by column and not across.

A gutter is a vertical strip near the middle of the page that no text run crosses, between
two columns of prose: on each side most runs are long (lines of text filling their column),
which is what tells a page of two text columns from a borderless table of two columns. Runs
that do cross the strip (a title or a heading over both columns, a footer) cut the page into
sections: each full-width section is read as it is, each two-column section left column first.
The same works on points (PDF words) and on display columns (layout text).
"""
from __future__ import annotations

from dataclasses import dataclass

from .columns import Run


@dataclass(frozen=True)
class PageColumnSettings:
    """When a page is two columns of text."""
    middle: tuple[float, float] = (0.3, 0.7)   # the gutter lies in this share of the page width
    min_gutter: float = 8.0                    # points (or display columns) of the gutter at least
    min_side_share: float = 0.2                # each side holds at least this share of the runs
    prose_share: float = 0.6                   # runs this wide (share of their column) are prose lines ...
    min_prose: float = 0.5                     # ... and at least this share of each side's lines are
    min_lines: int = 6                         # lines in the two-column part at least


def find_gutter(runs: list[Run], width: float, settings: PageColumnSettings) -> tuple[float, float] | None:
    """(x0, x1) of the gutter, or None when the page is not two columns of prose."""
    if len(runs) < 2 * settings.min_lines:
        return None
    low, high = settings.middle[0] * width, settings.middle[1] * width
    step = 1.0
    cells = int((high - low) / step) + 1
    crossing = [0] * cells
    for run in runs:
        first, last = max(0, int((run.x0 - low) / step)), min(cells - 1, int((run.x1 - low) / step))
        for cell in range(first, last + 1):
            crossing[cell] += 1
    allowed = max(2, len(runs) // 10)                # titles, headings, footers over both columns
    best: tuple[float, float] | None = None
    start = None
    for cell in range(cells + 1):
        free = cell < cells and crossing[cell] <= allowed
        if free and start is None:
            start = cell
        if not free and start is not None:
            if (cell - start) * step >= settings.min_gutter and (best is None or cell - start > (best[1] - best[0]) / step):
                best = (low + start * step, low + cell * step)
            start = None
    if best is None or not _prose_on_both_sides(runs, best, width, settings):
        return None
    return best


def _prose_on_both_sides(runs: list[Run], gutter: tuple[float, float], width: float,
                         settings: PageColumnSettings) -> bool:
    left = [r for r in runs if r.x1 <= gutter[0]]
    right = [r for r in runs if r.x0 >= gutter[1]]
    if min(len(left), len(right)) < max(settings.min_lines, settings.min_side_share * len(runs)):
        return False
    for side in (left, right):
        x0, x1 = min(r.x0 for r in side), max(r.x1 for r in side)
        lines: dict[int, bool] = {}
        for run in side:                              # lines by rounded top: a table row is one line
            key = round(run.top / 2)
            lines[key] = lines.get(key, False) or run.x1 - run.x0 >= settings.prose_share * (x1 - x0)
        if sum(lines.values()) < settings.min_prose * len(lines):
            return False
    return True


def sections(runs: list[Run], gutter: tuple[float, float]) -> list[tuple[float, float, bool]]:
    """(top, bottom, two_columns) bands of the page, top to bottom: a band of runs crossing the
    gutter is read across, the bands between them column by column."""
    across = sorted((r.top, r.bottom) for r in runs if r.x0 < gutter[1] and r.x1 > gutter[0])
    out: list[tuple[float, float, bool]] = []
    cursor = float("-inf")
    for top, bottom in across:
        if top > cursor:
            out.append((cursor, top, True))
        if out and not out[-1][2]:
            out[-1] = (out[-1][0], max(out[-1][1], bottom), False)
        else:
            out.append((top, bottom, False))
        cursor = max(cursor, bottom)
    out.append((cursor, float("inf"), True))
    return [band for band in out if band[1] > band[0]]
