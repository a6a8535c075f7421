"""Year tables: any table with a fiscal-year header, read by the grid reader."""
from __future__ import annotations

from ..context import Context
from ..ir import Table
from .grid import GridReader, find_header


class YearTableRecognizer:
    """Any table whose header holds fiscal years: one observation per row and year. A table
    on the next page with the same columns and no header of its own continues the last grid."""
    name = "year_table"

    def claim(self, table: Table, ctx: Context) -> float:
        if find_header(table, ctx) is not None:
            return 1.0
        last = ctx.last_grid
        if last and last[0] == table.n_cols and table.page == last[1] + 1:
            return 0.5
        return 0.0

    def read(self, table: Table, ctx: Context) -> None:
        reader = GridReader(ctx)
        if find_header(table, ctx) is None and ctx.last_grid:
            reader.columns, reader.unit_column, reader.header_kind, reader.indicator = ctx.last_grid[2]
        for row in table.rows:
            reader.row(row, table.page, ctx.measure_key)
        if reader.columns:
            ctx.last_grid = (table.n_cols, table.page,
                             (reader.columns, reader.unit_column, reader.header_kind, reader.indicator))
