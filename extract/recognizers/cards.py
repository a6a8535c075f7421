"""KPI cards: a small table per indicator whose rows are labelled by kind and whose cells
hold a figure with its year, as 総合計画 KPI pages often print them:

    指標   | 市民活動団体数
    現状値 | 184団体（R4）
    目標値 | 220団体（R9）
"""
from __future__ import annotations

from keikaku.models import RawObservation
from normalize import nfkc, parse_quantity, year_spans

from ..context import Context
from ..ir import Table
from .grid import cell_text

KINDS = ("target", "actual", "baseline")


def figure_and_year(text: str) -> tuple[str, str] | None:
    """(figure, year text) of a cell holding both: "184団体（R4）", "（R4）184団体", "R4：184団体"."""
    form = nfkc(text).strip()
    spans = year_spans(form)
    if len(spans) != 1:
        return None
    span = spans[0]
    before, after = form[:span.start], form[span.end:]
    if not before.strip() and after.lstrip().startswith((":", "：")):
        figure = after.lstrip(" :：")
    elif before.rstrip().endswith(("(", "（")) and after.lstrip().startswith((")", "）")):
        figure = (before.rstrip()[:-1] + " " + after.lstrip()[1:]).strip()
    else:
        return None
    return (figure, span.text) if parse_quantity(figure).value is not None else None


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
