"""A list of measures printed as lines, as a PDF's text layer gives a ruled list whose cells
wrap: the list's header line (アクションプラン名 担当課 取組期間 目標・指標), then per measure its
numbered title, its department, its period (令和２年度 / ～ / 令和６年度) and its target phrases.

Each record is anchored on its period, the one part every row prints in the same shape; the
title is the numbered line before it, the department the lines just before the start year,
and the phrases run from the end year to the next record's title.
"""
from __future__ import annotations

import re

from keikaku.normalize import nfkc, read_years, year_spans

from ..context import Context
from ..ir import Block, Line
from keikaku.models import RawObservation

from ..names import DEPARTMENT_END, split_departments, split_number, strip_area_number
from .phrases import phrase_span, read_phrase

# label field -> list column, for the header line of a list printed as lines
LIST_FIELDS = {"policy": "policy", "area": "area", "title": "title", "department": "department",
               "period": "period", "indicator": "targets", "target": "targets", "actual": "actuals",
               "grade": "grade", "number": "number"}

RANGE_MARK = re.compile(r"^[～〜~]")
TITLE_MARK = re.compile(r"^\s*(?:[①-⑳㉑-㉟]|[○◯●◎])")
AREA_START = re.compile(r"^\s*(?:[（(][\d０-９]{1,2}[)）]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ](?:\s|$))")   # matched on the printed line
LOOK_BACK = 6           # a title and a department wrap over a few lines at most
MIN_DEPARTMENT = 3      # "課" alone is the tail of a wrapped name


def where(block: Block) -> dict:
    return {"bbox": block.bbox, "line": getattr(block, "line", None)}


def texts(blocks: list[Block], start: int) -> list[str]:
    """The run of lines from `start` (up to the next table)."""
    out = []
    for block in blocks[start:]:
        if not isinstance(block, Line):
            break
        out.append(block.text.strip())
    return out


def period_at(lines: list[str], k: int) -> tuple[str, str, int] | None:
    """(text before the start year, period text, index of the period's last line) when a period
    starts on line k: a 年度 ending the line, or "令和２年度～令和６年度" on it."""
    form = nfkc(lines[k])
    spans = [span for span in year_spans(form) if span.mention.year.fiscal]
    if not spans:
        return None
    start, rest = spans[0], form[spans[0].end:].strip()
    before = lines[k][:start.start].strip() if len(form) == len(lines[k]) else form[:start.start].strip()
    if rest and RANGE_MARK.match(rest) and len(read_years(rest)) == 1:
        return before, lines[k], k
    if rest:
        return None
    if k + 2 < len(lines) and RANGE_MARK.match(nfkc(lines[k + 1])) and read_years(lines[k + 2]):
        return before, " ".join(nfkc(line) for line in lines[k:k + 3]), k + 2
    if k + 1 < len(lines) and RANGE_MARK.match(nfkc(lines[k + 1])) and len(read_years(lines[k + 1])) == 1:
        return before, " ".join(nfkc(line) for line in lines[k:k + 2]), k + 1
    return None


def split_title_department(lines: list[str], before: str) -> tuple[str, list[str]]:
    """Title lines and the department after them: "③ＲＰＡ導入の推進 総務課", or wrapped lines
    "⑰地域力向上支援事 / 業 / 地域づくり / 課"."""
    if before:
        head, _, last = before.rpartition(" ")
        if DEPARTMENT_END.search(last):
            return "\n".join([*lines, head]).strip(), [last]
        lines = [*lines, before]
    # A wrapped cell fills every line but its last: take the latest split where both the
    # title's lines and the department's lines wrap that way.
    for split in range(len(lines) - 1, 0, -1):
        title, department = lines[:split], lines[split:]
        name = "".join(department)
        if (DEPARTMENT_END.search(name) and len(name) >= MIN_DEPARTMENT
                and _wraps(title) and _wraps(department)):
            return "\n".join(title), [name]
    return "\n".join(lines), []


def _wraps(lines: list[str]) -> bool:
    """All lines but the last are as long as the first (a cell wrapped at its width)."""
    return all(len(line) == len(lines[0]) for line in lines[:-1])


def is_list_header(text: str, ctx: Context) -> bool:
    fields = {LIST_FIELDS.get(ctx.labels.field(token) or "") for token in nfkc(text).split()}
    return "title" in fields and len(fields & {"department", "period", "targets"}) >= 2


class ListLinesRecognizer:
    name = "list_lines"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        if not is_list_header(blocks[index].text, ctx):
            return 0
        lines = texts(blocks, index + 1)
        position = 0
        while position < len(lines):
            position = self._skip_hierarchy(lines, position, ctx)
            record = self._record(lines, position)
            if record is None or record[0] - position > LOOK_BACK:
                break   # no record follows: the list has ended
            title_start, anchor, (before, period_text, period_end) = record
            title, departments = split_title_department(lines[title_start:anchor], before)
            phrase_end = self._phrase_end(lines, period_end + 1)
            number, title = split_number(title.replace("\n", ""))
            measure = ctx.add_measure(title, number=number, departments=[d for part in departments
                                                                            for d in split_departments(part)],
                                      period_text=period_text, page=blocks[index + 1 + anchor].page, source="list",
                                      **where(blocks[index + 1 + title_start]))
            for figure in read_phrase("\n".join(lines[period_end + 1:phrase_end])):
                ctx.observations.append(RawObservation(
                    measure_key=measure.key, indicator=figure.indicator, year_text=figure.year_text,
                    span=phrase_span(figure), kind=figure.kind, text=figure.text, page=blocks[index + 1 + anchor].page,
                    **where(blocks[min(index + 1 + period_end + 1, len(blocks) - 1)])))
            position = phrase_end
        return 1 + position

    def _record(self, lines: list[str], start: int) -> tuple[int, int, tuple] | None:
        """(title line, period line, period) of the next record at or after `start`: the next
        period, and the last numbered line before it as the title's first line."""
        for anchor in range(start, len(lines)):
            period = period_at(lines, anchor)
            if not period:
                continue
            marks = [j for j in range(max(start, anchor - LOOK_BACK), anchor + 1) if TITLE_MARK.match(lines[j])]
            return (marks[-1] if marks else anchor), anchor, period
        return None

    def _phrase_end(self, lines: list[str], start: int) -> int:
        """Where the phrases of a record stop: the next record's title, or a policy or area line."""
        following = self._record(lines, start)
        end = following[0] if following else len(lines)
        for position in range(start + 1, end):
            if AREA_START.match(lines[position]):
                return position
        return end

    def _skip_hierarchy(self, lines: list[str], start: int, ctx: Context) -> int:
        """Policy (Ⅰ …) and area ((1) …) cells printed before a title set the context."""
        position = start
        while position < len(lines) and AREA_START.match(lines[position]):
            end = position + 1
            while end < len(lines) and not TITLE_MARK.match(lines[end]) and not AREA_START.match(lines[end]):
                end += 1
            text = "".join(lines[position:end])
            if re.match(r"^\s*[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]", text):
                ctx.open_policy(split_number(text)[1])
            else:
                ctx.area = strip_area_number(text)
            position = end
        return position
