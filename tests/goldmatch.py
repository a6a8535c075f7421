"""Matching extracted records to gold records, the way eval/GOLD_FORMAT.md defines a match."""
from __future__ import annotations

import math
import unicodedata


def norm(text) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def dice(a, b) -> float:
    x, y = norm(a), norm(b)
    grams_x = {x[i:i + 2] for i in range(len(x) - 1)} or ({x} if x else set())
    grams_y = {y[i:i + 2] for i in range(len(y) - 1)} or ({y} if y else set())
    if not grams_x or not grams_y:
        return 0.0
    return 2 * len(grams_x & grams_y) / (len(grams_x) + len(grams_y))


def same_value(gold: dict, got: dict) -> bool:
    if gold["value"] is None or got["value"] is None:
        return gold["value"] is None and got["value"] is None and norm(gold["text"]) == norm(got["text"])
    return math.isclose(float(gold["value"]), float(got["value"]), rel_tol=1e-6) and norm(gold["unit"]) == norm(got["unit"])


def matches(gold: dict, got: dict) -> bool:
    return (gold["fiscal_year"] == got["fiscal_year"] and gold["kind"] == got["kind"] and same_value(gold, got)
            and max(dice(g, e) for g in (gold["measure"], gold["indicator"]) for e in (got["measure"], got["indicator"])
                    if g and e) >= 0.5)


def match_all(gold_rows: list[dict], got_rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Greedy one-to-one matching; returns (gold rows not matched, extracted rows not matched)."""
    used: set[int] = set()
    missed = []
    for gold in gold_rows:
        hit = next((i for i, got in enumerate(got_rows) if i not in used and matches(gold, got)), None)
        if hit is None:
            missed.append(gold)
        else:
            used.add(hit)
    return missed, [got for i, got in enumerate(got_rows) if i not in used]


def scores(gold: dict, got_rows: list[dict]) -> tuple[float, float, float]:
    """(precision, recall, F1) as eval/GOLD_FORMAT.md defines them: recall over required gold
    rows, precision over every extracted row, a match to an optional gold row counting as right."""
    required = [row for row in gold["observations"] if not (row.get("optional") or row.get("uncertain"))]
    optional = [row for row in gold["observations"] if row.get("optional") or row.get("uncertain")]
    missed, extra = match_all(required, got_rows)
    _, unexplained = match_all(optional, extra)
    precision = (len(got_rows) - len(unexplained)) / len(got_rows) if got_rows else 0.0
    recall = 1 - len(missed) / len(required) if required else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
