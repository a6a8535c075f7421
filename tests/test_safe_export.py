"""CSV for Excel never carries a formula (OWASP CSV injection): a text cell starting with
= + - @, a tab or a carriage return gets a leading '. Plain CSV and Parquet keep the value."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from keikaku.cli import main
from keikaku.load import db as database

FORMULAS = ["=HYPERLINK(\"http://x.invalid\",\"click\")", "+1+2", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"]
HARMLESS = ["令和8年度", "▲18.9%", "a=b", "'quoted"]


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "k.duckdb"
    con = database.connect(path)
    con.execute("INSERT INTO documents (document, source_path) VALUES ('doc', '=cmd|calc.pdf')")
    for number, text in enumerate(FORMULAS + HARMLESS, start=1):
        con.execute("INSERT INTO observations (document, fiscal_year, kind, value, text, page) "
                    "VALUES ('doc', 2026, 'target', ?, ?, ?)", [-5.0, text, number])
    con.close()
    return path


def exported(db, tmp_path, *options) -> dict[str, list[dict]]:
    out = tmp_path / "out"
    assert main(["export", "--out", str(out), "--db", str(db), *options]) == 0
    return {relation: _rows(out / f"{relation}.csv") for relation in ("documents", "observations")}


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_excel_csv_prefixes_formula_cells(db, tmp_path, capsys):
    rows = exported(db, tmp_path, "--excel")
    texts = [row["text"] for row in sorted(rows["observations"], key=lambda row: int(row["page"]))]
    assert texts == ["'" + text for text in FORMULAS] + HARMLESS
    assert rows["documents"][0]["source_path"] == "'=cmd|calc.pdf"
    assert {row["value"] for row in rows["observations"]} == {"-5.0"}   # a number stays a number


def test_xlsx_holds_formula_cells_as_text(db, tmp_path, capsys):
    from openpyxl import load_workbook

    assert main(["export", "--out", str(tmp_path / "x"), "--format", "xlsx", "--db", str(db)]) == 0
    book = load_workbook(tmp_path / "x" / "keikaku.xlsx")
    sheet = book["observations"]
    header = [cell.value for cell in sheet[1]]
    cells = sorted((row[header.index("page")].value, row[header.index("text")]) for row in sheet.iter_rows(min_row=2))
    expected = ["'" + text for text in FORMULAS] + HARMLESS
    assert [cell.value for _, cell in cells] == [text.replace("\r", "\n") for text in expected]   # XML reads CR as LF
    assert {cell.data_type for _, cell in cells} == {"s"}   # no cell is a formula
    assert book["documents"]["A2"].value == "doc"


def test_plain_csv_and_parquet_keep_the_value(db, tmp_path, capsys):
    rows = exported(db, tmp_path)
    texts = [row["text"] for row in sorted(rows["observations"], key=lambda row: int(row["page"]))]
    assert texts == FORMULAS + HARMLESS
    assert main(["export", "--out", str(tmp_path / "pq"), "--format", "parquet", "--db", str(db)]) == 0
    frame = pd.read_parquet(tmp_path / "pq" / "observations.parquet").sort_values("page")
    assert list(frame["text"]) == FORMULAS + HARMLESS


@pytest.mark.parametrize("value, safe", [
    ("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"), ("\t1", "'\t1"), ("\r1", "'\r1"),
    ("1", "1"), ("", ""), (None, None), (-1.0, -1.0), ("＝1", "＝1"),
])
def test_excel_safe(value, safe):
    assert database.excel_safe(value) == safe
