"""Lists of measures, one row each, under a header of column labels: an overview
(基本方針 | 項目 | 主な取組み), an action-plan list (… | 担当課 | 取組期間 | 目標・指標) or a results
report (… | 令和2年度の達成目標 | 取組状況 | 達成度). Target cells are read as phrases
(phrases.py) or, under a column headed by a year, as figures inside prose.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from keikaku.models import RawEvaluation, RawObservation
from normalize import clean_text, figures_in, find_years, nfkc, parse_quantity, read_years, without_years

from ..context import Context
from ..ir import Table
from .forms import split_departments, split_number, strip_area_number
from .grid import GRADE_MARK, cell_text
from .phrases import read_phrase

HIERARCHY = ("policy", "area")
# label field -> list column; a column of target phrases is labelled as an indicator or a target
LIST_FIELDS = {"policy": "policy", "area": "area", "title": "title", "department": "department",
               "period": "period", "indicator": "targets", "target": "targets", "actual": "actuals",
               "grade": "grade", "number": "number"}


@dataclass
class ListColumns:
    """Where each field of a measure list stands, read from its (one- or two-row) header."""
    header_rows: int
    index: dict[str, int]
    years: dict[str, str | None]     # field -> the year its header names ("令和2年度の達成目標")


class MeasureListRecognizer:
    """A list of the plan's measures, one row each, under a header naming its columns:
    基本方針 | 重点項目 | アクションプラン名 | 担当課 | 取組期間 | 目標・指標, or a results report's
    … | 令和2年度の達成目標 | 取組状況 | 達成度. With only the hierarchy it is an overview that
    per-measure forms complete; with departments, periods, targets or results it is the
    plan's own list of measures."""
    name = "measure_list"

    def _columns(self, table: Table, ctx: Context) -> ListColumns | None:
        for number in range(min(2, table.n_rows)):
            header_rows = number + 1
            if number + 1 < table.n_rows and self._is_sub_header(table.rows[number + 1], ctx):
                header_rows += 1
            index, years = {}, {}
            for column in range(table.n_cols):
                words = [cell_text(table.rows[r], column) for r in range(number, header_rows)]
                field, year = self._column_field(words, ctx)
                if field and field not in index:
                    index[field], years[field] = column, year
            if "title" in index and len(index) >= 2:
                return ListColumns(header_rows, index, years)
        return None

    @staticmethod
    def _column_field(words: list[str], ctx: Context) -> tuple[str | None, str | None]:
        cleaned = [clean_text(word) for word in words if word]
        tokens = [*cleaned, *(token for word in cleaned for token in word.split(" ")),
                  *(token for word in words for token in re.split(r"[\s\n]+", word))]
        tokens = [token for token in tokens if token]
        year = next((token for token in tokens if find_years(token)), None)
        for token in tokens:
            field = LIST_FIELDS.get(ctx.labels.field(token) or "")
            if field:
                return field, year
        for token in cleaned:
            field = LIST_FIELDS.get(ctx.labels.field_head(token) or "")
            if field:
                return field, year
        if year and ctx.labels.kind_in(year, header=True) == "target":
            return "targets", year                  # "令和2年度の達成目標"
        return None, year

    @staticmethod
    def _is_sub_header(row, ctx: Context) -> bool:
        texts = [cell.text.strip() for cell in row if cell and cell.text and cell.text.strip()]
        return bool(texts) and all(len(text) <= 16 for text in texts) and any(
            ctx.labels.field(text) or find_years(text) or ctx.labels.fields_in(text, ("grade", "actual")) for text in texts)

    def claim(self, table: Table, ctx: Context) -> float:
        return 2.0 if self._columns(table, ctx) else 0.0

    @staticmethod
    def _header_like(row, ctx: Context) -> bool:
        """A header repeated or broken over rows: two or more of its cells are column labels."""
        cells = [clean_text(cell.text) for cell in row if cell and cell.text and cell.text.strip()]
        return sum(1 for text in cells if len(text) <= 20 and LIST_FIELDS.get(
            ctx.labels.field(text) or ctx.labels.field_head(text) or "")) >= 2

    def read(self, table: Table, ctx: Context) -> None:
        columns = self._columns(table, ctx)
        at = columns.index
        primary = bool({"department", "period", "targets", "actuals", "grade"} & set(at))
        carried: dict[str, str | None] = {field: None for field in HIERARCHY}
        for row in table.rows[columns.header_rows:]:
            for field in HIERARCHY:
                text = cell_text(row, at[field]) if field in at else ""
                if text and not text.startswith(("●", "○", "・", "※")):   # a bullet is a description, not a name
                    carried[field] = text
                    if field == "policy":
                        carried["area"] = None
            printed, row = row, realign(row, at)
            title_text = title_of(printed, row, at)
            if not title_text or ctx.labels.field(title_text) == "title" or self._header_like(row, ctx):
                continue  # a repeated header row, or a row of the hierarchy only
            if "period" in at and not find_years(cell_text(row, at["period"])):
                continue  # a legend row ("アクションプランの名称 | 担当する課名 | 取組みを行う期間")
            number, title = split_number(title_text)
            if "number" in at:
                number = cell_text(row, at["number"]) or number
            policy = split_number(carried["policy"])[1] if carried.get("policy") else None
            measure = ctx.add_measure(
                title, number=number, policy=policy, area=strip_area_number(carried.get("area")),
                departments=split_departments(cell_text(row, at["department"])) if "department" in at else [],
                period_text=cell_text(row, at["period"]) if "period" in at else None,
                page=table.page, source="list" if primary else "overview")
            self._read_figures(row, columns, measure.key, table.page, ctx)

    @staticmethod
    def _read_figures(row, columns: ListColumns, measure_key: str, page: int, ctx: Context) -> None:
        at, years = columns.index, columns.years
        report_year = years.get("actuals") or years.get("targets") or years.get("grade")
        if "targets" in at:
            text = cell_text(row, at["targets"])
            if years.get("targets"):
                add_prose_figures(ctx, measure_key, text, "target", years["targets"], page)
            else:
                add_phrase_figures(ctx, measure_key, text, page)
        if "actuals" in at and report_year:
            add_prose_figures(ctx, measure_key, cell_text(row, at["actuals"]), "actual", report_year, page)
        if "grade" in at and report_year:
            # realign() moves the grade column only within its reach; a row that drifted further
            # after its department cell still holds the grade a column or two aside
            for column in (at["grade"], at["grade"] - 1, at["grade"] + 1, at["grade"] - 2):
                grade = nfkc(cell_text(row, column)).strip() if column >= 0 else ""
                if GRADE_MARK.fullmatch(grade):
                    ctx.evaluations.append(RawEvaluation(measure_key=measure_key, year_text=report_year,
                                                         grade=grade, page=page))
                    break


# Cells whose kind is plain from their text: a row whose cells drifted is re-anchored on them.
ANCHOR_TYPES = {
    "number": lambda text: bool(re.fullmatch(r"[0-9０-９]{1,3}", text)),
    "department": lambda text: "【" in text or bool(re.search(r"[^\s・●、]課(?:\s|$|・|、|】)", text)),
    "grade": lambda text: bool(GRADE_MARK.fullmatch(nfkc(text).strip())),
}
MAX_DRIFT = 3


def _nearest(row: tuple, expected: int, kind: str) -> int | None:
    for drift in sorted(range(-MAX_DRIFT, MAX_DRIFT + 1), key=abs):
        column = expected + drift
        if 0 <= column < len(row) and ANCHOR_TYPES[kind](cell_text(row, column)):
            return column
    return None


def title_of(row: tuple, aligned: tuple, at: dict[str, int]) -> str:
    """The title cell; where a drifted row left it empty or holding the department, the
    cell of words between the row's number and its department, as printed."""
    title = cell_text(aligned, at["title"])
    if (title and not ANCHOR_TYPES["department"](title)) or "department" not in at:
        return title
    department = _nearest(row, at["department"], "department")
    number = _nearest(row, at["number"], "number") if "number" in at else None
    if department is None:
        return ""
    for column in range(department - 1, (number if number is not None else at.get("area", -1)), -1):
        text = cell_text(row, column)
        if text and not ANCHOR_TYPES["number"](text) and not ANCHOR_TYPES["department"](text):
            return text
    return ""


def realign(row: tuple, at: dict[str, int]) -> tuple:
    """A text export may drop empty cells, so a row drifts left of its header, and not by the
    same amount everywhere. Each anchor column (number, department, grade) is found where its
    kind of cell stands nearest; every column moves with the nearest anchor on its left."""
    offsets: dict[int, int] = {}
    for field, check in ANCHOR_TYPES.items():
        if field not in at or check(cell_text(row, at[field])):
            continue
        for drift in sorted(range(-MAX_DRIFT, MAX_DRIFT + 1), key=abs):
            column = at[field] + drift
            if drift and 0 <= column < len(row) and check(cell_text(row, column)):
                offsets[at[field]] = drift
                break
    if not offsets:
        return row
    width = max(len(row), max(at.values()) + 1)
    moved = []
    for column in range(width):
        anchors = [anchor for anchor in (*offsets, *(c for f, c in at.items() if f in ANCHOR_TYPES)) if anchor <= column]
        drift = offsets.get(max(anchors), 0) if anchors else 0
        source = column + drift
        moved.append(row[source] if 0 <= source < len(row) else None)
    return tuple(moved)


def add_prose_figures(ctx: Context, measure_key: str, text: str, kind: str, year_text: str, page: int) -> None:
    """Figures printed inside sentences of a report cell; "（H27:54.3%）" is that year's baseline."""
    previous = None
    for figure in figures_in(text):
        label = figure.label if re.search(r"\w", figure.label or "") else None
        label_year = read_years(label) if label else []
        if label_year and not without_years(label).strip("()（）:： "):
            ctx.observations.append(RawObservation(measure_key=measure_key, indicator=previous, year_text=label,
                                                   kind="baseline", text=figure.text, page=page))
            continue
        previous = label or previous
        ctx.observations.append(RawObservation(measure_key=measure_key, indicator=previous, year_text=year_text,
                                               kind=kind, text=figure.text, page=page))


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
