"""Recognizers over lines of text: numbered section headings and KPI blocks printed as lines.

Headings follow the document's own numbering: "目標６ みんなでともにつくるまち" opens a
policy, "６-１ 協働によるまちづくり" a measure. A KPI block is an indicator line followed by
lines that each start with a year and its kind: "R4現状値 28,635", "R9目標値 28,785".
"""
from __future__ import annotations

import re

from keikaku.models import RawObservation
from keikaku.normalize import nfkc, parse_quantity, read_years, unit_of, year_spans

from ..context import Context
from ..ir import Block, Line

MAX_HEADING = 40
# (what the heading opens, pattern on the NFKC line). Data, not code: add a city's form here.
HEADINGS: tuple[tuple[str, re.Pattern], ...] = (
    ("policy", re.compile(r"^(?:第\s*\d+\s*[章節]\s*)?(?:基本目標|目標|政策|基本方針)\s*(?P<number>\d+)\s*(?:[.:：]\s*|\s+)(?P<title>\S.*)$")),
    ("policy", re.compile(r"^【(?:基本目標|目標|政策|基本方針)\s*(?P<number>\d+)】\s*(?P<title>\S.*)$")),
    ("policy", re.compile(r"^[■◆]\s*(?P<number>)(?P<title>[^\d:：。()（）]{4,40})$")),
    ("measure", re.compile(r"^(?P<number>[(（]\d{1,2}[)）])\s*(?P<title>[^【】。:：]{2,40}?)\s*【(?P<department>[^】]+)】$")),
    ("measure", re.compile(r"^(?P<number>\d{1,2})\s+(?P<title>[^（()）。:：]{2,40}?)\s*[（(](?P<label>[^:：（()）]{1,6})[:：]"
                           r"(?P<department>[^）)]+)[）)]$")),
    ("measure", re.compile(r"^【(?P<number>\d{1,2}\s*[-‐―ー]\s*\d{1,2})】\s*(?P<title>\S.*)$")),
    ("measure", re.compile(r"^(?:(?:施策|取組み?|取り組み|事業|No\.?|№)\s*)?(?P<number>\d{1,2}\s*[-‐―ー]\s*\d{1,2})\s+(?P<title>\S.*)$")),
    ("measure", re.compile(r"^(?:取組項目|取組み項目|取り組み項目|実施項目)\s*(?P<number>(?:№|No\.?)\s*\d{1,3})\s+(?P<title>\S.*)$")),
    ("area", re.compile(r"^(?:実施項目|推進項目|施策)\s*(?P<number>[\dIVX]+)\s+(?P<title>\S.*)$")),
)
# "【担当：財政課・スポーツ振興課】": the department of the measure just opened
DEPARTMENT_LINE = re.compile(r"【\s*(?:担当|担当課|主管課|所管課|担当部署)\s*[:：]\s*(?P<names>[^】]+)】")
KPI_LINE = re.compile(r"^(?P<head>\S{2,16}?)(?:\s*[:：]\s*|\s+)(?P<value>\S.*)$")
UNIT_SUFFIX = re.compile(r"[（(](?P<unit>[^（）()]{1,8})[）)]\s*$")


class HeadingRecognizer:
    name = "heading"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        line = blocks[index]
        text = nfkc(line.text).strip()
        if len(text) > MAX_HEADING + 10 or text.endswith("。"):
            return 0
        for opens, pattern in HEADINGS:
            match = pattern.match(text)
            if not match or len(match.group("title")) > MAX_HEADING:
                continue
            if match.groupdict().get("label") and ctx.labels.field(match.group("label")) != "department":
                continue
            if ctx.labels.field(match.group("title")) is not None or (
                    opens == "policy" and ctx.labels.fields_in(match.group("title"), ("indicator",))):
                continue   # "■成果指標", "◆まちづくり指標": a label, not a heading
            title = _printed_tail(line.text, match.group("title"))
            if match.groupdict().get("department"):
                title = _printed_tail(re.split(r"[【（(]", line.text)[0], match.group("title"))
            if opens == "policy":
                ctx.open_policy(title, match.group("number") or None)
            elif opens == "area":
                ctx.area = title
            else:
                number = re.sub(r"\s+", "", match.group("number"))
                department = match.groupdict().get("department")
                ctx.add_measure(title, number=number, page=line.page, source="heading", bbox=line.bbox,
                                line=getattr(line, "line", None),
                                departments=[d for d in re.split(r"[・、,，/\s]+", department) if d] if department else [])
            return 1
        return 0


def _printed_tail(printed: str, normalized_tail: str) -> str:
    """The printed form of the end of a line whose NFKC form ends with `normalized_tail`."""
    printed = printed.strip()
    for start in range(len(printed)):
        if nfkc(printed[start:]).strip() == normalized_tail.strip():
            return printed[start:].strip()
    return normalized_tail.strip()


def kpi_value_line(line: Block, ctx: Context) -> tuple[str, str, str | None, str] | None:
    """"R4現状値　28,635" -> (year text, kind, era, value text), or None."""
    if not isinstance(line, Line):
        return None
    match = KPI_LINE.match(line.text.strip().replace("\u3000", " "))
    if not match:
        return None
    head = match.group("head")
    years = read_years(head, era=ctx.era)
    kind = ctx.labels.kind_in(head, header=True)
    value = match.group("value").strip()
    if not 1 <= len(years) <= 2 or kind is None or parse_quantity(value).value is None:
        return None  # a KPI line prints a figure; "（基準）平成28年度 空調システム最適化前" is a caption
    if len(years) == 2:      # "R5年度〜R9年度計画値 223件/年": the period's last year (a per-year figure covers all)
        return year_spans(nfkc(head))[-1].text, kind, years[-1].era, value
    return head, kind, years[0].era, value


UNIT_CAPTION = re.compile(r"[（(]\s*単位\s*[:：]\s*(?P<unit>[^）)]{1,8})\s*[）)]")
LABEL_HEAD = re.compile(r"^[\s■□◆◇○●◎・▼▽【\[（(]*(?P<label>[^\d:：（()）\s【】]{1,8})[】\]）)]?\s*(?P<rest>.*)$")


class IndicatorLineRecognizer:
    """"■成果指標 町税収納率（単位：％）", "KPI：職員数（単位：人）": the indicator (and unit) of the
    figures that follow, until the next indicator or measure."""
    name = "indicator_line"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        text = nfkc(blocks[index].text).strip()
        match = LABEL_HEAD.match(text)
        if not match or ctx.labels.field(match.group("label")) != "indicator" or len(text) > 80:
            return 0
        rest = match.group("rest").lstrip(":： ")
        unit = UNIT_CAPTION.search(rest)
        name = UNIT_CAPTION.sub("", rest).strip()
        if not name or all(ctx.labels.field(token) for token in name.split()) or read_years(name):
            return 0   # "KPI 策定時 計画値": a row of column labels
        if parse_quantity(name).value is not None and re.search(r"\d", name) and not unit:
            return 0   # a label with its figure: a KPI line, read elsewhere
        ctx.indicator = _printed_tail(blocks[index].text.split("（単位")[0].split("(単位")[0], name) or name
        ctx.unit = unit.group("unit") if unit else None
        return 1


def labelled_figure(chunk: str, ctx: Context) -> tuple[str, str, str] | None:
    """(kind, figure, year text) of "策定時：268,140m2（令和5年度）", "基準値（令和4年度）：21橋",
    "目標：10人／年（令和4年度〜令和8年度）" (the year text is the whole period), or None."""
    match = LABEL_HEAD.match(chunk)
    kind = ctx.labels.field(match.group("label")) if match else None
    if kind not in ("target", "actual", "baseline"):
        return None
    rest = match.group("rest")
    spans = year_spans(rest)
    if not spans:
        return None
    bracket = re.search(r"[（(][^（）()]*[）)]", rest[spans[0].start - 1:]) if spans[0].start else None
    start, end = spans[0].start, spans[-1].end
    if bracket and bracket.start() == 0:          # the years stand in one bracket: drop the bracket whole
        start, end = spans[0].start - 1, spans[0].start - 1 + bracket.end()
    elif len(spans) != 1:
        return None
    figure = re.sub(r"[（(]\s*[）)]", "", rest[:start] + rest[end:]).strip(" :：")
    if not figure or len(figure) > 30 or (parse_quantity(figure).value is None and figure not in "―—-－"):
        return None
    return kind, figure, rest[spans[0].start:spans[-1].end]   # a period stays whole: normalize reads it


class BaselineLineRecognizer:
    """A line of labelled figures, each with its year, for the current indicator:
    "策定時：268,140m2（令和5年度）", "当初値：8人（令和3年度） 目標：10人／年（令和4年度〜令和8年度）"."""
    name = "baseline_line"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        chunks: list[str] = []
        for token in nfkc(blocks[index].text).split():
            if chunks and not LABEL_HEAD.match(token) or chunks and ctx.labels.field(
                    LABEL_HEAD.match(token).group("label")) not in ("target", "actual", "baseline"):
                chunks[-1] += " " + token     # a figure's words go with the label before them
            else:
                chunks.append(token)
        found = [labelled_figure(chunk, ctx) for chunk in chunks]
        if not found or any(item is None for item in found):
            return 0
        for kind, figure, year_text in found:
            ctx.observations.append(RawObservation(
                measure_key=ctx.owner(), indicator=ctx.indicator, year_text=year_text, era_hint=ctx.era, kind=kind,
                text=figure, unit_hint=ctx.unit, page=blocks[index].page, bbox=blocks[index].bbox,
                line=getattr(blocks[index], "line", None)))
        return 1


class KpiLinesRecognizer:
    name = "kpi_lines"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        label = blocks[index]
        if kpi_value_line(label, ctx) is not None:
            return 0
        values = []
        for block in blocks[index + 1:]:
            found = kpi_value_line(block, ctx)
            if found is None:
                break
            values.append((block, found))
        if not values:
            return 0
        unit = UNIT_SUFFIX.search(nfkc(label.text))
        for block, (year_text, kind, era, value) in values:
            ctx.observations.append(RawObservation(
                measure_key=ctx.owner(), indicator=label.text.strip(), year_text=year_text, era_hint=era,
                kind=kind, text=value, unit_hint=unit.group("unit") if unit else None,
                page=block.page, bbox=block.bbox, line=getattr(block, "line", None)))
        return 1 + len(values)


class DepartmentLineRecognizer:
    """A line naming the department of the measure just opened: "（第4次から継続） 【担当：総務課】"."""
    name = "department_line"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        match = DEPARTMENT_LINE.search(nfkc(blocks[index].text))
        measure = next((m for m in reversed(ctx.measures) if m.key == ctx.measure_key), None)
        if not match or measure is None or measure.departments:
            return 0
        measure.departments = [name for name in re.split(r"[・、,，/\s]+", match.group("names")) if name]
        return 1


LINE_GRID_ROW_SEARCH = 6       # lines either side searched for the label of a row printed without one


def year_header_line(text: str, ctx: Context) -> tuple[list[tuple[str, str | None, str | None]], list[str]] | None:
    """"数値目標の項目 単位 R2年度 … R6年度" -> ([(year text, era, kind) …], leading label tokens)."""
    tokens = nfkc(text).split()
    years: list[tuple[str, str | None]] = []
    for token in reversed(tokens):
        found = read_years(token, era=ctx.era)
        if len(found) != 1 or not ctx.labels.is_year_heading(token):
            break
        years.insert(0, (token, found[0].era, ctx.labels.kind_in(token, header=True)))
    if len(years) < 2:
        return None
    return years, tokens[:len(tokens) - len(years)]


def value_tokens(tokens: list[str], count: int) -> list[str] | None:
    """The last `count` tokens when each is a figure or a dash."""
    if len(tokens) < count:
        return None
    tail = tokens[len(tokens) - count:]
    if all(parse_quantity(token).value is not None or token in "―—-－" for token in tail):
        return tail
    return None


class LineGridRecognizer:
    """Grids that reach the text as lines: a line of years, then rows "label [unit] v1 … vn" with
    exactly one value per year, until the next line of years. A row printed without its label,
    or under a bare year line (its kind taken from the document's labelled grids), is flagged
    uncertain: the text's reading order placed it, not the layout."""
    name = "line_grid"

    def read(self, blocks: list[Block], index: int, ctx: Context) -> int:
        text = blocks[index].text
        header = year_header_line(text, ctx)
        if header is not None:
            years, labels = header
            kind = next((k for label in labels for k in ctx.labels.fields_in(label, ("target", "actual", "baseline"))), None)
            ctx.grid_kind = kind or ctx.grid_kind
            ctx.grid_width = max(ctx.grid_width, len(years))
            # a fragment of a wider grid ("R5年度 R6年度" of R2…R6) cannot place the rows after it
            if len(years) == ctx.grid_width:
                ctx.line_grid = ctx.full_grid = (years, kind)
            else:
                ctx.line_grid = None
            return 1
        tokens = nfkc(text).split()
        if tokens and all(ctx.labels.field(token) for token in tokens):
            kind = next((k for t in tokens for k in ctx.labels.fields_in(t, ("target", "actual", "baseline"))), None)
            ctx.grid_kind = kind or ctx.grid_kind    # "数値目標の項目 単位": the grids here are targets
            return 0
        grid = ctx.line_grid or ctx.full_grid     # a full row after a fragment: the document's full grid
        if grid is None:
            return 0
        return 1 if self._row(blocks, index, grid[0], grid[1] if ctx.line_grid else None, ctx) else 0

    def _row(self, blocks: list[Block], position: int, years, kind: str | None, ctx: Context) -> bool:
        tokens = nfkc(blocks[position].text).split()
        values = value_tokens(tokens, len(years))
        if values is None:
            return False
        head = tokens[:len(tokens) - len(years)]
        if any(re.search(r"\d", token) for token in head):
            return False   # more figures than years: not a row of this grid
        unit = head.pop() if head and unit_of(head[-1]) else None
        label = " ".join(head) or None
        own_kinds = all(column_kind for _, _, column_kind in years)   # 策定時（H30） | 目標（R5）
        uncertain = (kind is None and not own_kinds) or label is None
        kind = kind or ctx.grid_kind or (years[0][2] if own_kinds else None)
        if label is None:
            label = self._nearby_label(blocks, position, ctx)
        if kind is None or (label is None and ctx.measure_key is None):
            return False   # a row with neither its label nor a measure to belong to says nothing
        for (year_text, era, column_kind), value in zip(years, values):
            ctx.observations.append(RawObservation(
                measure_key=ctx.owner(), indicator=label, year_text=year_text, era_hint=era,
                kind=column_kind or kind,
                text=value, unit_hint=unit, page=blocks[position].page, uncertain=uncertain,
                bbox=blocks[position].bbox, line=getattr(blocks[position], "line", None)))
        return True

    @staticmethod
    def _nearby_label(blocks: list[Block], position: int, ctx: Context) -> str | None:
        """A short line of words near a row printed without its label ("寄附金額")."""
        for distance in range(1, LINE_GRID_ROW_SEARCH + 1):
            for candidate in (position + distance, position - distance):
                if 0 <= candidate < len(blocks) and isinstance(blocks[candidate], Line):
                    text = blocks[candidate].text.strip()
                    if (len(text) <= 20 and not re.search(r"[\d０-９。、]", text) and not re.match(r"^[【（(《\[　]", text)
                            and ctx.labels.field(text) is None and " " not in text.strip()
                            and re.search(r"\w{2,}", text)):
                        return text
        return None
