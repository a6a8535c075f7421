"""Hostile and damaged inputs (issue 11): every outcome is a clean one-line error, or a load
whose line says what it could not read; nothing hangs, nothing exhausts the machine, and
nothing printed can forge a line or drive the terminal. Files are generated here (hostile.py)."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, sample
from hostile import (blank_pdf, corrupted_copies, flate_bomb_pdf, page_tree_cycle_pdf, reference_cycle_pdf,
                     slow_pdf, stream_spans)

from keikaku import api
from keikaku.cli import main
from keikaku.load import db as database

SAMPLE_PDFS = sorted((ROOT / "samples" / "pdf").glob("*.pdf"))
LINE = re.compile(r"^(?P<status>ok|ok \(partial\)[^:]*): (?P<path>.+?): (?P<measures>\d+) measures, (?P<observations>\d+) "
                  r"observations, (?P<schedule>\d+) schedule rows, (?P<evaluations>\d+) evaluations, "
                  r"(?P<unparsed>\d+) unparsed tables")
RUN = ("import resource, subprocess, sys\n"
       "done = subprocess.run(sys.argv[1:], capture_output=True, text=True, errors='backslashreplace')\n"
       "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr)\n"
       "print('MAXRSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
       "sys.exit(done.returncode)\n")


def run_cli(args: list[str], timeout: float) -> tuple[int, str, str, int, float]:
    """`keikaku ARGS` in a subprocess: (exit status, stdout, stderr, peak RSS of it and its worker in MB, seconds)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", RUN, sys.executable, "-m", "keikaku.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, errors="backslashreplace", timeout=timeout)
    peak = int(re.search(r"MAXRSS_KB (\d+)", done.stderr).group(1)) // 1024
    stderr = re.sub(r"MAXRSS_KB \d+\n", "", done.stderr)
    return done.returncode, done.stdout, stderr, peak, time.monotonic() - started


def counts_of(stdout: str) -> dict[str, tuple[str, tuple[int, ...]]]:
    """file name -> (status, counts) from the ok lines."""
    out = {}
    for line in stdout.splitlines():
        match = LINE.match(line)
        if match:
            counts = tuple(int(match.group(k)) for k in ("measures", "observations", "schedule", "evaluations", "unparsed"))
            out[Path(match.group("path")).name] = (match.group("status"), counts)
    return out


# ---------- honest status ----------

def damaged_page_one(target: Path) -> Path:
    """Sample 002 with one flipped bit in the middle of its first content stream (page 1)."""
    data = bytearray(SAMPLE_PDFS[2].read_bytes())
    start, end = stream_spans(bytes(data))[0]
    data[(start + end) // 2] ^= 0x10
    target.write_bytes(bytes(data))
    return target


def test_damaged_page_loads_the_rest_and_says_partial(tmp_path, capsys):
    broken = damaged_page_one(tmp_path / "damaged.pdf")
    db = tmp_path / "k.duckdb"
    assert main(["ingest", str(broken), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"ok (partial): 1 of 5 pages unreadable (page 1): {broken}: ")
    assert captured.err == ""   # pdfminer's complaints are the page's reason, not stderr noise
    assert main(["ingest", str(broken), "--db", str(db), "--allow-partial", "-v"]) == 0
    out = capsys.readouterr().out
    assert "page 1: unreadable (corrupt Flate stream" in out
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM measures").fetchone()[0] > 0
    con.close()


def test_pdfminer_logging_is_captured_per_file(tmp_path, capsys):
    import logging

    broken = damaged_page_one(tmp_path / "damaged.pdf")
    before = (logging.getLogger("pdfminer").handlers[:], logging.getLogger("pdfminer").propagate)
    result = api.ingest_file(broken, database.connect(tmp_path / "k.duckdb"))
    assert result.partial and result.unreadable_pages == [1]
    assert (logging.getLogger("pdfminer").handlers, logging.getLogger("pdfminer").propagate) == before
    assert capsys.readouterr().err == ""


def test_blank_pdf_is_not_called_scanned(tmp_path, capsys):
    blank = blank_pdf(tmp_path / "blank.pdf")
    assert main(["ingest", str(blank), "--db", str(tmp_path / "k.duckdb")]) == 1
    assert capsys.readouterr().err.strip() == f"error: {blank}: no text on any page (3 blank pages): nothing to read"


def corruption_run(tmp_path: Path, copies: int, timeout: float) -> None:
    folder = tmp_path / "corrupt"
    folder.mkdir()
    made = {copy.name: (source.name, what) for copy, source, what in corrupted_copies(SAMPLE_PDFS, copies, folder)}
    for source in SAMPLE_PDFS:
        (folder / source.name).write_bytes(source.read_bytes())
    status, out, err, peak, seconds = run_cli(["ingest", str(folder), "--db", str(tmp_path / "k.duckdb")], timeout)
    assert "Traceback" not in err and "Traceback" not in out
    loaded = counts_of(out)
    clean = {name: counts for name, (state, counts) in loaded.items() if name not in made}
    assert len(clean) == len(SAMPLE_PDFS) and all(state == "ok" for name, (state, _) in loaded.items() if name in clean)
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(errors) + sum(name in made for name in loaded) == copies, err   # one line per file
    wrong = {name: (made[name], counts, clean[made[name][0]]) for name, (state, counts) in loaded.items()
             if name in made and state == "ok" and counts != clean[made[name][0]]}
    assert wrong == {}   # an ok line counts what the clean file counts; anything else says partial
    assert status == 1


def test_corrupted_copies_of_the_samples(tmp_path):
    """40 damaged copies (the issue's 200 run as the `stress` test below)."""
    corruption_run(tmp_path, copies=40, timeout=300)


@pytest.mark.stress
def test_200_corrupted_copies_of_the_samples(tmp_path):
    corruption_run(tmp_path, copies=200, timeout=1200)


# ---------- hostile corpus: outcome, time and memory, in a subprocess ----------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "in"
    folder.mkdir()
    text = sample("002", "text").read_bytes()
    files = {
        "cycle.pdf": reference_cycle_pdf(), "tree_cycle.pdf": page_tree_cycle_pdf(), "bomb.pdf": flate_bomb_pdf(4),
        "truncated.pdf": SAMPLE_PDFS[0].read_bytes()[:100_000],
        "long_line.txt": text + ("令和2年度 2026 R3 " * 70_000).encode() + b"\n",
        "evil\nok: forged.txt": text,
        "escape\x1b[2J.txt": text,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    blank_pdf(folder / "blank.pdf")
    os.symlink(base / "secret.txt", folder / "leak.txt")
    (base / "secret.txt").write_text("指標\t令和6年度\n目標値\tpassword=hunter2\n", encoding="utf-8")
    odd = os.fsencode(str(folder)) + b"/plan\x8a\x93.txt"
    with open(odd, "wb") as handle:
        handle.write(text)
    db = base / "k.duckdb"
    status, out, err, peak, seconds = run_cli(["ingest", str(folder), "--db", str(db)], timeout=180)
    return {"folder": folder, "db": db, "status": status, "out": out, "err": err, "peak": peak, "seconds": seconds}


def test_hostile_corpus_within_time_and_memory(corpus):
    assert corpus["seconds"] < 120
    assert corpus["peak"] < 1500        # MB: the bomb stops at 64 MiB inflated, not 4 GB
    assert "Traceback" not in corpus["err"]
    assert corpus["status"] == 1


@pytest.mark.parametrize("name, reason", [
    ("cycle.pdf", "refers to itself (a reference cycle)"),
    ("bomb.pdf", "inflates past 64 MiB (a decompression bomb?)"),
    ("truncated.pdf", "truncated PDF"),
    ("blank.pdf", "no text on any page"),
    ("tree_cycle.pdf", "no text on any page"),
])
def test_hostile_file_is_one_clean_error(corpus, name, reason):
    lines = [line for line in corpus["err"].splitlines() if line.startswith(f"error: {corpus['folder'] / name}:")]
    assert len(lines) == 1 and reason in lines[0], corpus["err"]


def test_long_line_and_odd_names_load(corpus):
    loaded = counts_of(corpus["out"])
    assert loaded["long_line.txt"][0] == "ok"
    assert loaded["plan\\x8a\\x93.txt"][0] == "ok"
    con = duckdb.connect(str(corpus["db"]), read_only=True)
    paths = [row[0] for row in con.execute("SELECT source_path FROM documents ORDER BY 1").fetchall()]
    con.close()
    assert str(corpus["folder"] / "plan\\x8a\\x93.txt") in paths


def test_file_names_cannot_forge_lines_or_drive_the_terminal(corpus):
    out = corpus["out"]
    assert not any(line.startswith("ok: forged") for line in out.splitlines())
    assert "evil\\nok: forged.txt" in out
    assert "\x1b" not in out + corpus["err"] and "escape\\x1b[2J.txt" in out


def test_links_outside_the_folder_are_skipped(corpus):
    assert f"warning: {corpus['folder'] / 'leak.txt'}: a link to" in corpus["err"]
    con = duckdb.connect(str(corpus["db"]), read_only=True)
    leaked = con.execute("SELECT count(*) FROM documents WHERE document = 'leak'").fetchone()[0]
    con.close()
    assert leaked == 0


# ---------- limits ----------

def test_wall_time_limit_stops_a_file(tmp_path):
    from keikaku.extract.limits import FileLimits

    slow = tmp_path / "slow.pdf"
    slow.write_bytes(slow_pdf())
    results = api.ingest([slow, sample("002", "text")], db=tmp_path / "k.duckdb", limits=FileLimits(max_seconds=3))
    assert not results[0].ok and "gave up after" in results[0].error and "limit 3 s for the file" in results[0].error
    assert results[1].ok   # the next file gets a fresh worker


def test_page_limit(tmp_path):
    from keikaku.extract.limits import FileLimits

    results = api.ingest([SAMPLE_PDFS[2]], db=tmp_path / "k.duckdb", limits=FileLimits(max_pages=4))
    assert results[0].error.endswith("5 pages, more than the limit of 4 (--max-pages); nothing loaded")


def test_memory_limit_is_a_clean_error(tmp_path):
    from keikaku.extract.limits import FileLimits

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb_pdf(2))
    unbounded = FileLimits(max_stream_bytes=4 << 30, max_inflated_bytes=4 << 30, max_memory_bytes=1500 << 20)
    results = api.ingest([bomb, sample("002", "text")], db=tmp_path / "k.duckdb", limits=unbounded)
    assert not results[0].ok and "needs more memory than the limit of 1500 MiB" in results[0].error, results[0].error
    assert results[1].ok


# ---------- messages ----------

class FullDisk:
    """A connection whose writes fail as on a full disk, after which DuckDB has no transaction to roll back."""

    def __init__(self, con):
        self.con = con

    def execute(self, sql, *args):
        if sql.startswith("INSERT"):
            raise duckdb.IOException('Could not write file "k.duckdb.wal": No space left on device')
        if sql == "ROLLBACK":
            raise duckdb.TransactionException("cannot rollback - no transaction is active")
        return self.con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.con, name)


def test_failed_write_reports_its_real_cause(tmp_path):
    con = database.connect(tmp_path / "k.duckdb")
    result = api.ingest_file(sample("002", "text"), FullDisk(con))
    assert not result.ok and "No space left on device" in result.error and "rollback" not in result.error


def test_ctrl_c_stops_cleanly(tmp_path):
    db = tmp_path / "k.duckdb"
    process = subprocess.Popen([sys.executable, "-m", "keikaku.cli", "ingest", *map(str, SAMPLE_PDFS), "--db", str(db)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    first = process.stdout.readline()       # one file loaded: the run is under way
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)   # as a terminal's Ctrl-C: the whole process group
    out, err = process.communicate(timeout=60)
    out = first + out
    assert process.returncode == 130
    assert err.strip().splitlines() == ["interrupted: stopped; the file being read was not loaded"]
    loaded = counts_of(out)
    con = duckdb.connect(str(db), read_only=True)
    stored = {row[0]: row[1:] for row in con.execute(
        "SELECT d.document, (SELECT count(*) FROM measures m WHERE m.document = d.document), "
        "(SELECT count(*) FROM observations o WHERE o.document = d.document) FROM documents d").fetchall()}
    con.close()
    assert stored == {Path(name).stem: counts[:2] for name, (_, counts) in loaded.items()}   # nothing half-loaded


def test_query_table_escapes_control_characters(tmp_path, capsys):
    db = tmp_path / "k.duckdb"
    con = database.connect(db)
    con.execute("INSERT INTO documents (document, title) VALUES ('d', ?)", ["\x1b[2J\x1b[31m赤\rforged\u202e"])
    con.close()
    assert main(["query", "SELECT title FROM documents", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    assert "\\x1b[2J\\x1b[31m赤\\rforged\\u202e" in out


def test_cell_over_sudachi_limit_is_matched_on_a_prefix(tmp_path):
    huge = "あ" * 20_000 + "\t令和6年度\t令和7年度\n"   # a header cell of 60,000 bytes
    path = tmp_path / "huge.txt"
    path.write_bytes(sample("002", "text").read_bytes() + huge.encode())
    results = api.ingest([path], db=tmp_path / "k.duckdb")
    assert results[0].ok, results[0].error


def test_a_data_table_of_too_many_figures_is_refused_before_the_parent_types_it(tmp_path):
    """A 30 MB TSV of 3 million figures read in bounds took the parent past 19 GB to type and
    load: a document of more figures than FileLimits.max_figures is one clean error."""
    from keikaku.extract.limits import FileLimits

    path = tmp_path / "table.tsv"
    path.write_text("指標名\t単位\t令和5年度\t令和6年度\n" + "市税収納率\t%\t95.0\t96.0\n" * 501, encoding="utf-8")
    refused, = api.ingest([path], db=tmp_path / "k.duckdb", limits=FileLimits(max_figures=1000))
    assert refused.error == (f"{path}: 1,002 figures, more than one document may hold (limit 1,000 figures: "
                             "a data table rather than a plan?); nothing loaded")
    early, = api.ingest([path], db=tmp_path / "k.duckdb", limits=FileLimits(max_figures=500))
    assert early.error.startswith(f"{path}: 2,008 table cells, more than one document may hold (limit 500 figures")
    loaded, = api.ingest([path], db=tmp_path / "k.duckdb", limits=FileLimits(max_figures=1002))
    assert loaded.ok and loaded.counts["observations"] == 1002
