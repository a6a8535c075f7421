"""Year tables: any table with a fiscal-year header, read by the grid reader."""
from __future__ import annotations

from keikaku.models import RawObservation
from normalize import parse_quantity, read_years

from ..context import Context
from ..ir import Table
from .grid import DASHES, GridReader, cell_text, find_header


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


class TransposedGridRecognizer:
    """Years down the first column, indicators or kinds across the header:

        年度      | 目標値  | 実績値
        令和4年度 | 120,000 | 118,500

    A header cell naming a kind takes its indicator from the table's caption line."""
    name = "transposed_grid"

    @staticmethod
    def _year_rows(table: Table, ctx: Context) -> list[int]:
        rows = []
        for number, row in enumerate(table.rows[1:], start=1):
            first = cell_text(row, 0)
            years = read_years(first, era=ctx.era)
            if first and years and len({y.year.year for y in years}) == 1 and ctx.labels.is_year_heading(first):
                rows.append(number)
        return rows

    def claim(self, table: Table, ctx: Context) -> float:
        headers = [cell_text(table.rows[0], i) for i in range(1, table.n_cols)] if table.rows else []
        return 0.9 if len(self._year_rows(table, ctx)) >= 2 and any(headers) else 0.0

    def read(self, table: Table, ctx: Context) -> None:
        header = table.rows[0]
        for number in self._year_rows(table, ctx):
            row = table.rows[number]
            year_text = cell_text(row, 0)
            era = next((y.era for y in read_years(year_text, era=ctx.era) if y.era), ctx.era)
            for column in range(1, len(row)):
                name, text = cell_text(header, column), cell_text(row, column)
                if not name or not text or (parse_quantity(text).value is None and text not in DASHES):
                    continue
                kind = ctx.labels.kind_in(name, header=True)
                indicator = ctx.caption if ctx.labels.field(name) in ("target", "actual", "baseline") else name
                if kind is None:
                    ctx.warnings.append(f"page {table.page}: column {name!r} names no kind; its figures not loaded")
                    continue
                ctx.observations.append(RawObservation(
                    measure_key=ctx.measure_key, indicator=indicator, year_text=year_text, era_hint=era,
                    kind=kind, text=text, page=table.page))
