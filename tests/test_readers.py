"""Readers: borderless PDF tables, space-aligned text tables, TSV/CSV, NUL bytes, line numbers.
Every expected value is what the page shows, cell by cell."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fixtures import borderless_kpi, sample_plan_pdf

from keikaku.extract.ir import Line, Table
from keikaku.extract.layout_text import width
from keikaku.extract.pdf import TableSettings, read_pdf
from keikaku.extract.read import read_document

ROOT = Path(__file__).resolve().parent.parent
ZOO = ROOT.parent / "shared" / "zoo" / "zoo.py"

KPI_ROWS = [
    ["指標", "基準値", "目標値"],
    ["市税収納率", "98.1％\n（令和5年度）", "98.6％\n（令和11年度）"],
    ["ごみ排出量（1人1日当たり）", "850g\n（令和4年度）", "800g以下\n（令和11年度）"],
    ["転入者数", "1,200人（令和5年度）→1,500人（令和11年度）", ""],
]


def shape(table: Table) -> list[list[tuple[str, int, int] | None]]:
    return [[None if cell is None else (cell.text, cell.row_span, cell.col_span) for cell in row] for row in table.rows]


def test_borderless_kpi_table_gives_exact_cells(tmp_path):
    document = read_pdf(borderless_kpi(tmp_path / "kpi.pdf"))
    page = document.pages[0]
    assert [type(block).__name__ for block in page.blocks] == ["Line", "Line", "Table", "Line"]
    assert [line.text for line in page.lines] == ["架空市総合戦略 KPI一覧", "基本目標1 安心して暮らせるまち",
                                                  "※基準値の（ ）内は把握した年度"]
    table = page.tables[0]
    assert (table.page, table.index) == (1, 0)
    assert shape(table) == [
        [("指標", 1, 1), ("基準値", 1, 1), ("目標値", 1, 1)],
        [("市税収納率", 1, 1), ("98.1％\n（令和5年度）", 1, 1), ("98.6％\n（令和11年度）", 1, 1)],
        [("ごみ排出量（1人1日当たり）", 1, 1), ("850g\n（令和4年度）", 1, 1), ("800g以下\n（令和11年度）", 1, 1)],
        [("転入者数", 1, 1), ("1,200人（令和5年度）→1,500人（令和11年度）", 1, 2), None],
    ]


def test_borderless_cell_boxes_tile_the_table(tmp_path):
    table = read_pdf(borderless_kpi(tmp_path / "kpi.pdf")).pages[0].tables[0]
    x0, top, x1, bottom = table.bbox
    for r, row in enumerate(table.rows):
        cells = [cell for cell in row if cell]
        assert cells[0].bbox[0] == x0 and cells[-1].bbox[2] == x1            # a row spans the table
        assert all(a.bbox[2] == b.bbox[0] for a, b in zip(cells, cells[1:]))  # cells abut
        assert len({(cell.bbox[1], cell.bbox[3]) for cell in cells}) == 1     # one band per row
    assert table.rows[0][0].bbox[1] == top and table.rows[-1][0].bbox[3] == bottom
    assert 60 <= x0 < 61 and 519 < x1 <= 520                                  # from the drawn text


def test_ruled_and_borderless_tables_on_one_page(tmp_path):
    page = read_pdf(borderless_kpi(tmp_path / "both.pdf", ruled_above=True)).pages[0]
    assert [table.index for table in page.tables] == [0, 1]
    assert page.tables[0].texts() == [["取組名", "窓口のオンライン化"], ["担当課", "総務課"]]
    assert page.tables[1].texts() == KPI_ROWS
    assert [line.text for line in page.lines] == ["架空市総合戦略 KPI一覧", "基本目標1 安心して暮らせるまち",
                                                  "※基準値の（ ）内は把握した年度"]


def test_ruled_only_page_gets_no_borderless_tables(tmp_path):
    path = sample_plan_pdf(tmp_path / "plan.pdf")
    found = read_pdf(path).pages[0]
    ruled = read_pdf(path, settings=TableSettings(borderless=None)).pages[0]
    assert [t.texts() for t in found.tables] == [t.texts() for t in ruled.tables]
    assert [line.text for line in found.lines] == [line.text for line in ruled.lines]


def at(*placed: tuple[int, str]) -> str:
    """A layout line: each text starting at its display column."""
    line = ""
    for column, text in placed:
        line += " " * (column - width(line)) + text
    return line


LAYOUT_PAGE_ONE = [
    "架空町総合戦略",
    "",
    "基本目標１　安心して暮らせるまち",
    "",
    at((0, "指標"), (34, "基準値"), (52, "目標値")),
    at((0, "市税収納率"), (34, "98.1％"), (52, "98.6％")),
    at((34, "（令和5年度）"), (52, "（令和11年度）")),
    at((0, "（１）子育て支援")),
    at((0, "保育所待機児童数"), (34, "12人"), (52, "0人")),
    at((0, "転入者数"), (34, "1,200人（R5）→1,500人（R11）")),
    "",
    at((30, "－ 1 －")),
]
LAYOUT_PAGE_TWO = [
    at((0, "柱"), (6, "No"), (12, "取組"), (32, "担当課"), (44, "R6"), (50, "R7")),
    at((0, "Ⅰ"), (6, "1"), (12, "窓口のオンライン"), (32, "総務課"), (44, "10"), (50, "20")),
    at((0, "財"), (12, "化の推進")),
    at((0, "政"), (6, "2"), (12, "電子契約の導入"), (32, "財政課"), (45, "1"), (51, "2")),
    at((0, "改")),
    at((0, "革")),
    "",
    at((30, "P.2")),
]


def test_layout_text_tables_wrapped_cells_vertical_text_and_footers(tmp_path):
    path = tmp_path / "plan_layout.txt"
    path.write_text("\n".join(LAYOUT_PAGE_ONE) + "\n\f" + "\n".join(LAYOUT_PAGE_TWO) + "\n", encoding="utf-8")
    document = read_document(path)
    one, two = document.pages
    assert [(type(b).__name__, b.line) for b in one.blocks if isinstance(b, Line)] == [
        ("Line", 1), ("Line", 3), ("Line", 12)]
    assert one.lines[-1].text == "－ 1 －"
    assert shape(one.tables[0]) == [
        [("指標", 1, 1), ("基準値", 1, 1), ("目標値", 1, 1)],
        [("市税収納率", 1, 1), ("98.1％\n（令和5年度）", 1, 1), ("98.6％\n（令和11年度）", 1, 1)],
        [("（１）子育て支援", 1, 1), ("", 1, 1), ("", 1, 1)],
        [("保育所待機児童数", 1, 1), ("12人", 1, 1), ("0人", 1, 1)],
        [("転入者数", 1, 1), ("1,200人（R5）→1,500人（R11）", 1, 2), None],
    ]
    assert [[cell.line for cell in row if cell] for row in one.tables[0].rows] == [
        [5, 5, 5], [6, 6, 6], [8, 8, 8], [9, 9, 9], [10, 10]]
    assert two.number == 2 and two.lines[-1].text == "P.2" and two.lines[-1].line == 20   # the form feed opens line 13
    assert shape(two.tables[0]) == [
        [("柱", 1, 1), ("No", 1, 1), ("取組", 1, 1), ("担当課", 1, 1), ("R6", 1, 1), ("R7", 1, 1)],
        [("Ⅰ財政改革", 2, 1), ("1", 1, 1), ("窓口のオンライン\n化の推進", 1, 1), ("総務課", 1, 1), ("10", 1, 1), ("20", 1, 1)],
        [None, ("2", 1, 1), ("電子契約の導入", 1, 1), ("財政課", 1, 1), ("1", 1, 1), ("2", 1, 1)],
    ]
    assert two.tables[0].rows[1][0].line == 14


def test_layout_results_list_numbered_items_sections_and_wrapped_titles(tmp_path):
    """No. 1…9 are item numbers, not vertical text, so a section row under the header stays a
    row of its own; an item title that wraps takes the rest of its line with it."""
    path = tmp_path / "results_layout.txt"
    path.write_text("\n".join([
        at((0, "No"), (6, "取組項目"), (36, "所管課"), (51, "計画値（R８年度）"), (86, "R８年度実績"), (121, "達成度")),
        at((0, "（1）財源の確保と歳出の適正化")),
        at((0, "1"), (6, "市税等の収納率向上"), (36, "税務課"), (51, "98.3％以上"), (86, "98.3％"), (121, "A")),
        at((0, "2"), (6, "RPA・AI-OCRの活用による業務"), (36, "DX推進課"), (51, "RPA導入業務数15業務"),
           (86, "RPA導入業務数12業務"), (121, "B")),
        at((6, "の効率化"), (51, "年間削減時間 2,720時間"), (86, "年間削減時間 2,804時間")),
        at((0, "3"), (6, "電子契約の導入"), (36, "契約検査課"), (51, "試行"), (86, "試行"), (121, "A")),
        at((0, "4"), (6, "公共施設の総量適正化"), (36, "公共施設マネ"), (51, "公共施設の延床面積"),
           (86, "公共施設の延床面積"), (121, "B")),
        at((36, "ジメント課"), (51, "254,900㎡"), (86, "255,507㎡")),
        at((0, "5"), (6, "市税の収納率向上"), (36, "税務課"), (51, "98.0%"), (86, "98.2%"), (121, "A")),
        at((51, "20.0%"), (86, "21.5%")),
    ]) + "\n", encoding="utf-8")
    assert read_document(path).pages[0].tables[0].texts() == [
        ["No", "取組項目", "所管課", "計画値（R８年度）", "R８年度実績", "達成度"],
        ["（1）財源の確保と歳出の適正化", "", "", "", "", ""],
        ["1", "市税等の収納率向上", "税務課", "98.3％以上", "98.3％", "A"],
        ["2", "RPA・AI-OCRの活用による業務\nの効率化", "DX推進課", "RPA導入業務数15業務\n年間削減時間 2,720時間",
         "RPA導入業務数12業務\n年間削減時間 2,804時間", "B"],
        ["3", "電子契約の導入", "契約検査課", "試行", "試行", "A"],
        ["4", "公共施設の総量適正化", "公共施設マネ\nジメント課", "公共施設の延床面積\n254,900㎡",
         "公共施設の延床面積\n255,507㎡", "B"],
        ["5", "市税の収納率向上", "税務課", "98.0%", "98.2%", "A"],
        ["", "", "", "20.0%", "21.5%", ""],      # figures under figures: a row of its own
    ]


def test_a_text_line_cut_at_the_page_width_goes_on_in_the_next(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text("\n".join([
        "移住者数　基準値（令和8年度）34人　→　計画値（令和9年度〜令和13年度",
        "）300人（R9〜R13累計）",
        "平均所要時間　基準値（令和8年度）9.3分　→　計画値（令和13年度）8.3",
        "分",
        "参加者数　基準値（令和8年度）58人　→　計画値（令和9年度〜令和13年度）62人",
        "/年",
        "基本目標1",
        "人口減少の克服",
        "第1章 計画の概要 1",
        "概要"]) + "\n", encoding="utf-8")
    assert [(line.text, line.line) for line in read_document(path).pages[0].lines] == [
        ("移住者数　基準値（令和8年度）34人　→　計画値（令和9年度〜令和13年度）300人（R9〜R13累計）", 1),
        ("平均所要時間　基準値（令和8年度）9.3分　→　計画値（令和13年度）8.3分", 3),
        ("参加者数　基準値（令和8年度）58人　→　計画値（令和9年度〜令和13年度）62人/年", 5),
        ("基本目標1", 7), ("人口減少の克服", 8), ("第1章 計画の概要 1", 9), ("概要", 10)]


def test_layout_list_whose_item_number_follows_a_policy_column(tmp_path):
    """改革の柱 | No | 実施項目 …: the policy, the title and the indicator all wrap onto a line
    with no number, which goes on with item 1."""
    path = tmp_path / "list_layout.txt"
    path.write_text("\n".join([
        at((0, "改革の柱"), (15, "No"), (22, "実施項目"), (49, "主管課"), (64, "数値目標"), (93, "R5")),
        at((0, "Ⅰ スマート自"), (15, "1"), (22, "マイナンバーカードの普及"), (49, "住民課"),
           (64, "マイナンバーカード保有率（%"), (93, "78.5")),
        at((0, "治体への転換"), (22, "と利活用"), (64, "）")),
        at((15, "2"), (22, "電子契約の導入"), (49, "財政課"), (64, "電子契約の導入"), (93, "試行")),
    ]) + "\n", encoding="utf-8")
    assert read_document(path).pages[0].tables[0].texts() == [
        ["改革の柱", "No", "実施項目", "主管課", "数値目標", "R5"],
        ["Ⅰ スマート自\n治体への転換", "1", "マイナンバーカードの普及\nと利活用", "住民課",
         "マイナンバーカード保有率（%\n）", "78.5"],
        ["", "2", "電子契約の導入", "財政課", "電子契約の導入", "試行"],
    ]


def test_page_footer_right_under_a_layout_table_is_a_line(tmp_path):
    path = tmp_path / "footer_layout.txt"
    path.write_text("\n".join([at((0, "指標"), (20, "基準値")), at((0, "市税収納率"), (20, "98.1％")),
                               at((12, "－ 3 －"))]) + "\n", encoding="utf-8")
    page = read_document(path).pages[0]
    assert page.tables[0].texts() == [["指標", "基準値"], ["市税収納率", "98.1％"]]
    assert [(line.text, line.line) for line in page.lines] == [("－ 3 －", 3)]


def test_plain_pdftotext_output_stays_lines(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("指標\n基準値\n目標値\n市税収納率\n98.1％\n（令和5年度）\n令和６年度は  前年度より増加した。\n", encoding="utf-8")
    page = read_document(path).pages[0]
    assert page.tables == []
    assert [(line.text, line.line) for line in page.lines][:2] == [("指標", 1), ("基準値", 2)]
    assert len(page.lines) == 7


TSV_ROWS = ['架空町総合戦略\t\t', '\t\t', '指標\t基準値\t目標値',
            '市税収納率\t"98.1％\n（令和5年度）"\t"98.6％\r\n（令和11年度）"', 'ごみ排出量\t850g\t', '\t\t800g以下']


@pytest.mark.parametrize("name,encoding", [("kpi.tsv", "cp932"), ("kpi_tab.txt", "cp932"), ("kpi.tsv", "utf-8-sig"),
                                           ("kpi_tab.txt", "utf-8"), ("kpi_unicode.txt", "utf-16")])
def test_tsv_as_excel_writes_it(tmp_path, name, encoding):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(TSV_ROWS) + "\r\n").encode(encoding))
    page = read_document(path).pages[0]
    assert [(line.text, line.line) for line in page.lines] == [("架空町総合戦略", 1)]
    table = page.tables[0]
    assert table.texts() == [["指標", "基準値", "目標値"], ["市税収納率", "98.1％\n（令和5年度）", "98.6％\n（令和11年度）"],
                             ["ごみ排出量", "850g", ""], ["", "", "800g以下"]]
    assert [row[0].line for row in table.rows] == [3, 4, 7, 8]      # the quoted cells of row 4 run over lines 4-6


def test_csv_with_quoted_commas(tmp_path):
    path = tmp_path / "kpi.csv"
    path.write_text('指標,基準値,目標値\r\n転入者数,"1,200人","1,500人"\r\n', encoding="utf-8")
    assert read_document(path).pages[0].tables[0].texts() == [["指標", "基準値", "目標値"], ["転入者数", "1,200人", "1,500人"]]


def test_large_tsv_is_read_in_chunks_across_multibyte_boundaries(tmp_path):
    path = tmp_path / "big.tsv"
    rows = [f"市税収納率{i}\t{i}％" for i in range(60000)]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp932"))
    assert path.stat().st_size > 1 << 20
    table = read_document(path).pages[0].tables[0]
    assert table.n_rows == 60000 and table.texts()[-1] == ["市税収納率59999", "59999％"]
    assert table.rows[-1][0].line == 60000


def test_stray_nul_byte_is_dropped_with_a_warning(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes("架空町\n市税収納率\x00 98.1％\n".encode("utf-8"))
    document = read_document(path)
    assert [line.text for line in document.pages[0].lines] == ["架空町", "市税収納率 98.1％"]
    assert document.warnings == ["1 NUL byte(s) dropped"]


@pytest.mark.skipif(not ZOO.exists(), reason="../shared/zoo is absent")
def test_zoo_pdf_and_layout_text_tables_match_the_tsv_form(tmp_path):
    """Ten zoo documents (seed 11): the tables read from the PDF and from the layout text hold
    the cell texts of the TSV form. Floors are the values measured when this was written."""
    subprocess.run([sys.executable, str(ZOO), "--seed", "11", "--count", "10", "--out", str(tmp_path),
                    "--forms", "pdf,tsv,txt", "--families", "kpi_table,action_list,sheets,results_list,grid"],
                   check=True, capture_output=True)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from reader_compare import forms, score, table_rows

    found: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _, pdf, txt, tsv in forms(tmp_path, "*"):
        reference, reference_grid = table_rows(tsv), table_rows(tsv, grid=True)
        for form, path in (("pdf", pdf), ("txt", txt)):
            result = score(reference, table_rows(path), reference_grid, table_rows(path, grid=True))
            for key in ("cells", "grid"):
                found.setdefault((form, key), []).append(result[key])
    assert len(found["pdf", "cells"]) == 10
    mean = {key: (sum(r for r, _ in got) / len(got), sum(p for _, p in got) / len(got)) for key, got in found.items()}
    # measured: pdf cells 0.998/0.981, grid 0.997/0.983; txt cells 0.994/0.991, grid 0.972/0.966
    floors = {("pdf", "cells"): (0.99, 0.97), ("pdf", "grid"): (0.99, 0.97),
              ("txt", "cells"): (0.99, 0.98), ("txt", "grid"): (0.96, 0.95)}
    assert {key: mean[key] for key in floors if mean[key][0] < floors[key][0] or mean[key][1] < floors[key][1]} == {}


def test_two_column_page_is_read_column_by_column(tmp_path):
    from fixtures import MAGAZINE_LEFT, MAGAZINE_RIGHT, magazine_page

    page = read_pdf(magazine_page(tmp_path / "magazine.pdf")).pages[0]
    kinds = [type(block).__name__ for block in page.blocks]
    assert kinds == ["Line"] * 14 + ["Table", "Line"]          # title, 7 + 6 column lines, the table, footer
    texts = [block.text for block in page.blocks if isinstance(block, Line)]
    assert texts[0] == "広報かくう 令和7年4月号 行政改革の歩み"
    assert "".join(texts[1:8]) == MAGAZINE_LEFT and "".join(texts[8:14]) == MAGAZINE_RIGHT
    assert page.tables[0].texts() == [["指標", "基準値", "目標値"], ["電子申請件数", "1,200件", "3,000件"],
                                      ["窓口待ち時間", "15分", "10分"]]
    assert page.tables[0].index == 0


def test_borderless_table_of_two_text_columns_is_not_a_magazine_page(tmp_path):
    page = read_pdf(borderless_kpi(tmp_path / "kpi.pdf")).pages[0]
    assert page.tables[0].texts() == KPI_ROWS


def test_two_column_layout_text_is_read_column_by_column(tmp_path):
    from fixtures import MAGAZINE_LEFT, MAGAZINE_RIGHT

    def chunks(text: str) -> list[str]:
        return [text[k:k + 20] for k in range(0, len(text), 20)]

    left, right = chunks(MAGAZINE_LEFT), chunks(MAGAZINE_RIGHT)
    body = [at((0, a), (44, b)) if a else at((44, b)) for a, b in
            zip(left + [""] * (len(right) - len(left)), right + [""] * (len(left) - len(right)))]
    path = tmp_path / "magazine_layout.txt"
    path.write_text("\n".join([at((20, "広報かくう 令和7年4月号 行政改革の歩み")), "", *body, "", at((40, "－ 1 －"))]) + "\n",
                    encoding="utf-8")
    page = read_document(path).pages[0]
    assert page.tables == []
    texts = [line.text for line in page.lines]
    assert texts[0] == "広報かくう 令和7年4月号 行政改革の歩み" and texts[-1] == "－ 1 －"
    assert texts[1:-1] == left + right
    assert [line.line for line in page.lines][1:3] == [3, 4] and page.lines[1 + len(left)].line == 3


def test_evenly_spread_label_is_one_run():
    from keikaku.extract.borderless import BorderlessSettings, join_spread
    from keikaku.extract.columns import Run

    def run(text: str, x0: float) -> Run:
        return Run(text, x0, x0 + 10 * len(text), 0, 100, 110)

    line = [run("市", 50), run("場", 75), run("事", 100), run("業", 125), run("費", 150), run("4,052,576", 220),
            run("A", 300), run("○", 330)]
    joined = join_spread(line, 10, BorderlessSettings())
    assert [(r.text, r.x0, r.x1) for r in joined] == [("市場事業費", 50, 160), ("4,052,576", 220, 310),
                                                     ("A", 300, 310), ("○", 330, 340)]
    two = [run("会", 50), run("計", 75), run("別", 200)]      # too few, and uneven: left as they are
    assert [r.text for r in join_spread(two, 10, BorderlessSettings())] == ["会", "計", "別"]


def test_decode_text_numbers_lines_as_the_reader_does(tmp_path):
    from keikaku.extract.text import decode_text

    path = tmp_path / "plan.txt"
    path.write_bytes("架空町\r\n\r\n市税収納率\x00 98.1％\r\n".encode("cp932"))
    text = decode_text(path.read_bytes(), str(path))
    line = read_document(path).pages[0].lines[1]
    assert text.split("\n")[line.line - 1].strip() == line.text == "市税収納率 98.1％"


def test_the_collector_is_handed_back_after_a_read_whatever_happens(tmp_path):
    """read_pdf freezes the caller's heap and turns automatic collection off while it parses
    (extract/pdf.py quiet_collector), and must hand both back: after a read and after a refused
    file alike."""
    import gc

    from keikaku.extract.errors import InputError

    assert gc.get_freeze_count() == 0 and gc.isenabled()
    read_pdf(sample_plan_pdf(tmp_path / "plan.pdf"))
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nno objects here\n%%EOF\n")
    with pytest.raises(InputError):
        read_pdf(broken)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.disable()
    try:                              # a caller that had it off gets it back off
        read_pdf(sample_plan_pdf(tmp_path / "plan2.pdf"))
        assert not gc.isenabled()
    finally:
        gc.enable()
