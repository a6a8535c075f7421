"""Full-text search over measures and indicators without DuckDB's fts extension (not available
offline): at load time each measure title, policy and area heading, and indicator name becomes a
row of `search_entries`, and its tokens rows of `search_tokens`.

Tokens are SudachiPy normalized forms of the NFKC, lower-cased text, in both the finest (A) and
the compound (C) split (ふるさと納税 -> 古里 + 納税, and ふるさと納税), so that width (ＩＣＴ = ICT)
and spelling variants (取組 = 取り組み, 寄附 = 寄付) match, and a query for 納税 finds
ふるさと納税. Particles and symbols are not tokens. A query matches an entry holding all its
tokens; entries are ranked by whether they hold the query as printed (the more of the entry it
covers, the higher), then by the rarity of the tokens they share with it (idf), then by shortness.
"""
from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import duckdb

from keikaku.models import PlanRecords
from keikaku.normalize.text import match_key, tokenizable

from .rows import Types, insert_columns, insert_rows

if TYPE_CHECKING:
    import pandas as pd

SKIPPED_POS = {"助詞", "助動詞", "補助記号", "空白", "記号"}


class Tokenizer:
    """SudachiPy tokens for indexing and for queries."""

    def __init__(self) -> None:
        from sudachipy import SplitMode

        from keikaku.normalize.sudachi import core_dictionary

        dictionary = core_dictionary()
        self._fine = dictionary.tokenizer(SplitMode.A)
        self._compound = dictionary.tokenizer(SplitMode.C)

    def _forms(self, tokenizer, text: str) -> list[str]:
        return [m.normalized_form().lower() for m in tokenizer.tokenize(tokenizable(text))
                if m.part_of_speech()[0] not in SKIPPED_POS and m.normalized_form().strip()]

    def tokens(self, text: str | None) -> set[str]:
        """Index tokens: fine and compound forms."""
        key = match_key(text)
        return set(self._forms(self._fine, key)) | set(self._forms(self._compound, key)) if key else set()

    def query_tokens(self, text: str) -> set[str]:
        """Query tokens: the fine forms (every one must occur)."""
        key = match_key(text)
        return set(self._forms(self._fine, key)) if key else set()


@cache
def default_tokenizer() -> Tokenizer:
    return Tokenizer()


def entries_of(records: PlanRecords) -> list[dict]:
    """One row of `search_entries` per measure, per policy and area heading, and per distinct
    indicator (with its measure) of a document, numbered from 0 (`entry`)."""
    document = records.document.document
    rows = [{"kind": "measure", "measure_id": m.measure_id, "measure": m.title, "text": m.title, "page": m.page}
            for m in records.measures]
    headings: dict[tuple[str, str], dict] = {}          # policy and area headings, once each, at their first measure
    for m in records.measures:
        for kind, text in (("policy", m.policy), ("area", m.area)):
            if text and (kind, text) not in headings:
                headings[(kind, text)] = {"kind": kind, "measure_id": m.measure_id, "measure": m.title,
                                          "text": text, "page": m.page}
    rows += list(headings.values())
    seen: dict[tuple, dict] = {}
    for o in records.observations:
        if o.indicator:
            key = (o.measure_id, o.indicator)
            if key not in seen:
                seen[key] = {"kind": "indicator", "measure_id": o.measure_id, "measure": o.measure,
                             "text": o.indicator, "page": o.page}
            elif o.page is not None and (seen[key]["page"] is None or o.page < seen[key]["page"]):
                seen[key]["page"] = o.page
    rows += list(seen.values())
    return [{"document": document, "municipality": records.document.municipality, "entry": number, **row,
             "key": match_key(row["text"])} for number, row in enumerate(rows)]


def index_document(con: duckdb.DuckDBPyConnection, records: PlanRecords, tokenizer: Tokenizer | None = None,
                   types: Types | None = None) -> int:
    """Replace the document's search rows (call inside its load transaction). `types`
    (load/rows.py column_types) saves catalog queries."""
    document = records.document.document
    con.execute("DELETE FROM search_tokens WHERE document = ?", [document])
    con.execute("DELETE FROM search_entries WHERE document = ?", [document])
    entries = entries_of(records)
    if not entries:
        return 0
    tokenizer = tokenizer or default_tokenizer()
    tokens = [(entry["entry"], token) for entry in entries for token in sorted(tokenizer.tokens(entry["text"]))]
    insert_rows(con, "search_entries", entries, types)
    insert_columns(con, "search_tokens", {"document": [document] * len(tokens), "entry": [entry for entry, _ in tokens],
                                          "token": [token for _, token in tokens]}, types)
    return len(entries)


SEARCH_SQL = """
WITH q AS (SELECT unnest($tokens::VARCHAR[]) AS token),
n AS (SELECT greatest(count(*), 1) AS n FROM search_entries),
df AS (SELECT token, count(*) AS df FROM search_tokens JOIN q USING (token) GROUP BY token),
hits AS (
    SELECT t.document, t.entry, count(DISTINCT t.token) AS matched, sum(ln(1 + n.n / df.df)) AS idf
    FROM search_tokens t JOIN q USING (token) JOIN df USING (token), n
    GROUP BY t.document, t.entry)
SELECT e.municipality, e.document, e.page, e.kind, e.text, e.measure,
       round((CASE WHEN contains(e.key, $phrase) THEN 1 + length($phrase) / greatest(length(e.key), 1) ELSE 0 END) + h.idf, 2) AS score
FROM hits h JOIN search_entries e USING (document, entry)
WHERE h.matched = $count
ORDER BY score DESC, length(e.text), e.municipality, e.document, e.page, e.text
LIMIT $limit
"""


def search(con: duckdb.DuckDBPyConnection, text: str, limit: int = 50, tokenizer: Tokenizer | None = None) -> pd.DataFrame:
    """Measures and indicators holding every token of `text`, best first."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    tokens = sorted((tokenizer or default_tokenizer()).query_tokens(text))
    if not tokens:
        raise ValueError(f"nothing to search for in {text!r}")
    return con.execute(SEARCH_SQL, {"tokens": tokens, "phrase": match_key(text), "count": len(tokens),
                                    "limit": limit}).df()
