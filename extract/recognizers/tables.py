"""Generic table recognizers: any table with a fiscal-year header, and overview tables that
list the plan's hierarchy (基本方針 | 項目 | 主な取組み) without figures.
"""
from __future__ import annotations

import re

from keikaku.models import RawObservation
from normalize import find_years, parse_quantity

from ..context import Context
from ..ir import Table
from .forms import split_departments, split_number, strip_area_number
from .grid import GridReader, cell_text, find_header
from .phrases import read_phrase

HEADER_ROWS = 3   # a year header stands in one of the first rows
HIERARCHY = ("policy", "area")
# label field -> list column; a column of target phrases is labelled as an indicator or a target
LIST_FIELDS = {"policy": "policy", "area": "area", "title": "title", "department": "department",
               "period": "period", "indicator": "targets", "target": "targets"}


class YearTableRecognizer:
    """Any table whose header holds fiscal years: one observation per row and year."""
    name = "year_table"

    def claim(self, table: Table, ctx: Context) -> float:
        return 1.0 if find_header(table, ctx, first_rows=HEADER_ROWS) is not None else 0.0

    def read(self, table: Table, ctx: Context) -> None:
        reader = GridReader(ctx)
        for row in table.rows:
            reader.row(row, table.page, ctx.measure_key)


class OverviewRecognizer:
    """A list of the plan's measures, one row each, under a header naming its columns:
    基本方針 | 重点項目 | アクションプラン名 | 担当課 | 取組期間 | 目標・指標.
    With only the hierarchy it is an overview that per-measure forms complete; with
    departments, periods or targets it is the plan's own list of measures."""
    name = "overview"

    def _columns(self, table: Table, ctx: Context) -> tuple[int, dict[str, int]] | None:
        for number, row in enumerate(table.rows[:2]):
            columns: dict[str, int] = {}
            for index in range(len(row)):
                field = ctx.labels.field(cell_text(row, index))
                if field in LIST_FIELDS and field not in columns:
                    columns[LIST_FIELDS[field]] = index
            if "title" in columns and len(columns) >= 2:
                return number, columns
        return None

    def claim(self, table: Table, ctx: Context) -> float:
        return 2.0 if self._columns(table, ctx) else 0.0

    def read(self, table: Table, ctx: Context) -> None:
        header, columns = self._columns(table, ctx)
        primary = bool({"department", "period", "targets"} & set(columns))
        carried: dict[str, str | None] = {field: None for field in HIERARCHY}
        for row in table.rows[header + 1:]:
            for field in HIERARCHY:
                text = cell_text(row, columns[field]) if field in columns else ""
                if text:
                    carried[field] = text
                    if field == "policy":
                        carried["area"] = None
            title_text = cell_text(row, columns["title"])
            if not title_text or ctx.labels.field(title_text) == "title":
                continue  # a repeated header row
            if "period" in columns and not find_years(cell_text(row, columns["period"])):
                continue  # a legend row ("アクションプランの名称 | 担当する課名 | 取組みを行う期間")
            number, title = split_number(title_text)
            policy = split_number(carried["policy"])[1] if carried.get("policy") else None
            measure = ctx.add_measure(
                title, number=number, policy=policy, area=strip_area_number(carried.get("area")),
                departments=split_departments(cell_text(row, columns["department"])) if "department" in columns else [],
                period_text=cell_text(row, columns["period"]) if "period" in columns else None,
                page=table.page, source="list" if primary else "overview")
            if "targets" in columns:
                add_phrase_figures(ctx, measure.key, cell_text(row, columns["targets"]), table.page)


YEAR_ON_YEAR = re.compile(r"前年度?比|対前年")   # a change on the year before is a target for every year


def add_phrase_figures(ctx: Context, measure_key: str, text: str, page: int) -> None:
    """The figures of a target phrase cell, as raw observations of `measure_key`."""
    for figure in read_phrase(text):
        span = None
        if figure.year_text is None:
            yearly = parse_quantity(figure.text).per == "year" or YEAR_ON_YEAR.search(f"{figure.indicator}{figure.text}")
            span = "each_year" if yearly else "period_end"
        ctx.observations.append(RawObservation(
            measure_key=measure_key, indicator=figure.indicator, year_text=figure.year_text, span=span,
            kind=figure.kind, text=figure.text, page=page))
