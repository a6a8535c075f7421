"""Quantities as printed in plan cells: "4,263,148千円", "▲18.9%", "96億円以上",
"３％減/取組期間", "0件/年", "2割", "約80団体", "24（15）".

The rules are the tables below (units and their scale, comparator, change and per words);
`parse_quantity` applies them and never raises. Canonical units follow GOLD_FORMAT.md:
money in 円, percent in %, percentage points in pt, counters as printed (NFKC).
"""
from __future__ import annotations

import math
import re

from pydantic import BaseModel, ConfigDict

from .eras import blank_years
from .numerals import KANJI_DIGITS, MINUS_SIGNS, SMALL_SCALES, parse_number
from .text import nfkc, strip_html

# unit as printed (after NFKC) -> (canonical unit, multiplier)
UNITS: dict[str, tuple[str, float]] = {
    "円": ("円", 1), "千円": ("円", 1e3), "万円": ("円", 1e4), "百万円": ("円", 1e6),
    "千万円": ("円", 1e7), "億円": ("円", 1e8), "兆円": ("円", 1e12),
    "%": ("%", 1), "パーセント": ("%", 1), "割": ("%", 10),
    "ポイント": ("pt", 1), "pt": ("pt", 1), "ポ イ ン ト": ("pt", 1),
    "ha": ("ha", 1), "m2": ("m2", 1), "km2": ("km2", 1), "km": ("km", 1), "m": ("m", 1),
    "t": ("t", 1), "トン": ("t", 1), "L": ("L", 1), "リットル": ("L", 1), "kL": ("kL", 1), "kg": ("kg", 1), "kWh": ("kWh", 1), "kW": ("kW", 1), "MWh": ("MWh", 1),
    "か所": ("箇所", 1), "カ所": ("箇所", 1), "ヶ所": ("箇所", 1), "ケ所": ("箇所", 1), "箇所": ("箇所", 1),
    "倍": ("倍", 1),
}
# Counter words (助数詞 = counters) kept as printed. Longer words first wins at match time.
COUNTERS: tuple[str, ...] = (
    "件", "人", "名", "社", "施設", "橋", "業務", "事業", "事業所", "回", "時間", "世帯", "団体", "校",
    "通", "手続", "手続き", "人日", "人回", "日", "園", "課", "台", "本", "冊", "部", "枚", "戸", "棟",
    "地区", "区", "路線", "項目", "計画", "機関", "店舗", "都市", "分", "週", "か月", "ヶ月", "カ月",
    "ヵ月", "人泊", "泊", "隻", "頭", "コース", "講座", "種類", "団地", "自治会", "グループ", "チーム",
    "クラブ", "システム", "サービス", "手順", "条例", "規程", "会場", "局", "拠点", "教室", "者", "人分",
    "本数", "軒", "店", "品目", "品", "件数", "契約", "業者", "企業", "市町村", "か国", "カ国",
)
COMPARATORS: tuple[tuple[str, str], ...] = (
    ("以上", ">="), ("以下", "<="), ("以内", "<="), ("未満", "<"), ("を超える", ">"), ("超", ">"),
)
CHANGES: tuple[tuple[str, str], ...] = (
    ("増加", "increase"), ("向上", "increase"), ("増", "increase"), ("アップ", "increase"),
    ("上昇", "increase"), ("拡大", "increase"),
    ("削減", "decrease"), ("縮減", "decrease"), ("減少", "decrease"), ("低減", "decrease"),
    ("減", "decrease"), ("ダウン", "decrease"),
)
PER_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("/取組期間", "period"), ("/計画期間", "period"), ("/期間", "period"), ("/5年間", "period"),
    ("累計", "period"),   # "300人（R7〜R11累計）", "50件（5年間の累計）" (累計 = cumulative total)
    ("/年度", "year"), ("/年", "year"), ("/毎年", "year"),
)
PER_PREFIXES: tuple[tuple[str, str], ...] = (
    ("年間延べ", "year"), ("年間", "year"), ("毎年度", "year"), ("毎年", "year"), ("年", "year"),
)
APPROXIMATE = ("約", "概ね", "およそ")

_UNIT_WORDS = sorted(list(UNITS) + list(COUNTERS), key=len, reverse=True)
UNIT_WORD = re.compile("|".join(map(re.escape, _UNIT_WORDS)))  # longest first: the first that matches wins
# Every pattern here runs in linear time on any input: where a run of spaces could be split
# between two quantifiers, the first is possessive (*+), and a search only starts where its
# first character can stand (a digit or minus sign; see _find_number).
NUMBER_START = re.compile(rf"[{MINUS_SIGNS}]?\s*+\d")
KANJI_NUMBER_CHARS = frozenset(KANJI_DIGITS) | frozenset(SMALL_SCALES)
RANGE_AFTER = re.compile(r"\s*+[～〜~\-－]\s*+\d")
PERIOD_BEFORE = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*+(?:年間|か年|ヵ年|カ年)\s*+で?\s*$")
SPACE_RUN = re.compile(r"\s*+")
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff々]")
LATIN_BEFORE = re.compile(r"[A-Za-z]")
# months and days are dates, not counts: "令和2年8月6日（木）" reads no figure
DATE_PART = re.compile(r"(?<![\d.,])\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:\s*[（(][月火水木金土日][)）])?|(?<![\d.,])\d{1,2}\s*日\s*[（(][月火水木金土日][)）]")


def blank_dates(text: str) -> str:
    """Years, months and days blanked with spaces, positions kept."""
    return DATE_PART.sub(lambda m: " " * len(m.group()), blank_years(text, durations=True))


class Quantity(BaseModel):
    """A printed figure read into a value in its canonical unit (value None when no number)."""
    model_config = ConfigDict(frozen=True)
    value: float | None = None
    unit: str | None = None
    comparator: str | None = None
    change: str | None = None
    per: str | None = None

    def __init__(self, value: float | None = None, unit: str | None = None, **kwargs):
        super().__init__(value=value, unit=unit, **kwargs)


def _match_unit(text: str, start: int = 0) -> tuple[str, str, float] | None:
    """(as printed, canonical, multiplier) for a unit word at `start` in `text` (the longest)."""
    found = UNIT_WORD.match(text, start)
    if found is None:
        return None
    word = found.group()
    canonical, multiplier = UNITS.get(word, (word, 1))
    return word, canonical, multiplier


def _unit_after(text: str, position: int) -> tuple[tuple[str, str, float], int] | None:
    """The unit word after `position` and any spaces, with where it ends."""
    start = SPACE_RUN.match(text, position).end()
    found = _match_unit(text, start)
    return (found, start + len(found[0])) if found else None


def unit_of(hint: str | None) -> tuple[str, float] | None:
    """The canonical unit and multiplier a label or column gives: "億円" -> ("円", 1e8),
    "（世帯）" -> ("世帯", 1), "単位：千円" -> ("円", 1000)."""
    text = nfkc(hint).strip()
    if text[:1] in "（([【":
        text = text[1:].lstrip()
    if text.startswith("単位"):
        text = text[2:].lstrip()
        text = text[1:].lstrip() if text[:1] in ":：" else text
    if text[-1:] in "）)]】":
        text = text[:-1].rstrip()
    found = _match_unit(text)
    if found is None or found[0] != text:
        return None
    return found[1], found[2]


def _in_code(text: str, position: int) -> bool:
    """A digit or hyphen glued to Latin letters ("A4", "II-1") belongs to a code."""
    if position == 0 or text[position] in "▲△":
        return False
    before = text[position - 1]
    if before == "第":
        return True  # "第2回" counts nothing: it is the second one
    if LATIN_BEFORE.match(before):
        return True
    return before in "-－‐" and position >= 2 and bool(LATIN_BEFORE.match(text[position - 2]))


# a figure inside the name of what is counted: "職員1人当たり…:", "月45時間を超える職員数: 29人"
PER_UNIT_AFTER = re.compile(r"\s*+(?:当たり|あたり|当り)")
LABEL_GOES_ON = re.compile(r"[^・●○■◆。\n:\d(（]{0,40}:\s{0,4}[\d▲△]")   # bounded: linear on any line;
# a bracket after a figure opens a note on it ("70%（H27:54.3%）"), not the rest of a label
AFTER_WINDOW = 40  # characters after a kanji figure's unit that may say it is a figure (以上, 増)
# words that begin with a kanji digit and a counter but count nothing: 一部 (partly), 一時
# (for a while), 一体 (as one), 一方 (on the other hand), 一番 (most), 一件落着 …
NOT_FIGURES = ("一部", "一時", "一体", "一方", "一番", "一件落着", "一人ひとり", "一人一人", "一回り", "二人三脚")


def _find_number(text: str, start: int = 0) -> tuple[int, float, int] | None:
    """(start, value, end) of the first number at or after `start` that is a figure, not part
    of a word. Linear: a position is tried only if a number can begin there."""
    for position in range(start, len(text)):
        char = text[position]
        arabic = char.isdecimal() or char in MINUS_SIGNS
        if not arabic and char not in KANJI_NUMBER_CHARS:
            continue
        if _in_code(text, position):
            continue  # "II-1", "PR2", "A4": a code, not a figure
        if arabic:
            if not NUMBER_START.match(text, position):
                continue
            signed = char in MINUS_SIGNS
            digits = SPACE_RUN.match(text, position + 1).end() if signed else position
            parsed = parse_number(text, digits)   # "▲ 18.9": the sign, maybe spaces, then the number
            if parsed is None or _in_label(text, digits + parsed.length):
                continue
            return position, -parsed.value if signed else parsed.value, digits + parsed.length
        before = text[position - 1] if position else ""
        if before and IDEOGRAPH.match(before) and before not in "約計延":
            continue
        if text.startswith(NOT_FIGURES, position):
            continue
        parsed = parse_number(text, position)
        if parsed is None:
            continue
        end = position + parsed.length
        unit = _unit_after(text, end)
        after = text[unit[1]:unit[1] + AFTER_WINDOW] if unit else ""
        # "一部実施", "一人当たり": one kanji digit inside a word is not a figure
        if unit and (parsed.length > 1 or not IDEOGRAPH.match(after[:1]) or _comparator(after) or _word_after(after, CHANGES)):
            return position, parsed.value, end
    return None


def _in_label(text: str, end: int) -> bool:
    """Is the number ending at `end` part of the name of what is counted ("職員1人当たり…",
    "月45時間を超える職員数: 29人"), its figure coming later?"""
    unit = _unit_after(text, end)
    tail = unit[1] if unit else end
    return bool(PER_UNIT_AFTER.match(text, tail) or LABEL_GOES_ON.match(text, tail))


def _word_after(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    stripped = text.lstrip(" をの")
    for word, meaning in table:
        if stripped.startswith(word):
            return meaning
    return None


def _comparator(rest: str) -> str | None:
    for word, meaning in COMPARATORS:
        if word in rest and (word != "超" or rest.lstrip().startswith("超")):
            return meaning
    return None


def _per(before: str, rest: str, printed_before: str) -> str | None:
    compact = rest.replace(" ", "")
    for word, meaning in PER_SUFFIXES:
        if word in compact:
            return meaning
    if PERIOD_BEFORE.search(printed_before):
        return "period"  # "５年間で10％の削減"
    tail = before.replace(" ", "")
    for word, meaning in PER_PREFIXES:
        if tail.endswith(word) or tail.endswith(word + "で"):
            return meaning
    return None


def parse_quantity(text: str | None, unit_hint: str | None = None) -> Quantity:
    """Read a printed figure. Words with no number give Quantity(None, None)."""
    try:
        return _parse_quantity(text, unit_hint)
    except Exception:  # a parser never raises on a string
        return Quantity()


def _parse_quantity(text: str | None, unit_hint: str | None) -> Quantity:
    printed = nfkc(strip_html(text or "")).replace("／", "/").strip()
    if not printed:
        return Quantity()
    searchable = blank_dates(printed)
    found = _find_number(searchable)
    if found is None:
        return Quantity()
    start, value, end = found
    rest = searchable[end:]
    if RANGE_AFTER.match(rest):
        return Quantity()  # "4～7社": a range is not one figure
    unit, multiplier = None, 1.0
    unit_found = _match_unit(rest.lstrip())
    if unit_found:
        unit, multiplier = unit_found[1], unit_found[2]
        rest = rest.lstrip()[len(unit_found[0]):]
    elif unit_hint:
        hinted = unit_of(unit_hint)
        if hinted:
            unit, multiplier = hinted
    if not math.isfinite(value * multiplier):
        return Quantity()  # a number too large for a float is not a figure (no inf in the database)
    return Quantity(
        value * multiplier, unit,
        comparator=_comparator(rest),
        change=_word_after(rest, CHANGES),
        per=_per(searchable[:start], rest, printed[:start]),
    )


# A figure printed bare ("45", "6,000") takes its unit from its indicator's label.
LABEL_UNIT_PAREN = re.compile(r"[（(]\s*+(?:単位\s*+[:：]?\s*+)?(?P<unit>[^（）()]{1,6})\s*[）)]")
# label ending -> unit of its bare figures; None: a 率 that is no percentage (合計特殊出生率 is births
# per woman, 有効求人倍率 a multiple). Checked in order: the first ending that matches decides.
LABEL_UNIT_SUFFIXES: tuple[tuple[str, str | None], ...] = (
    ("者数", "人"), ("人数", "人"), ("出生率", None), ("倍率", None), ("割合", "%"), ("比率", "%"), ("率", "%"),
)


def unit_from_label(label: str | None) -> tuple[str, float] | None:
    """The unit an indicator's label gives its bare figures: "寄附金額（億円）" -> ("円", 1e8),
    "LINEからの登録者数" -> ("人", 1), "区への加入世帯数" -> ("世帯", 1), "活用業務" -> ("業務", 1)."""
    try:
        text = nfkc(label).strip()
        if not text:
            return None
        opener = max(text.rfind("("), text.rfind("（"))   # the unit's bracket is the last one opened
        paren = LABEL_UNIT_PAREN.fullmatch(text, opener) if opener >= 0 else None
        if paren:
            return unit_of(paren.group("unit"))
        for suffix, unit in LABEL_UNIT_SUFFIXES:
            if text.endswith(suffix):
                return (unit, 1) if unit else None
        for counter in sorted(COUNTERS, key=len, reverse=True):
            if text.endswith(counter + "数") or (len(counter) >= 2 and text.endswith(counter)):
                return counter, 1
    except Exception:
        return None
    return None


class Figure(BaseModel):
    """A figure found inside prose: its printed text, what it reads as, and the words before it."""
    model_config = ConfigDict(frozen=True)
    label: str            # the words printed before the figure, back to the previous figure or bullet
    text: str             # the figure as printed, with its unit and comparator words
    quantity: Quantity


SEGMENT_BREAK = re.compile(r"[・●○■◆。\n]|(?<=\s)[①-⑳]")
LABEL_TRIM = re.compile(r"^[\s、,，:：（(【\[]+|[\s、,，:：を は が の で （(【\[]+$")
FIGURE_TAIL = re.compile(r"\s*+(?:以上|以下|以内|未満|超|を超える|程度|増加|増|減少|減|削減|縮減|向上)?(?:\s*+[/／]\s*+(?:年度?|取組期間|期間))?")


def figures_in(text: str | None) -> list[Figure]:
    """Every figure with a unit printed in `text` (years, codes and bare numbers are not
    figures), each with the words before it: "・実質公債費比率 3.7% ・将来負担比率 ▲18.9%" ->
    [("実質公債費比率", "3.7%"), ("将来負担比率", "▲18.9%")]."""
    try:
        printed = nfkc(strip_html(text or "")).replace("／", "/")
        searchable = blank_dates(printed)
        figures, position, label_start = [], 0, 0
        while position < len(searchable):
            found = _find_number(searchable, position)
            if found is None:
                break
            start, _, end = found
            unit = _unit_after(searchable, end)
            if unit is None or RANGE_AFTER.match(searchable, end):
                position = end
                continue
            figure_end = FIGURE_TAIL.match(searchable, unit[1]).end()
            breaks = [m.end() for m in SEGMENT_BREAK.finditer(printed, label_start, start)]
            label = LABEL_TRIM.sub("", printed[(breaks[-1] if breaks else label_start):start]).strip()
            figure_text = printed[start:figure_end].strip()
            figures.append(Figure(label=label, text=figure_text, quantity=parse_quantity(figure_text)))
            position = label_start = figure_end
        return figures
    except Exception:
        return []
