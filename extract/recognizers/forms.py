"""Tables a plan prints per measure (a "sheet" or form): label cells beside their values
(基本方針 / 項目 / 主な取組み / 主管課 …), usually with a year grid at the bottom.

Claimed by its labels: a title label and one more field of the hierarchy. Labels may stand
in their own cell ("主管課 | 納税課") or share one with the value ("基本方針1 財源確保…").
"""
from __future__ import annotations

import re

from ..context import Context
from ..ir import Cell, Table
from .grid import GridReader

FORM_FIELDS = ("policy", "area", "title", "department", "period")
LEADING_NUMBER = re.compile(r"^\s*(?:第\s*|№\s*|No\.?\s*)?[（(]?\s*(?P<number>[0-9０-９]+|[①-⑳㉑-㉟㊱-㊿]|[IVXⅠ-Ⅻ]+)\s*[.．、:：)）]?\s*")
# an area keeps a circled number as printed ("①税収確保…"); "(1)" and roman numerals are numbering
AREA_NUMBER = re.compile(r"^\s*(?:[（(]\s*[0-9０-９]+\s*[)）]|[IVXⅠ-Ⅻ]+(?=[\s　.．]))\s*")
DEPARTMENT_SEPARATORS = re.compile(r"[、,，・●/／\s]+")


def label_value_pairs(row: tuple[Cell | None, ...], ctx: Context) -> list[tuple[str, str]]:
    """(field, value) pairs of one row: each label cell takes the cells after it up to the next label."""
    cells = [cell.text.strip() for cell in row if cell and cell.text and cell.text.strip()]
    pairs: list[tuple[str, str]] = []
    current: tuple[str, list[str]] | None = None
    for text in cells:
        field = ctx.labels.field(text)
        inline = None if field else ctx.labels.field_prefix(text)
        if field or inline:
            if current:
                pairs.append((current[0], " ".join(current[1])))
            current = (field, []) if field else (inline[0], [inline[1]] if inline[1] else [])
        elif current:
            current[1].append(text)
    if current:
        pairs.append((current[0], " ".join(current[1])))
    return pairs


def split_number(text: str) -> tuple[str | None, str]:
    """"1 財源確保…" -> ("1", "財源確保…"); text without a leading number is returned whole."""
    match = LEADING_NUMBER.match(text)
    if match and match.end() < len(text):
        return match.group("number"), text[match.end():].strip()
    return None, text.strip()


def strip_area_number(text: str | None) -> str | None:
    return AREA_NUMBER.sub("", text).strip() if text else text


DEPARTMENT_END = re.compile(r"(?:課|室|局|センター|事務所|部|係|委員会|支所|所)$")


def split_departments(text: str) -> list[str]:
    """"財政課・スポーツ振興課" -> two; a name wrapped in its cell ("地域づくり\n課") stays one:
    a line break separates names only where the line ends like a department."""
    sections = re.split(r"【[^】]*】", text)
    if len(sections) > 1:               # "【取組主管課】・財政課【関係課等】…": the leading section
        text = next((part for part in sections[1:] if part.strip(" ・●\n")), "")
    names, pending = [], ""
    for line in text.strip("【】[]（）()").split("\n"):
        pending += line.strip()
        if DEPARTMENT_END.search(pending) or not line.strip():
            names.append(pending)
            pending = ""
    names.append(pending)
    return [part for name in names for part in DEPARTMENT_SEPARATORS.split(name) if part]


class FormRecognizer:
    name = "form"

    def claim(self, table: Table, ctx: Context) -> float:
        for row in table.rows[:2]:
            labels = [cell for cell in row if cell and ctx.labels.field(cell.text) in FORM_FIELDS + ("number",)]
            if len(labels) >= 3:
                return 0.0   # a row of three column labels heads a list, not a form
        fields = {field for row in table.rows for field, value in label_value_pairs(row, ctx) if value}
        if "title" in fields and fields & {"policy", "area", "department", "period", "indicator", "target"}:
            return 3.0
        if "title" in fields and table.n_rows <= 2:
            return 3.0   # a title bar: "取組項目 №1 | 審議会等の見直し"
        return 0.0

    def read(self, table: Table, ctx: Context) -> None:
        values: dict[str, str] = {}
        for row in table.rows:
            for field, value in label_value_pairs(row, ctx):
                if field in FORM_FIELDS and value and field not in values:
                    values[field] = value
        if "policy" in values:
            ctx.policy = split_number(values["policy"])[1]
            ctx.area = None
        if "area" in values:
            ctx.area = strip_area_number(values["area"])
        number, title = split_number(values.get("title", ""))
        if title:
            ctx.add_measure(title, number=number, departments=split_departments(values.get("department", "")),
                            period_text=values.get("period"), page=table.page, source="form")
        reader = GridReader(ctx)
        for row in table.rows:
            reader.row(row, table.page, ctx.measure_key)
