"""Generic table recognizers: any table with a fiscal-year header, and overview tables that
list the plan's hierarchy (基本方針 | 項目 | 主な取組み) without figures.
"""
from __future__ import annotations

from ..context import Context
from ..ir import Table
from .forms import split_number, strip_area_number
from .grid import GridReader, cell_text, find_header

HEADER_ROWS = 3   # a year header stands in one of the first rows
HIERARCHY = ("policy", "area", "title")


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
    """A list of the plan's measures under their policy and area, read as measures that
    the per-measure forms (if any) complete with departments and figures."""
    name = "overview"

    def _columns(self, table: Table, ctx: Context) -> tuple[int, dict[str, int]] | None:
        for number, row in enumerate(table.rows[:2]):
            columns = {}
            for index in range(len(row)):
                field = ctx.labels.field(cell_text(row, index))
                if field in HIERARCHY and field not in columns:
                    columns[field] = index
            if "title" in columns and len(columns) >= 2:
                return number, columns
        return None

    def claim(self, table: Table, ctx: Context) -> float:
        return 2.0 if self._columns(table, ctx) else 0.0

    def read(self, table: Table, ctx: Context) -> None:
        header, columns = self._columns(table, ctx)
        carried = {field: None for field in HIERARCHY}
        for row in table.rows[header + 1:]:
            for field, index in columns.items():
                text = cell_text(row, index)
                if text:
                    carried[field] = text
                    if field == "policy":
                        carried["area"] = None if "area" in columns and not cell_text(row, columns["area"]) else carried["area"]
            title_text = cell_text(row, columns["title"])
            if not title_text:
                continue
            number, title = split_number(title_text)
            policy = split_number(carried["policy"])[1] if carried.get("policy") else None
            ctx.add_measure(title, number=number, policy=policy, area=strip_area_number(carried.get("area")),
                            page=table.page, source="overview")
