"""What the recognizers know at a point of the document, and where their records go.

The walk over a document's blocks is in reading order; a heading or a form sets the current
policy, area and measure, and the figures read after it belong to that measure.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from keikaku.models import RawEvaluation, RawMeasure, RawObservation, RawSchedule, UnparsedTable

from .ir import Table
from .labels import LabelTable


@dataclass
class Context:
    labels: LabelTable
    measures: list[RawMeasure] = field(default_factory=list)
    observations: list[RawObservation] = field(default_factory=list)
    schedule: list[RawSchedule] = field(default_factory=list)
    evaluations: list[RawEvaluation] = field(default_factory=list)
    unparsed: list[UnparsedTable] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    policy: str | None = None
    area: str | None = None
    measure_key: str | None = None
    era: str | None = None          # the era last printed in a year header
    grid_kind: str | None = None    # the kind the document's labelled grids name (数値目標 -> target)
    line_grid: tuple | None = None  # (years, kind) of the last line of years, for rows printed as lines
    grid_width: int = 0             # the most years a line of years has held in this document
    full_grid: tuple | None = None  # the last line of years that held them all
    caption_unit: str | None = None  # "（単位：千円）" printed just above the table being read
    caption: str | None = None       # a short line just above the table being read
    last_grid: object | None = None  # the year columns of the last grid, for its continuation on the next page

    def add_measure(self, title: str, **fields) -> RawMeasure:
        fields.setdefault("policy", self.policy)
        fields.setdefault("area", self.area)
        measure = RawMeasure(key=f"m{len(self.measures) + 1}", title=title, **fields)
        self.measures.append(measure)
        if measure.source != "overview":
            self.measure_key = measure.key
        return measure

    def keep_unparsed(self, table: Table) -> None:
        self.unparsed.append(UnparsedTable(page=table.page, table_index=table.index, n_rows=table.n_rows,
                                           n_cols=table.n_cols, cells=table.texts()))
