"""Do the readers see the same tables in a zoo document's PDF, layout text and TSV forms?

    .venv/bin/python benchmarks/reader_compare.py DIR [--show N] [--stems PATTERN]

DIR holds zoo output made with `--forms pdf,tsv,txt`. The TSV form is the reference: it
holds every table cell exactly. For each document, the table cells read from the PDF and
from the `_layout.txt` (NFKC, whitespace removed) are compared with those read from the TSV:
`cells` is recall / precision of the multiset of non-empty cell texts in table rows of two
or more cells, `rows` the same for whole rows (the tuple of their non-empty cell texts).
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


def table_rows(path: Path) -> list[tuple[str, ...]]:
    from extract.ir import Table
    from extract.read import read_document

    rows = []
    for block in read_document(path).blocks():
        if isinstance(block, Table):
            for row in block.texts():
                texts = tuple(t for t in (norm(x) for x in row) if t)
                if len(texts) >= 2:
                    rows.append(texts)
    return rows


def score(reference: list[tuple[str, ...]], got: list[tuple[str, ...]]) -> dict[str, tuple[float, float]]:
    out = {}
    for name, want, have in (("cells", Counter(c for r in reference for c in r), Counter(c for r in got for c in r)),
                             ("rows", Counter(reference), Counter(got))):
        common = sum((want & have).values())
        out[name] = (common / max(1, sum(want.values())), common / max(1, sum(have.values())))
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
    print(f"{'document':32} {'form':5} {'cells R':>7} {'cells P':>7} {'rows R':>7} {'rows P':>7}")
    for stem, pdf, txt, tsv in forms(args.folder, args.stems):
        reference = table_rows(tsv)
        for form, path in (("pdf", pdf), ("txt", txt)):
            got = table_rows(path)
            result = score(reference, got)
            for key, (recall, precision) in result.items():
                totals.setdefault(f"{form} {key} R", []).append(recall)
                totals.setdefault(f"{form} {key} P", []).append(precision)
            print(f"{stem:32} {form:5} {result['cells'][0]:7.3f} {result['cells'][1]:7.3f} "
                  f"{result['rows'][0]:7.3f} {result['rows'][1]:7.3f}")
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
