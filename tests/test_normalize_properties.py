"""Properties of normalize: every era year in every written form parses back; no parser raises
on any string; era conversion agrees with a well-kept peer library (japanera); and the pitfalls
of general-purpose normalizers (neologdn, jaconv) cannot reach year or number cells."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keikaku.normalize import clean_text, find_years, match_key, parse_date, parse_period, parse_quantity, parse_year
from keikaku.normalize.eras import ERAS

KANJI_DIGITS = "〇一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def kanji_number(number: int) -> str:
    """1..99 in kanji numerals as plans print them: 十, 十二, 三十一."""
    tens, ones = divmod(number, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else KANJI_DIGITS[tens] + "十")) + (KANJI_DIGITS[ones] if ones else "")


def era_forms(year: int) -> list[tuple[str, bool]]:
    """Every way a plan writes `year` in an era valid for it: (printed, is 年度)."""
    forms = []
    for era in ERAS:
        if not era.first_year <= year <= era.last_year:
            continue
        number = year - era.first_year + 1
        numbers = [str(number), str(number).translate(FULL_WIDTH), kanji_number(number)]
        if number == 1:
            numbers.append("元")
        for written in numbers:
            for suffix, fiscal in (("年度", True), ("年", False)):
                forms.append((f"{era.name}{written}{suffix}", fiscal))
                forms.append((f"{era.name} {written} {suffix}", fiscal))
            if written != "元" and written[0] not in KANJI_DIGITS + "十":
                for initial in (era.initial, era.initial.translate(str.maketrans("MTSHR", "ＭＴＳＨＲ"))):
                    forms.append((f"{initial}{written}年度", True))
                    forms.append((f"{initial}{written}", False))
    return forms


@pytest.mark.parametrize("year", range(1868, 2101))
def test_every_era_year_in_every_form_parses_back(year):
    forms = era_forms(year)
    assert forms
    for printed, fiscal in forms:
        parsed = parse_year(printed)
        assert parsed is not None, printed
        assert (parsed.year, parsed.fiscal) == (year, fiscal), printed


@given(year=st.integers(1868, 2100), data=st.data())
def test_era_year_forms_hypothesis(year, data):
    printed, fiscal = data.draw(st.sampled_from(era_forms(year)))
    parsed = parse_year(printed)
    assert parsed is not None and (parsed.year, parsed.fiscal) == (year, fiscal)


@given(start=st.integers(2019, 2090), length=st.integers(1, 9))
def test_period_with_inherited_era(start, length):
    first, last = start - 2018, start + length - 2018
    assert parse_period(f"令和{first}～{last}年度") == (start, start + length)


TRICKY = st.text(alphabet=st.sampled_from(list("0123456789０１２３４５６７８９元年度月日令和平成昭和RHS.,，．▲△－-~～/（）()%％千万億円件人以上下減増約第期間")), max_size=30)


@settings(max_examples=400)
@given(text=st.one_of(st.text(max_size=60), TRICKY))
def test_no_parser_raises(text):
    parse_year(text)
    parse_year(text, era="平成")
    parse_period(text)
    parse_date(text)
    parse_quantity(text)
    parse_quantity(text, unit_hint=text)
    find_years(text)
    clean_text(text)
    match_key(text)


# ---- differential: japanera formats dates in eras, we read them back ----

def boundary_dates() -> list[datetime.date]:
    dates = []
    for year in range(1868, 2101):
        dates += [datetime.date(year, 1, 1), datetime.date(year, 7, 1), datetime.date(year, 12, 31)]
    # the days around each era change
    for day in ("1912-07-29", "1912-07-30", "1926-12-24", "1926-12-25", "1989-01-07", "1989-01-08",
                "2019-04-30", "2019-05-01"):
        dates.append(datetime.date.fromisoformat(day))
    return dates


def test_era_conversion_agrees_with_japanera():
    """japanera (full era names via %-K, never its one-letter %-h, which reads R2 as older eras)
    names the era and era-year of each date; we must read back the same western year and date.
    Disagreements, explained: before 1868-10-23 (明治改元) japanera says 慶応, an era our table
    does not hold (plans print no year that old), so those dates are skipped."""
    japanera = pytest.importorskip("japanera")
    checked = 0
    for date in boundary_dates():
        era_date = japanera.EraDate.from_date(date)
        if era_date.era is None or era_date.era.kanji not in {era.name for era in ERAS}:
            continue
        printed = era_date.strftime("%-K%-Y年%m月%d日").replace(f"{era_date.era.kanji}1年", f"{era_date.era.kanji}元年")
        parsed = parse_date(printed)
        assert parsed is not None and (parsed.year, parsed.month, parsed.day) == (date.year, date.month, date.day), printed
        assert parse_year(era_date.strftime("%-K%-Y年度")).year == date.year
        checked += 1
    assert checked > 690


# ---- pitfalls of general normalizers ----

RANGE_CELL = "令和６～８年度"


def test_neologdn_pitfall_is_real_and_we_do_not_fall_in():
    neologdn = pytest.importorskip("neologdn")
    assert parse_period(neologdn.normalize(RANGE_CELL)) != (2024, 2026)   # 令和68年度: the range is gone
    assert parse_period(clean_text(RANGE_CELL)) == (2024, 2026)
    assert parse_period(match_key(RANGE_CELL)) == (2024, 2026)


def test_jaconv_pitfall_is_real_and_we_do_not_fall_in():
    jaconv = pytest.importorskip("jaconv")
    assert jaconv.normalize("－３件") == "ー3件"                             # a minus turned into a long vowel
    assert parse_quantity(jaconv.normalize("－３件")).value != -3
    assert parse_quantity(clean_text("－３件")).value == -3
    assert parse_period(clean_text("H28～R2")) == (2016, 2020)


def test_no_module_uses_a_general_normalizer():
    root = Path(__file__).resolve().parent.parent
    for folder in ("extract", "normalize", "load", "keikaku"):
        for path in (root / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            assert "neologdn" not in source and "jaconv" not in source, path
