"""The walk over a document: blocks in reading order with one context. Every table goes
to the one table interpreter (interpret.py); lines go to the line readers (headings,
indicator and baseline lines, KPI lines, grids printed as lines). A table of which nothing
was read is kept in unparsed_tables; figures a table held that nothing read are counted.
"""
from __future__ import annotations

from collections import Counter

import hashlib
import re
from pathlib import Path

from keikaku.models import RawDocument, RawMeasure
from keikaku.normalize import match_key, nfkc, year_spans

from .context import Context
from .gazetteer import Gazetteer
from .interpret import interpret
from .ir import Document, Line, Table
from .labels import LabelTable
from .recognizers.arrows import ArrowLineRecognizer
from .recognizers.lines import (BaselineLineRecognizer, DepartmentLineRecognizer, HeadingRecognizer,
                                IndicatorLineRecognizer, KpiLinesRecognizer, LineGridRecognizer)
from .recognizers.list_lines import ListLinesRecognizer
from .recognizers.metadata import read_metadata


def line_recognizers() -> list:
    return [ListLinesRecognizer(), IndicatorLineRecognizer(), BaselineLineRecognizer(), HeadingRecognizer(),
            DepartmentLineRecognizer(), LineGridRecognizer(), KpiLinesRecognizer(), ArrowLineRecognizer()]


def records_count(ctx: Context) -> int:
    return len(ctx.measures) + len(ctx.observations) + len(ctx.schedule) + len(ctx.evaluations)


def read_table(table: Table, previous: Line | None, ctx: Context) -> None:
    if isinstance(previous, Line):
        ctx.caption_unit = unit_caption(previous.text) or ctx.caption_unit
        bare = UNIT_CAPTION.sub("", nfkc(previous.text)).strip()
        ctx.caption = previous.text.strip() if bare and len(previous.text) <= 40 else None
    else:
        ctx.caption = None
    before = records_count(ctx)
    reading = interpret(table, ctx)
    ctx.caption_unit = None
    if reading.skipped:
        ctx.figures_not_loaded += len(reading.skipped)
        ctx.warnings.append(f"page {table.page}: table {table.index + 1}: {len(reading.skipped)} figures not loaded "
                            f"({'; '.join(reading.skipped[:3])}{' …' if len(reading.skipped) > 3 else ''})")
    if records_count(ctx) == before:
        ctx.keep_unparsed(table)  # nothing was understood: keep it


def line_rows(table: Table) -> list[Table | Line]:
    """A text export's table split where its rows are lines: a run of rows with text in the first
    cell only (a cover, a heading, "■成果指標 …", prose) is lines; one such row between two rows
    of cells stays in the table (a section row of a list: "1　職員の能力向上と働き方改革")."""
    def single(row) -> str | None:
        texts = [cell.text for cell in row if cell is not None and cell.text.strip()]
        first = row[0] if row else None
        return texts[0] if len(texts) == 1 and first is not None and first.text.strip() else None

    rows = table.rows
    kinds = [single(row) for row in rows]
    blank = [not any(cell is not None and cell.text.strip() for cell in row) for row in rows]
    out: list[Table | Line] = []
    chunk: list = []

    def flush() -> None:
        if chunk:
            out.append(Table(tuple(chunk), table.page, table.index, table.bbox))
            chunk.clear()

    for number, row in enumerate(rows):
        if blank[number]:
            continue
        text = kinds[number]
        sandwiched = (text is not None and 0 < number < len(rows) - 1 and chunk
                      and kinds[number + 1] is None and not blank[number + 1])
        if text is None or sandwiched:
            chunk.append(row)
        else:
            flush()
            out.append(Line(text, table.page))
    flush()
    return out


def blocks_of(document: Document) -> list[Table | Line]:
    """The document's blocks, a text table split at its line rows (PDF tables have boxes and stay
    whole), without page furniture: page-number footers and running headers (see running_headers)."""
    headers = running_headers(document)
    blocks: list[Table | Line] = []
    for page in document.pages:
        for block in page.blocks:
            if isinstance(block, Table) and block.bbox is None:
                blocks.extend(line_rows(block))
            elif not (isinstance(block, Line) and (block is headers.get(page.number)
                                                    or PAGE_NUMBER.match(nfkc(block.text)))):
                blocks.append(block)   # "― 2 ―", "P.3": a footer, so a KPI cut by the page break reads on
    return blocks


def running_headers(document: Document) -> dict[int, Line]:
    """The first line of each page that opens three or more pages with the same text (the
    plan's name printed atop every page): not content, or a KPI cut by a page break reads it
    as the name of the figures that go on on the next page."""
    firsts = {page.number: next((b for b in page.blocks if isinstance(b, Line)), None) for page in document.pages}
    seen = Counter(nfkc(line.text).strip() for line in firsts.values() if line is not None)
    return {number: line for number, line in firsts.items()
            if line is not None and seen[nfkc(line.text).strip()] >= 3}


def walk(document: Document, ctx: Context) -> None:
    lines = line_recognizers()
    blocks = blocks_of(document)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Table):
            read_table(block, blocks[index - 1] if index else None, ctx)
            index += 1
            continue
        caption = unit_caption(block.text)
        if caption and len(nfkc(block.text).strip()) <= 16:
            ctx.caption_unit = caption   # "（単位：千円）" alone on its line: the unit of the next table
        used = 0
        for recognizer in lines:
            used = recognizer.read(blocks, index, ctx)
            if used:
                break
        index += used or 1


PAGE_NUMBER = re.compile(r"^\s*(?:[-―－—–‐ー−]\s*\d{1,4}\s*[-―－—–‐ー−]|(?:P|p|ページ)\.?\s*\d{1,4}|\d{1,4}\s*/\s*\d{1,4})\s*$")
UNIT_CAPTION = re.compile(r"[（(]\s*単位\s*[:：]\s*(?P<unit>[^）)]{1,8})\s*[）)]")


def unit_caption(text: str) -> str | None:
    """"（単位：千円）" printed above a table: the unit of its bare figures."""
    match = UNIT_CAPTION.search(nfkc(text))
    return match.group("unit") if match else None


def cover_era(document: Document) -> str | None:
    """The era the cover prints (令和6年3月): what a bare "7年度" in the plan's grids means."""
    cover = " ".join(line.text for line in document.pages[0].lines[:20]) if document.pages else ""
    return next((span.mention.era for span in year_spans(cover) if span.mention.era), None)


def report_year(title: str | None, plan_kind: str | None) -> str | None:
    """The one fiscal year a results report covers, as its title prints it ("実績報告書（R5年度）")."""
    if plan_kind != "results_report" or not title:
        return None
    spans = year_spans(nfkc(title))
    return spans[-1].text if len({s.text for s in spans}) == 1 else None


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
    metadata = read_metadata(document, labels, gazetteer)
    ctx = Context(labels=labels, era=cover_era(document), report_year=report_year(metadata.title, metadata.plan_kind))
    walk(document, ctx)
    return RawDocument(
        document=path.stem,
        source_path=str(path),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        pages=len(document.pages),
        tables=sum(len(page.tables) for page in document.pages),
        metadata=metadata,
        measures=merge_overview(ctx),
        observations=ctx.observations,
        schedule=ctx.schedule,
        evaluations=ctx.evaluations,
        unparsed=ctx.unparsed,
        warnings=document.warnings + ctx.warnings,
        figures_not_loaded=ctx.figures_not_loaded,
    )
