"""The recognizer pipeline: walk a document's blocks in reading order, give each table to the
recognizer that claims it most strongly, let line recognizers read headings and KPI lines,
and keep every table nobody claimed as unparsed.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from keikaku.models import RawDocument, RawMeasure
from normalize import match_key, nfkc, year_spans

from .context import Context
from .gazetteer import Gazetteer
from .ir import Document, Line, Table
from .labels import LabelTable
from .recognizers.arrows import ArrowLineRecognizer, ArrowTableRecognizer
from .recognizers.cards import KpiCardRecognizer
from .recognizers.forms import FormRecognizer
from .recognizers.lines import DepartmentLineRecognizer, HeadingRecognizer, KpiLinesRecognizer, LineGridRecognizer
from .recognizers.list_lines import ListLinesRecognizer
from .recognizers.metadata import read_metadata
from .recognizers.lists import MeasureListRecognizer
from .recognizers.tables import TransposedGridRecognizer, YearTableRecognizer


def table_recognizers() -> list:
    return [FormRecognizer(), MeasureListRecognizer(), YearTableRecognizer(), ArrowTableRecognizer(),
            KpiCardRecognizer(), TransposedGridRecognizer()]


def line_recognizers() -> list:
    return [ListLinesRecognizer(), HeadingRecognizer(), DepartmentLineRecognizer(), LineGridRecognizer(),
            KpiLinesRecognizer(), ArrowLineRecognizer()]


def walk(document: Document, ctx: Context) -> None:
    tables, lines = table_recognizers(), line_recognizers()
    blocks = list(document.blocks())
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Table):
            previous = blocks[index - 1] if index else None
            ctx.caption_unit = unit_caption(previous.text) if isinstance(previous, Line) else None
            ctx.caption = previous.text.strip() if isinstance(previous, Line) and len(previous.text) <= 40 else None
            score, best = max(((r.claim(block, ctx), r) for r in tables), key=lambda item: item[0])
            before = len(ctx.measures) + len(ctx.observations) + len(ctx.schedule) + len(ctx.evaluations)
            if score > 0:
                best.read(block, ctx)
            if len(ctx.measures) + len(ctx.observations) + len(ctx.schedule) + len(ctx.evaluations) == before:
                ctx.keep_unparsed(block)  # claimed or not, nothing was understood: keep it
            index += 1
            continue
        used = 0
        for recognizer in lines:
            used = recognizer.read(blocks, index, ctx)
            if used:
                break
        index += used or 1


UNIT_CAPTION = re.compile(r"[（(]\s*単位\s*[:：]\s*(?P<unit>[^）)]{1,8})\s*[）)]")


def unit_caption(text: str) -> str | None:
    """"（単位：千円）" printed above a table: the unit of its bare figures."""
    match = UNIT_CAPTION.search(nfkc(text))
    return match.group("unit") if match else None


def cover_era(document: Document) -> str | None:
    """The era the cover prints (令和6年3月): what a bare "7年度" in the plan's grids means."""
    cover = " ".join(line.text for line in document.pages[0].lines[:20]) if document.pages else ""
    return next((span.mention.era for span in year_spans(cover) if span.mention.era), None)


def bigram_dice(a: str, b: str) -> float:
    x, y = match_key(a), match_key(b)
    grams_a = {x[i:i + 2] for i in range(len(x) - 1)} or {x}
    grams_b = {y[i:i + 2] for i in range(len(y) - 1)} or {y}
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b)) if x and y else 0.0


def merge_overview(ctx: Context) -> list[RawMeasure]:
    """Overview rows lend their number, policy and area to the form, heading or list measure
    of the same title; an overview row with no such measure stands as a measure of its own
    only when the document printed nothing else about its measures."""
    primary = [m for m in ctx.measures if m.source != "overview"]
    overview: list[RawMeasure] = []
    seen: set[str] = set()
    for measure in (m for m in ctx.measures if m.source == "overview"):
        key = match_key(measure.title)
        if key not in seen:  # a list printed twice (summary and detail pages) is one list
            seen.add(key)
            overview.append(measure)
    if not primary:
        return overview
    for measure in primary:
        best = max(overview, key=lambda row: bigram_dice(row.title, measure.title), default=None)
        if best is None or bigram_dice(best.title, measure.title) < 0.5:
            continue
        measure.number = measure.number or best.number
        measure.policy = measure.policy or best.policy
        measure.area = measure.area or best.area
    return primary


def recognize(document: Document, labels: LabelTable, gazetteer: Gazetteer | None = None) -> RawDocument:
    """IR document -> raw records (strings as printed, with pages)."""
    path = Path(document.path)
    ctx = Context(labels=labels, era=cover_era(document))
    walk(document, ctx)
    return RawDocument(
        document=path.stem,
        source_path=str(path),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        pages=len(document.pages),
        tables=sum(len(page.tables) for page in document.pages),
        metadata=read_metadata(document, labels, gazetteer),
        measures=merge_overview(ctx),
        observations=ctx.observations,
        schedule=ctx.schedule,
        evaluations=ctx.evaluations,
        unparsed=ctx.unparsed,
        warnings=document.warnings + ctx.warnings,
    )
