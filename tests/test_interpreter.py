"""The table interpreter on layouts the first recognizers lost: a measure list that also has
year columns (both its measures and its figures load), a per-measure sheet whose indicator,
unit and baseline are printed as lines between a key-value table and its grid, KPI cells that
carry their own year or an arrow, and figures nothing could place (counted on the ok line)."""
from __future__ import annotations

import duckdb
import pytest
from fixtures import FONT, _canvas, draw_table, plan_pdf, records

from keikaku import api


def measures(db, stem: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT number, title, policy, departments FROM measures WHERE document = ? "
                           "ORDER BY measure_id", [stem]).fetchall()
    finally:
        con.close()


def test_a_measure_list_with_year_columns_loads_measures_and_figures(tmp_path):
    """取組一覧 | 指標 | 単位 | 基準値（R5年度） | R7年度 … : the list reader used to win this table and
    drop every figure."""
    path = plan_pdf(tmp_path / "list.pdf", "第3次音威子府村行政改革実施計画", ["令和7年3月", "音威子府村"], [(
        [["基本方針", "No", "取組名", "担当課", "指標", "単位", "基準値(R5年度)", "R7年度", "R9年度"],
         ["財源の確保", "1", "村税の収納率向上", "税務課", "村税収納率", "%", "97.8", "98.0", "98.4"],
         ["", "", "", "", "口座振替の利用率", "%", "45.3", "48.3", "51.3"],
         ["", "2", "ふるさと納税の推進", "企画課", "寄附額", "千円", "16,537", "21,500", "31,500"]],
        [70, 25, 95, 50, 85, 30, 65, 45, 45])])
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok and "figures not loaded" not in result.line(), result.line()
    assert measures(db, "list") == [("1", "村税の収納率向上", "財源の確保", ["税務課"]),
                                    ("2", "ふるさと納税の推進", "財源の確保", ["企画課"])]
    tax, gift = "村税の収納率向上", "ふるさと納税の推進"
    assert records(db, "list") == {
        (tax, "村税収納率", 2023, "baseline", 97.8, "%"), (tax, "村税収納率", 2025, "target", 98.0, "%"),
        (tax, "村税収納率", 2027, "target", 98.4, "%"),
        (tax, "口座振替の利用率", 2023, "baseline", 45.3, "%"), (tax, "口座振替の利用率", 2025, "target", 48.3, "%"),
        (tax, "口座振替の利用率", 2027, "target", 51.3, "%"),
        (gift, "寄附額", 2023, "baseline", 16537000.0, "円"), (gift, "寄附額", 2025, "target", 21500000.0, "円"),
        (gift, "寄附額", 2027, "target", 31500000.0, "円"),
    }


def test_a_sheet_with_indicator_and_baseline_lines_and_a_grade_row(tmp_path):
    """取組番号 | 1-1 | 担当課 | … then ■成果指標 …（単位：％）, 基準値：…（平成28年度）, then
    区分 | H30 | H31（R元） | R2 with 目標 / 実績 / 達成状況 rows."""
    path = tmp_path / "sheet.pdf"
    canvas = _canvas(path)
    canvas.setFont(FONT, 14)
    canvas.drawString(60, 790, "萩ノ浦町行政改革実施計画 取組状況報告")
    canvas.setFont(FONT, 10)
    canvas.drawString(60, 770, "令和3年6月")
    canvas.drawString(60, 752, "萩ノ浦町")
    bottom = draw_table(canvas, [["取組番号", "1-1", "担当課", "税務課"], ["取組名", "町税の収納率向上", "", ""]],
                        60, 730, [70, 120, 70, 120])
    canvas.setFont(FONT, 10)
    canvas.drawString(60, bottom - 20, "■成果指標 町税収納率（単位：％）")
    canvas.drawString(60, bottom - 38, "基準値：98.6（平成28年度）")
    draw_table(canvas, [["区分", "H30", "H31(R元)", "R2"], ["目標", "98.8", "99.0", "99.2"],
                        ["実績", "98.9", "98.7", "－"], ["達成状況", "○", "△", "－"]],
               60, bottom - 50, [70, 70, 70, 70])
    canvas.save()
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    assert measures(db, "sheet") == [("1-1", "町税の収納率向上", None, ["税務課"])]
    m = "町税の収納率向上"
    got = records(db, "sheet")
    assert got == {
        (m, "町税収納率", 2016, "baseline", 98.6, "%"),
        (m, "町税収納率", 2018, "target", 98.8, "%"), (m, "町税収納率", 2019, "target", 99.0, "%"),
        (m, "町税収納率", 2020, "target", 99.2, "%"),
        (m, "町税収納率", 2018, "actual", 98.9, "%"), (m, "町税収納率", 2019, "actual", 98.7, "%"),
        (m, "町税収納率", 2020, "actual", None, None),     # "－" printed in the actual row: a dash, no figure
    }
    con = duckdb.connect(str(db), read_only=True)
    grades = con.execute("SELECT fiscal_year, grade FROM evaluations ORDER BY fiscal_year").fetchall()
    assert grades == [(2018, "○"), (2019, "△")]   # "－" is "not evaluated", not a grade; △ here is a grade


def test_a_layout_text_sheet_with_a_bracketed_baseline_label_and_short_row_labels(tmp_path):
    """（基準）令和4年度末：72.8％ is a baseline line; rows 目標値 | 実績 of equal-width figures
    under narrow year columns are two rows, not one wrapped row."""
    path = tmp_path / "sheet_layout.txt"
    path.write_text("\n".join([
        "架空町行政改革実施計画 取組状況報告", "令和7年6月", "架空町", "",
        "【1-2】自治会活動への支援",
        "取組番号     1-2            担当部署       総務課",
        "事業名       自治会活動への支援", "",
        "◆評価指標　自治会加入率",
        "（基準）令和4年度末：72.8％",
        "項目               R５年度         R６年度         R７年度",
        "目標値             73.2％          73.4％          73.6％",
        "実績               73.0％          73.5％",
        "達成度             △              ◎", ""]), encoding="utf-8")
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    m, i = "自治会活動への支援", "自治会加入率"
    assert records(db, "sheet_layout") == {
        (m, i, 2022, "baseline", 72.8, "%"),
        (m, i, 2023, "target", 73.2, "%"), (m, i, 2024, "target", 73.4, "%"), (m, i, 2025, "target", 73.6, "%"),
        (m, i, 2023, "actual", 73.0, "%"), (m, i, 2024, "actual", 73.5, "%"),
    }


def test_a_kind_printed_once_over_several_year_columns_names_each(tmp_path):
    """実績値 over R5 | R6, 策定時 over R7, 目標 over R9 | R10 in a layout export (a merged header
    cell keeps its text in its first column only): R6 is an actual, R10 a target."""
    path = tmp_path / "list_layout.txt"
    from test_readers import at

    columns = (76, 88, 100, 114, 128)
    path.write_text("\n".join([
        "架空市行政経営改革プラン（第5期）", "", "令和8年12月　架空市", "計画期間：R9〜R10",
        at((0, "No."), (7, "実施項目"), (33, "担当部署"), (48, "数値目標"), (76, "実績値"), (100, "策定時"), (114, "目標")),
        at(*zip(columns, ("R5", "R6", "R7", "R9", "R10"))),
        at((0, "1"), (7, "広告収入等の確保"), (33, "財政課"), (48, "有料広告収入額（件）"),
           *zip(columns, ("583", "624", "658", "718", "748"))),
        ""]), encoding="utf-8")
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    m, i = "広告収入等の確保", "有料広告収入額（件）"
    assert records(db, "list_layout") == {
        (m, i, 2023, "actual", 583.0, "件"), (m, i, 2024, "actual", 624.0, "件"), (m, i, 2025, "baseline", 658.0, "件"),
        (m, i, 2027, "target", 718.0, "件"), (m, i, 2028, "target", 748.0, "件"),
    }


def test_a_kpi_cut_by_a_page_break_reads_on_past_the_footer_and_the_running_header(tmp_path):
    """The plan's name atop every page and the page number below are page furniture: the value
    line on the next page belongs to the KPI above them, not to a 'KPI' named after the plan."""
    path = tmp_path / "kpi.pdf"
    canvas = _canvas(path)
    pages = [["令和7年3月", "架空市", "計画期間：令和7年度～令和11年度"],
             ["1-1　地域公共交通の確保", "■成果指標", "①地域公共交通の年間利用者数（人）", "R5年度基準値 247,175"],
             ["R11年度計画値 265,200"]]
    for number, lines in enumerate(pages, start=1):
        canvas.setFont(FONT, 12)
        canvas.drawString(60, 800, "第2次架空市総合計画 後期基本計画")
        canvas.setFont(FONT, 10)
        for row, text in enumerate(lines):
            canvas.drawString(60, 760 - 20 * row, text)
        canvas.drawString(280, 40, f"- {number} -")
        canvas.showPage()
    canvas.save()
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    assert records(db, "kpi") == {
        ("地域公共交通の確保", "地域公共交通の年間利用者数（人）", 2023, "baseline", 247175.0, "人"),
        ("地域公共交通の確保", "地域公共交通の年間利用者数（人）", 2029, "target", 265200.0, "人"),
    }


def test_kpi_cells_with_their_own_year_and_arrows(tmp_path):
    """指標 | 基準値 | 目標値 where the cells print their year, and one row printed as an arrow."""
    path = tmp_path / "kpi.tsv"
    path.write_text(
        "第2期架空村まち・ひと・しごと創生総合戦略\n令和7年3月\n架空村\n計画期間：令和7年度～令和11年度\n"
        "【基本目標１】子育ての希望をかなえる\n"
        "指標\t基準値\t目標値\n"
        "合計特殊出生率\t\"1.41\n（R5）\"\t\"1.51\n（R11）\"\n"
        "保育所待機児童数\t12人（R5）→0人（R11）\t\n"
        "婚活イベント参加者数\t61人（R5）\t80人/年\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    goal = "子育ての希望をかなえる"
    assert records(db, "kpi") == {
        (goal, "合計特殊出生率", 2023, "baseline", 1.41, None), (goal, "合計特殊出生率", 2029, "target", 1.51, None),
        (goal, "保育所待機児童数", 2023, "baseline", 12.0, "人"), (goal, "保育所待機児童数", 2029, "target", 0.0, "人"),
        (goal, "婚活イベント参加者数", 2023, "baseline", 61.0, "人"),
        *{(goal, "婚活イベント参加者数", year, "target", 80.0, "人") for year in range(2025, 2030)},
    }


def test_a_baseline_year_dates_the_baseline_only_and_a_cumulative_target_counts_at_its_end(tmp_path):
    """KPI | 策定時（R6） | 目標: the target column has no year of its own, so it is the plan's last
    year, not R6; "50件（R3〜R7累計）" is one figure for the whole span, at its last year."""
    path = tmp_path / "kpi.tsv"
    path.write_text(
        "第2次架空市総合計画\n令和7年3月\n架空市\n計画期間：令和７年度（2025年度）〜令和１１年度（2029年度）\n"
        "【基本目標１】新たな人の流れをつくる\n"
        "KPI\t\"策定時\n（R6）\"\t目標\n"
        "社会増減数（人）\t△１８９\t３６\n"
        "移住者数\t５５人\t\"３００人\n（５年間の累計）\"\n"
        "空き家バンクの成約件数\t13件\t\"50件\n（R3〜R7累計）\"\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    goal = "新たな人の流れをつくる"
    assert records(db, "kpi") == {
        (goal, "社会増減数（人）", 2024, "baseline", -189.0, "人"), (goal, "社会増減数（人）", 2029, "target", 36.0, "人"),
        (goal, "移住者数", 2024, "baseline", 55.0, "人"), (goal, "移住者数", 2029, "target", 300.0, "人"),
        (goal, "空き家バンクの成約件数", 2024, "baseline", 13.0, "件"),
        (goal, "空き家バンクの成約件数", 2025, "target", 50.0, "件"),
    }
    con = duckdb.connect(str(db), read_only=True)
    pers = set(con.execute("SELECT indicator, per FROM observations WHERE kind = 'target'").fetchall())
    con.close()
    assert pers == {("移住者数", "period"), ("社会増減数（人）", None), ("空き家バンクの成約件数", "period")}


def test_a_per_year_target_over_a_printed_period_counts_in_each_year(tmp_path):
    """目標値：85人/年（令和9年度〜令和13年度）: every year of the period it prints; a target
    for the whole period (150人（R9〜R13累計）) once, at its end."""
    path = tmp_path / "lines.txt"
    path.write_text("第3次架空町総合計画\n令和8年3月\n架空町\n"
                    "1-1　出会いと結婚の支援\n■成果指標 婚活イベントへの参加者数\n"
                    "　現状値：63人（令和8年度）　目標値：85人/年（令和9年度〜令和13年度）\n"
                    "1-2　企業誘致の推進\n■成果指標 新規雇用者数\n"
                    "　現状値：38人（令和8年度）　目標値：150人（令和9年度〜令和13年度）\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    assert records(db, "lines") == {
        ("出会いと結婚の支援", "婚活イベントへの参加者数", 2026, "baseline", 63.0, "人"),
        *{("出会いと結婚の支援", "婚活イベントへの参加者数", year, "target", 85.0, "人") for year in range(2027, 2032)},
        ("企業誘致の推進", "新規雇用者数", 2026, "baseline", 38.0, "人"),
        ("企業誘致の推進", "新規雇用者数", 2031, "target", 150.0, "人"),
    }


def test_an_arrow_of_oku_and_man_and_a_cover_line_that_is_the_plan_period(tmp_path):
    """2,387億8,597万円（R2）→2,527億8,597万円（R9）is two whole figures; a cover line that is a
    period alone (令和７年度（2025年度）から令和１１年度（2029年度）まで) is the plan period, so a
    target per year with no year of its own counts in each of its years."""
    path = tmp_path / "strategy.tsv"
    path.write_text(
        "第2期架空村まち・ひと・しごと創生総合戦略\n令和７年度（2025年度）から令和１１年度（2029年度）まで\n"
        "令和7年3月\n架空村\n【基本目標１】魅力ある雇用の場をつくる\n"
        "重要業績評価指標（KPI）\t当初値\t計画値\n"
        "村内総生産（名目）\t2,387億8,597万円（R2）→2,527億8,597万円（R9）\t\n"
        "新規就農者数\t\"8人\n（R5年度）\"\t9人/年\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    goal = "魅力ある雇用の場をつくる"
    assert records(db, "strategy") == {
        (goal, "村内総生産（名目）", 2020, "baseline", 238785970000.0, "円"),
        (goal, "村内総生産（名目）", 2027, "target", 252785970000.0, "円"),
        (goal, "新規就農者数", 2023, "baseline", 8.0, "人"),
        *{(goal, "新規就農者数", year, "target", 9.0, "人") for year in range(2025, 2030)},
    }


def test_figures_nothing_could_place_are_counted_on_the_ok_line(tmp_path):
    """A table of figures under no year, kind or indicator column: kept, counted, named."""
    path = plan_pdf(tmp_path / "odd.pdf", "第1次架空市行政改革実施計画", ["令和7年3月", "架空市"], [
        ([["取組名", "庁舎の省エネ"], ["担当課", "管財課"]], [120, 300]),
        ([["取組名", "指標", "目標値（R8）"], ["庁舎の省エネ", "電気使用量", "1,200kWh"]], [120, 120, 120]),
        ([["区域", "面積", "人口"], ["北部", "12.5ha", "1,234人"], ["南部", "8.0ha", "987人"]], [120, 120, 120]),
    ])
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    assert ", 4 figures not loaded" in result.line()
    assert any("4 figures not loaded" in warning and "12.5ha" in warning for warning in result.warnings)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT n_rows, n_cols FROM unparsed_tables WHERE document = 'odd'").fetchall() == [(3, 3)]
    assert con.execute("SELECT figures_not_loaded FROM ingest_log WHERE document = 'odd'").fetchone() == (4,)


def test_a_finance_plan_reads_items_not_sections_and_its_caption_unit(tmp_path):
    """収支計画: 区分 merged over a section and an item column, a （単位：千円） caption, 決算 and
    決算見込 columns (actuals) before bare plan years (targets)."""
    path = tmp_path / "finance.tsv"
    path.write_text("第3次架空町財政計画\n令和6年3月\n架空町\n計画期間：令和6年度～令和8年度\n収支計画\n（単位：千円）\n"
                    "区分\t\tR4決算\tR5決算見込\tR6\tR7\tR8\n"
                    "歳入\t町税\t4,263,148\t4,300,000\t4,350,000\t4,360,000\t4,370,000\n"
                    "\t地方交付税\t2,100,000\t2,050,000\t2,000,000\t1,990,000\t1,980,000\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    [result] = api.ingest([path], db=db)
    assert result.ok, result.error
    kinds = ("actual", "actual", "target", "target", "target")
    expected = {(None, item, year, kind, value * 1000.0, "円")
                for item, values in (("町税", (4263148, 4300000, 4350000, 4360000, 4370000)),
                                     ("地方交付税", (2100000, 2050000, 2000000, 1990000, 1980000)))
                for year, kind, value in zip(range(2022, 2027), kinds, values)}
    assert records(db, "finance") == expected


@pytest.mark.parametrize("text, joined", [
    ("令和元年度（20\n19年度）", "令和元年度（2019年度）"),    # a narrow header cut inside its bracket
    ("平成２８年度（\n2016年度）", "平成２８年度（2016年度）"),
    ("RPA AI\nOCR", "RPA AI OCR"),                                # two Latin words keep their space
    ("窓口のオンライン\n化の推進", "窓口のオンライン化の推進"),
])
def test_one_line_joins_a_cell_as_it_was_printed(text, joined):
    from keikaku.extract.interpret import one_line

    assert one_line(text) == joined
