"""Across cities: municipality codes, indicator_compare, search, the XLSX workbook, and the CLI
conventions (--version, --db anywhere, KEIKAKU_DB, SQL from stdin or a file, DuckDB's whole
message, a closed pipe, -q, schema, no database made by a failed ingest)."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT, sample

from keikaku import api
from keikaku.cli import main
from keikaku.models import RawDocument, RawMeasure, RawMetadata, RawObservation

CODES = {"000_0284db81323c91fb": ("安曇野市", "長野県", "202207"), "001_bb74d7eeddc3e045": ("千曲市", "長野県", "202185"),
         "002_b844f136f78e5eb9": ("安曇野市", "長野県", "202207"), "003_83b83b3c34cf7f73": ("南アルプス市", "山梨県", "192082"),
         "004_c5e0678bee15d5f0": ("南アルプス市", "山梨県", "192082")}


def rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("form", ("text", "pdf"))
def test_every_sample_has_its_municipality_code(sample_db, form):
    got = rows(sample_db(form), "SELECT document, municipality, prefecture, municipality_code FROM documents")
    assert {row[0]: row[1:] for row in got} == CODES


@pytest.mark.parametrize("form", ("text", "pdf"))
def test_collection_rate_targets_of_two_cities_under_one_key(sample_db, form):
    got = rows(sample_db(form), "SELECT municipality, municipality_code, fiscal_year, value FROM indicator_compare "
                                "WHERE indicator_key = 'tax_collection_rate_arrears' AND kind = 'target' ORDER BY ALL")
    assert ("南アルプス市", "192082", 2020, 22.0) in got           # 市税 滞繰分徴収率（計画）
    assert [row for row in got if row[0] == "安曇野市"] == [("安曇野市", "202207", year, 22.5) for year in range(2020, 2025)]
    current = rows(sample_db(form), "SELECT DISTINCT municipality, document, page > 0 FROM indicator_compare "
                                    "WHERE indicator_key = 'tax_collection_rate_current' AND kind = 'target'")
    assert ("安曇野市", "002_b844f136f78e5eb9", True) in current


def test_indicators_relation_and_command(sample_db, capsys):
    db = str(sample_db("text"))
    assert rows(db, "SELECT count(*) >= 80, count(DISTINCT base_key) >= 80 FROM indicators") == [(True, True)]
    assert main(["indicators", "--db", db, "--format", "json"]) == 0
    listed = {row["indicator_key"]: row for row in json.loads(capsys.readouterr().out)}
    assert (listed["tax_collection_rate_arrears"]["cities"], listed["tax_collection_rate_arrears"]["documents"]) == (2, 2)
    assert listed["furusato_donation_amount"]["name_ja"] == "ふるさと納税寄附額"
    assert all(row["observations"] > 0 for row in listed.values())
    keyed = rows(db, "SELECT count(*) FILTER (WHERE indicator_key IS NULL), count(indicator_key) FROM observations")[0]
    assert keyed[0] > 0 and keyed[1] > 100          # many figures keyed, the rest left NULL rather than forced


def test_search_is_ranked_width_and_variant_insensitive(sample_db, capsys):
    db = str(sample_db("pdf"))
    found = api.search("ふるさと納税", db=db)
    assert set(found["municipality"]) == {"千曲市", "南アルプス市"}
    assert found["text"].str.contains("ふるさと納税").all() and found["page"].notna().all()
    assert list(found["score"]) == sorted(found["score"], reverse=True)
    assert "ＩＣＴ（情報通信技術）の利活用の推進" in set(api.search("ict", db=db)["text"])   # full-width in the PDF
    variants = set(api.search("取り組み", db=db)["text"])
    assert "市税等の徴収率の向上に向けた取組みの推進" in variants and "市と市民活動団体等との協働取組数" in variants
    assert main(["search", "ふるさと納税", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "千曲市" in out and "001_bb74d7eeddc3e045" in out
    with pytest.raises(ValueError):
        api.search("の", db=db)
    assert main(["search", "納税", "--limit", "0", "--db", db]) == 2


def test_a_password_for_no_pdf_is_an_error(tmp_path, capsys):
    assert main(["ingest", str(sample("002", "text")), "--password", "x", "--db", str(tmp_path / "k.duckdb")]) == 2
    assert "no input is a PDF" in capsys.readouterr().err and not (tmp_path / "k.duckdb").exists()


def test_xlsx_workbook(sample_db, tmp_path):
    from openpyxl import load_workbook

    [path] = api.export(tmp_path, db=sample_db("text"), fmt="xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["documents", "measures", "observations", "schedule", "evaluations",
                               "unparsed_tables", "ingest_log", "indicators", "indicator_compare"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width > 8
    measures = book["measures"]
    header = [cell.value for cell in measures[1]]
    titles = {row[header.index("title")]: row for row in measures.iter_rows(min_row=2, values_only=True)}
    assert titles["補助金・交付金の見直し"][header.index("departments")] == "政策推進課・財政課"
    documents = book["documents"]
    header = [cell.value for cell in documents[1]]
    first = documents[2]
    assert first[header.index("ingested_at")].data_type == "d" and first[header.index("pages")].data_type == "n"
    assert first[header.index("municipality")].value == "安曇野市"
    observations = book["observations"]
    header = [cell.value for cell in observations[1]]
    second = observations[2]
    assert second[header.index("uncertain")].data_type == "b" and second[header.index("value")].data_type == "n"


def test_export_refuses_unknown_formats_and_flags_that_do_nothing(sample_db, tmp_path, capsys):
    db = str(sample_db("text"))
    with pytest.raises(ValueError, match="unknown export format"):
        api.export(tmp_path, db=db, fmt="xml")
    with pytest.raises(ValueError, match="does nothing"):
        api.export(tmp_path, db=db, fmt="parquet", excel=True)
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--out", str(tmp_path), "--db", db, "--format", "xlsx", "--excel"])
    assert exit_.value.code == 2 and "--excel" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_version_and_db_anywhere(sample_db, capsys, monkeypatch):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("keikaku ")
    db = str(sample_db("text"))
    sql = "SELECT count(*) AS n FROM documents"
    assert main(["--db", db, "query", sql, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 5}]
    monkeypatch.setenv("KEIKAKU_DB", db)
    assert main(["query", sql, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 5}]


def test_sql_from_stdin_or_a_file(sample_db, capsys, monkeypatch, tmp_path):
    db = str(sample_db("text"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT 7 AS x"))
    assert main(["query", "-", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"x": 7}]
    script = tmp_path / "q.sql"
    script.write_text("SELECT 8 AS x", encoding="utf-8")
    assert main(["query", "--file", str(script), "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"x": 8}]


def test_duckdb_message_is_passed_through_whole(sample_db, capsys):
    assert main(["query", "SELECT * FROM observation", "--db", str(sample_db("text"))]) == 1
    err = capsys.readouterr().err
    assert 'Did you mean "observations"' in err and "LINE 1" in err


def test_schema_command(capsys):
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    assert "CREATE TABLE IF NOT EXISTS indicators" in out and "VIEW indicator_compare" in out


def test_quiet_ingest_and_no_database_from_a_missing_file(tmp_path, capsys):
    db = tmp_path / "k.duckdb"
    assert main(["ingest", str(tmp_path / "missing.pdf"), "--db", str(db)]) == 1
    assert "no such file" in capsys.readouterr().err and not db.exists()
    assert main(["ingest", "-q", str(sample("002", "text")), "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "" and db.exists()


def test_a_bare_string_is_one_path(tmp_path):
    results = api.ingest(str(sample("002", "text")), db=tmp_path / "k.duckdb")
    assert [(result.document, result.ok) for result in results] == [("002_b844f136f78e5eb9", True)]


def test_closed_pipe_exits_quietly(sample_db):
    command = [sys.executable, "-m", "keikaku.cli", "query", "SELECT * FROM range(200000)", "--db",
               str(sample_db("text")), "--format", "csv"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) == 0 and err == b""


def raw_document(municipality: str, prefecture: str | None = None) -> RawDocument:
    return RawDocument(document="x", source_path="x.txt", sha256="0", pages=1,
                       metadata=RawMetadata(municipality=municipality, prefecture=prefecture),
                       measures=[RawMeasure(key="m", title="市税等の収納率向上")],
                       observations=[RawObservation(measure_key="m", indicator="市税収納率（現年度分）", year_text="令和6年度",
                                                    kind="target", text="99.1%")])


@pytest.mark.parametrize("municipality,prefecture,code,warning", [
    ("安曇野市", None, "202207", None),
    ("府中市", "広島県", "342084", None),
    ("府中市", None, None, "is in 2 prefectures"),
    ("架空町", None, None, "is not in Japan Post's municipality list"),
])
def test_unknown_or_ambiguous_names_are_flagged_not_guessed(municipality, prefecture, code, warning):
    from keikaku.extract.gazetteer import Gazetteer

    records = api.records_of(raw_document(municipality, prefecture), gazetteer=Gazetteer())
    assert records.document.municipality_code == code
    flagged = [text for text in records.warnings if "municipality_code" in text]
    if warning is None:
        assert flagged == []
    else:
        assert len(flagged) == 1 and warning in flagged[0]
    assert [o.indicator_key for o in records.observations] == ["tax_collection_rate_current"]


def test_progress_bar_counts_pages_with_result_lines_above_it(tmp_path):
    """On a terminal: a bar of the current file's pages on stderr, the ok/error lines printed
    above it (tqdm.write), and no bar left behind."""
    pty = pytest.importorskip("pty")
    import fcntl
    import os
    import select
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 160, 0, 0))
    command = [sys.executable, "-m", "keikaku.cli", "ingest", str(sample("002", "pdf")), str(tmp_path / "none.pdf"),
               "--db", str(tmp_path / "k.duckdb"), "--jobs", "1"]   # with workers the bar counts files
    process = subprocess.Popen(command, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, cwd=ROOT)
    os.close(slave)
    out = b""
    while select.select([master], [], [], 120)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    assert process.wait(timeout=120) == 1
    text = out.decode("utf-8", "replace")
    assert "[1/2] 002_b844f136f78e5eb9.pdf" in text and "/5 [" in text and "page/s" in text
    lines = [line.strip() for line in text.replace("\r", "\n").splitlines() if line.strip()]
    assert any(line.startswith("ok: ") for line in lines) and any("none.pdf: no such file" in line for line in lines)
    assert lines[-1] == f"1 of 2 files loaded into {tmp_path / 'k.duckdb'}"


def test_tables_fit_the_terminal():
    import pandas as pd

    from keikaku.cli import display_width, fit_to_terminal

    frame = pd.DataFrame({"municipality": ["南アルプス市"], "text": ["ガバメントクラウドファンディング・ふるさと納税等の活用による自主財源拡大"],
                          "page": ["4"]})
    fitted = fit_to_terminal(frame, 60)
    line = fitted.to_string(index=False).splitlines()[1]
    assert fitted["text"][0].endswith("…") and fitted["text"][0].startswith("ガバメント")
    assert sum(max(display_width(str(v)), display_width(c)) for c, v in zip(fitted.columns, fitted.iloc[0])) + 2 <= 60
    assert fitted["municipality"][0] == "南アルプス市" and "4" in line


def test_an_older_database_gains_the_new_columns_and_says_what_it_lacks(tmp_path, capsys):
    from keikaku.load import db as database

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(database.schema_sql().split("-- Columns added later")[0])   # the relations as they were before
    con.close()
    assert main(["search", "納税", "--db", str(path)]) == 0    # opening it adds what is missing (no catalog error)
    assert "(no rows)" in capsys.readouterr().out
    columns = [row[0] for row in rows(path, "DESCRIBE documents")]
    assert "municipality_code" in columns
    assert rows(path, "SELECT count(*) > 80 FROM indicators") == [(True,)]


def test_xlsx_whole_dates_are_dates_partial_ones_stay_text(tmp_path):
    import datetime

    import pandas as pd
    from openpyxl import load_workbook

    from keikaku.load.db import write_xlsx

    frame = pd.DataFrame({"published": ["2024-03-31", "2026-03", None], "uncertain": [True, False, None],
                          "departments": [["財政課", "税務課"], [], None]})
    write_xlsx({"documents": frame}, tmp_path / "t.xlsx")
    sheet = load_workbook(tmp_path / "t.xlsx")["documents"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert cells == [[datetime.datetime(2024, 3, 31), True, "財政課・税務課"], ["2026-03", False, None]]   # a NULL row is empty
    assert sheet["A2"].is_date and sheet["A2"].number_format == "yyyy-mm-dd" and sheet["A3"].data_type == "s"
