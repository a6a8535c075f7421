"""Japanese eras (元号) and years: 令和2年度 -> fiscal year 2020.

年度 (nendo) is the April–March fiscal year named after the calendar year it starts in.
The rules are the ERAS table; `find_years` reads every year in a string, carrying the era
of one year to the bare numbers after it ("H28年度…、29年度" -> 平成29年度).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from .numerals import kanji_or_arabic_int
from .text import nfkc


@dataclass(frozen=True)
class Era:
    name: str          # 令和
    initial: str       # R
    first_year: int    # 西暦 of 元年 (year 1)
    last_year: int     # 西暦 of the era's last calendar year


# (name, initial, 元年 in 西暦, last calendar year); a plan may print years past an era's end
# (平成32年度 in plans written before 2019), so offsets are not capped at last_year.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", 1868, 1912),
    Era("大正", "T", 1912, 1926),
    Era("昭和", "S", 1926, 1989),
    Era("平成", "H", 1989, 2019),
    Era("令和", "R", 2019, 2100),
)
ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.initial, era.initial.lower())}
MAX_ERA_YEAR = 99

_ERA_NAMES = "|".join(era.name for era in ERAS)
_ERA_INITIALS = "".join(era.initial for era in ERAS)
_NUMBER = r"元|\d{1,2}|[〇一二三四五六七八九十]{1,4}"
# An era year: 令和2 / R2 / R.2 / Ｒ２ (after NFKC) / 令和元; a Latin letter or digit
# before an initial means it is part of a word (PR2, A4R2), not an era.
ERA_YEAR = re.compile(
    rf"(?:(?P<name>{_ERA_NAMES})|(?<![A-Za-z0-9])(?P<initial>[{_ERA_INITIALS}{_ERA_INITIALS.lower()}])\.?)"
    rf"\s*(?P<number>{_NUMBER})(?![0-9.,])\s*(?P<suffix>年度|年|FY)?"
)
# A year with no era: 2026年度, 2026年, or (with an era in context) 29年度.
WESTERN_YEAR = re.compile(r"(?<![0-9.,])(?P<number>(?:19|20|21)\d{2})(?![0-9])\s*(?P<suffix>年度|年)?")
# "5年間", "3年後" are durations, not years.
BARE_YEAR = re.compile(rf"(?<![0-9.,A-Za-z])(?P<number>{_NUMBER})\s*(?P<suffix>年度|年(?!間|後|前|目|ぶり|連続|以))")
ERA_YEAR_BEFORE_RANGE = re.compile(r"\s*[～〜~\-ー－から]")


class Year(BaseModel):
    """A year as printed: `year` in 西暦, `fiscal` when printed as 年度."""
    model_config = ConfigDict(frozen=True)
    year: int
    fiscal: bool


class YearMention(NamedTuple):
    """A year found in a text, with the era it was printed in (None for 西暦): what a
    bare "29年度" printed after it inherits."""
    year: Year
    era: str | None


class YearSpan(NamedTuple):
    """Where a year stands in the NFKC form of a text, and what it reads as."""
    start: int
    end: int
    text: str
    mention: YearMention


def era_year_to_western(era: str, number: int) -> int | None:
    """令和 + 2 -> 2020. None for an unknown era or an impossible number."""
    found = ERA_BY_KEY.get(era) or ERA_BY_KEY.get(nfkc(era))
    if found is None or not 1 <= number <= MAX_ERA_YEAR:
        return None
    return found.first_year + number - 1


def _number(text: str) -> int | None:
    return 1 if text == "元" else kanji_or_arabic_int(text)


def _era_match(match: re.Match) -> tuple[int, YearMention] | None:
    era = ERA_BY_KEY[match.group("name") or match.group("initial")]
    number = _number(match.group("number"))
    if number is None:
        return None
    western = era_year_to_western(era.name, number)
    if western is None:
        return None
    return match.start(), YearMention(Year(year=western, fiscal=match.group("suffix") in ("年度", "FY")), era.name)


def find_years(text: str | None, era: str | None = None) -> list[Year]:
    """Every year printed in `text`, in order. Bare "29年度" takes the era of the year before
    it, or `era` when none came before; bare numbers with no era in sight are not years."""
    return [mention.year for mention in read_years(text, era)]


def read_years(text: str | None, era: str | None = None) -> list[YearMention]:
    """find_years, with the era each year was printed in (for callers that carry it on)."""
    return [span.mention for span in year_spans(text, era)]


def year_spans(text: str | None, era: str | None = None) -> list[YearSpan]:
    """Every year in `text` with its position in nfkc(text): the one way other modules find
    years, so that the grammar of years lives here only."""
    text = nfkc(text)
    if not text:
        return []
    found: list[tuple[int, int, YearMention | None]] = []
    eras, westerns = _Spans(), _Spans()   # each pass finds its spans in order: appended, never inserted
    for match in ERA_YEAR.finditer(text):
        parsed = _era_match(match)
        if parsed:
            found.append((match.start(), match.end(), parsed[1]))
            eras.add(match.start(), match.end())
    whole_cell = len(text.strip())
    for match in WESTERN_YEAR.finditer(text):
        if eras.overlaps(match.start(), match.end()):
            continue
        if match.group("suffix") or whole_cell <= len(match.group("number")) + 3:  # a bare 2026 is a year only as (nearly) the whole cell
            found.append((match.start(), match.end(),
                          YearMention(Year(year=int(match.group("number")), fiscal=match.group("suffix") == "年度"), None)))
            westerns.add(match.start(), match.end())
    for match in BARE_YEAR.finditer(text):
        if eras.overlaps(match.start(), match.end()) or westerns.overlaps(match.start(), match.end()):
            continue
        found.append((match.start(), match.end(), None))  # era resolved below, in order
    found.sort(key=lambda item: item[0])
    return [YearSpan(start, end, text[start:end], mention) for start, end, mention in _resolve_bare(text, found, era)]


def _resolve_bare(text: str, found: list, era: str | None):
    for start, end, mention in found:
        if mention is not None:
            era = mention.era or era
            yield start, end, mention
            continue
        match = BARE_YEAR.match(text, start)
        number = _number(match.group("number")) if match else None
        western = era_year_to_western(era, number) if era and number else None
        if western is not None:
            yield start, end, YearMention(Year(year=western, fiscal=match.group("suffix") == "年度"), ERA_BY_KEY[era].name)


class _Spans:
    """Disjoint (start, end) spans added in order: a test of overlap costs log n (year scanning
    stays linear on a line of a million years)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        self.starts.append(start)
        self.ends.append(end)

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self.starts, start)
        return (at > 0 and self.ends[at - 1] > start) or (at < len(self.starts) and self.starts[at] < end)


YEAR_WITH_SUFFIX = re.compile(r"(?<![0-9])(?:19|20|21)\d{2}\s*年度?")
DURATION = re.compile(r"(?<![0-9.,])(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:年間|か年|ヵ年|カ年|ケ年|箇年)")
WESTERN_IN_BRACKETS = re.compile(r"[（(]\s*(?:19|20|21)\d{2}\s*[）)]")
EMPTY_BRACKETS = re.compile(r"[（(\[【]\s*[）)\]】]")


def blank_years(text: str, durations: bool = False) -> str:
    """`text` (NFKC) with its era years and 西暦 years (and, if asked, durations such as 5年間)
    replaced by spaces of the same length, so positions keep: "（基準）平成30年：7,063人" ->
    "（基準）      ：7,063人". Used to read what a year label says besides its year."""
    text = ERA_YEAR.sub(lambda m: " " * len(m.group()), text)
    text = YEAR_WITH_SUFFIX.sub(lambda m: " " * len(m.group()), text)
    text = WESTERN_IN_BRACKETS.sub(lambda m: " " * len(m.group()), text)   # 令和6年度(2024)
    if durations:
        text = DURATION.sub(lambda m: " " * len(m.group()), text)
    return text


def without_years(text: str | None, bare: bool = False) -> str:
    """The words of a label once its years and the brackets around them are gone:
    "目標（R11）" -> "目標", "R4現状値" -> "現状値"; with `bare`, "7年度" (an era from context) too."""
    blanked = blank_years(nfkc(text))
    if bare:
        blanked = BARE_YEAR.sub(lambda m: " " * len(m.group()), blanked)
    return EMPTY_BRACKETS.sub("", blanked).strip()


def parse_year(text: str | None, era: str | None = None) -> Year | None:
    """The first year printed in `text` ("令和２年度" -> Year(2020, fiscal=True)).
    "H31（R元）" -> 2019; "29年度" with era="平成" -> 2017; "第6期", "30人" -> None."""
    try:
        years = find_years(text, era=era)
    except Exception:  # a parser never raises on a string
        return None
    if not years:
        return None
    return years[0]


def parse_period(text: str | None, era: str | None = None) -> tuple[int, int] | None:
    """First and last year of a period: "令和8年度から令和12年度までの5年間" -> (2026, 2030).
    A single year gives None: a period needs both ends printed."""
    try:
        years = find_years(text, era=era)
    except Exception:
        return None
    if len(years) < 2:
        return None
    if years[1].year < years[0].year:
        return None  # "令和6年度～令和2年度": printed backwards, not a period
    first, last = years[0].year, max(year.year for year in years)
    return first, last
