"""Names of the hierarchy as printed: a leading number split from a title, an area's own
numbering, the departments of a cell. Pure functions over strings, shared by the table
interpreter and the line readers."""
from __future__ import annotations

import re

LEADING_NUMBER = re.compile(r"^\s*(?:第\s*|№\s*|No\.?\s*)?[（(]?\s*(?P<number>[0-9０-９]+|[①-⑳㉑-㉟㊱-㊿]|[IVXⅠ-Ⅻ]+)\s*[.．、:：)）]?\s*")
# an area keeps a circled number as printed ("①税収確保…"); "(1)" and roman numerals are numbering
AREA_NUMBER = re.compile(r"^\s*(?:[（(]\s*[0-9０-９]+\s*[)）]|[IVXⅠ-Ⅻ]+(?=[\s　.．]))\s*")
DEPARTMENT_SEPARATORS = re.compile(r"[、,，・●/／\s]+")


def split_number(text: str) -> tuple[str | None, str]:
    """"1 財源確保…" -> ("1", "財源確保…"); text without a leading number is returned whole."""
    match = LEADING_NUMBER.match(text)
    if match and match.end() < len(text):
        return match.group("number"), text[match.end():].strip()
    return None, text.strip()


def strip_area_number(text: str | None) -> str | None:
    return AREA_NUMBER.sub("", text).strip() if text else text


DEPARTMENT_END = re.compile(r"(?:課|室|局|センター|事務所|部|係|委員会|支所|所)$")


def split_departments(text: str) -> list[str]:
    """"財政課・スポーツ振興課" -> two; a name wrapped in its cell ("地域づくり\n課") stays one:
    a line break separates names only where the line ends like a department."""
    sections = re.split(r"【[^】]*】", text)
    if len(sections) > 1:               # "【取組主管課】・財政課【関係課等】…": the leading section
        text = next((part for part in sections[1:] if part.strip(" ・●\n")), "")
    names, pending = [], ""
    for line in text.strip("【】[]（）()").split("\n"):
        pending += line.strip()
        if DEPARTMENT_END.search(pending) or not line.strip():
            names.append(pending)
            pending = ""
    names.append(pending)
    return [part for name in names for part in DEPARTMENT_SEPARATORS.split(name) if part]
