"""Baseline and target printed as one arrow: "1,234人（R5）→1,500人（R11）", in a line
("○保育所待機児童数：12人（R5）→0人（R11）") or in a table cell beside the indicator.
The figure before the arrow is the baseline of its year, the one after it the target."""
from __future__ import annotations

import re

from keikaku.models import RawObservation
from normalize import nfkc, parse_quantity, read_years

from ..context import Context
from ..ir import Block, Table
from .grid import cell_text

YEAR_IN_BRACKETS = r"[（(]\s*(?P<{name}>(?:令和|平成|R|H)\s*(?:\d{{1,2}}|元)\s*(?:年度|年)?|(?:19|20)\d{{2}}\s*(?:年度|年)?)\s*[）)]"
ARROW = re.compile(
    r"(?P<before>[^→⇒➡]*?)(?P<base>[▲△\-]?[\d,.]+[^\d\s（(→⇒➡]*)\s*" + YEAR_IN_BRACKETS.format(name="base_year")
    + r"\s*[→⇒➡]\s*(?P<goal>[▲△\-]?[\d,.]+[^\d\s（(→⇒➡]*)\s*" + YEAR_IN_BRACKETS.format(name="goal_year"))
LABEL_TRIM = re.compile(r"^[\s○◯●・①-⑳]+|[\s:：]+$")


def arrow_in(text: str) -> re.Match | None:
    match = ARROW.search(nfkc(text))
    if match and read_years(match.group("base_year")) and read_years(match.group("goal_year")) \
            and parse_quantity(match.group("base")).value is not None and parse_quantity(match.group("goal")).value is not None:
        return match
    return None


def add_arrow(ctx: Context, match: re.Match, indicator: str | None, page: int) -> None:
    for figure, year, kind in ((match.group("base"), match.group("base_year"), "baseline"),
                               (match.group("goal"), match.group("goal_year"), "target")):
        ctx.observations.append(RawObservation(measure_key=ctx.measure_key, indicator=indicator, year_text=year,
                                               kind=kind, text=figure, page=page))


class ArrowLineRecognizer:
    name = "arrow_line"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        match = arrow_in(blocks[index].text)
        if not match:
            return 0
        label = LABEL_TRIM.sub("", match.group("before")) or None
        add_arrow(ctx, match, label, blocks[index].page)
        return 1


class ArrowTableRecognizer:
    """A table whose cells hold arrows: each row's first cell of words names the indicator."""
    name = "arrow_table"

    def claim(self, table: Table, ctx: Context) -> float:
        return 0.8 if any(arrow_in(cell.text) for row in table.rows for cell in row if cell and cell.text) else 0.0

    def read(self, table: Table, ctx: Context) -> None:
        for row in table.rows:
            label = next((cell_text(row, i) for i in range(len(row))
                          if cell_text(row, i) and not arrow_in(cell_text(row, i))), None)
            for index in range(len(row)):
                match = arrow_in(cell_text(row, index))
                if match:
                    own = LABEL_TRIM.sub("", match.group("before"))
                    add_arrow(ctx, match, own or label, table.page)
