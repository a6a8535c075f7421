"""Year grids: a header row of fiscal years, then rows of figures under them.

The shape every plan shares, whatever its labels: a row whose cells are years
(令和8年度 | 令和9年度 …, or R4現状値 | R9目標値), and below it rows whose cells under those
years are figures. Each row's label says what it is: a kind (目標値 / 実績値 / 現状値), an
indicator (数値の定義 / 指標), or the indicator itself with the kind in the header.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from keikaku.models import RawEvaluation, RawObservation, RawSchedule
from normalize import match_key, nfkc, parse_quantity, read_years

from ..context import Context
from ..ir import Cell, Table

MAX_YEAR_CELL = 16       # a year header cell is short: "令和10年度", "R9目標値", "目標（R11）"
MAX_WORDS_CELL = 40      # a stage written in words in a 目標値 row: "WEB形式の研修を取り入れた研修計画の策定・実施"
MAX_FIGURE_CELL = 30     # a figure with its unit and a few words: "アクセス数 前年比3%増加"
PLACEHOLDERS = {""}       # an empty cell is no figure; a dash (—, ―) is printed and kept
GRADE_MARK = re.compile(r"[SABCDE][+-]?|[◎○〇△×]")
DASHES = {"-", "―", "—", "–", "‐", "ー"}


@dataclass
class YearColumn:
    index: int
    year_text: str
    era: str | None
    kind: str | None          # from the header cell ("R9目標値" -> target)


def cell_text(row: tuple[Cell | None, ...], index: int) -> str:
    cell = row[index] if index < len(row) else None
    return cell.text.strip() if cell and cell.text else ""


def year_columns(row: tuple[Cell | None, ...], ctx: Context) -> list[YearColumn]:
    """The cells of `row` that are year headers, with the era carried along the row."""
    columns, era = [], ctx.era
    for index in range(len(row)):
        text = cell_text(row, index)
        if not text or len(match_key(text)) > MAX_YEAR_CELL:
            continue
        years = read_years(text, era=era)
        if not years or len({year.year.year for year in years}) != 1 or not ctx.labels.is_year_heading(text):
            continue  # one year per heading; "令和6年度（2024年度）" names it twice
        era = next((year.era for year in years if year.era), era)
        columns.append(YearColumn(index, text, era, ctx.labels.kind_in(text, header=True)))
    return columns


def is_header(row: tuple[Cell | None, ...], columns: list[YearColumn]) -> bool:
    """Two or more year cells, or one that names its kind; each (year, kind) once, as in a grid.
    "令和2年度の達成目標 | 令和2年度計画" names one year twice: columns of text, not a year grid."""
    keys = [(read_years(column.year_text, era=column.era)[0].year.year, column.kind) for column in columns]
    if len(set(keys)) != len(keys):
        return False
    return len(columns) >= 2 or (len(columns) == 1 and columns[0].kind is not None)


def find_header(table: Table, ctx: Context) -> int | None:
    """The first row of the table that is a year header, wherever it stands."""
    for number, row in enumerate(table.rows):
        if is_header(row, year_columns(row, ctx)):
            return number
    return None


def row_label(row: tuple[Cell | None, ...], skip: set[int]) -> tuple[int, str] | None:
    for index in range(len(row)):
        text = cell_text(row, index)
        if index not in skip and text:
            return index, text
    return None


def rest_of_row(row: tuple[Cell | None, ...], after: int) -> str:
    return " ".join(text for index in range(after + 1, len(row)) if (text := cell_text(row, index)))


def is_prose(text: str, labelled: bool) -> bool:
    """A sentence or a list of several results is not one figure."""
    key = match_key(text)
    return (len(key) > (MAX_WORDS_CELL if labelled else MAX_FIGURE_CELL) or "。" in key
            or key.count("・") >= 2 and key.startswith("・"))


@dataclass
class GridReader:
    """Reads the rows of one table from a header row on. Header rows that follow each other
    are one header; a header that names one (year, kind) twice turns the grid off."""
    ctx: Context
    columns: list[YearColumn] | None = None
    indicator: str | None = None
    unit_column: int | None = None
    previous_was_header: bool = False
    off: bool = False
    previous_row: tuple | None = None   # a row of kinds above a row of years: 現状値 | 目標値 over (R5) | (R11)
    carried: tuple | None = None        # (kind, rows left) of a kind cell merged down several rows
    header_kind: str | None = None   # "数値目標の項目 | 単位 | R2年度 …": the label cell names the kind

    def header(self, row: tuple[Cell | None, ...]) -> bool:
        columns = year_columns(row, self.ctx)
        if not columns or not (is_header(row, columns) or self.previous_was_header):
            self.previous_was_header = False
            return False
        continues_header = self.previous_was_header
        if self.previous_was_header and self.columns:
            by_index = {column.index: column for column in self.columns + columns}
            columns = sorted(by_index.values(), key=lambda column: column.index)
        self.previous_was_header = True
        if not is_header(row, columns):
            self.columns, self.off = None, True
            return True
        if self.previous_row is not None and not continues_header:
            for column in columns:   # kinds printed in the row above the years
                above = cell_text(self.previous_row, column.index)
                column.kind = column.kind or (self.ctx.labels.kind_in(above, header=True) if above else None)
        self.columns = columns
        self.ctx.era = columns[-1].era or self.ctx.era
        taken = {column.index for column in columns}
        labels = [cell_text(row, index) for index in range(len(row)) if index not in taken and cell_text(row, index)]
        self.header_kind = next((kind for label in labels
                                 for kind in self.ctx.labels.fields_in(label, ("target", "actual", "baseline"))), None)
        self.unit_column = next((index for index in range(len(row)) if index not in taken
                                 and self.ctx.labels.field(cell_text(row, index)) == "unit"), None)
        return True

    def row(self, row: tuple[Cell | None, ...], page: int, measure_key: str | None) -> None:
        try:
            self._row(row, page, measure_key)
        finally:
            self.previous_row = row

    def _row(self, row: tuple[Cell | None, ...], page: int, measure_key: str | None) -> None:
        if self.header(row) or self.columns is None or self.off:
            return
        taken = {column.index for column in self.columns}
        found = row_label(row, taken)
        label_index, label = found if found else (-1, "")
        field = self.ctx.labels.field(label)
        if field == "indicator":
            self.indicator = rest_of_row(row, label_index) or None
            return
        if field in ("year", "note", "unit"):
            return
        if field == "schedule":
            self.schedule(row, page, measure_key)
            return
        if field == "grade":
            self.grades(row, page, measure_key)
            return
        beside = self._beside(row, label_index, taken)
        if field in ("target", "actual", "baseline"):
            row_kind, indicator = field, beside or self.indicator   # "目標値 | 市税収納率 | 98.5 …" or named above
            self.carried = (field, self._span(row, label_index) - 1)
        elif beside is None and self.carried and self.carried[1] > 0 and row[0] is None:
            row_kind, indicator = self.carried[0], label             # under a kind cell merged down the rows
            self.carried = (self.carried[0], self.carried[1] - 1)
        else:
            row_kind = self.ctx.labels.kind_in(label)             # "目標値（件）" or an indicator name
            indicator = (self.indicator or label) if row_kind else (label or self.indicator)
        unit_hint = (cell_text(row, self.unit_column) if self.unit_column is not None else None) or self.ctx.caption_unit
        for column in self.columns:
            text = cell_text(row, column.index)
            if match_key(text) in PLACEHOLDERS:
                continue
            kind = row_kind or column.kind or self.header_kind
            labelled = field in ("target", "actual", "baseline")
            dash = match_key(text) in DASHES     # "―": no figure for that year, printed as such
            if is_prose(text, labelled) or (not labelled and not dash and parse_quantity(text).value is None):
                continue  # words count as a figure only in a row labelled 目標値 / 実績値 (a plan's stage text)
            if kind is None:
                self.ctx.warnings.append(f"page {page}: figure {text!r} under {column.year_text!r} has no kind "
                                         "(target/actual/baseline) in its row or header; not loaded")
                continue
            cell = row[column.index]
            self.ctx.observations.append(RawObservation(
                measure_key=measure_key, indicator=indicator, year_text=column.year_text, era_hint=column.era,
                kind=kind, text=text, unit_hint=unit_hint or None, page=page, bbox=cell.bbox if cell else None))

    def _beside(self, row: tuple[Cell | None, ...], label_index: int, taken: set[int]) -> str | None:
        """A cell of words between a kind label and the first year column: the indicator."""
        first_year = min(taken) if taken else len(row)
        for index in range(label_index + 1, first_year):
            text = cell_text(row, index)
            if text and index != self.unit_column and self.ctx.labels.field(text) is None:
                return text
        return None

    @staticmethod
    def _span(row: tuple[Cell | None, ...], index: int) -> int:
        cell = row[index] if 0 <= index < len(row) else None
        return cell.row_span if cell else 1

    def schedule(self, row: tuple[Cell | None, ...], page: int, measure_key: str | None) -> None:
        """A 年度計画 row: the stage of the measure in each year (⇒ = the stage before, resolved later)."""
        if measure_key is None:
            return
        for column in self.columns or []:
            stage = cell_text(row, column.index)
            if stage:
                self.ctx.schedule.append(RawSchedule(measure_key=measure_key, year_text=column.year_text,
                                                     era_hint=column.era, stage=stage, page=page))

    def grades(self, row: tuple[Cell | None, ...], page: int, measure_key: str | None) -> None:
        """An 評価 / 達成度 row: a grade (A–D, S, ◎○△×) per year."""
        for column in self.columns or []:
            grade = nfkc(cell_text(row, column.index)).strip()
            if measure_key and GRADE_MARK.fullmatch(grade):
                self.ctx.evaluations.append(RawEvaluation(measure_key=measure_key, year_text=column.year_text,
                                                          era_hint=column.era, grade=grade, page=page))
