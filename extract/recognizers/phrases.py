"""Targets written as phrases rather than grids, as 大綱 and アクションプラン lists print them:

    ①サイバー攻撃によるシステム障害、情報流出等被害：０件/年
    ○申告相談者：３％減/取組期間 （基準）平成30年：7,063人
    ○譲渡又は廃止する施設：34施設/取組期間 令和２年度：14施設 令和３年度：６施設 …
    ○各年次の目標数値 （参考）平成30年度：現年 99.08％/滞繰 24.76％

A phrase is a list of items. An item opens with a mark (○ ① …) naming an indicator and maybe
its figure after "：", or with （基準）/（参考） (a baseline), or with a year and "：" (that year's
figure for the indicator named before). A figure with no year of its own applies to every year
of the measure's period ("/年") or to its last year ("/取組期間", or nothing said).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from keikaku.normalize import clean_text, nfkc, parse_quantity, read_years, year_spans

ITEM_MARK = r"[○◯●◎]|[①-⑳㉑-㉟]"
BASELINE_MARK = r"[（(](?:基準|参考|現状|基準値|現状値)[)）]"
MARK_START = re.compile(rf"(?:{ITEM_MARK})(?=\S)|{BASELINE_MARK}")
SUB_ITEM = re.compile(r"^\s*(?![○◯●◎①-⑳㉑-㉟（(])(?P<label>[^\s:：\d]{1,8})\s*(?:[:：]|\s)\s*(?=[▲△\-－]?\d)")   # "電気：1,360,000kWh"
PAREN_FIGURE = re.compile(r"[（(](?P<figure>[^（）()]*\d[^（）()]*)[）)]")
WORDS_TARGET = re.compile(r"(?:以下|以上|未満|以内|を維持|を達成)$")
FIGURE_SPLIT = re.compile(r"\s*[/／]\s*(?!年|取組期間|期間|計画期間|毎年)")
SUB_LABEL = re.compile(r"^(?P<label>[^\d▲△\-－]{1,6}?)\s*(?=[▲△\-－]?\d)")


@dataclass(frozen=True)
class PhraseFigure:
    indicator: str | None
    kind: str                 # target | baseline
    year_text: str | None     # None: the figure applies over the measure's period
    text: str                 # as printed (one figure)


def item_starts(line: str) -> list[int]:
    """Where items open in a line: at a mark, or at a year followed by "：" ("令和２年度：14施設")."""
    form = nfkc(line)
    starts = {m.start() for m in MARK_START.finditer(line)}
    if len(form) == len(line):       # positions in the NFKC form hold for the printed line
        for span in year_spans(form):
            before = form[span.start - 1] if span.start else ""
            if form[span.end:].lstrip().startswith((":", "：")) and before not in "0123456789:：)）":
                starts.add(span.start)
    return sorted(starts)


def split_items(text: str) -> list[str]:
    """The items of a phrase cell, each with its opening mark. A line that starts with a mark,
    a year and "：", or "label：figure" opens an item; any other line continues a wrapped one."""
    lines: list[str] = []
    for line in (text or "").replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        complete = bool(lines) and bool(re.search(r"\d", lines[-1]))   # "…情報流" + "出等被害：０" is one item
        opens = bool(item_starts(line)) and item_starts(line)[0] == 0
        if lines and not (opens or line.startswith("※") or (complete and SUB_ITEM.match(nfkc(line)))):
            lines[-1] = clean_text(lines[-1] + "\n" + line)
        else:
            lines.append(line)
    items: list[str] = []
    for line in lines:
        starts = sorted(set(item_starts(line)) | {0})
        pieces = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [len(line)])]
        for piece in filter(None, pieces):
            if items and re.fullmatch(BASELINE_MARK, items[-1]):
                items[-1] += piece          # "（基準）" + "平成30年：7,063人"
            else:
                items.append(piece)
    return items


def _leading_year(body: str) -> tuple[str | None, str]:
    """"平成30年：7,063人" -> ("平成30年", "7,063人"); no year -> (None, body)."""
    form = nfkc(body)
    spans = year_spans(form)
    if not spans or form[:spans[0].start].strip() or spans[0].mention.era is None:
        return None, body
    return spans[0].text, form[spans[0].end:].lstrip(" :：")


def _figures(indicator: str | None, kind: str, year_text: str | None, text: str) -> list[PhraseFigure]:
    """One item's figure text, split where it lists several ("現年 99.08％/滞繰 24.76％",
    "235グループ/取組期間（５グループ増/年）")."""
    extra = [m.group("figure") for m in PAREN_FIGURE.finditer(nfkc(text))
             if parse_quantity(m.group("figure")).value is not None and not read_years(m.group("figure"))]
    if extra:
        text = PAREN_FIGURE.sub("", nfkc(text))
        return [*_figures(indicator, kind, year_text, text), *(PhraseFigure(indicator, kind, year_text, f) for f in extra)]
    parts = [part for part in FIGURE_SPLIT.split(text) if part.strip()]
    if len(parts) > 1 and all(parse_quantity(part).value is not None for part in parts):
        out = []
        for part in parts:
            label = SUB_LABEL.match(nfkc(part))
            name = f"{indicator}（{label.group('label').strip()}）" if indicator and label else indicator
            out.append(PhraseFigure(name, kind, year_text, part.strip()))
        return out
    return [PhraseFigure(indicator, kind, year_text, text.strip())]


def read_phrase(text: str) -> list[PhraseFigure]:
    """Every figure of a phrase cell with its indicator, kind and year (when printed)."""
    figures: list[PhraseFigure] = []
    indicator: str | None = None
    last_kind, last_year = "target", None
    items = split_items(text)
    for number, item in enumerate(items):
        if item.startswith("※"):
            continue  # a note ("※取組期間は…と整合させている。")
        sub = SUB_ITEM.match(nfkc(item))
        if sub and not _leading_year(item)[0]:
            name = f"{indicator}（{sub.group('label')}）" if indicator else sub.group("label")
            figures.extend(_figures(name, last_kind, last_year, nfkc(item)[sub.end():]))
            continue
        baseline = re.match(BASELINE_MARK, item)
        if baseline:
            year_text, rest = _leading_year(item[baseline.end():])
            last_kind, last_year = "baseline", year_text
            if parse_quantity(rest).value is not None:
                figures.extend(_figures(indicator, "baseline", year_text, rest))
            continue
        year_text, rest = _leading_year(item)
        last_kind, last_year = "target", year_text
        if year_text:
            figures.extend(_figures(indicator, "target", year_text, rest))
            continue
        body = re.sub(rf"^(?:{ITEM_MARK})", "", item).strip()
        name, colon, figure = body.rpartition("：") if "：" in body else body.rpartition(":")
        if colon:
            indicator = name.strip()
            figures.extend(_figures(indicator, "target", None, figure))
            continue
        next_item = items[number + 1] if number + 1 < len(items) else ""
        indicator = body
        if _leading_year(next_item)[0]:
            continue                    # "○財政計画に示す各年次数値" heads the year items after it
        if parse_quantity(body).value is None and WORDS_TARGET.search(nfkc(body)):
            figures.append(PhraseFigure(body, "target", None, body))   # "○類似団体平均値以下": a target in words
    return figures


YEAR_ON_YEAR = re.compile(r"前年度?比|対前年")   # a change on the year before is a target for every year


def phrase_span(figure: PhraseFigure) -> str | None:
    """For a figure with no year of its own: every year of the period ("０件/年", 前年比) or its last."""
    if figure.year_text is not None:
        return None
    yearly = parse_quantity(figure.text).per == "year" or YEAR_ON_YEAR.search(f"{figure.indicator}{figure.text}")
    return "each_year" if yearly else "period_end"
