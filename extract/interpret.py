"""One table interpreter: every table is read by its columns and its rows, with the context
the document has set so far (DESIGN.md, "Recognition").

1. A **header band** (one to three rows of column labels and years; a merged cell counts for
   every column it covers) gives each column a role: hierarchy (policy, area, number, title,
   department, period), indicator, unit, a year (with the kind its header names), a kind
   (区分 = category, whose cells say 目標 / 実績), figures of one kind (基準値 | 目標値 without a
   year), grade, schedule, or text read as context only.
2. Rows of label | value pairs (取組番号 | 1-1 | 所管課 | 税務課) set the context: they open a
   measure, name its indicator or unit.
3. Every body row is read with all roles at once: hierarchy cells a merge left blank are filled
   from above, a measure opens where the title changes, each figure under a year column is one
   observation whose kind comes from the row label, else the kind column, else the column
   header, else the default (a plan's bare year columns are targets); grade rows and columns
   give evaluations, schedule rows give schedule.
4. Years down the first column (a transposed grid) are read the same way, turned.
What a table holds that nothing read (figures under no role) is counted and reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from keikaku.models import RawEvaluation, RawObservation, RawSchedule
from keikaku.normalize import figures_in, match_key, nfkc, parse_quantity, read_years, without_years, year_spans

from .context import Context
from .drift import ANCHOR_TYPES, drifted_grade, drifted_title, realign_table
from .ir import Cell, Table
from .recognizers.arrows import arrow_in
from .names import split_departments, split_number, strip_area_number
from .recognizers.phrases import phrase_span, read_phrase

KINDS = ("target", "actual", "baseline")
HIERARCHY = ("policy", "area", "number", "title", "department", "period")
MAX_HEADER_CELL = 24          # a column label or year heading is short
MAX_FIGURE_CELL = 40          # a figure with its unit and a few words
GRADE_MARK = re.compile(r"[SABCDE][+-]?|[◎○〇△×]")
DASHES = {"-", "―", "—", "–", "‐", "ー", "−", "－"}
# roles of a header label: the label table's field -> the column role
FIELD_ROLES = {"policy": "policy", "area": "area", "title": "title", "number": "number", "department": "department",
               "period": "period", "indicator": "indicator", "unit": "unit", "year": "label", "grade": "grade",
               "schedule": "schedule", "note": "note", "target": "target", "actual": "actual", "baseline": "baseline"}
FORM_FIELDS = ("policy", "area", "title", "number", "department", "period", "indicator", "unit", "note")


# ---- the table as a grid of slots ------------------------------------------------------

@dataclass
class Slots:
    """A table's grid with merges resolved: each slot knows the cell that covers it."""
    table: Table
    origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    n_cols: int = 0                 # the widest row's (counted once: asked for each row)

    def __post_init__(self) -> None:
        self.n_cols = self.table.n_cols
        for r, row in enumerate(self.table.rows):
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                for dr in range(cell.row_span):
                    for dc in range(cell.col_span):
                        self.origin.setdefault((r + dr, c + dc), (r, c))

    @property
    def n_rows(self) -> int:
        return self.table.n_rows

    def cell(self, r: int, c: int) -> Cell | None:
        row = self.table.rows[r] if r < self.n_rows else ()
        return row[c] if c < len(row) else None

    def own(self, r: int, c: int) -> str:
        """The text of the cell that starts at this slot ("" when covered or empty)."""
        cell = self.cell(r, c)
        return cell.text.strip() if cell and cell.text else ""

    def covered(self, r: int, c: int) -> bool:
        return self.origin.get((r, c), (r, c)) != (r, c)

    def merged(self, r: int, c: int) -> str:
        """The text of whichever cell covers the slot."""
        r0, c0 = self.origin.get((r, c), (r, c))
        return self.own(r0, c0)

    def covered_from_above(self, r: int, c: int) -> bool:
        r0, _ = self.origin.get((r, c), (r, c))
        return r0 < r


def one_line(text: str) -> str:
    """A cell's text without its line breaks: vertical text and wrapped titles joined."""
    parts = [part.strip() for part in text.split("\n") if part.strip()]
    joined = ""
    for part in parts:   # keep a space between two Latin words, none between Japanese ones, nor in a
        opened = joined.count("（") + joined.count("(") > joined.count("）") + joined.count(")")
        joined += (" " if joined and joined[-1].isascii() and joined[-1].isalnum() and part[0].isascii()
                   and part[0].isalnum() and not opened else "") + part   # bracket cut short: （20⏎19年度）
    return joined


MAX_TITLE = 60
MAX_KIND_LABEL = 8           # a row label that names its kind with a unit or year: "目標値（件）", "R5実績"


def is_title(text: str) -> bool:
    """A measure's name, not the sentence describing it (具体的な取組 | 利用状況を踏まえ…進める。)."""
    return bool(text) and len(text) <= MAX_TITLE and not nfkc(text).rstrip().endswith("。")


# ---- column roles ----------------------------------------------------------------------

@dataclass
class Column:
    index: int
    role: str
    header: str = ""
    kind: str | None = None       # the kind the header names (基準値（R5年度） -> baseline)
    year_text: str | None = None  # the year the header names
    era: str | None = None
    kind_above: bool = False      # its kind stands in a band row above its year (実績値 over R5 | R6)
    bare: bool = False            # nothing printed but its year


def year_heading(text: str, ctx: Context) -> tuple[str, str | None] | None:
    """(year text, era) of a header cell that is one year, maybe with its kind: "R7年度",
    "基準値（R5年度）", "令和6年度（2024）", "R4現状値"; not a date nor a sentence."""
    text = one_line(text)
    if not text or len(match_key(text)) > MAX_HEADER_CELL:
        return None
    years = read_years(text, era=ctx.era)
    if not years or len({year.year.year for year in years}) != 1 or not ctx.labels.is_year_heading(text):
        return None
    return text, next((year.era for year in years if year.era), ctx.era)


def label_role(text: str, ctx: Context) -> str | None:
    """The role a header label gives its column ("担当課" -> department)."""
    text = one_line(text)
    if not text or len(text) > MAX_HEADER_CELL:
        return None
    field_name = ctx.labels.field(text) or ctx.labels.field(re.sub(r"[（(][^）)]*[）)]$", "", text))
    if field_name is None and len(text) <= 12:
        field_name = ctx.labels.field_head(text)
        if field_name in KINDS or field_name in ("note", "grade"):
            field_name = None  # "取組状況・課題": a comment column, not the figures of a kind
    return FIELD_ROLES.get(field_name) if field_name else None


def header_like(slots: Slots, r: int, ctx: Context) -> bool:
    """A row of column labels and years: two or more of its cells name a role or a year and
    at most one other cell holds words (none holds a figure)."""
    named = others = 0
    for c in range(slots.n_cols):
        text = slots.own(r, c)
        if not text:
            continue
        if year_heading(text, ctx) or label_role(text, ctx) or ctx.labels.kind_in(one_line(text), header=True):
            named += 1
        elif parse_quantity(text).value is not None and not read_years(text):
            return False
        else:
            others += 1
    return named >= 2 and others <= named


def kv_row(slots: Slots, r: int, ctx: Context) -> list[tuple[str, int]] | None:
    """(field, value column) pairs of a row of label | value cells, or None when the row is not one."""
    cells = [(c, slots.own(r, c)) for c in range(slots.n_cols) if slots.own(r, c)]
    pairs, labels = [], 0
    for position, (c, text) in enumerate(cells):
        role = label_role(text, ctx)
        if role in FORM_FIELDS:
            labels += 1
            following = cells[position + 1][1] if position + 1 < len(cells) else ""
            if following and label_role(following, ctx) is None and not year_heading(following, ctx):
                pairs.append((role, cells[position + 1][0]))
    if not pairs or labels > len(pairs) or any(year_heading(text, ctx) for _, text in cells):
        return None
    return pairs


@dataclass
class Layout:
    """What a header band says about each column."""
    columns: dict[int, Column]
    rows: int                                   # header rows

    def role(self, role: str) -> Column | None:
        return next((column for column in self.columns.values() if column.role == role), None)

    def of(self, *roles: str) -> list[Column]:
        return [column for column in sorted(self.columns.values(), key=lambda col: col.index) if column.role in roles]


def read_layout(slots: Slots, start: int, ctx: Context) -> Layout:
    """The header band from row `start` (one to three header-like rows) and each column's role."""
    end = start + 1
    while end < min(slots.n_rows, start + 3) and (header_like(slots, end, ctx) or _continues_band(slots, end, ctx)):
        end += 1
    columns: dict[int, Column] = {}
    for c in range(slots.n_cols):
        texts = []
        for r in range(start, end):
            text = slots.merged(r, c)
            if text and (not texts or texts[-1] != text):
                texts.append(text)
        if not texts:
            continue
        header = " ".join(one_line(text) for text in texts)
        year = next((found for text in reversed(texts) if (found := year_heading(text, ctx))), None)
        if year:
            kinds = [(k, text) for text in reversed(texts) if (k := ctx.labels.kind_in(one_line(text), header=True))]
            kind = kinds[0][0] if kinds else None
            columns[c] = Column(c, "year", header, kind, year[0], year[1],
                                kind_above=bool(kinds) and not year_heading(kinds[0][1], ctx),
                                bare=not kinds and len(texts) == 1)
            ctx.era = year[1] or ctx.era
            continue
        role = next((found for text in reversed(texts) if (found := label_role(text, ctx))), None)
        if role is None and (kind := ctx.labels.kind_in(header, header=True)):
            role = kind
        if role:
            columns[c] = Column(c, role, header, kind=role if role in KINDS else None)
    years = [column for column in columns.values() if column.role == "year"]
    _group_kinds(years)
    corner = min(columns) if columns else None
    for column in columns.values():   # "目標値 | 単位 | 2024年度 …": the corner names the years' kind
        if years and column.role in KINDS and column.index == corner and not any(
                other.role == "indicator" for other in columns.values()):
            for year in years:
                year.kind = year.kind or column.kind
            column.role, column.kind = "label", None
    seen: set[tuple] = set()
    for column in sorted(columns.values(), key=lambda col: col.index):
        if column.role == "year":   # "令和2年度の達成目標 | 令和2年度計画": one (year, kind) read once
            key = (read_years(column.year_text, era=column.era)[0].year.year, column.kind)
            if key in seen:
                column.role = "note"
            seen.add(key)
    roles = {column.role for column in columns.values()}
    figures = roles & {"year", "indicator", *KINDS}
    if "title" not in roles and (roles & {"number", "department"} or "indicator" in roles and figures) \
            and roles & {"area", "policy"}:
        hierarchy = [column for column in columns.values() if column.role in ("area", "policy")]
        hierarchy[-1].role = "title"   # 番号 | 実施項目 | 所管部局, 施策 | KPI | 現状値: the lowest level is the measure
    if any(column.role == "year" for column in columns.values()) and not any(
            column.role == "title" for column in columns.values()):
        for column in columns.values():   # "項目 | 令和6年度 …": the first column labels the rows
            if column.role in ("policy", "area"):
                column.role = "label"
    return Layout(columns, end - start)


def _group_kinds(years: list[Column]) -> None:
    """実績値 | | 策定時 | 目標 | | over R5 | R6 | R7 | R9 | R10: a kind printed once over a run of
    year columns (a merged cell, or its text alone in a layout export) names the kind of each
    column of the run that prints nothing of its own above its year."""
    previous = None
    for column in sorted(years, key=lambda col: col.index):
        if column.bare and previous is not None and previous.index == column.index - 1 and previous.kind_above:
            column.kind, column.kind_above = previous.kind, True
        previous = column


def _continues_band(slots: Slots, r: int, ctx: Context) -> bool:
    """A second header row of years alone, or of the cells a merged header left to fill."""
    texts = [slots.own(r, c) for c in range(slots.n_cols) if slots.own(r, c)]
    if len(texts) == 1 and slots.n_cols > 1:
        return False          # one cell across the table (【数値目標】): a section row, not a header
    return bool(texts) and all(year_heading(text, ctx) or label_role(text, ctx) or
                               ctx.labels.kind_in(one_line(text), header=True) for text in texts)


# ---- reading cells -----------------------------------------------------------------------

@dataclass
class Figure:
    text: str
    year_text: str | None
    kind: str | None = None     # a kind the cell names itself (the arrow's sides)
    span: str | None = None     # each_year | period_end for a figure with no year of its own


def cell_figures(text: str, ctx: Context) -> list[Figure]:
    """The figures a value cell prints, each with the year it carries, if any:
    "62.4％\\n（令和5年度）", "184団体（R4）", "1,234人（R5）→1,500人（R11）", "10人/年"."""
    flat = one_line(text)
    arrow = arrow_in(flat)
    if arrow:
        return [Figure(arrow.base, arrow.base_year, "baseline"), Figure(arrow.goal, arrow.goal_year, "target")]
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) == 2 and year_spans(nfkc(lines[1])) and re.fullmatch(r"[（(].*[）)]", nfkc(lines[1])):
        return [Figure(flat, lines[1])]       # the figure on one line, its year in brackets below
    spans = year_spans(nfkc(flat))
    if spans and re.search(r"[（(]\s*$", nfkc(flat)[:spans[0].start]):
        return [Figure(flat, nfkc(flat)[spans[0].start:spans[-1].end])]  # "184団体（R4）", "10件（R5〜R9累計）"
    return [Figure(flat, None)]


def looks_like_figure(text: str) -> bool:
    """A cell that is one figure ("98.6%", "1,234人"), not words with a number in them ("方針３ …")."""
    flat = nfkc(one_line(text)).strip()
    return (len(flat) <= 20 and bool(re.match(r"[▲△\-+]?\d", flat)) and len(figures_in(flat)) == 1
            and parse_quantity(flat).value is not None)


MAX_WORDS_CELL = 15          # a stage in words (検討, 試行実施); a row labelled 目標値 may say more


def is_value_text(text: str, labelled: bool = False) -> bool:
    """A figure, a dash or a few words (検討, 実施): what a value cell may print; not prose."""
    key = match_key(text)
    if not key or len(key) > MAX_FIGURE_CELL or "。" in key:
        return False
    if len(figures_in(nfkc(text))) > 1 and not arrow_in(one_line(text)):
        return False     # "・実質公債費比率 3.7% ・将来負担比率 ▲18.9%": a list of figures, read as prose
    if parse_quantity(text).value is not None or labelled:
        return True
    return len(key) <= MAX_WORDS_CELL and not key.startswith(("・", "●", "○", "※")) and "、" not in key


# ---- the interpreter ---------------------------------------------------------------------

@dataclass
class TableReading:
    """One table read with the document's context."""
    table: Table
    ctx: Context
    slots: Slots = field(init=False)
    layout: Layout | None = None
    read_figures: int = 0
    skipped: list[str] = field(default_factory=list)
    carried: dict[str, str] = field(default_factory=dict)   # hierarchy values filled down
    title_origin: tuple[int, int] | None = None
    indicator: str | None = None          # the indicator a row or column of this table names
    printed: Table | None = None          # the table as read, before drifted rows were realigned
    anchors: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.slots = Slots(self.table)

    # context records -----------------------------------------------------------------
    def at(self, r: int, c: int) -> dict:
        """Where the cell covering slot (r, c) was printed: its box (PDF) or line (text)."""
        r0, c0 = self.slots.origin.get((r, c), (r, c))
        cell = self.slots.cell(r0, c0)
        return {"bbox": cell.bbox if cell else None, "line": getattr(cell, "line", None) if cell else None}

    def observe(self, text: str, year_text: str | None, kind: str, r: int, c: int, indicator: str | None,
                unit: str | None = None, era: str | None = None, span: str | None = None) -> None:
        if year_text is None and span is None:
            span = "each_year" if parse_quantity(text).per == "year" else "period_end"
        self.ctx.observations.append(RawObservation(
            measure_key=self.ctx.owner(), indicator=indicator or self.indicator or self.ctx.indicator or self.ctx.caption,
            year_text=year_text, span=None if year_text else span, era_hint=era or self.ctx.era, kind=kind,
            text=text, unit_hint=unit or self.ctx.unit or self.ctx.caption_unit, page=self.table.page,
            **self.at(r, c)))
        self.read_figures += 1

    def grade(self, text: str, year_text: str | None, era: str | None, r: int, c: int) -> bool:
        grade = nfkc(one_line(text)).strip()
        if not GRADE_MARK.fullmatch(grade) or self.ctx.measure_key is None or not year_text:
            return False
        self.ctx.evaluations.append(RawEvaluation(measure_key=self.ctx.measure_key, year_text=year_text,
                                                  era_hint=era or self.ctx.era, grade=grade, page=self.table.page,
                                                  **self.at(r, c)))
        return True

    # the walk over rows ----------------------------------------------------------------
    def read(self) -> None:
        ctx, slots = self.ctx, self.slots
        r = 0
        continued = self._continuation()
        if continued is not None:
            self.layout, self.indicator = continued, ctx.last_layout[4]
            self._realign(0)
        elif (turned := self._years_down()) is not None:
            self.layout, r = turned, turned.rows
        while r < slots.n_rows:
            pairs = kv_row(slots, r, ctx) if self.layout is None else None   # under a header, a row is a body row
            if pairs:   # every label beside its value: a form row, however many labels it has
                self._form_row(r, pairs)
                r += 1
                continue
            if header_like(slots, r, ctx) and not self._is_kind_row(r):
                layout = read_layout(slots, r, ctx)
                if self._usable(layout):
                    self.layout = layout
                    r += layout.rows
                    self._realign(r)
                    continue
            if self.layout is not None:
                self._body_row(r)
            elif self._single_cell(r):   # "基本方針1 財源確保…" across a form; else a caption, context only
                text = next(self.slots.own(r, c) for c in range(self.slots.n_cols) if self.slots.own(r, c))
                inline = ctx.labels.field_prefix(one_line(text))
                if inline and inline[0] in FORM_FIELDS and inline[1]:
                    c = next(c for c in range(self.slots.n_cols) if self.slots.own(r, c))
                    self._form_value(inline[0], inline[1], text, self.at(r, c))
            else:
                self._loose_row(r)
            r += 1
        if self.layout is not None:
            ctx.last_layout = (self.table.n_cols, self.table.page, self.layout, self.table.index, self.indicator)

    def _years_down(self) -> Layout | None:
        """Years down the first column under a row of indicators or kinds: a transposed grid.
        Its header is every row above the first year (names, then maybe a 単位 row)."""
        slots, ctx = self.slots, self.ctx
        years = [r for r in range(1, slots.n_rows) if year_heading(slots.own(r, 0), ctx)]
        if len(years) < 2 or header_like(slots, 0, ctx) and any(year_heading(slots.own(0, c), ctx)
                                                               for c in range(slots.n_cols)):
            return None
        first = years[0]
        columns: dict[int, Column] = {}
        for c in range(1, slots.n_cols):
            names = [one_line(slots.merged(r, c)) for r in range(first) if slots.merged(r, c)]
            names = [name for r, name in enumerate(names) if ctx.labels.field(slots.own(r, 0)) != "unit"] or names
            if not names:
                continue
            header = " ".join(names)
            role = label_role(header, ctx) or (ctx.labels.kind_in(header, header=True) and "kind_only")
            if role == "kind_only" or role in KINDS:
                kind = ctx.labels.kind_in(header, header=True) or role
                columns[c] = Column(c, kind, header, kind=kind)
            elif role == "grade":
                columns[c] = Column(c, "grade", header)
            elif role is None:
                columns[c] = Column(c, "indicator_across", header)
        return Layout(columns, first) if columns else None

    def _realign(self, start: int) -> None:
        """Rows of a text export (no boxes) that drifted left of their header go back under it."""
        if any(cell is not None and cell.bbox is not None for row in self.table.rows for cell in row):
            return
        anchors = {role: column.index for role in ANCHOR_TYPES if (column := self.layout.role(role))}
        if anchors:
            self.printed = self.slots.table
            self.anchors = anchors | ({"title": self.layout.role("title").index} if self.layout.role("title") else {})
            self.slots = Slots(realign_table(self.slots.table, anchors, start))

    def _continuation(self) -> Layout | None:
        """A table on the next page with the same columns and no header of its own goes on
        reading under the last table's header."""
        last = self.ctx.last_layout
        if not last or last[0] != self.table.n_cols or self.table.page not in (last[1], last[1] + 1) or not self.slots.n_rows:
            return None
        if any(header_like(self.slots, r, self.ctx) for r in range(min(2, self.slots.n_rows))):
            return None
        same_table = last[1] == self.table.page and last[3] == self.table.index   # a text table split at its lines
        if not same_table and (kv_row(self.slots, 0, self.ctx) or not any(
                re.match(r"[▲△\-+]?\d", nfkc(text)) or match_key(text) in DASHES
                for column in last[2].of("year", *KINDS) if (text := self.slots.own(0, column.index)))):
            return None   # a form or a list of its own, not the rows of the last grid
        return last[2]

    def _usable(self, layout: Layout) -> bool:
        roles = {column.role for column in layout.columns.values()}
        return bool(layout.of("year")) or "title" in roles or len(roles & {*KINDS, "grade", "indicator"}) >= 1

    def _is_kind_row(self, r: int) -> bool:
        """"計画値 | 265,500 | 262,900": a kind label with figures is a body row, not a header."""
        return any(parse_quantity(self.slots.own(r, c)).value is not None and not year_heading(self.slots.own(r, c), self.ctx)
                   for c in range(1, self.slots.n_cols))

    # rows of a form ----------------------------------------------------------------------
    def _form_row(self, r: int, pairs: list[tuple[str, int]]) -> None:
        for role, c in pairs:
            self._form_value(role, one_line(self.slots.own(r, c)), self.slots.own(r, c), self.at(r, c))

    def _form_value(self, role: str, value: str, printed: str, where: dict) -> None:
        """One label's value on a form: it opens a measure or sets the context."""
        ctx = self.ctx
        if role == "policy":
            ctx.open_policy(split_number(value)[1])
            ctx.policy_pending = False     # a form's policy names where its measure stands
        elif role == "area" and not (ctx.pending_number and is_title(value)):
            ctx.area = strip_area_number(value)
        elif role in ("title", "area") and is_title(value):   # after its No., the form's first name is the measure
            number, title = split_number(value)
            measure = ctx.add_measure(title, number=ctx.pending_number or number, page=self.table.page, source="form",
                                      **where)
            for earlier_role, earlier in ctx.pending_fields.items():
                setattr(measure, earlier_role, earlier)
            ctx.pending_number, ctx.pending_fields = None, {}
        elif role == "number":
            ctx.pending_number = value
        elif role == "department":
            self._set_measure_field("departments", split_departments(printed))
        elif role == "period":
            self._set_measure_field("period_text", value)
        elif role == "indicator":
            ctx.indicator = value
        elif role == "unit":
            ctx.unit = value

    def _set_measure_field(self, name: str, value) -> None:
        measure = self.ctx.current_measure()
        if measure is not None and measure.page == self.table.page and not getattr(measure, name):
            setattr(measure, name, value)
        else:
            self.ctx.pending_fields[name] = value

    # rows with no header above them -------------------------------------------------------
    def _section_row(self, r: int) -> bool:
        """A row of one cell across the table: a heading of the hierarchy ("1 職員の能力向上…")."""
        texts = [(c, self.slots.own(r, c)) for c in range(self.slots.n_cols) if self.slots.own(r, c)]
        if len(texts) != 1 or self.slots.n_cols < 2:
            return False
        c, text = texts[0]
        if c != 0 or parse_quantity(text).value is not None and not split_number(text)[0]:
            return False
        if not is_title(one_line(text)):
            return True    # a sentence across the table (目標・成果 below its label): context only
        inline = self.ctx.labels.field_prefix(text)
        inline = inline if inline and inline[1] else None      # "■数値目標": a label alone, read below
        number, title = split_number(one_line(inline[1] if inline else text))
        role = inline[0] if inline and inline[0] in ("policy", "area") else None
        if role is None and self.layout is not None:
            role = "area" if self.layout.role("policy") else "policy"
        if role is None:
            role = "policy"
        if self.ctx.labels.field(title) is not None or self.ctx.labels.field(re.sub(r"^[<＜〈【\[]|[>＞〉】\]]$", "", title)):
            self.ctx.measure_key = None   # "＜数値目標＞": the figures below are the policy's own
            self.ctx.policy_pending = True
            return True
        if self.layout is not None and self.layout.role("title") is None and number:
            self.ctx.add_measure(title, number=number, page=self.table.page, source="heading", **self.at(r, c))
            return True      # "（1）防災・減災の推進" across a KPI table: a measure and its indicators below
        if role == "policy":
            self.ctx.open_policy(title, number)
            self.carried.pop("policy", None)
        else:
            self.ctx.area = strip_area_number(title)
        return True

    def _single_cell(self, r: int) -> bool:
        return sum(1 for c in range(self.slots.n_cols) if self.slots.own(r, c)) == 1 and self.slots.n_cols > 1

    def _loose_row(self, r: int) -> None:
        """A row of a table with no header: a kind label with figures that carry their own
        year (現状値 | 184団体（R4）), an indicator label, or nothing we read."""
        slots, ctx = self.slots, self.ctx
        cells = [(c, slots.own(r, c)) for c in range(slots.n_cols) if slots.own(r, c)]
        if not cells:
            return
        label = one_line(cells[0][1])
        kind = ctx.labels.field(label)
        if kind == "indicator" and len(cells) > 1:
            ctx.indicator = one_line(cells[1][1])
            return
        for c, text in cells[1:]:
            for figure in cell_figures(text, ctx) if kind in KINDS or arrow_in(one_line(text)) else []:
                if figure.year_text or kind in KINDS and ctx.report_year:
                    self.observe(figure.text, figure.year_text or ctx.report_year, figure.kind or kind, r, c,
                                 indicator=label if kind not in KINDS else None)
        self._count_unread(r, [c for c, _ in cells[1:]])

    # body rows under a header --------------------------------------------------------------
    def _body_row(self, r: int) -> None:
        layout, slots, ctx = self.layout, self.slots, self.ctx
        if self._section_row(r):
            return
        self._hierarchy(r)
        years = layout.of("year")
        if not years and slots.n_rows and self._transposed_row(r):
            return
        label_column = self._label_column(r)
        label = one_line(slots.merged(r, label_column)) if label_column is not None else ""
        row_field = ctx.labels.field(label) if label else None
        if row_field in ("note", "unit", "year") or (row_field == "title" and label_column is not None):
            return
        if row_field == "indicator":
            self.indicator = self._beside(r, label_column) or self.indicator
            return
        if row_field == "schedule":
            self._schedule_row(r, years)
            return
        if row_field == "grade":
            for column in years:
                self.grade(slots.own(r, column.index), column.year_text, column.era, r, column.index)
            return
        indicator = self._indicator(r, label_column, label, row_field)
        unit = self._unit(r)
        row_kind = row_field if row_field in KINDS else None
        if row_kind is None and label and label_column is not None and layout.role("indicator") is None \
                and len(without_years(label)) <= MAX_KIND_LABEL:
            row_kind = ctx.labels.kind_in(label)     # "目標値（件）"; not "第6期 財政計画", a name
        kind_column = layout.role("label")
        if row_kind is None and kind_column is not None and kind_column.index != label_column:
            row_kind = ctx.labels.kind_in(one_line(slots.merged(r, kind_column.index)))
        for column in years:
            self._year_cell(r, column, row_kind, indicator, unit)
        for column in layout.of(*KINDS, "grade"):
            self._kind_cell(r, column, indicator, unit, years)
        if layout.role("indicator") and not years and not layout.of(*KINDS):
            self._phrase_cell(r, layout.role("indicator"))

    def _hierarchy(self, r: int) -> None:
        """Policy, area, number, title, department, period of the row: a merged or blank cell
        takes the value above; a title cell of its own opens a measure."""
        layout, slots, ctx = self.layout, self.slots, self.ctx
        values: dict[str, str] = {}
        for role in ("policy", "area", "number", "department", "period"):
            column = layout.role(role)
            if column is None:
                continue
            text = slots.merged(r, column.index)
            if text:
                values[role] = text
                self.carried[role] = text
            elif role in ("policy", "area") and role in self.carried:
                values[role] = self.carried[role]
        title_column = layout.role("title")
        if title_column is None:
            measure = ctx.current_measure()
            if measure is not None and not measure.departments and values.get("department"):
                measure.departments = split_departments(values["department"])
            return
        origin = slots.origin.get((r, title_column.index), (r, title_column.index))
        title_text = one_line(slots.merged(r, title_column.index))
        drifted = self.printed is not None and (ANCHOR_TYPES["department"](title_text)
                                                or not title_text and bool(values.get("number")))
        if drifted:
            title_text = one_line(drifted_title(self.printed.rows[r], self.anchors))   # the title drifted aside
        if not title_text or origin == self.title_origin or ctx.labels.field(title_text) == "title":
            return
        if values.get("period") and not read_years(values["period"]):
            return   # a legend row (アクションプランの名称 | 担当する課名 | 取組みを行う期間)
        if not drifted and not slots.covered(r, title_column.index) and self.title_origin is not None \
                and not slots.own(r, title_column.index):
            return
        self.title_origin = origin
        number, title = split_number(title_text)
        if "number" in values:
            number = one_line(values["number"])
        policy = values.get("policy")
        area = values.get("area")
        if policy is not None:
            ctx.policy = split_number(one_line(policy))[1]
        if area is not None:
            ctx.area = strip_area_number(one_line(area))
        primary = bool(layout.of("department", "period", "year", "indicator", "grade", *KINDS))
        ctx.add_measure(title, number=number,   # a list of the hierarchy only is an overview others complete
                        departments=split_departments(values.get("department", "")),
                        period_text=values.get("period"), page=self.table.page,
                        source="list" if primary else "overview", **self.at(*origin))
        ctx.indicator = self.indicator = None

    def _label_column(self, r: int) -> int | None:
        """The row's label among the cells left of the figures that no column role claims: the
        one naming a field (目標値, 評価, 年度計画), else the last one ("歳入 | 市税": 市税)."""
        layout, slots = self.layout, self.slots
        first_value = min((column.index for column in layout.of("year", *KINDS, "grade")), default=slots.n_cols)
        claimed = {column.index for column in layout.columns.values() if column.role in HIERARCHY + ("unit", "note")}
        cells = [c for c in range(first_value) if c not in claimed and is_title(one_line(slots.merged(r, c)))
                 and "。" not in slots.merged(r, c)
                 and (layout.columns.get(c) is None or layout.columns[c].role in ("label", "indicator"))]
        named = [c for c in cells if self.ctx.labels.field(one_line(slots.merged(r, c)))]
        return named[0] if named else (cells[-1] if cells else None)

    def _beside(self, r: int, label_column: int | None) -> str | None:
        for c in range((label_column or 0) + 1, self.slots.n_cols):
            text = self.slots.own(r, c)
            if text and not year_heading(text, self.ctx):
                return one_line(text)
        return None

    def _indicator(self, r: int, label_column: int | None, label: str, row_field: str | None) -> str | None:
        column = self.layout.role("indicator")
        if column is not None and column.index != label_column:
            text = self.slots.merged(r, column.index)
            if text:
                self.indicator = one_line(text)
                return self.indicator
        if label and row_field not in KINDS and not self.ctx.labels.kind_in(label):
            if column is not None and column.index == label_column:
                self.indicator = label
            return label
        return self.indicator or self.ctx.indicator

    def _unit(self, r: int) -> str | None:
        column = self.layout.role("unit")
        return one_line(self.slots.merged(r, column.index)) or None if column else None

    def _year_cell(self, r: int, column: Column, row_kind: str | None, indicator: str | None, unit: str | None) -> None:
        slots = self.slots
        text = slots.own(r, column.index)
        if not text or slots.covered(r, column.index):
            return
        kind = row_kind or column.kind or self.ctx.default_kind
        if not is_value_text(text, labelled=row_kind is not None):
            self._prose(text, kind, column.year_text, r, column.index, indicator, unit, column.era)
            return
        for figure in cell_figures(text, self.ctx):
            self.observe(figure.text, figure.year_text or column.year_text, figure.kind or kind, r, column.index,
                         indicator, unit, era=column.era)

    def _kind_cell(self, r: int, column: Column, indicator: str | None, unit: str | None, years: list[Column]) -> None:
        """A cell under 基準値 / 目標値 / 実績 / 達成度 with no year in its header: the cell's own
        year, else the one year the table's other headers name, else the report's year."""
        slots, ctx = self.slots, self.ctx
        text = slots.own(r, column.index)
        if column.role == "grade" and self.printed is not None and not text and ctx.measure_key:
            text = drifted_grade(slots.table.rows[r], column.index) or ""
        if not text or slots.covered(r, column.index):
            return
        default_year = self._one_year(years) or ctx.report_year
        if column.role == "grade":
            if self.printed is not None and not GRADE_MARK.fullmatch(nfkc(text).strip()):
                text = drifted_grade(self.slots.table.rows[r], column.index) or text
            self.grade(text, default_year, None, r, column.index)
            return
        if GRADE_MARK.fullmatch(nfkc(text).strip()) and self.layout.role("grade"):
            return   # a grade that drifted out of its column is no figure
        if not is_value_text(text):
            if default_year:
                self._prose(text, column.kind, default_year, r, column.index, indicator, unit)
            elif figures_in(nfkc(text)):
                self.skipped.append(f"prose under {column.header!r} with no year")
            return
        for figure in cell_figures(text, ctx):
            year = figure.year_text or default_year
            if year is None and parse_quantity(figure.text).value is None:
                continue   # words with no year ("検討") name no figure of a year
            label = figures_in(nfkc(figure.text))
            own_indicator = indicator or (label[0].label.strip() if label and label[0].label.strip() else None)
            self.observe(figure.text, year, figure.kind or column.kind, r, column.index, own_indicator, unit)

    @staticmethod
    def _one_year(years: list[Column]) -> str | None:
        """The year text of a table whose year columns all name one year ("2021年度の計画値 |
        実績値（2021年度）"): the year of its columns with none."""
        years = [column for column in years if column.kind != "baseline"]   # 策定時（R6） dates the baseline alone
        found = {read_years(column.year_text, era=column.era)[0].year.year for column in years}
        return years[0].year_text if len(found) == 1 else None

    def _prose(self, text: str, kind: str, year_text: str, r: int, c: int, indicator: str | None,
               unit: str | None, era: str | None = None) -> None:
        """Figures printed inside sentences of a report cell: each one of the column's kind and
        year, named by the words before it; "（H27:54.3%）" is that year's baseline."""
        previous = None
        for figure in figures_in(text):
            label = figure.label if re.search(r"\w", figure.label or "") else None
            label_year = read_years(label) if label else []
            if label_year and not without_years(label).strip("()（）:： "):
                self.observe(figure.text, label, "baseline", r, c, previous or indicator, unit)
                continue
            previous = label or previous
            self.observe(figure.text, year_text, kind, r, c, previous or indicator, unit, era=era)

    def _phrase_cell(self, r: int, column: Column) -> None:
        """A 目標・指標 cell of a measure list: target phrases ("○申告相談者：３％減/取組期間")."""
        text = self.slots.own(r, column.index)
        if not text or self.ctx.measure_key is None:
            return
        for figure in read_phrase(text):
            self.observe(figure.text, figure.year_text, figure.kind, r, column.index, figure.indicator,
                         span=phrase_span(figure))

    def _schedule_row(self, r: int, years: list[Column]) -> None:
        if self.ctx.measure_key is None:
            return
        for column in years:
            stage = one_line(self.slots.merged(r, column.index))
            if stage:
                self.ctx.schedule.append(RawSchedule(measure_key=self.ctx.measure_key, year_text=column.year_text,
                                                     era_hint=column.era, stage=stage, page=self.table.page,
                                                     **self.at(r, column.index)))

    def _transposed_row(self, r: int) -> bool:
        """Years down the first column: "H29年度 | 606 | 602 | 100.7% | A" under 区分 | 目標 | 実績 | 達成率 | 評価,
        or several indicators across with a kind in the year cell ("R5（実績）")."""
        slots, ctx = self.slots, self.ctx
        first = next((c for c in range(slots.n_cols) if slots.own(r, c)), None)
        if first is None:
            return False
        found = year_heading(slots.own(r, first), ctx)
        if found is None:
            return False
        year_text, era = found
        ctx.era = era or ctx.era
        row_kind = ctx.labels.kind_in(one_line(slots.own(r, first)), header=True)
        for c in range(first + 1, slots.n_cols):
            text = slots.own(r, c)
            column = self.layout.columns.get(c)
            if not text or column is None:
                continue
            if column.role == "grade":
                self.grade(text, year_text, era, r, c)
                continue
            kind = row_kind or column.kind
            indicator = (self.indicator or ctx.indicator) if column.role in KINDS else column.header
            unit = self._unit_row(c)
            if kind is None or not is_value_text(text):
                continue
            for figure in cell_figures(text, ctx):
                self.observe(figure.text, year_text, kind, r, c, indicator, unit, era=era)
        return True

    def _unit_row(self, c: int) -> str | None:
        """The cell of a 単位 row in the header of a transposed grid."""
        for r in range(self.layout.rows):
            if self.ctx.labels.field(self.slots.own(r, 0)) == "unit":
                return one_line(self.slots.own(r, c)) or None
        return None

    def _count_unread(self, r: int, columns: list[int]) -> None:
        for c in columns:
            text = self.slots.own(r, c)
            if text and looks_like_figure(text) and not year_heading(text, self.ctx):
                self.skipped.append(f"row {r + 1}: {one_line(text)!r}")


def interpret(table: Table, ctx: Context) -> TableReading:
    """Read one table into the context's records; what it held that nothing read is in
    `skipped` of the returned reading."""
    reading = TableReading(table, ctx)
    reading.read()
    return reading
