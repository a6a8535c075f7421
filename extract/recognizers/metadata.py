"""Document facts printed on the cover and first pages: title, municipality, plan kind,
period and publication date. Everything is read from the document's own text; what it
does not print stays None.
"""
from __future__ import annotations

import re
from collections import Counter

from keikaku.models import RawMetadata
from keikaku.normalize import nfkc, parse_date, parse_period, read_years, without_years

from ..gazetteer import Gazetteer
from ..ir import Document, Line
from ..labels import LabelTable

TITLE_WORDS = re.compile(r"計画|大綱|戦略|報告|結果|方針|プラン|ビジョン|取組状況|進捗状況|実施状況")
DRAFT_MARK = re.compile(r"^[（(](?:案|素案|原案|概要版|改訂版)[）)]$")
# plan_kind by words in the title, first match wins (a results report of a plan names the plan too)
PLAN_KINDS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"取組み?結果|取り組み結果|実績報告|評価結果|進捗状況|結果報告|実施状況|取組状況"), "results_report"),
    (re.compile(r"実施計画|アクションプラン|推進計画|行動計画"), "implementation_plan"),
    (re.compile(r"大綱"), "outline"),
    (re.compile(r"総合計画|基本計画|基本構想"), "comprehensive_plan"),
    (re.compile(r"戦略"), "strategy"),
)
PERIOD_LABEL = re.compile(r"計画期間|取組期間|推進期間|実施期間|対象期間")
MUNICIPALITY_SUFFIX = ("市", "町", "村", "区")
PREFECTURE_SUFFIX = ("都", "道", "府", "県")
COVER_LINES = 20


def _cover_lines(document: Document) -> list[str]:
    """The first lines of the first page; a table row with one cell of text counts as a line
    (a text export writes its cover into the first column of its one table)."""
    lines: list[str] = []
    for block in document.pages[0].blocks if document.pages else []:
        if isinstance(block, Line):
            lines.append(block.text)
            continue
        for row in block.texts():
            filled = [text for text in row if text.strip()]
            if len(filled) != 1:
                return lines[:COVER_LINES]   # the first real table row ends the cover
            lines.append(filled[0])
    return lines[:COVER_LINES]


SECTION_NUMBER = re.compile(r"^\s*(?:[0-9０-９]+|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|第\s*[0-9０-９一二三四五六七八九十]+\s*[章節部]?)[\s　.．、]")
TITLE_NAME = re.compile(r"第\s*[0-9一二三四五六七八九十]+\s*次|[\u4e00-\u9fff\u30a0-\u30ff]{1,8}[市町村区](?!民|長|税|役所)")  # a title names the plan's edition or its municipality


def find_title(document: Document) -> str | None:
    """The cover's title line (a numbered section heading is not one), completed by a
    draft mark below it or by a longer cover line repeating it ("…取組み結果（令和2年度）").
    No title on the cover gives None: the names a text cites are often other plans'."""
    lines = [line.strip() for line in _cover_lines(document)]
    for number, text in enumerate(lines):
        if (TITLE_WORDS.search(text) and len(text) <= 50 and not re.search(r"[、。:：]", text)
                and not SECTION_NUMBER.match(text) and TITLE_NAME.search(nfkc(text))):
            title = max((line for line in lines if line.startswith(text)), key=len)
            following = nfkc(lines[number + 1]).strip() if number + 1 < len(lines) else ""
            if title == text and wrapped_title(nfkc(text), following):
                title += lines[number + 1].strip()       # "…取組実績報" + "告書": a title wrapped on the cover
            elif number + 1 < len(lines) and DRAFT_MARK.match(nfkc(lines[number + 1]).strip()):
                title += "（" + nfkc(lines[number + 1]).strip()[1:-1] + "）"
            return title
    return None


TITLE_END = re.compile(r"(?:計画|大綱|戦略|書|結果|プラン|ビジョン|シート|[）)]|版|編|表|方針|構想|報告)$")


def wrapped_title(title: str, following: str) -> bool:
    """The cover line after a title ends it: the title stops mid-word and the line is short,
    neither a date, a period nor a name of its own."""
    return (bool(following) and not TITLE_END.search(title) and len(following) <= 16
            and not parse_date(following) and not parse_period(following)
            and not COVER_MUNICIPALITY.match(following) and not re.search(r"[:：]", following))


def plan_kind_of(*texts: str | None) -> str | None:
    for text in texts:
        for pattern, kind in PLAN_KINDS:
            if text and pattern.search(text):
                return kind
    return None


def place_names(text: str, labels: LabelTable, suffixes: tuple[str, ...]) -> Counter:
    """Place names (SudachiPy 地名) ending in one of `suffixes`, counted."""
    found: Counter = Counter()
    for chunk in re.split(r"[\n\t]", text):
        chunk = chunk[:2000]
        if not any(suffix in chunk for suffix in suffixes):   # no name can end in a suffix it lacks:
            continue                                            # most lines, not worth tokenizing
        for morpheme in labels.tokenize(chunk):
            surface = morpheme.surface()
            pos = morpheme.part_of_speech()
            if pos[2] == "地名" and surface.endswith(suffixes) and len(surface) >= 2:
                found[surface] += 1
    return found


# A municipality the dictionary does not know: "第2次○○町行政改革…" or a cover line "○○町".
TITLE_MUNICIPALITY = re.compile(r"^(?:第\s*[0-9０-９一二三四五六七八九十]+\s*次\s*)?(?:[^\s第]{1,4}?[都道府県])?(?:[^\s第]{1,5}?郡)?"
                                r"(?P<name>[^\s第郡]{1,8}?[市町村])(?=行|総|財|ま|地|実|大|基|ア|後|前|中|第|生|公|人|環|都|過)")
COVER_MUNICIPALITY = re.compile(r"^(?P<name>[\u4e00-\u9fff\u30a0-\u30ffー]{1,8}[市町村])$")


NAME_CHAR = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ffヶケノの]")
NAME_STOP = set("県府道郡次期第都")   # a prefecture, a 郡 or an edition ends the name on its left


def whole_name(text: str, name: str) -> str:
    """`name` as found in `text`, extended to the left over the characters of the same word:
    SudachiPy reads an unknown 月影野市 as 月影 + 野市, and 野市 is a real town elsewhere."""
    start = text.find(name)
    if start < 0:
        return name
    while start > 0 and NAME_CHAR.match(text[start - 1]) and text[start - 1] not in NAME_STOP \
            and len(name) < 10:
        start -= 1
        name = text[start] + name
    return name


def find_municipality(document: Document, title: str | None, labels: LabelTable,
                      gazetteer: Gazetteer | None = None) -> str | None:
    known = gazetteer.knows if gazetteer else (lambda name: True)
    cover = [nfkc(line).strip() for line in _cover_lines(document)]
    for line in cover:          # a cover line that is a name alone, or a date and a name: the publisher
        head, _, tail = line.rpartition(" ")
        match = COVER_MUNICIPALITY.match(line) or (COVER_MUNICIPALITY.match(tail) if head and parse_date(head) else None)
        if match:
            return match.group("name")
    if title:
        form = nfkc(title).strip()
        match = TITLE_MUNICIPALITY.match(form)
        if match:
            return match.group("name")
        in_title = [whole_name(form, name) for name, _ in place_names(form, labels, MUNICIPALITY_SUFFIX).most_common()]
        if in_title:
            return next((name for name in in_title if known(name)), in_title[0])
    text = document.text()[:200_000]
    names = [whole_name(text, name) for name, _ in place_names(text, labels, MUNICIPALITY_SUFFIX).most_common()]
    names = [name for name in names if known(name)] or names
    return names[0] if names else None


def find_prefecture(document: Document, municipality: str | None, labels: LabelTable,
                    gazetteer: Gazetteer | None = None) -> str | None:
    """The prefecture of the municipality (gazetteer), settled by the prefectures the document prints."""
    printed = [name for name, _ in place_names(document.text()[:50_000], labels, PREFECTURE_SUFFIX).most_common()]
    if gazetteer:
        printed = [name for name in printed if name in gazetteer.prefecture_names]
        found = gazetteer.prefecture_of(municipality, printed)
        if found or gazetteer.prefectures(municipality):
            return found
    return printed[0] if printed else None


def find_period_text(document: Document) -> str | None:
    """The plan period: after a 計画期間 label, or a cover line that is a period alone
    ("令和6年度から令和10年度まで", "（2022年度〜2026年度）")."""
    lines = [block.text for block in document.blocks() if isinstance(block, Line)]
    for number, text in enumerate(lines):
        if PERIOD_LABEL.search(text):
            for candidate in lines[number:number + 4]:
                if parse_period(candidate):
                    return candidate.strip()
    for text in _cover_lines(document):
        if parse_period(text) and len(_without_period(text)) <= 10 and not TITLE_WORDS.search(text):
            return text.strip()
    return None


def _without_period(text: str) -> str:
    """What a line says besides its years: "から まで", "までの5年間" for a period alone."""
    return re.sub(r"[\s()（）〜～~\-－・:：]", "", without_years(nfkc(text)))


def find_published(document: Document) -> str | None:
    for text in _cover_lines(document):
        date = parse_date(text)
        if date and len(nfkc(text).strip()) <= 20:
            return text.strip()
    return None


def read_metadata(document: Document, labels: LabelTable, gazetteer: Gazetteer | None = None) -> RawMetadata:
    title = find_title(document)
    municipality = find_municipality(document, title, labels, gazetteer)
    plan_kind = plan_kind_of(title)
    period_text = find_period_text(document)
    if period_text is None and title and parse_period(title):
        period_text = title
    if period_text is None and plan_kind == "results_report" and title and len(read_years(title)) == 1:
        year = read_years(title)[0]
        period_text = f"{year.year.year}年度～{year.year.year}年度"   # a report on one fiscal year covers that year
    return RawMetadata(
        municipality=municipality,
        prefecture=find_prefecture(document, municipality, labels, gazetteer),
        title=title,
        plan_kind=plan_kind,
        period_text=period_text,
        published_text=find_published(document),
    )
