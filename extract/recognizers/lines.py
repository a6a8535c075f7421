"""Recognizers over lines of text: numbered section headings and KPI blocks printed as lines.

Headings follow the document's own numbering: "目標６ みんなでともにつくるまち" opens a
policy, "６-１ 協働によるまちづくり" a measure. A KPI block is an indicator line followed by
lines that each start with a year and its kind: "R4現状値 28,635", "R9目標値 28,785".
"""
from __future__ import annotations

import re

from keikaku.models import RawObservation
from normalize import nfkc, parse_quantity, read_years

from ..context import Context
from ..ir import Block, Line

MAX_HEADING = 40
# (what the heading opens, pattern on the NFKC line). Data, not code: add a city's form here.
HEADINGS: tuple[tuple[str, re.Pattern], ...] = (
    ("policy", re.compile(r"^(?:第\s*\d+\s*[章節]\s*)?(?:基本目標|目標|政策|基本方針)\s*(?P<number>\d+)\s*[.:：]?\s+(?P<title>\S.*)$")),
    ("measure", re.compile(r"^(?:施策\s*)?(?P<number>\d{1,2}\s*[-‐―ー]\s*\d{1,2})\s+(?P<title>\S.*)$")),
    ("area", re.compile(r"^(?:実施項目|推進項目|施策)\s*(?P<number>[\dIVX]+)\s+(?P<title>\S.*)$")),
)
# "【担当：財政課・スポーツ振興課】": the department of the measure just opened
DEPARTMENT_LINE = re.compile(r"【\s*(?:担当|担当課|主管課|所管課|担当部署)\s*[:：]\s*(?P<names>[^】]+)】")
KPI_LINE = re.compile(r"^(?P<head>\S{2,16}?)\s+(?P<value>\S.*)$")
UNIT_SUFFIX = re.compile(r"[（(](?P<unit>[^（）()]{1,8})[）)]\s*$")


class HeadingRecognizer:
    name = "heading"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        line = blocks[index]
        text = nfkc(line.text).strip()
        if len(text) > MAX_HEADING + 10 or text.endswith("。"):
            return 0
        for opens, pattern in HEADINGS:
            match = pattern.match(text)
            if not match or len(match.group("title")) > MAX_HEADING:
                continue
            title = _printed_tail(line.text, match.group("title"))
            if opens == "policy":
                ctx.policy, ctx.area = title, None
            elif opens == "area":
                ctx.area = title
            else:
                number = re.sub(r"\s+", "", match.group("number"))
                ctx.add_measure(title, number=number, page=line.page, source="heading")
            return 1
        return 0


def _printed_tail(printed: str, normalized_tail: str) -> str:
    """The printed form of the end of a line whose NFKC form ends with `normalized_tail`."""
    printed = printed.strip()
    for start in range(len(printed)):
        if nfkc(printed[start:]).strip() == normalized_tail.strip():
            return printed[start:].strip()
    return normalized_tail.strip()


def kpi_value_line(line: Block, ctx: Context) -> tuple[str, str, str | None, str] | None:
    """"R4現状値　28,635" -> (year text, kind, era, value text), or None."""
    if not isinstance(line, Line):
        return None
    match = KPI_LINE.match(line.text.strip().replace("\u3000", " "))
    if not match:
        return None
    head = match.group("head")
    years = read_years(head, era=ctx.era)
    kind = ctx.labels.kind_in(head, header=True)
    value = match.group("value").strip()
    if len(years) != 1 or kind is None or parse_quantity(value).value is None:
        return None  # a KPI line prints a figure; "（基準）平成28年度 空調システム最適化前" is a caption
    return head, kind, years[0].era, value


class KpiLinesRecognizer:
    name = "kpi_lines"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        label = blocks[index]
        if kpi_value_line(label, ctx) is not None:
            return 0
        values = []
        for block in blocks[index + 1:]:
            found = kpi_value_line(block, ctx)
            if found is None:
                break
            values.append((block, found))
        if not values:
            return 0
        unit = UNIT_SUFFIX.search(nfkc(label.text))
        for block, (year_text, kind, era, value) in values:
            ctx.observations.append(RawObservation(
                measure_key=ctx.measure_key, indicator=label.text.strip(), year_text=year_text, era_hint=era,
                kind=kind, text=value, unit_hint=unit.group("unit") if unit else None,
                page=block.page, bbox=block.bbox))
        return 1 + len(values)


class DepartmentLineRecognizer:
    """A line naming the department of the measure just opened: "（第4次から継続） 【担当：総務課】"."""
    name = "department_line"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        match = DEPARTMENT_LINE.search(nfkc(blocks[index].text))
        measure = next((m for m in reversed(ctx.measures) if m.key == ctx.measure_key), None)
        if not match or measure is None or measure.departments:
            return 0
        measure.departments = [name for name in re.split(r"[・、,，/\s]+", match.group("names")) if name]
        return 1
