"""Dates as printed: 令和3年11月, H26.8.29, 令和3年1月7日（木）, 2021/11/5, 2021年11月."""
from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from .eras import ERA_BY_KEY, _ERA_INITIALS, _ERA_NAMES, _NUMBER, _number, era_year_to_western
from .numerals import kanji_or_arabic_int
from .text import nfkc

_MONTH_DAY = r"(?P<month>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:\s*(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?"
_ERA = rf"(?:(?P<name>{_ERA_NAMES})|(?<![A-Za-z0-9])(?P<initial>[{_ERA_INITIALS}]))"
DATE_PATTERNS: tuple[re.Pattern, ...] = (
    # 令和3年11月(7日)
    re.compile(rf"{_ERA}\s*(?P<number>{_NUMBER})\s*年\s*{_MONTH_DAY}"),
    # H26.8.29 / R3.11 / R3/11/5
    re.compile(rf"{_ERA}\s*(?P<number>\d{{1,2}})[./](?P<month>\d{{1,2}})(?:[./](?P<day>\d{{1,2}}))?(?!\d)"),
    # 2021年11月(5日)
    re.compile(rf"(?<!\d)(?P<western>(?:19|20)\d{{2}})\s*年\s*{_MONTH_DAY}"),
    # 2021/11/5, 2021-11-05, 2021.11
    re.compile(r"(?<!\d)(?P<western>(?:19|20)\d{2})[./\-](?P<month>\d{1,2})(?:[./\-](?P<day>\d{1,2}))?(?!\d)"),
)


class PartialDate(BaseModel):
    """A date that may lack its day or month; `fiscal_year` is the 年度 it falls in."""
    model_config = ConfigDict(frozen=True)
    year: int
    month: int | None = None
    day: int | None = None

    def __init__(self, year: int, month: int | None = None, day: int | None = None, **kwargs):
        super().__init__(year=year, month=month, day=day, **kwargs)

    @property
    def fiscal_year(self) -> int:
        """January–March belong to the fiscal year that began the April before."""
        if self.month is not None and self.month <= 3:
            return self.year - 1
        return self.year

    def isoformat(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


def _year_of(match: re.Match) -> int | None:
    groups = match.groupdict()
    if groups.get("western"):
        return int(groups["western"])
    era = groups.get("name") or groups.get("initial")
    number = _number(groups["number"])
    if era is None or number is None:
        return None
    return era_year_to_western(ERA_BY_KEY[era].name, number)


def parse_date(text: str | None) -> PartialDate | None:
    """The first date printed in `text`, or None ("令和3年11月" -> PartialDate(2021, 11))."""
    try:
        text = nfkc(text)
        hits = [(m.start(), m) for pattern in DATE_PATTERNS for m in pattern.finditer(text)]
        for _, match in sorted(hits, key=lambda hit: hit[0]):
            year = _year_of(match)
            month = kanji_or_arabic_int(match.group("month"))
            day = kanji_or_arabic_int(match.group("day")) if match.group("day") else None
            if year is None or month is None or not 1 <= month <= 12:
                continue
            if day is not None and not 1 <= day <= 31:
                day = None
            return PartialDate(year, month, day)
    except Exception:
        return None
    return None
