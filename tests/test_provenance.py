"""Provenance: stable observation ids, a box (PDF) or line (text) for each record, document identity
(a second file of the same stem never replaces the first), and one ingest_log row per file."""
from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import duckdb
from conftest import ALL_SAMPLES, sample
from fixtures import plan_pdf, sample_plan_pdf

from keikaku import api
from keikaku.cli import main
from keikaku.models import RawDocument, RawEvaluation, RawMeasure, RawMetadata, RawObservation, UnparsedTable
from keikaku.load import db as database
from keikaku.normalize.records import to_records


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def other_town_plan(path: Path) -> Path:
    """A plan of another town, in the same layout as fixtures.sample_plan_pdf, other figures."""
    return plan_pdf(path, "架空村行政改革実施計画", ["令和7年3月", "架空村", "計画期間 令和7年度から令和9年度まで"], [
        ([["取組名", "窓口の混雑緩和"], ["担当課", "住民課"]], [120, 300]),
        ([["指標", "令和7年度", "令和8年度", "令和9年度"],
          ["目標値", "5件", "6件", "7件"]], [120, 100, 100, 100]),
    ])


def test_observation_ids_are_unique_and_stable_across_reingest(tmp_path):
    db = tmp_path / "k.duckdb"
    files = [sample("003", "pdf"), sample("003", "text")]
    first = [api.ingest([path], db=db)[0] for path in files]
    assert all(result.ok for result in first)
    ids = "SELECT document, observation_id, page, x0, line, kind, fiscal_year, text FROM observations ORDER BY ALL"
    before = rows(db, ids)
    loaded = sum(result.counts["observations"] for result in first)
    assert loaded > 100 and len(before) == loaded and len({row[1] for row in before}) == loaded
    again = [api.ingest([path], db=db)[0] for path in files]
    assert [r.document for r in again] == [r.document for r in first]
    assert rows(db, ids) == before


def test_ids_do_not_depend_on_the_order_of_other_documents(tmp_path):
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    api.ingest([sample("002", "pdf"), sample("003", "pdf")], db=one)
    api.ingest([sample("003", "pdf")], db=two)
    sql = "SELECT observation_id FROM observations WHERE document LIKE '003%' ORDER BY 1"
    assert rows(one, sql) == rows(two, sql)


def test_two_plan_pdfs_of_different_towns_both_stay(tmp_path, capsys):
    db = str(tmp_path / "k.duckdb")
    for town in ("town_a", "town_b"):
        (tmp_path / town).mkdir()
    town_a = sample_plan_pdf(tmp_path / "town_a" / "plan.pdf")
    town_b = other_town_plan(tmp_path / "town_b" / "plan.pdf")
    assert main(["ingest", str(town_a), "--db", db]) == 0
    assert main(["ingest", str(town_b), "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    key_b = "plan_" + api.file_sha256(town_b)[:8]
    assert "loaded as document" not in out[0]
    assert out[1].endswith(f"; loaded as document {key_b}: another file named plan is already loaded")
    documents = [("plan", "架空町", str(town_a.resolve())), (key_b, "架空村", str(town_b.resolve()))]
    assert rows(Path(db), "SELECT document, municipality, source_path FROM documents ORDER BY 1") == documents
    figures = "SELECT document, fiscal_year, text FROM observations ORDER BY ALL"
    loaded = rows(Path(db), figures)
    assert [row for row in loaded if row[0] == "plan"] == [("plan", 2025, "10件"), ("plan", 2026, "20件"),
                                                            ("plan", 2027, "30件")]
    assert [row for row in loaded if row[0] == key_b] == [(key_b, 2025, "5件"), (key_b, 2026, "6件"), (key_b, 2027, "7件")]

    # each file again replaces only itself, under the key it has
    assert main(["ingest", str(town_b), str(town_a), "--db", db]) == 0
    assert rows(Path(db), "SELECT document, municipality, source_path FROM documents ORDER BY 1") == documents
    assert rows(Path(db), figures) == loaded
    # the same content from another path is the same document, not a third one
    copy = tmp_path / "moved" / "plan.pdf"
    copy.parent.mkdir()
    shutil.copy(town_b, copy)
    results = api.ingest([copy], db=db)
    assert results[0].document == key_b and "same content as document" in results[0].line()
    assert rows(Path(db), "SELECT document, source_path FROM documents ORDER BY 1") == [
        ("plan", str(town_a.resolve())), (key_b, str(copy.resolve()))]


def test_ingest_log_has_one_row_per_file_failed_ones_included(tmp_path):
    db = tmp_path / "k.duckdb"
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.pdf"
    letter = tmp_path / "letter.txt"
    letter.write_text("拝啓　時下ますますご清栄のこととお慶び申し上げます。\n敬具\n", encoding="utf-8")
    good = sample("002", "text")
    results = api.ingest([empty, good, missing, letter], db=db)
    assert [result.ok for result in results] == [False, True, False, False]
    log = rows(db, "SELECT document, source_path, sha256, status, message, warnings, figures_not_loaded, seconds, "
                   "started_at FROM ingest_log ORDER BY started_at")
    assert [(r[0], r[1], r[3], r[6]) for r in log] == [
        ("empty", str(empty.resolve()), "error", 0),
        ("002_b844f136f78e5eb9", str(good.resolve()), "ok", 0),
        ("missing", str(missing.resolve()), "error", 0),
        ("letter", str(letter.resolve()), "error", 0),
    ]
    assert [r[2] for r in log] == [api.file_sha256(empty), api.file_sha256(good), None, api.file_sha256(letter)]
    assert [r[4] for r in log] == [result.line().removeprefix("error: ") if not result.ok else result.line()
                                   for result in results]
    assert all(json.loads(r[5]) == [] and r[7] >= 0 for r in log)
    assert rows(db, "SELECT document FROM documents") == [("002_b844f136f78e5eb9",)]
    api.ingest([good], db=db)   # the log is appended to, never replaced
    assert rows(db, "SELECT count(*) FROM ingest_log WHERE document = '002_b844f136f78e5eb9'") == [(2,)]


def test_ingest_log_keeps_warnings_and_figures_not_loaded():
    raw = RawDocument(document="d", source_path="/x/d.txt", sha256="0" * 64, pages=1, metadata=RawMetadata(),
                      figures_not_loaded=2, measures=[RawMeasure(key="m1", title="取組", bbox=(1, 2, 3, 4), page=1)],
                      observations=[RawObservation(measure_key="m1", year_text="令和8年度", kind="target", text="5件",
                                                   page=1, bbox=(10, 20, 30, 40)),
                                    RawObservation(measure_key="m1", year_text="来年度", kind="target", text="6件",
                                                   page=1, line=7)],
                      evaluations=[RawEvaluation(measure_key="m1", year_text="令和2年度", grade="Ａ", page=1, line=9)],
                      unparsed=[UnparsedTable(page=1, table_index=0, n_rows=1, n_cols=1, cells=[["x"]],
                                              bbox=(5, 6, 7, 8))])
    records = to_records(raw)
    assert records.figures_not_loaded == 3          # two the recognizers counted, one whose year is unreadable
    assert any("来年度" in warning for warning in records.warnings)
    observation = records.observations[0]
    assert (observation.x0, observation.top, observation.x1, observation.bottom, observation.line) == (10, 20, 30, 40, None)
    assert (records.measures[0].x0, records.measures[0].bottom, records.measures[0].line) == (1, 4, None)
    evaluation = records.evaluations[0]
    assert (evaluation.page, evaluation.x0, evaluation.line, evaluation.grade) == (1, None, 9, "A")
    table = records.unparsed_tables[0]
    assert (table.x0, table.top, table.x1, table.bottom) == (5, 6, 7, 8)


def test_a_database_of_the_older_schema_gains_the_new_columns(tmp_path):
    db = tmp_path / "old.duckdb"
    con = database.connect(db)
    con.execute("DROP INDEX observations_document")   # the older schema had none (and DuckDB drops no column of an indexed table)
    for column in ("observation_id", "x0", "top", "x1", "bottom", "line"):
        con.execute(f'ALTER TABLE observations DROP COLUMN "{column}"')
    con.execute("DROP TABLE ingest_log")
    con.close()
    assert api.query("SELECT count(observation_id) AS n FROM observations", db=db)["n"].tolist() == [0]  # read-only too
    results = api.ingest([sample("003", "pdf")], db=db)
    assert results[0].ok
    assert rows(db, "SELECT count(*), count(observation_id), count(x0) FROM observations") == [(155, 155, 155)]
    assert rows(db, "SELECT count(*) FROM ingest_log") == [(1,)]


def test_unparsed_tables_carry_their_outline(sample_db):
    boxes = rows(sample_db("pdf"), "SELECT count(*), count(x0) FROM unparsed_tables")
    assert boxes[0][0] > 0 and boxes[0][0] == boxes[0][1]


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def printed_inside(page, box: tuple[float, float, float, float], slack: float = 0.5) -> str:
    """The characters pdfplumber finds inside `box` (centre inside), in stream order, each drawn once."""
    x0, top, x1, bottom = box
    seen, out = set(), []
    for char in page.chars:
        if x0 - slack <= (char["x0"] + char["x1"]) / 2 <= x1 + slack and \
                top - slack <= (char["top"] + char["bottom"]) / 2 <= bottom + slack:
            where = (char["text"], round(char["x0"]), round(char["top"]))
            if where not in seen:   # a glyph drawn twice over itself (bold) counts once
                seen.add(where)
                out.append(char["text"])
    return _key("".join(out))


def _pdf_observations(db: Path) -> list[tuple]:
    return rows(db, "SELECT o.document, d.source_path, o.page, o.x0, o.top, o.x1, o.bottom, o.text "
                    "FROM observations o JOIN documents d USING (document) ORDER BY 1, 3, 5, 4")


def test_every_pdf_observation_box_lies_on_its_page_around_its_printed_text(sample_db):
    import pdfplumber

    observations = [row for row in _pdf_observations(sample_db("pdf")) if row[3] is not None]
    assert len(observations) >= 400        # every figure of the five samples (test below)
    wrong = []
    opened = {}
    try:
        for document, path, page_number, x0, top, x1, bottom, text in observations:
            pdf = opened.setdefault(path, pdfplumber.open(path))
            page = pdf.pages[page_number - 1]
            if not (0 <= x0 < x1 <= page.width + 0.5 and 0 <= top < bottom <= page.height + 0.5):
                wrong.append((document, page_number, text, "box off the page"))
            elif _key(text) not in printed_inside(page, (x0, top, x1, bottom)):
                wrong.append((document, page_number, text, printed_inside(page, (x0, top, x1, bottom))[:40]))
    finally:
        for pdf in opened.values():
            pdf.close()
    assert wrong == []


def test_every_pdf_observation_has_a_box(sample_db):
    observations = _pdf_observations(sample_db("pdf"))
    assert [row[:3] + (row[7],) for row in observations if row[3] is None] == []
    assert {row[0] for row in observations} == {sample(stem, "pdf").stem for stem in ALL_SAMPLES}
