"""The labels plan documents print, and what each one means: one data table.

A city writes 主管課, another 担当課; one 取組み, another 取り組み or 取組. Labels are
matched on SudachiPy normalized forms (取組み/取り組み/取組 -> 取り組み) of their NFKC text,
so a spelling variant matches without a row of its own.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from keikaku.normalize import match_key, tokenizable, without_years


# field -> printed labels. Order matters only for readability.
LABELS: dict[str, tuple[str, ...]] = {
    # hierarchy, top to bottom
    "policy": ("基本方針", "基本目標", "政策", "柱", "施策の柱", "大綱の柱", "改革の柱", "基本方向", "基本的方向"),
    "area": ("項目", "重点項目", "実施項目", "推進項目", "重点取組", "施策", "取組の方向", "取組方針", "取組みの方針"),
    "title": ("主な取組み", "取組項目", "取組名", "取組事項", "具体的な取組み", "具体的取組",
              "アクションプラン名", "アクションプラン", "事業名", "改革項目", "実施事項", "個別取組",
              "具体的な取組み項目", "具体的な取組項目", "取組事項名"),
    "number": ("No.", "No", "番号", "№", "通し番号", "取組番号", "事業番号", "項目番号", "取組No"),
    "department": ("主管課", "担当課", "所管課", "担当", "担当部署", "所管部署", "主担当課", "担当部局",
                   "所管課等", "担当課等", "主管部署", "実施主体", "取組主管課", "主管課等", "所管部局", "主管部局",
                   "担当部", "所管部"),
    "period": ("取組期間", "実施期間", "計画期間", "期間"),
    # year grids
    "year": ("年度", "年次", "実施年度", "区分"),
    "indicator": ("数値の定義", "指標", "指標名", "KPI", "成果指標", "数値目標の項目", "目標指標",
                  "評価指標", "活動指標", "目標項目", "数値目標", "目標・指標", "目標・成果", "重要業績評価指標"),
    "target": ("目標値", "目標", "計画値", "計画", "目標数値"),
    "actual": ("実績値", "実績", "決算", "結果", "達成値", "実績見込", "取組状況", "実施状況", "進捗状況", "取組実績"),
    "grade": ("達成度", "取組達成度", "総合評価", "自己評価", "評価結果", "達成状況", "評価", "進捗評価"),
    "baseline": ("現状値", "基準値", "現況値", "基準", "策定時", "当初値", "基準年度"),
    "unit": ("単位",),
    "schedule": ("年度計画", "年次計画", "スケジュール", "取組スケジュール", "工程", "実施工程", "年度別計画", "取組工程",
                 "年次工程", "年度別工程", "工程表"),
    # text fields read only as context
    "note": ("課題", "取組み内容", "期間内の最終目標", "関係計画等", "備考", "内容", "概要", "効果",
             "現状と課題", "取組内容", "現状"),
}
# Words that name a kind only inside a year header ("現状（R5）", "R4現状値"); as a whole row
# label 現状 is the current-situation prose of a form, not a value row.
HEADER_KIND_WORDS: dict[str, str] = {"現状": "baseline", "現在": "baseline", "現況": "baseline"}
KIND_FIELDS = ("target", "actual", "baseline")
LEADING_MARKS = re.compile(r"^[\s・●○◆◇■□▶▷【\[（(]*")
TRAILING_MARKS = re.compile(r"[\s】\]）):：]*$")


class LabelTable:
    """Classifies a printed label into a field of LABELS. Holds the SudachiPy tokenizer
    and a cache; make one per run and pass it to the recognizers."""

    def __init__(self, labels: dict[str, tuple[str, ...]] | None = None):
        from sudachipy import SplitMode

        from keikaku.normalize.sudachi import core_dictionary

        self._tokenizer = core_dictionary().tokenizer(SplitMode.C)   # one dictionary per process
        self._cache: dict[str, str] = {}
        self._by_form: dict[str, str] = {}
        for field, words in (labels or LABELS).items():
            for word in words:
                self._by_form.setdefault(self.form(word), field)
        self._longest = max(len(form) for form in self._by_form)
        # asked for each cell of a table: sorted once, longest label first
        self._longest_first = sorted(self._by_form.items(), key=lambda item: -len(item[0]))
        self._kind_labels = [(label, field) for label, field in self._longest_first
                             if field in KIND_FIELDS and len(label) >= 2]
        self._header_kind_labels = sorted([*self._kind_labels, *((self.form(word), kind) for word, kind
                                                                 in HEADER_KIND_WORDS.items())],
                                          key=lambda item: -len(item[0]))

    def tokenize(self, text: str):
        """SudachiPy morphemes of `text` (for place names and other lookups)."""
        return self._tokenizer.tokenize(tokenizable(text))

    def form(self, text: str) -> str:
        """NFKC, no spaces, SudachiPy normalized form: the key labels are compared on."""
        key = match_key(text)
        if key not in self._cache:
            head = tokenizable(key)       # a cell past SudachiPy's input limit is matched on its head
            self._cache[key] = "".join(m.normalized_form() for m in self._tokenizer.tokenize(head)) if key else ""
        return self._cache[key]

    def field(self, text: str | None) -> str | None:
        """The field a whole cell names, or None ("主管課" -> "department")."""
        if not text or len(text) > 20:
            return None
        bare = TRAILING_MARKS.sub("", LEADING_MARKS.sub("", text))
        return self._by_form.get(self.form(bare))

    def field_prefix(self, text: str | None) -> tuple[str, str] | None:
        """A label printed with its value in one cell: "基本方針1 財源確保…" -> ("policy", "1 財源確保…")."""
        if not text:
            return None
        bare = LEADING_MARKS.sub("", text.strip())
        for length in range(min(len(bare), 12), 0, -1):
            head, rest = bare[:length], bare[length:]
            if rest and not re.match(r"[\s\d０-９:：№#第①-⑳]", rest[0]):
                continue
            field = self._by_form.get(self.form(head))
            if field:
                return field, rest.strip(" :：")
        return None

    def is_year_heading(self, text: str) -> bool:
        """A column heading that is a year, maybe with its kind: "令和8年度", "R9目標値",
        "目標（R11）", "2026年度(見込)"; not a date ("平成30年2月1日現在") nor a sentence."""
        rest = re.sub(r"[（(]\s*[）)]", "", without_years(text, bare=True))
        for word in [*HEADER_KIND_WORDS, *(w for f in KIND_FIELDS for w in LABELS[f])]:
            rest = rest.replace(word, "")
        rest = re.sub(r"[\s()（）【】\[\]・:：~～〜\-]", "", rest)
        return len(rest) <= 4 and not re.search(r"\d", rest)

    def field_head(self, text: str | None, min_length: int = 3) -> str | None:
        """The field of the longest label a header cell starts with, glued or not:
        "取組主管課関係課等" -> "department". Labels shorter than `min_length` do not count."""
        form = self.form(LEADING_MARKS.sub("", text or ""))
        for label, field in self._longest_first:
            if len(label) >= min_length and form.startswith(label):
                return field
        return None

    def kind_in(self, text: str | None, header: bool = False) -> str | None:
        """The kind a header or row label names once its year is taken out: "R4現状値" ->
        "baseline", "目標（R11）" -> "target". Only the label's head or tail counts, so an
        indicator such as "計画数の削減" names no kind."""
        if not text:
            return None
        bare = without_years(text)
        bare = TRAILING_MARKS.sub("", LEADING_MARKS.sub("", bare)).strip()
        whole = self.field(bare)
        if whole in KIND_FIELDS:
            return whole
        form = self.form(bare)
        for label, field in self._header_kind_labels if header else self._kind_labels:
            if form.endswith(label) or (header and form.startswith(label)):
                return field
        return None

    def fields_in(self, text: str | None, fields: Iterable[str]) -> list[str]:
        """Fields whose labels occur inside `text`, longest label first."""
        if not text:
            return []
        form = self.form(text)
        wanted = set(fields)
        hits = sorted(((len(label), field) for label, field in self._by_form.items()
                       if field in wanted and label and label in form), reverse=True)
        return [field for _, field in hits]
