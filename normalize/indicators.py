"""Indicator keys: one key for the same KPI however a city printed its name.

The taxonomy is data (`indicators.csv`: key, Japanese and English name, canonical unit,
qualifier dimension, patterns, exclusions). A printed name is compared on two forms — NFKC
(`match_key`) and SudachiPy normalized forms of it (寄附→寄付, 手続→手続き, 延床→延べ床) — and
a pattern is a chain of terms that must occur in that order (`税*収納率`; `^` and `$` tie a
term to the start or end of the name: `^人口$`). The longest match
wins; a tie between two keys, an exclusion word, or a derived figure (目標との差, 対前年比)
gives None: a key is never forced.

Qualifiers are read apart from the name and become part of the key when the KPI has that
dimension: 現年度分 / 滞納繰越分 / 合計 (`_current`, `_arrears`, `_total`; both parts printed
together, 現年度分+過年度分, is the total) and 一般会計 / 特別会計 (`_general`, `_special`).
An annotation in brackets that does not change what is counted (（計画）, （達成目安）, （％）,
（第6期財政計画値）) is dropped. A generic cell (各年次の目標数値, 目標値, 寄附金額, 収率) is
matched together with its measure's title. A weak pattern (`~ふるさと納税`) counts only as the
whole name and when the figure's unit confirms the KPI's (円 for the amount, 件 for the count).
A sentence in the indicator cell (a bullet, a 。, 60 characters or more) names no KPI.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from .text import match_key, nfkc, tokenizable

# dimension -> (qualifier, printed words); first match per dimension, both parts make the total
QUALIFIERS: dict[str, tuple[tuple[str, re.Pattern], ...]] = {
    "part": (("total", re.compile(r"合計(?!特殊)|全体")),
             ("arrears", re.compile(r"滞納繰越|滞繰|過年度|滞納分|滞線分")),
             ("current", re.compile(r"現年"))),
    "account": (("general", re.compile(r"一般会計")), ("special", re.compile(r"特別会計"))),
}
QUALIFIER_NAMES = {"total": "合計", "arrears": "滞納繰越分", "current": "現年度分",
                   "general": "一般会計", "special": "特別会計"}
QUALIFIER_WORDS = re.compile(r"現年度分|現年課税分|現年分|現年度|現年|滞納繰越分|滞納繰越|滞繰分|滞繰|過年度分|過年度|滞納分|"
                             r"合計(?!特殊)|一般会計|特別会計|[+＋・]")
# a figure derived from the KPI, not the KPI itself
DERIVED = re.compile(r"目標との差|対前年|前年度比|前年比|達成率|伸び率|前年度差|(?:削減|縮減|増加|減少|増減)(?:額|率|量)")
# a sentence in the indicator cell, not a name: it ends a clause, opens with a bullet, or runs long
PROSE = re.compile(r"。|^[・●○◆■□◇※].{20,}|^.{60,}$")
BRACKETS = re.compile(r"[（(]([^（）()]*)[）)]")
ANNOTATION = re.compile(r"^(?:計画|計画値|目標|目標値|実績|実績値|見込み?|達成目安|評価|累計|年度末|名目|参考|"
                        r"[0-9]+か年平均|.*[0-9]+月[0-9]+日現在|住民基本台帳|国勢調査|推計|.*財政計画値?|単位.*|"
                        r"%|円|千円|万円|百万円|億円|人|名|件|回|施設|世帯|団体|ha|m2|㎡|時間|分|日|箇所|か所|社)$")
GENERIC = ("各年次の目標数値", "各年次目標数値", "目標数値", "数値目標", "目標値", "目標", "指標", "実績値", "実績",
           "計画値", "財政計画に示す各年次数値", "各年次数値", "寄附金額", "寄附額", "寄付金額", "金額", "件数",
           "収納率", "徴収率", "収率", "達成目安")
DIMENSIONS = {"円": "money", "%": "ratio", "pt": "ratio", "m2": "area", "ha": "area", "km2": "area",
              "時間": "time", "分": "time", "日": "time"}


def dimension(unit: str | None) -> str | None:
    """money, ratio, area, time, or count (any counter word); None for no unit."""
    if not unit:
        return None
    return DIMENSIONS.get(unit, "count")


@dataclass(frozen=True)
class Indicator:
    key: str
    name_ja: str
    name_en: str
    unit: str | None
    qualifiers: str | None                  # dimension: part | account | None
    patterns: tuple[tuple[tuple[str, ...], bool], ...]   # (terms, weak)
    exclude: tuple[str, ...]


def load_taxonomy() -> list[Indicator]:
    text = files("keikaku.normalize").joinpath("indicators.csv").read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(text.splitlines()):
        patterns = tuple((tuple(alt.lstrip("~").split("*")), alt.startswith("~"))
                         for alt in row["patterns"].split("|") if alt)
        rows.append(Indicator(row["key"], row["name_ja"], row["name_en"], row["unit"] or None,
                              row["qualifiers"] or None, patterns,
                              tuple(word for word in row["exclude"].split("|") if word)))
    return rows


def qualifiers_in(text: str) -> dict[str, str]:
    """Qualifiers printed in a name: {"part": "current"}; 現年度分+過年度分 is the total."""
    found: dict[str, str] = {}
    text = nfkc(text)
    for dimension_name, options in QUALIFIERS.items():
        hits = [name for name, pattern in options if pattern.search(text)]
        if dimension_name == "part" and {"current", "arrears"} <= set(hits):
            hits = ["total"]
        if hits:
            found[dimension_name] = hits[0]
    return found


def without_annotations(text: str) -> str:
    """The name with bracketed annotations that do not change the KPI dropped."""
    return BRACKETS.sub(lambda m: "" if ANNOTATION.match(match_key(m.group(1))) else m.group(0), nfkc(text)).strip()


class IndicatorMatcher:
    """Printed indicator name (and measure title) -> indicator key. Holds the SudachiPy
    tokenizer and a cache; make one per run."""

    def __init__(self, taxonomy: list[Indicator] | None = None) -> None:
        from sudachipy import SplitMode

        from .sudachi import core_dictionary

        self._tokenizer = core_dictionary().tokenizer(SplitMode.C)
        self._cache: dict[str, str] = {}
        self.taxonomy = taxonomy or load_taxonomy()
        self._terms = {indicator.key: [([self._forms(term) for term in terms], weak)
                                       for terms, weak in indicator.patterns]
                       for indicator in self.taxonomy}
        self._exclude = {indicator.key: [self._forms(word) for word in indicator.exclude] for indicator in self.taxonomy}
        self._generic = {self.form(word) for word in GENERIC}
        # per indicator, the first term of each pattern (both forms): one of them must be in a
        # name for the indicator to score at all, a cheap test before _score
        self._firsts = {key: [(terms[0][0].strip("^$"), terms[0][1].strip("^$")) for terms, _ in patterns if terms]
                        for key, patterns in self._terms.items()}
        self._keys: dict[tuple[str | None, str | None, str | None], str | None] = {}

    def form(self, text: str | None) -> str:
        """NFKC, no spaces, lower case, SudachiPy normalized forms."""
        key = match_key(text)
        if key not in self._cache:
            self._cache[key] = "".join(m.normalized_form() for m in self._tokenizer.tokenize(tokenizable(key))) if key else ""
        return self._cache[key]

    def _forms(self, text: str) -> tuple[str, str]:
        """Both forms of a pattern term; a leading ^ or trailing $ (start or end of the name) is kept."""
        head, body, tail = ("^" if text.startswith("^") else ""), text.strip("^$"), ("$" if text.endswith("$") else "")
        return head + match_key(body) + tail, head + self.form(body) + tail

    @staticmethod
    def _in_order(terms: list[str], text: str) -> bool:
        position = 0
        for term in terms:
            bare = term.strip("^$")
            found = text.find(bare, position) if not term.endswith("$") else text.rfind(bare, position)
            if found < 0 or (term.startswith("^") and found != 0) or (term.endswith("$") and found + len(bare) != len(text)):
                return False
            position = found + len(bare)
        return True

    def _score(self, indicator: Indicator, texts: tuple[str, str], unit_dimension: str | None) -> int:
        own = dimension(indicator.unit)
        if unit_dimension and own and unit_dimension != own:
            return 0
        if any(word[0] in texts[0] or word[1] in texts[1] for word in self._exclude[indicator.key]):
            return 0
        best = 0
        for terms, weak in self._terms[indicator.key]:
            if weak and (unit_dimension is None or unit_dimension != own):
                continue
            for side in (0, 1):
                if weak and texts[side] != "".join(term[side] for term in terms):
                    continue                            # a weak pattern is the whole name or nothing
                if self._in_order([term[side] for term in terms], texts[side]):
                    best = max(best, sum(len(term[side].strip("^$")) for term in terms))
        return best

    def base_key(self, text: str, unit: str | None = None) -> Indicator | None:
        """The taxonomy entry whose pattern matches `text` longest; None on no match or a tie."""
        texts = (match_key(text), self.form(text))
        unit_dimension = dimension(unit)
        candidates = [indicator for indicator in self.taxonomy
                      if any(first[0] in texts[0] or first[1] in texts[1] for first in self._firsts[indicator.key])]
        scored = sorted(((self._score(indicator, texts, unit_dimension), indicator) for indicator in candidates),
                        key=lambda item: -item[0])
        if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        return scored[0][1]

    def is_generic(self, indicator: str) -> bool:
        bare = QUALIFIER_WORDS.sub("", without_annotations(indicator))
        bare = BRACKETS.sub("", bare)
        return self.form(bare) in self._generic or not bare.strip()

    def key(self, indicator: str | None, measure: str | None = None, unit: str | None = None) -> str | None:
        """The indicator key of a printed name: "市税収納率（現年度分）" -> "tax_collection_rate_current";
        "各年次の目標数値（滞繰）" under the measure "収税等収納率の向上" -> "tax_collection_rate_arrears"."""
        asked = (indicator, measure, unit)
        if asked not in self._keys:
            self._keys[asked] = self._key(indicator, measure, unit)
        return self._keys[asked]

    def _key(self, indicator: str | None, measure: str | None, unit: str | None) -> str | None:
        if indicator and DERIVED.search(nfkc(indicator)):
            return None
        if indicator and not self.is_generic(indicator):
            text = without_annotations(indicator)
        elif measure:
            text = without_annotations(measure) + " " + without_annotations(indicator or "")
        else:
            return None
        text, found = self._shortest_tail(text, unit)
        if found is None or PROSE.search(text) or self._narrowed(text, found, unit):
            return None
        qualifier = qualifiers_in(text).get(found.qualifiers or "")
        return f"{found.key}_{qualifier}" if qualifier else found.key

    def _shortest_tail(self, text: str, unit: str | None) -> tuple[str, Indicator | None]:
        """The shortest run of the name's last space-separated parts that names a KPI, so that
        prose a cell carries before the name ("…現年+過年度の徴収率の向上を目指す 市税 現年分徴収率")
        lends it neither a KPI nor a qualifier."""
        parts = text.split()
        for start in range(len(parts) - 1, 0, -1):
            tail = " ".join(parts[start:])
            found = self.base_key(tail, unit)
            if found is not None:
                return tail, found
        return text, self.base_key(text, unit)

    def _narrowed(self, text: str, found: Indicator, unit: str | None) -> bool:
        """A bracket that is neither an annotation nor a qualifier, and without which the name
        means the same KPI, narrows it to a part ("有料広告収入（ホームページ広告）"): not that KPI."""
        brackets = [inner for inner in BRACKETS.findall(text) if QUALIFIER_WORDS.sub("", inner).strip()]
        return bool(brackets) and self.base_key(BRACKETS.sub("", text), unit) is found

    def relation(self) -> list[dict[str, str | None]]:
        return indicator_rows(self.taxonomy)


def indicator_rows(taxonomy: list[Indicator] | None = None) -> list[dict[str, str | None]]:
    """The rows of the `indicators` relation: every key, with each qualified variant."""
    rows = []
    for indicator in taxonomy or load_taxonomy():
        variants = [None] + [name for name, _ in QUALIFIERS.get(indicator.qualifiers or "", ())]
        for qualifier in variants:
            suffix = f"（{QUALIFIER_NAMES[qualifier]}）" if qualifier else ""
            rows.append({"indicator_key": f"{indicator.key}_{qualifier}" if qualifier else indicator.key,
                         "base_key": indicator.key, "qualifier": qualifier,
                         "name_ja": indicator.name_ja + suffix,
                         "name_en": indicator.name_en + (f" ({qualifier})" if qualifier else ""),
                         "unit": indicator.unit})
    return rows


@cache
def default_matcher() -> IndicatorMatcher:
    """One matcher per process (the SudachiPy dictionary takes a moment to load)."""
    return IndicatorMatcher()
