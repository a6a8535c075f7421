"""Baseline and target printed as one arrow: "1,234人（R5）→1,500人（R11）", in a line
("○保育所待機児童数：12人（R5）→0人（R11）") or in a table cell (read by the interpreter).
The figure before the arrow is the baseline of its year, the one after it the target."""
from __future__ import annotations

import re
from dataclasses import dataclass

from keikaku.models import RawObservation
from normalize import figures_in, nfkc, parse_quantity, year_spans

from ..context import Context
from ..ir import Block

ARROWS = "→⇒➡"
LABEL_TRIM = re.compile(r"^[\s○◯●・①-⑳]+|[\s:：]+$")


@dataclass(frozen=True)
class Arrow:
    label: str
    base: str
    base_year: str
    goal: str
    goal_year: str


def bracketed_year(part: str, last: bool) -> tuple[int, int, str] | None:
    """(start, end, year text) of a year in brackets in `part` (NFKC): the last one, or the first."""
    spans = [span for span in year_spans(part)
             if part[:span.start].rstrip().endswith(("(", "（")) and part[span.end:].lstrip().startswith((")", "）"))]
    if not spans:
        return None
    span = spans[-1] if last else spans[0]
    return part.rindex("(", 0, span.start), part.index(")", span.end) + 1, span.text


def arrow_in(text: str) -> Arrow | None:
    """"○待機児童数：12人（R5）→0人（R11）" -> the label, both figures and both years."""
    form = nfkc(text)
    cut = next((i for i, char in enumerate(form) if char in ARROWS), None)
    if cut is None:
        return None
    left, right = form[:cut], form[cut + 1:]
    base_year, goal_year = bracketed_year(left, last=True), bracketed_year(right, last=False)
    if not base_year or not goal_year:
        return None
    figures = figures_in(left[:base_year[0]])
    goal = right[:goal_year[0]].strip()
    if not figures or parse_quantity(goal).value is None:
        return None
    return Arrow(LABEL_TRIM.sub("", figures[-1].label), figures[-1].text, base_year[2], goal, goal_year[2])


def add_arrow(ctx: Context, arrow: Arrow, indicator: str | None, line: Block) -> None:
    for figure, year, kind in ((arrow.base, arrow.base_year, "baseline"), (arrow.goal, arrow.goal_year, "target")):
        ctx.observations.append(RawObservation(measure_key=ctx.owner(), indicator=indicator, year_text=year,
                                               kind=kind, text=figure, page=line.page, bbox=line.bbox,
                                               line=getattr(line, "line", None)))


class ArrowLineRecognizer:
    name = "arrow_line"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        arrow = arrow_in(blocks[index].text)
        if not arrow:
            return 0
        add_arrow(ctx, arrow, arrow.label or None, blocks[index])
        return 1
