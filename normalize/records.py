"""Raw records (strings as printed) -> typed records (fiscal years, values, units).

The only place where extracted strings become numbers. A figure whose year cannot be
read is not loaded and is named in the warnings; a cell with no number keeps its text
with value None.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import datetime, UTC

from keikaku.models import (DocumentRecord, EvaluationRecord, MeasureRecord, ObservationRecord, PlanRecords, Position,
                            RawDocument, RawObservation, ScheduleRecord, UnparsedTableRecord)

from .dates import parse_date
from .eras import parse_period, parse_year
from .indicators import IndicatorMatcher, default_matcher
from .quantity import parse_quantity, unit_from_label
from .text import clean_text, nfkc

# Leading enumerators and tags on an indicator label: "①【戦略】区への加入世帯数（世帯）".
INDICATOR_PREFIX = re.compile(r"^\s*(?:[①-⑳㉑-㉟❶-❿]|\(\d+\)|（\d+）|\d+[.．)）]\s*)?\s*(?:【[^】]{1,8}】\s*)*")


PER_YEAR = re.compile(r"[/／]\s*(?:年|毎年)|毎年")   # "83人/年": a target for every year
CONTINUES = {"⇒", "→", "⇨", "➡", "〃", "同上", "継続"}


def clean_indicator(text: str | None) -> str | None:
    if not text:
        return None
    cleaned = INDICATOR_PREFIX.sub("", clean_text(text)).strip()
    return cleaned or clean_text(text)


def fiscal_years(raw: RawObservation, period: tuple[int, int] | None, warnings: list[str]) -> list[int]:
    """The fiscal years a figure belongs to: its printed year, or for a figure with no year,
    every year of its measure's period ("/年") or the period's last year."""
    per_year = raw.kind == "target" and bool(PER_YEAR.search(nfkc(raw.text)))
    span = parse_period(raw.year_text, era=raw.era_hint) if raw.year_text is not None else None
    if span and span[0] < span[1]:   # "85人/年（R9〜R13）": each year; "10件（R3〜R7累計）", "実績（R3〜R5）": its end
        return list(range(span[0], span[1] + 1)) if per_year else [span[1]]
    if raw.year_text is not None and period is not None and per_year:
        return list(range(period[0], period[1] + 1))   # "83人/年" under 目標値（R9）: every year of the period
    if raw.year_text is not None:
        year = parse_year(raw.year_text, era=raw.era_hint)
        if year is None:
            warnings.append(f"page {raw.page}: year {raw.year_text!r} not understood; figure {raw.text!r} not loaded")
            return []
        return [year.year]
    if period is None:
        warnings.append(f"page {raw.page}: figure {raw.text!r} has no year and its measure no period; not loaded")
        return []
    if raw.span == "each_year":
        return list(range(period[0], period[1] + 1))
    return [period[1]]


def position_key(record: Position) -> str:
    """Where a record was printed, as text: its box to 0.1 pt, or its line, or nothing known."""
    if record.x0 is not None:
        return ",".join(f"{value:.1f}" for value in (record.x0, record.top, record.x1, record.bottom))
    return f"L{record.line}" if record.line is not None else "-"


def with_observation_ids(records: list[ObservationRecord]) -> list[ObservationRecord]:
    """Give each observation an id made of its document, page, position, kind and fiscal year,
    and an ordinal among records sharing all of those (figures of one cell or of a text with no
    positions), so that ingesting the same file again gives the same ids."""
    seen: Counter[str] = Counter()
    out = []
    for record in records:
        key = "|".join((record.document, str(record.page), position_key(record), record.kind, str(record.fiscal_year)))
        seen[key] += 1
        digest = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()[:16]
        out.append(record.model_copy(update={"observation_id": digest}))
    return out


def observation_records(raw: RawObservation, base: dict, measures: dict[str, tuple[str, str]],
                        periods: dict[str, tuple[int, int] | None], warnings: list[str],
                        matcher: IndicatorMatcher | None = None) -> list[ObservationRecord]:
    years = fiscal_years(raw, periods.get(raw.measure_key or "", periods.get("")), warnings)
    return [record for year in years if (record := observation_record(raw, year, base, measures, matcher))]


def observation_record(raw: RawObservation, fiscal_year: int, base: dict,
                       measures: dict[str, tuple[str, str]], matcher: IndicatorMatcher | None = None
                       ) -> ObservationRecord | None:
    text = clean_text(raw.text)
    quantity = parse_quantity(text, unit_hint=raw.unit_hint)
    unit = quantity.unit
    value = quantity.value
    if value is not None and unit is None:
        from_label = unit_from_label(clean_text(raw.indicator))
        if from_label:
            unit, multiplier = from_label
            value = value * multiplier
    measure_id, measure_title = measures.get(raw.measure_key or "", (None, None))
    indicator = clean_indicator(raw.indicator)
    return ObservationRecord(
        **base, **Position.of(raw.bbox, raw.line), observation_id="", measure_id=measure_id, measure=measure_title,
        indicator=indicator,
        fiscal_year=fiscal_year, kind=raw.kind, value=value, unit=unit, text=text,
        comparator=quantity.comparator, change=quantity.change, per=quantity.per, page=raw.page,
        uncertain=raw.uncertain,
        indicator_key=(matcher or default_matcher()).key(indicator, measure_title, None if quantity.change else unit))


def storable_name(name: str) -> str:
    """A file name as valid Unicode: the bytes the OS could not decode (surrogate-escaped by
    Python) become backslash escapes: the byte 0x8a shows as the four characters \\x8a."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def to_records(raw: RawDocument, municipality: str | None = None, ingested_at: datetime | None = None,
               municipality_code: str | None = None, matcher: IndicatorMatcher | None = None) -> PlanRecords:
    """Type one document's raw records. `municipality` overrides what the document printed;
    `municipality_code` is its 全国地方公共団体コード when the gazetteer knows it; `matcher`
    gives each observation its indicator key (the default taxonomy when None). A file name
    that is not UTF-8 is stored with its odd bytes written as \\xNN."""
    raw = raw.model_copy(update={"document": storable_name(raw.document), "source_path": storable_name(raw.source_path)})
    meta = raw.metadata
    municipality = municipality or meta.municipality
    period = parse_period(meta.period_text) if meta.period_text else None
    published = parse_date(meta.published_text) if meta.published_text else None
    published_text = published.isoformat() if published else (
        str(parse_year(meta.published_text).year) if meta.published_text and parse_year(meta.published_text) else None)
    document = DocumentRecord(
        document=raw.document, municipality=municipality, prefecture=meta.prefecture,
        title=clean_text(meta.title) or None, plan_kind=meta.plan_kind,
        period_start=period[0] if period else None, period_end=period[1] if period else None,
        published=published_text, source_path=raw.source_path, sha256=raw.sha256, pages=raw.pages,
        ingested_at=ingested_at or datetime.now(UTC).replace(tzinfo=None), municipality_code=municipality_code)
    base = {"document": raw.document, "municipality": municipality}
    measures, ids, periods = [], {}, {"": period}
    for number, measure in enumerate(raw.measures, start=1):
        measure_id = f"{raw.document}#{number:03d}"
        title = clean_text(measure.title)
        ids[measure.key] = (measure_id, title)
        own_period = parse_period(measure.period_text) if measure.period_text else None
        span = own_period or period
        periods[measure.key] = span
        measures.append(MeasureRecord(
            **base, measure_id=measure_id, number=measure.number, title=title,
            policy=clean_text(measure.policy) or None, area=clean_text(measure.area) or None,
            departments=[clean_text(d) for d in measure.departments if clean_text(d)],
            period_start=span[0] if span else None, period_end=span[1] if span else None, page=measure.page,
            **Position.of(measure.bbox, measure.line)))
    warnings = list(raw.warnings)
    observations, dropped = [], 0
    for item in raw.observations:
        typed = observation_records(item, base, ids, periods, warnings, matcher)
        observations.extend(typed)
        dropped += not typed
    schedule, previous = [], {}
    for item in raw.schedule:
        year = parse_year(item.year_text, era=item.era_hint)
        stage = clean_text(item.stage)
        if stage in CONTINUES:                      # ⇒: the stage before goes on
            stage = previous.get(item.measure_key, "")
        if year and stage and item.measure_key in ids:
            previous[item.measure_key] = stage
            schedule.append(ScheduleRecord(**base, measure_id=ids[item.measure_key][0], measure=ids[item.measure_key][1],
                                           fiscal_year=year.year, stage=stage, page=item.page,
                                           **Position.of(item.bbox, item.line)))
    evaluations = []
    for item in raw.evaluations:
        year = parse_year(item.year_text, era=item.era_hint)
        if year and item.measure_key in ids:
            evaluations.append(EvaluationRecord(**base, measure_id=ids[item.measure_key][0],
                                                measure=ids[item.measure_key][1], fiscal_year=year.year,
                                                grade=nfkc(item.grade).strip(), page=item.page,
                                                **Position.of(item.bbox, item.line)))
    unparsed = [UnparsedTableRecord(document=raw.document, page=t.page, table_index=t.table_index, n_rows=t.n_rows,
                                    n_cols=t.n_cols, cells=json.dumps(t.cells, ensure_ascii=False),
                                    **{k: v for k, v in Position.of(t.bbox, None).items() if k != "line"})
                for t in raw.unparsed]
    return PlanRecords(document=document, measures=measures, observations=with_observation_ids(observations),
                       schedule=schedule, evaluations=evaluations, unparsed_tables=unparsed, warnings=warnings,
                       figures_not_loaded=raw.figures_not_loaded + dropped)
