"""Every unreadable input: one line on stderr naming the file and the reason, a non-zero exit,
nothing of that file in the database, and the other files of the batch still load."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SHARED_REALPDF
from fixtures import cid_glyph_pdf, encrypted_copy, image_only_pdf, sample_plan_pdf

from keikaku.cli import main


def make_bad(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, words the one-line reason must hold)"""
    plan = sample_plan_pdf(folder / "good_plan.pdf")
    half = plan.read_bytes()[: plan.stat().st_size // 2]
    files = {
        "scanned": ("scanned.pdf", image_only_pdf(), "no text layer"),
        "cid": ("cid_glyphs.pdf", cid_glyph_pdf(), "(cid:"),
        "truncated": ("truncated.pdf", half, "truncated"),
        "not_pdf": ("not_really.pdf", b"<html><body>404 Not Found</body></html>", "not a PDF"),
        "empty_pdf": ("empty.pdf", b"", "empty"),
        "empty_text": ("empty.txt", b"\n\n", "empty"),
        "nul": ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "NUL"),
        "unknown_layout": ("letter.txt", "拝啓　時下ますますご清栄のこととお慶び申し上げます。\n敬具\n".encode(), "no plan records"),
    }
    out = {}
    for name, (filename, data, words) in files.items():
        path = folder / filename
        path.write_bytes(data)
        out[name] = (path, words)
    out["password"] = (encrypted_copy(plan, folder / "locked.pdf", "secret", "owner"), "--password")
    return out


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    return make_bad(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("name", ["scanned", "cid", "truncated", "not_pdf", "empty_pdf", "empty_text", "nul",
                                  "unknown_layout", "password"])
def test_bad_file_fails_with_one_line_and_loads_nothing(bad_files, name, tmp_path, capsys):
    path, words = bad_files[name]
    db = tmp_path / "k.duckdb"
    good = ROOT / "samples" / "text" / "002_b844f136f78e5eb9.txt"
    status = main(["ingest", str(path), str(good), "--db", str(db)])
    captured = capsys.readouterr()
    error_lines = captured.err.strip().splitlines()
    assert status == 1
    assert len(error_lines) == 1, captured.err
    assert str(path) in error_lines[0] and words in error_lines[0]
    assert "Traceback" not in captured.err
    con = duckdb.connect(str(db), read_only=True)
    documents = [row[0] for row in con.execute("SELECT document FROM documents").fetchall()]
    leftovers = sum(con.execute(f"SELECT count(*) FROM {t} WHERE document = ?", [path.stem]).fetchone()[0]
                    for t in ("measures", "observations", "unparsed_tables"))
    con.close()
    assert documents == ["002_b844f136f78e5eb9"]  # the good file of the batch loaded, the bad one not
    assert leftovers == 0


def test_owner_password_only_pdf_opens_normally(tmp_path, capsys):
    plan = sample_plan_pdf(tmp_path / "plan.pdf")
    locked = encrypted_copy(plan, tmp_path / "owner_only.pdf", "", "owner-secret")
    assert main(["ingest", str(locked), "--db", str(tmp_path / "k.duckdb")]) == 0
    assert "1 measures, 3 observations" in capsys.readouterr().out


def test_user_password_opens_with_password(tmp_path, capsys):
    plan = sample_plan_pdf(tmp_path / "plan.pdf")
    locked = encrypted_copy(plan, tmp_path / "locked.pdf", "secret", "owner")
    assert main(["ingest", str(locked), "--password", "secret", "--db", str(tmp_path / "k.duckdb")]) == 0


def test_cp932_text_is_detected_and_read(tmp_path):
    text = (ROOT / "samples" / "text" / "003_83b83b3c34cf7f73.txt").read_text(encoding="utf-8")
    path = tmp_path / "003_cp932.txt"
    path.write_bytes(text.encode("cp932", errors="replace"))
    db = tmp_path / "k.duckdb"
    assert main(["ingest", str(path), "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM observations WHERE text = '98.60%'").fetchone()[0] == 1
    assert con.execute("SELECT municipality FROM documents").fetchone()[0] == "南アルプス市"


REAL = sorted(SHARED_REALPDF.glob("*.pdf")) if SHARED_REALPDF.is_dir() else []


@pytest.mark.skipif(not REAL, reason="../shared/realpdf is not here")
@pytest.mark.parametrize("path", REAL, ids=[path.stem for path in REAL])
def test_real_pdf_ingests_or_fails_with_one_line(path, tmp_path, capsys):
    status = main(["ingest", str(path), "--db", str(tmp_path / "k.duckdb")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if status:
        assert len(captured.err.strip().splitlines()) == 1 and str(path) in captured.err
    else:
        assert captured.out.startswith("ok: ")
