"""Speed of reading PDFs, as ratios against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_ingest.py [PDF ...] [--pages N]

Baselines: pdfplumber's own page.extract_text() (what any tool pays to get text),
page.extract_words() on the same pages (what any tool pays to get word positions: the
reader's own per-page work, ruled and borderless tables and lines, is compared with it;
target <= 1.5) and pdfplumber's page.dedupe_chars() (the step our overprint check replaces).
Ratios, not seconds, are what to compare across machines: `read_pdf / extract_text` is the
price of tables, cells and lines; `overprinted / dedupe_chars` must stay well below 1.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def baseline_text(path: Path, pages: int) -> float:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return timed(lambda: [page.extract_text() for page in pdf.pages[:pages]])


def baseline_words(path: Path, pages: int) -> float:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return timed(lambda: [page.extract_words() for page in pdf.pages[:pages]])


def reader_pages(path: Path, pages: int) -> float:
    """The reader's per-page work (read_page) on the first `pages` pages, opened the same way."""
    import pdfplumber

    from extract.pdf import TableSettings, read_page

    settings = TableSettings()
    with pdfplumber.open(path) as pdf:
        return timed(lambda: [read_page(page, number, settings) for number, page in enumerate(pdf.pages[:pages], 1)])


def dedupe_costs(path: Path, pages: int) -> tuple[float, float]:
    import pdfplumber

    from extract.pdf import overprinted

    with pdfplumber.open(path) as pdf:
        chosen = pdf.pages[:pages]
        for page in chosen:
            _ = page.chars  # parse once, outside both timings
        theirs = timed(lambda: [page.dedupe_chars(tolerance=1).chars for page in chosen])
        ours = timed(lambda: [overprinted(page.chars) for page in chosen])
    return theirs, ours


def ours_read(path: Path, pages: int) -> float:
    from extract.pdf import read_pdf

    return timed(lambda: read_pdf(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--pages", type=int, default=1000, help="pages per file for the baselines")
    args = parser.parse_args(argv)
    pdfs = args.pdfs or sorted((ROOT / "samples" / "pdf").glob("*.pdf"))
    print(f"{'file':40} {'pages':>5} {'text s':>7} {'read s':>7} {'read/text':>9} {'words s':>7} "
          f"{'page/words':>10} {'dedupe ours/theirs':>19}")
    totals = [0.0, 0.0, 0.0, 0.0]
    for path in pdfs:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            total = len(pdf.pages)
            pages = min(total, args.pages)
        text = baseline_text(path, pages)
        read = ours_read(path, pages) if pages == total else float("nan")   # read_pdf reads every page
        words = baseline_words(path, pages)
        per_page = reader_pages(path, pages)
        theirs, ours = dedupe_costs(path, pages)
        if pages == total:
            totals[0] += text
            totals[1] += read
        totals[2] += words
        totals[3] += per_page
        print(f"{path.name[:40]:40} {pages:5d} {text:7.2f} {read:7.2f} {read / text:9.2f} {words:7.2f} "
              f"{per_page / words:10.2f} {ours / theirs:19.3f}")
    print(f"{'all':40} {'':5} {totals[0]:7.2f} {totals[1]:7.2f} {totals[1] / max(totals[0], 1e-9):9.2f} {totals[2]:7.2f} "
          f"{totals[3] / totals[2]:10.2f}")
    print("page/words: the reader's time per page (ruled + borderless tables, lines) over pdfplumber extract_words "
          "on the same pages (target <= 1.5)")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
