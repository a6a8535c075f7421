"""Baseline and target printed as one arrow: "1,234人（R5）→1,500人（R11）", in a line
("○保育所待機児童数：12人（R5）→0人（R11）") or in a table cell (read by the interpreter).
The figure before the arrow is the baseline of its year, the one after it the target."""
from __future__ import annotations

import re
from dataclasses import dataclass

from keikaku.models import RawObservation
from keikaku.normalize import nfkc, parse_quantity, year_spans

from ..context import Context
from ..ir import Block

ARROWS = "→⇒➡"
LABEL_TRIM = re.compile(r"^[\s○◯●・①-⑳]+|[\s:：]+$")
BRACKET = re.compile(r"[（(](?P<inner>[^（）()]{1,24})[）)]")
LAST_FIGURE = re.compile(r"[▲△\-]?\d[\d,.]*(?:[兆億万千]\d[\d,.]*)*[^\s\d:：]*\s*$")   # 2,387億8,597万円
FIRST_FIGURE = re.compile(r"[▲△\-]?\d[\d,.]*\S*")


@dataclass(frozen=True)
class Arrow:
    label: str          # the words before the first figure (indicator, maybe a kind: "参加者数 基準値")
    base: str
    base_year: str
    goal: str
    goal_year: str
    base_words: str = ""   # words beside each figure ("基準値", "計画値"): they may name its kind
    goal_words: str = ""


def bracketed_year(part: str, last: bool) -> tuple[int, int, str] | None:
    """(start, end, year text) of a bracket holding a year in `part` (NFKC): the last such bracket,
    or the first. A bracket holding a period ("（R6年度〜R10年度）") gives it whole (normalize
    counts a per-year target in each of its years, anything else at its end)."""
    found = [(m.start(), m.end(), m.group("inner"), spans) for m in BRACKET.finditer(part)
             if (spans := year_spans(m.group("inner")))]
    if not found:
        return None
    start, end, inner, spans = found[-1] if last else found[0]
    return start, end, inner[spans[0].start:spans[-1].end]


def arrow_in(text: str) -> Arrow | None:
    """"○待機児童数：12人（R5）→0人（R11）", "出生率 基準値（R5年度）1.41 → 計画値（R10年度）1.51":
    the label, both figures and both years; None when either side lacks its figure or year."""
    form = nfkc(text)
    cut = next((i for i, char in enumerate(form) if char in ARROWS), None)
    if cut is None:
        return None
    left, right = form[:cut], form[cut + 1:]
    base_year, goal_year = bracketed_year(left, last=True), bracketed_year(right, last=False)
    if not base_year or not goal_year:
        return None
    left_rest = (left[:base_year[0]] + " " + left[base_year[1]:]).rstrip()
    right_rest = right[:goal_year[0]] + " " + right[goal_year[1]:]
    base, goal = LAST_FIGURE.search(left_rest), FIRST_FIGURE.search(right_rest)
    if not base or not goal or parse_quantity(base.group().strip()).value is None \
            or parse_quantity(goal.group()).value is None:
        return None
    label = LABEL_TRIM.sub("", left_rest[:base.start()])
    return Arrow(label, base.group().strip(), base_year[2], goal.group(), goal_year[2],
                 base_words=label, goal_words=right_rest[:goal.start()].strip(" :："))


def arrow_kinds(arrow: Arrow, ctx: Context) -> tuple[str, str]:
    """The kinds of both sides: what the words beside each figure name, else baseline → target."""
    base = ctx.labels.kind_in(arrow.base_words, header=True) if arrow.base_words else None
    goal = ctx.labels.kind_in(arrow.goal_words, header=True) if arrow.goal_words else None
    return base or "baseline", goal or "target"


def arrow_label(arrow: Arrow, ctx: Context) -> str | None:
    """The indicator: the label without the kind word at its end ("参加者数 基準値" -> "参加者数")."""
    words = arrow.label.split()
    if len(words) > 1 and ctx.labels.field(words[-1]) in ("target", "actual", "baseline"):
        words = words[:-1]
    return " ".join(words) or None


def add_arrow(ctx: Context, arrow: Arrow, indicator: str | None, line: Block) -> None:
    base_kind, goal_kind = arrow_kinds(arrow, ctx)
    for figure, year, kind in ((arrow.base, arrow.base_year, base_kind), (arrow.goal, arrow.goal_year, goal_kind)):
        ctx.observations.append(RawObservation(measure_key=ctx.owner(), indicator=indicator, year_text=year,
                                               kind=kind, text=figure, page=line.page, bbox=line.bbox,
                                               line=getattr(line, "line", None)))


class ArrowLineRecognizer:
    name = "arrow_line"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        arrow = arrow_in(blocks[index].text)
        if not arrow:
            return 0
        add_arrow(ctx, arrow, arrow_label(arrow, ctx), blocks[index])
        return 1
