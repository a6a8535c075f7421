"""Speed and memory of ingest, as ratios against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_ingest.py [PDF ...] [--pages N] [--repeat N] [--skip SECTION ...]

Sections (each prints its own table; ratios, not seconds, are what to compare across machines):
  start    whole processes: `keikaku --help`, a one-line text ingest (seconds, peak RSS)
  ingest   whole processes on the same files: `keikaku ingest --jobs 1` vs bare pdfplumber
           extract_tables + extract_words on every page (target <= 1.15x), peak RSS of each;
           on the samples, and on a 100-page cut of the budget book in ../shared/realpdf;
           run in turn --repeat times, medians printed, with the ratio of CPU seconds too
  book     the 612-page budget book: seconds to be refused (target < 15 s), peak RSS (< 300 MB)
  triage   pages/s of extract/triage.py vs pypdfium2's bare text extraction on the budget book
  jobs     `--jobs 2` vs `--jobs 1` on 10 files (target >= 1.7x on 2 free cores)
  reader   per file: read_pdf vs pdfplumber extract_text; the reader's per-page work (ruled and
           borderless tables, lines) vs extract_words on the same pages (target <= 1.5); our
           overprint check vs pdfplumber's dedupe_chars (must stay well below 1)

Timings here are wall-clock on a machine that may be shared: run it on a quiet machine, and
read `load` (printed first) before trusting a ratio.

To see where an ingest's time goes (the worker included), sample it with py-spy (pip install
py-spy; not a dependency):
    py-spy record --subprocesses -r 200 -f raw -o ingest.raw -- .venv/bin/keikaku ingest -q --db /tmp/p.duckdb samples/pdf
and compare with the same of bare pdfplumber; `python -X importtime` shows the start-up.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BOOK = SHARED / "realpdf" / "fuji_R6_ippan_kaikei_yosansho.pdf"
sys.path.insert(0, str(ROOT))

# a child process that runs some code and prints its peak RSS (MiB) on its last stderr line
PEAK = "import resource, sys; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)"
BARE = """
import sys, pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables(); page.extract_words(); page.close()
"""
INGEST = "import sys; from keikaku.cli import main; status = main(sys.argv[1:])"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(code: str, *args: str, cpu: list[float] | None = None) -> tuple[float, int]:
    """Seconds and peak RSS (MiB) of a fresh Python process running `code` with `args`; its CPU
    seconds (user + system) are appended to `cpu` when given: on a shared machine the CPU
    ratio is steadier than the wall-clock one."""
    started, started_cpu = time.perf_counter(), children_cpu()
    done = subprocess.run([sys.executable, "-c", f"{code}\n{PEAK}", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    if cpu is not None:
        cpu.append(children_cpu() - started_cpu)
    lines = done.stderr.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].isdigit():
        raise SystemExit(f"benchmark child failed: {done.stderr[-500:]}")
    return seconds, int(lines[-1])


def ingest(db: Path, *paths: Path, jobs: int = 1, cpu: list[float] | None = None) -> tuple[float, int]:
    db.unlink(missing_ok=True)
    return run(INGEST, "ingest", "-q", "--jobs", str(jobs), "--db", str(db), *map(str, paths), cpu=cpu)


def compiled_bytecode(work: Path) -> None:
    """Children run from compiled bytecode, as an installed keikaku does (pip compiles it):
    with PYTHONDONTWRITEBYTECODE set, every child would compile keikaku's modules from source
    again (about 0.1 s of each start-up). The bytecode goes to `work`, not into the checkout,
    and a first run of each kind of child writes it before anything is timed."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    line = work / "warm.txt"
    line.write_text("取組名\t窓口のオンライン化\n", encoding="utf-8")
    run(INGEST, "ingest", "-q", "--db", str(work / "warm.duckdb"), str(line))
    sample = sorted((ROOT / "samples" / "pdf").glob("*.pdf"))[:1]
    run(BARE, *map(str, sample))
    ingest(work / "warm.duckdb", *sample)


def section_start(work: Path, repeat: int = 1) -> None:
    from statistics import median

    line = work / "one.txt"
    line.write_text("取組名\t窓口のオンライン化\n", encoding="utf-8")
    helps, ones = [], []
    for _ in range(repeat):
        cpu: list[float] = []
        helps.append((*run("from keikaku.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
                           cpu=cpu), cpu[-1]))
        (work / "one.duckdb").unlink(missing_ok=True)
        ones.append((*run(INGEST, "ingest", "-q", "--keep-unparsed", "--db", str(work / "one.duckdb"), str(line), cpu=cpu),
                     cpu[-1]))
    (help_s, help_mb, help_cpu), (one_s, one_mb, one_cpu) = ((median(column) for column in zip(*runs))
                                                             for runs in (helps, ones))
    print(f"\n[start, median of {repeat}]     seconds  cpu s  peak MiB  target")
    print(f"keikaku --help                {help_s:7.2f}  {help_cpu:5.2f}  {help_mb:8.0f}  < 0.3 s")
    print(f"one-line text ingest          {one_s:7.2f}  {one_cpu:5.2f}  {one_mb:8.0f}  < 0.5 s, < 200 MiB")


def cut(source: Path, pages: int, target: Path) -> Path:
    import pypdfium2 as pdfium

    pdf, out = pdfium.PdfDocument(str(source)), pdfium.PdfDocument.new()
    out.import_pages(pdf, list(range(min(pages, len(pdf)))))
    out.save(str(target))
    return target


def section_ingest(work: Path, pdfs: list[Path], repeat: int = 1) -> None:
    """Bare pdfplumber and our ingest run in turn `repeat` times; the median of each column."""
    from statistics import median

    sets = [("samples (5 PDFs)", pdfs)]
    if BOOK.exists():
        sets.append(("budget book, first 100 pages", [cut(BOOK, 100, work / "book100.pdf")]))
    print(f"\n[ingest vs bare pdfplumber, median of {repeat}]  (target ratio <= 1.15)")
    print(f"{'':29} ingest s  bare s  ratio  cpu ratio  ingest MiB  bare MiB")
    for name, files in sets:
        rows = []
        for _ in range(repeat):
            cpu: list[float] = []
            bare_s, bare_mb = run(BARE, *map(str, files), cpu=cpu)
            ours_s, ours_mb = ingest(work / "ingest.duckdb", *files, cpu=cpu)
            rows.append((ours_s, bare_s, ours_s / bare_s, cpu[1] / cpu[0], ours_mb, bare_mb))
        ours_s, bare_s, ratio, cpu_ratio, ours_mb, bare_mb = (median(column) for column in zip(*rows))
        print(f"{name:29} {ours_s:8.2f} {bare_s:7.2f} {ratio:6.2f} {cpu_ratio:10.2f} {ours_mb:11.0f} {bare_mb:9.0f}")


def section_book(work: Path) -> None:
    if not BOOK.exists():
        print("\n[book] skipped: ../shared/realpdf absent")
        return
    seconds, peak = ingest(work / "book.duckdb", BOOK)
    print(f"\n[book] 612-page budget book refused in {seconds:.1f} s (target < 15 s), peak {peak} MiB (target < 300)")


def section_triage() -> None:
    if not BOOK.exists():
        print("\n[triage] skipped: ../shared/realpdf absent")
        return
    import pypdfium2 as pdfium

    from keikaku.extract.labels import LabelTable
    from keikaku.extract.triage import triage_pdf

    labels = LabelTable()
    started = time.perf_counter()
    pdf = pdfium.PdfDocument(str(BOOK))
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    pages = len(pdf)
    pdf.close()
    bare = time.perf_counter() - started
    started = time.perf_counter()
    triage = triage_pdf(BOOK, labels=labels)
    ours = time.perf_counter() - started
    print(f"\n[triage] budget book, {pages} pages: triage {pages / ours:.0f} pages/s, pypdfium2 text "
          f"{pages / bare:.0f} pages/s, ratio {ours / bare:.1f}x; {len(triage.skipped)} pages skipped")


def section_jobs(work: Path, pdfs: list[Path]) -> None:
    folder = work / "ten"
    folder.mkdir(exist_ok=True)
    for copy in range(2):
        for path in pdfs[:5]:
            shutil.copy(path, folder / f"{copy}_{path.name}")
    files = sorted(folder.glob("*.pdf"))[:10]
    one, one_mb = ingest(work / "jobs1.duckdb", *files, jobs=1)
    two, two_mb = ingest(work / "jobs2.duckdb", *files, jobs=2)
    print(f"\n[jobs] {len(files)} files: --jobs 1 {one:.2f} s ({one_mb} MiB), --jobs 2 {two:.2f} s "
          f"({two_mb} MiB parent), speed-up {one / two:.2f}x (target >= 1.7x on 2 free cores)")


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

    from keikaku.extract.pdf import TableSettings, read_page

    settings = TableSettings()
    with pdfplumber.open(path) as pdf:
        return timed(lambda: [read_page(page, number, settings) for number, page in enumerate(pdf.pages[:pages], 1)])


def dedupe_costs(path: Path, pages: int) -> tuple[float, float]:
    import pdfplumber

    from keikaku.extract.pdf import overprinted

    with pdfplumber.open(path) as pdf:
        chosen = pdf.pages[:pages]
        for page in chosen:
            _ = page.chars  # parse once, outside both timings
        theirs = timed(lambda: [page.dedupe_chars(tolerance=1).chars for page in chosen])
        ours = timed(lambda: [overprinted(page.chars) for page in chosen])
    return theirs, ours


def ours_read(path: Path, pages: int) -> float:
    from keikaku.extract.pdf import read_pdf

    return timed(lambda: read_pdf(path))


def section_reader(pdfs: list[Path], page_limit: int) -> None:
    """Per file: read_pdf vs extract_text, the reader's per-page work vs extract_words (target
    <= 1.5), our overprint check vs dedupe_chars."""
    import math

    args = argparse.Namespace(pages=page_limit)
    print()
    print(f"{'file':40} {'pages':>5} {'text s':>7} {'read s':>7} {'read/text':>9} {'words s':>7} "
          f"{'page/words':>10} {'dedupe ours/theirs':>19}")
    totals = [0.0, 0.0, 0.0, 0.0]
    for path in pdfs:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            total = len(pdf.pages)
            pages = min(total, args.pages)
        text = baseline_text(path, pages)
        read = ours_read(path, pages) if pages == total else math.nan   # read_pdf reads every page
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--pages", type=int, default=1000, help="pages per file for the reader section")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the start and ingest sections (medians printed)")
    parser.add_argument("--skip", nargs="*", default=[], choices=("start", "ingest", "book", "triage", "jobs", "reader"))
    args = parser.parse_args(argv)
    pdfs = [path.resolve() for path in args.pdfs] or sorted((ROOT / "samples" / "pdf").glob("*.pdf"))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        compiled_bytecode(work)
        sections = {"start": lambda: section_start(work, args.repeat), "ingest": lambda: section_ingest(work, pdfs, args.repeat),
                    "book": lambda: section_book(work), "triage": section_triage,
                    "jobs": lambda: section_jobs(work, pdfs), "reader": lambda: section_reader(pdfs, args.pages)}
        for name, section in sections.items():
            if name not in args.skip:
                section()
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
