"""KPI cards: a small table per indicator whose rows are labelled by kind and whose cells
hold a figure with its year, as 総合計画 KPI pages often print them:

    指標   | 市民活動団体数
    現状値 | 184団体（R4）
    目標値 | 220団体（R9）
"""
from __future__ import annotations

import re

from keikaku.models import RawObservation
from normalize import nfkc, parse_quantity, read_years

from ..context import Context
from ..ir import Table
from .grid import cell_text

KINDS = ("target", "actual", "baseline")
# "184団体（R4）", "（R4）184団体", "R4：184団体", "184団体（令和4年度）"
YEAR_BRACKET = re.compile(r"[（(]\s*(?P<year>[^（）()]{1,12}?)\s*[）)]")
YEAR_PREFIX = re.compile(r"^\s*(?P<year>(?:令和|平成|R|H)\s*(?:\d{1,2}|元)\s*(?:年度|年)?|(?:19|20)\d{2}\s*(?:年度|年)?)\s*[:：]\s*")


def figure_and_year(text: str) -> tuple[str, str] | None:
    """(figure, year text) of a cell holding both, or None."""
    text = nfkc(text).strip()
    prefix = YEAR_PREFIX.match(text)
    if prefix and read_years(prefix.group("year")):
        figure = text[prefix.end():]
        return (figure, prefix.group("year")) if parse_quantity(figure).value is not None else None
    for match in YEAR_BRACKET.finditer(text):
        if read_years(match.group("year")) and len(read_years(match.group("year"))) == 1:
            figure = (text[:match.start()] + text[match.end():]).strip()
            if parse_quantity(figure).value is not None:
                return figure, match.group("year")
    return None


class KpiCardRecognizer:
    name = "kpi_card"

    def _rows(self, table: Table, ctx: Context):
        for row in table.rows:
            label = cell_text(row, 0)
            field = ctx.labels.field(label)
            value = " ".join(cell_text(row, i) for i in range(1, len(row)) if cell_text(row, i))
            yield field, label, value

    def claim(self, table: Table, ctx: Context) -> float:
        kinds = [value for field, _, value in self._rows(table, ctx) if field in KINDS and figure_and_year(value)]
        return 1.5 if kinds else 0.0

    def read(self, table: Table, ctx: Context) -> None:
        indicator = None
        for field, _label, value in self._rows(table, ctx):
            if field == "indicator":
                indicator = value or indicator
            elif field in KINDS:
                found = figure_and_year(value)
                if found:
                    ctx.observations.append(RawObservation(
                        measure_key=ctx.measure_key, indicator=indicator, year_text=found[1], kind=field,
                        text=found[0], page=table.page))
