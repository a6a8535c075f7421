"""Numbers as printed: Arabic (commas, full-width, decimals), kanji (二千五百), and mixed
forms with scale words ("2億2千万", "50億4千7百万", "1.2万").

`parse_number` reads one number written at the start of a string and says how many
characters it used; callers find where a number starts. It never raises.
"""
from __future__ import annotations

import math
import re
from typing import NamedTuple

KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                "六": 6, "七": 7, "八": 8, "九": 9, "壱": 1, "弐": 2, "参": 3}
SMALL_SCALES = {"十": 10, "百": 100, "千": 1000}
LARGE_SCALES = {"万": 10**4, "億": 10**8, "兆": 10**12}
MINUS_SIGNS = "▲△−－‐-"  # "-" last: safe inside a regex character class

ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


class ParsedNumber(NamedTuple):
    value: float
    length: int  # characters of the input used


def _read_term(text: str, pos: int) -> tuple[float | None, int]:
    """One term below 万: "4千7百", "二千五百", "250", "1.5"."""
    total, digits, start = 0.0, None, pos
    while pos < len(text):
        arabic = ARABIC.match(text, pos)
        char = text[pos]
        if arabic and digits is None:
            digits = float(arabic.group().replace(",", ""))
            pos = arabic.end()
        elif char in KANJI_DIGITS and digits is None:
            digits = float(KANJI_DIGITS[char])
            pos += 1
        elif char in KANJI_DIGITS and digits is not None and text[pos - 1] in KANJI_DIGITS:
            digits = digits * 10 + KANJI_DIGITS[char]  # 二〇二〇 written digit by digit
            pos += 1
        elif char in SMALL_SCALES:
            total += (1 if digits is None else digits) * SMALL_SCALES[char]
            digits = None
            pos += 1
        else:
            break
    if pos == start:
        return None, 0
    if digits is not None:
        total += digits
    return total, pos - start


def parse_number(text: str, start: int = 0) -> ParsedNumber | None:
    """Read the number at `start` in `text` (already NFKC-normalized); `length` counts from `start`."""
    total, pos, sign = 0.0, start, 1.0
    if pos < len(text) and text[pos] in MINUS_SIGNS and len(text) > pos + 1:
        sign, pos = -1.0, pos + 1
    seen_any = False
    while pos < len(text):
        term, used = _read_term(text, pos)
        if term is None:
            break
        pos += used
        seen_any = True
        if pos < len(text) and text[pos] in LARGE_SCALES:
            total += term * LARGE_SCALES[text[pos]]
            pos += 1
            continue
        total += term
        break
    if not seen_any:
        return None
    return ParsedNumber(sign * total, pos - start)


def kanji_or_arabic_int(text: str) -> int | None:
    """A whole number written in Arabic or kanji digits ("12", "十二", "元" is not handled here)."""
    parsed = parse_number(text)
    if parsed is None or parsed.length != len(text) or not math.isfinite(parsed.value) \
            or parsed.value != int(parsed.value):
        return None
    return int(parsed.value)
