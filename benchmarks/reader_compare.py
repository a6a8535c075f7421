"""Do the readers see the same tables in a zoo document's PDF, layout text and TSV forms?

    .venv/bin/python benchmarks/reader_compare.py DIR [--show N] [--stems PATTERN]

DIR holds zoo output made with `--forms pdf,tsv,txt`. The TSV form is the reference: it
holds every table cell exactly. For each document, the table cells read from the PDF and
from the `_layout.txt` (NFKC, whitespace removed) are compared with those read from the TSV:
`cells` is recall / precision of the multiset of non-empty cell texts in table rows of two
or more cells, `rows` the same for whole rows (the tuple of their non-empty cell texts), and
`grid` for rows with every cell in its column (a header read into a column of its own shows
here only).
Use it like a fuzzer: fresh seeds, then read the misses it prints.
"""
from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CP932_FORMS = str.maketrans({"−": "-", "〜": "~", "－": "-", "～": "~"})


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text.translate(CP932_FORMS)).translate(CP932_FORMS).split())


def table_rows(path: Path, grid: bool = False) -> list[tuple[str, ...]]:
    """Rows of two or more non-empty cells: their non-empty texts, or with `grid` every cell
    in place (columns empty in the whole table dropped, trailing empty cells trimmed)."""
    from keikaku.extract.ir import Table
    from keikaku.extract.read import read_document

    rows = []
    for block in read_document(path).blocks():
        if isinstance(block, Table):
            texts = [[norm(x) for x in row] for row in block.texts()]
            used = [c for c in range(block.n_cols) if any(c < len(row) and row[c] for row in texts)]
            for row in texts:
                if sum(bool(t) for t in row) < 2:
                    continue
                if grid:
                    placed = [row[c] if c < len(row) else "" for c in used]
                    while placed and not placed[-1]:
                        placed.pop()
                    rows.append(tuple(placed))
                else:
                    rows.append(tuple(t for t in row if t))
    return rows


def score(reference: list[tuple[str, ...]], got: list[tuple[str, ...]],
          reference_grid: list[tuple[str, ...]] | None = None,
          got_grid: list[tuple[str, ...]] | None = None) -> dict[str, tuple[float, float]]:
    out = {}
    pairs = [("cells", Counter(c for r in reference for c in r), Counter(c for r in got for c in r)),
             ("rows", Counter(reference), Counter(got))]
    if reference_grid is not None and got_grid is not None:
        pairs.append(("grid", Counter(reference_grid), Counter(got_grid)))
    for name, want, have in pairs:
        common = sum((want & have).values())
        wanted, had = sum(want.values()), sum(have.values())
        out[name] = (common / wanted if wanted else 1.0, common / had if had else 1.0)   # nothing to find: all found
    return out


def forms(folder: Path, pattern: str) -> list[tuple[str, Path, Path, Path]]:
    out = []
    for pdf in sorted(folder.glob(f"{pattern}.pdf")):
        stem = pdf.stem
        tsv = next((p for p in sorted(folder.glob(f"{stem}_tab.*")) if p.suffix in (".tsv", ".txt")), None)
        txt = folder / f"{stem}_layout.txt"
        if tsv and txt.exists():
            out.append((stem, pdf, txt, tsv))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--stems", default="*", help="glob over stems, e.g. '*kpi_table'")
    parser.add_argument("--show", type=int, default=3, help="misses to print per document and form")
    args = parser.parse_args(argv)
    totals: dict[str, list[float]] = {}
    print(f"{'document':32} {'form':5} {'cells R':>7} {'cells P':>7} {'rows R':>7} {'rows P':>7} {'grid R':>7} {'grid P':>7}")
    for stem, pdf, txt, tsv in forms(args.folder, args.stems):
        reference, reference_grid = table_rows(tsv), table_rows(tsv, grid=True)
        for form, path in (("pdf", pdf), ("txt", txt)):
            got = table_rows(path)
            result = score(reference, got, reference_grid, table_rows(path, grid=True))
            for key, (recall, precision) in result.items():
                totals.setdefault(f"{form} {key} R", []).append(recall)
                totals.setdefault(f"{form} {key} P", []).append(precision)
            print(f"{stem:32} {form:5} " + " ".join(f"{result[key][k]:7.3f}" for key in ("cells", "rows", "grid")
                                                     for k in (0, 1)))
            if args.show:
                missed = list((Counter(reference) - Counter(got)).elements())[:args.show]
                extra = list((Counter(got) - Counter(reference)).elements())[:args.show]
                for row in missed:
                    print(f"    - {' | '.join(row)[:150]}")
                for row in extra:
                    print(f"    + {' | '.join(row)[:150]}")
    print()
    for key, values in sorted(totals.items()):
        print(f"mean {key:16} {sum(values) / len(values):.3f}  (n={len(values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
