"""Page triage (extract/triage.py): which pages are skipped, and that skipping changes no record."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES, SHARED_REALPDF
from fixtures import FONT, _canvas, cid_glyph_pdf, draw_table, image_only_pdf

from keikaku.extract.labels import LabelTable
from keikaku.extract.triage import triage_pdf
from keikaku.api import extract_file

PAGES = [
    ["歳入合計 1,000,000 千円", "繰越金 718,586 基金繰入金"],           # 1 money, no year, no plan label: skipped
    ["令和6年度 令和7年度", "窓口のオンライン化"],                       # 2 a year: kept
    ["123 456 789", "合計 1,368"],                                  # 3 right after a year page: kept
    ["雑入 3,160,903 市預金利子 2,799", "延滞金加算金及び過料 30,002"],  # 4 skipped
    ["主管課 総務課", "窓口の受付時間を延長する"],                       # 5 a plan label: kept
    ["あ"],                                                         # 6 too little text to judge: kept
    ["区分 内容 単位 番号", "歳出合計 20,000 千円"],                     # 7 only everyday labels: skipped
]


PLAN_TABLES = [([["取組名", "窓口のオンライン化"], ["担当課", "総務課・情報政策課"]], [120, 300]),
               ([["指標", "令和7年度", "令和8年度", "令和9年度"], ["目標値", "10件", "20件", "30件"]],
                [120, 100, 100, 100])]


def pages_pdf(path: Path, pages: list[list[str]], tables: dict[int, list] | None = None) -> Path:
    """One page per list of lines; `tables` draws ruled tables under the lines of page n (0-based)."""
    canvas = _canvas(path)
    for index, lines in enumerate(pages):
        canvas.setFont(FONT, 10)
        for row, text in enumerate(lines):
            canvas.drawString(60, 780 - 18 * row, text)
        y = 780 - 18 * len(lines)
        for rows, widths in (tables or {}).get(index, []):
            y = draw_table(canvas, rows, 60, y - 10, widths) - 20
        canvas.showPage()
    canvas.save()
    return path


def test_pages_with_no_year_and_no_plan_label_are_skipped(tmp_path):
    triage = triage_pdf(pages_pdf(tmp_path / "mixed.pdf", PAGES), labels=LabelTable())
    assert (triage.total, sorted(triage.skipped)) == (7, [1, 4, 7])


def test_pages_the_reader_must_judge_are_never_skipped(tmp_path):
    cid = tmp_path / "cid.pdf"
    cid.write_bytes(cid_glyph_pdf())
    scanned = tmp_path / "scanned.pdf"
    scanned.write_bytes(image_only_pdf(pages=2))
    assert triage_pdf(cid).skipped == set()
    assert triage_pdf(scanned).skipped == set()


def test_skipped_pages_stay_empty_and_are_listed(tmp_path):
    from keikaku.extract.pdf import read_pdf

    document = read_pdf(pages_pdf(tmp_path / "mixed.pdf", PAGES))
    assert document.skipped_pages == [1, 4, 7]
    assert [len(page.blocks) > 0 for page in document.pages] == [False, True, True, False, True, True, False]


@pytest.mark.parametrize("path", sorted((SAMPLES / "pdf").glob("*.pdf")), ids=lambda path: path.stem[:3])
def test_triage_changes_no_record_of_the_samples(path):
    labels = LabelTable()
    assert extract_file(path, labels=labels, triage=True) == extract_file(path, labels=labels, triage=False)


@pytest.mark.skipif(not (SHARED_REALPDF / "fuji_R6_ippan_kaikei_yosansho.pdf").exists(), reason="../shared/realpdf absent")
def test_most_pages_of_a_budget_book_are_skipped():
    triage = triage_pdf(SHARED_REALPDF / "fuji_R6_ippan_kaikei_yosansho.pdf")
    assert (triage.total, len(triage.skipped)) == (612, 488)


def test_triage_changes_no_record_where_it_skips_pages(tmp_path):
    path = pages_pdf(tmp_path / "mixed.pdf", [*PAGES, ["架空町行政改革実施計画"]], tables={7: PLAN_TABLES})
    labels = LabelTable()
    on, off = extract_file(path, labels=labels, triage=True), extract_file(path, labels=labels, triage=False)
    assert on == off
    assert [(o.year_text, o.text) for o in on.observations] == [("令和7年度", "10件"), ("令和8年度", "20件"),
                                                                      ("令和9年度", "30件")]
