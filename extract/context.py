"""What the interpreter knows at a point of the document, and where its records go.

The walk over a document's blocks is in reading order with one context: a heading, a form
row or a list row sets the current policy, area and measure; an indicator line, a unit
caption or a form row the current indicator and unit. The figures read after them belong to
that measure and indicator, across tables and pages, until the next one opens.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from keikaku.models import RawEvaluation, RawMeasure, RawObservation, RawSchedule, UnparsedTable

from keikaku.normalize import match_key

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
    figures_not_loaded: int = 0
    # document facts
    era: str | None = None            # the era last printed in a year header
    report_year: str | None = None    # the year a results report covers ("実績報告書（R5年度）")
    default_kind: str = "target"      # what a bare year column of this document holds
    # hierarchy
    policy: str | None = None
    policy_number: str | None = None
    policy_pending: bool = False      # a policy heading read, no measure opened under it yet
    area: str | None = None
    measure_key: str | None = None
    pending_number: str | None = None          # 取組番号 printed before the title of its form
    pending_fields: dict = field(default_factory=dict)
    # the current indicator, as lines and forms name it
    indicator: str | None = None
    unit: str | None = None
    caption_unit: str | None = None   # "（単位：千円）" printed just above the table being read
    caption: str | None = None        # a short line just above the table being read
    last_layout: tuple | None = None  # (columns, page, layout) of the last year table, for its continuation
    # grids printed as lines (text exports)
    grid_kind: str | None = None
    line_grid: tuple | None = None
    grid_width: int = 0
    full_grid: tuple | None = None

    def add_measure(self, title: str, **fields) -> RawMeasure:
        """Open a measure; the same title as the current measure's (a heading, then its form)
        completes that measure instead of opening another."""
        current = self.current_measure()
        if current is not None and fields.get("source") != "overview" and match_key(current.title) == match_key(title):
            for name, value in fields.items():
                if value and not getattr(current, name, None):
                    setattr(current, name, value)
            return current
        fields.setdefault("policy", self.policy)
        fields.setdefault("area", self.area)
        if fields.get("source") != "overview":
            self.policy_pending = False
        measure = RawMeasure(key=f"m{len(self.measures) + 1}", title=title, **fields)
        self.measures.append(measure)
        if measure.source != "overview":
            self.measure_key = measure.key
            self.indicator = self.unit = None
        return measure

    def open_policy(self, title: str, number: str | None = None) -> None:
        self.policy, self.policy_number, self.area, self.policy_pending = title, number, None, True

    def owner(self) -> str | None:
        """The measure a figure read now belongs to. Figures printed under a policy heading before
        any measure of its own (a 基本目標's 数値目標) make that policy a measure."""
        if self.policy_pending and self.policy:
            self.add_measure(self.policy, number=self.policy_number, policy=None, area=None, source="heading")
        return self.measure_key

    def current_measure(self) -> RawMeasure | None:
        return next((m for m in reversed(self.measures) if m.key == self.measure_key), None)

    def keep_unparsed(self, table: Table, reason: str | None = None) -> None:
        self.unparsed.append(UnparsedTable(page=table.page, table_index=table.index, n_rows=table.n_rows, bbox=table.bbox,
                                           n_cols=table.n_cols, cells=table.texts()))
        if reason:
            self.warnings.append(f"page {table.page}: table {table.index + 1} kept in unparsed_tables: {reason}")
