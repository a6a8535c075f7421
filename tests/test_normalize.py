"""normalize: one table of printed input -> expected value per rule. Cases come from the five
samples and from what municipal plans commonly print."""
from __future__ import annotations

import pytest

from keikaku.normalize import (figures_in, PartialDate, Quantity, Year, clean_text, match_key, parse_date, parse_period, parse_quantity,
                       parse_year, unit_from_label, without_years)

# ---- years: (printed, era in context, expected western year, fiscal) ----
YEAR_CASES = [
    ("令和２年度", None, 2020, True),
    ("令和2年度", None, 2020, True),
    ("令和二年度", None, 2020, True),
    ("令和元年度", None, 2019, True),
    ("令和 元 年度", None, 2019, True),
    ("令和8年度", None, 2026, True),
    ("令和10年度", None, 2028, True),
    ("令和12年度", None, 2030, True),
    ("令和十二年度", None, 2030, True),
    ("平成30年", None, 2018, False),
    ("平成30年度", None, 2018, True),
    ("平成三十年度", None, 2018, True),
    ("平成 22 年", None, 2010, False),
    ("平成31年", None, 2019, False),
    ("平成元年", None, 1989, False),
    ("平成32年度", None, 2020, True),       # printed in plans written before the era changed
    ("昭和64年", None, 1989, False),
    ("昭和元年", None, 1926, False),
    ("昭和50年度", None, 1975, True),
    ("大正15年", None, 1926, False),
    ("大正元年", None, 1912, False),
    ("明治元年", None, 1868, False),
    ("明治45年", None, 1912, False),
    ("H31（R元）", None, 2019, False),
    ("H31(R1)", None, 2019, False),
    ("R2", None, 2020, False),
    ("R2年度", None, 2020, True),
    ("Ｒ２年度", None, 2020, True),
    ("Ｒ２", None, 2020, False),
    ("R.2", None, 2020, False),
    ("r2年度", None, 2020, True),
    ("H28年度", None, 2016, True),
    ("Ｈ２８", None, 2016, False),
    ("S63", None, 1988, False),
    ("R4現状値", None, 2022, False),
    ("R9目標値", None, 2027, False),
    ("目標（R11）", None, 2029, False),
    ("現状値（R5）", None, 2023, False),
    ("令和２年度（2020 年度）", None, 2020, True),
    ("2020年度", None, 2020, True),
    ("２０２６年度", None, 2026, True),
    ("2026年", None, 2026, False),
    ("2026", None, 2026, False),
    ("29年度", "平成", 2017, True),
    ("30年度", "平成", 2018, True),
    ("2年度", "令和", 2020, True),
    ("元年度", "令和", 2019, True),
    ("29年度", "H", 2017, True),
    ("令和2年度", "平成", 2020, True),       # a printed era wins over the context
    ("令和8年3月", None, 2026, False),
    ("令和3年11月", None, 2021, False),
    ("（基準）平成30年：7,063人", None, 2018, False),
    ("令和２年度：14施設", None, 2020, True),
    ("～ ※令和５年度", None, 2023, True),
]
NOT_YEARS = ["第6期", "30人", "29年度", "平成", "令和", "", None, "研究・検討", "98.60%", "4,263,148千円",
             "PR2", "A4", "5年間", "1,234", "12", "№3", "H-2ロケット", "3年後"]


@pytest.mark.parametrize("text,era,year,fiscal", YEAR_CASES)
def test_parse_year(text, era, year, fiscal):
    parsed = parse_year(text, era=era)
    assert parsed is not None and (parsed.year, parsed.fiscal) == (year, fiscal)


@pytest.mark.parametrize("text", NOT_YEARS)
def test_not_a_year(text):
    assert parse_year(text) is None


def test_year_model_fields():
    assert parse_year("令和２年度") == Year(year=2020, fiscal=True)
    assert parse_year("平成30年") == Year(year=2018, fiscal=False)
    assert set(Year.model_fields) == {"year", "fiscal"}
    assert set(Quantity.model_fields) == {"value", "unit", "comparator", "change", "per"}
    assert set(PartialDate.model_fields) == {"year", "month", "day"}
    assert parse_year("H31（R元）").year == 2019 and parse_year("第6期") is None


# ---- periods ----
PERIOD_CASES = [
    ("令和２年度 ～ ※令和５年度", (2020, 2023)),
    ("令和8年度から令和12年度までの5年間", (2026, 2030)),
    ("令和６～８年度", (2024, 2026)),
    ("令和6年度～令和8年度", (2024, 2026)),
    ("R2～R6", (2020, 2024)),
    ("R2年度～R6年度", (2020, 2024)),
    ("H28年度…、29年度…、R元年度", (2016, 2019)),
    ("平成30年度～令和4年度", (2018, 2022)),
    ("2026年度から2030年度まで", (2026, 2030)),
    ("計画期間：2021年度～2025年度（5年間）", (2021, 2025)),
    ("令和3（2021）年度～令和7（2025）年度", (2021, 2025)),
    ("平成28年度から平成32年度まで", (2016, 2020)),
    ("令和２年度～令和６年度（５年間）", (2020, 2024)),
]
NOT_PERIODS = ["令和２年度", "5年間", "研究・検討", "", None, "令和6年度～令和2年度"]


@pytest.mark.parametrize("text,expected", PERIOD_CASES)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", NOT_PERIODS)
def test_not_a_period(text):
    assert parse_period(text) is None


# ---- dates: (printed, (year, month, day), fiscal year) ----
DATE_CASES = [
    ("令和3年11月", (2021, 11, None), 2021),
    ("H26.8.29", (2014, 8, 29), 2014),
    ("令和3年1月7日（木）", (2021, 1, 7), 2020),
    ("令和8年3月", (2026, 3, None), 2025),
    ("令和8年4月", (2026, 4, None), 2026),
    ("令和元年5月1日", (2019, 5, 1), 2019),
    ("平成31年4月30日", (2019, 4, 30), 2019),
    ("平成31年3月31日", (2019, 3, 31), 2018),
    ("令和三年十一月", (2021, 11, None), 2021),
    ("R3.11", (2021, 11, None), 2021),
    ("R3.2.1", (2021, 2, 1), 2020),
    ("2021年11月5日", (2021, 11, 5), 2021),
    ("2021年3月", (2021, 3, None), 2020),
    ("2021/11/5", (2021, 11, 5), 2021),
    ("2022-01-31", (2022, 1, 31), 2021),
    ("策定：令和２年３月", (2020, 3, None), 2019),
    ("令和２年３月策定", (2020, 3, None), 2019),
    ("平成 26 年 8 月 29 日", (2014, 8, 29), 2014),
    ("令和8年13月", None, None),
    ("令和8年度", None, None),
    ("第3期", None, None),
    ("", None, None),
]


@pytest.mark.parametrize("text,expected,fiscal_year", DATE_CASES)
def test_parse_date(text, expected, fiscal_year):
    parsed = parse_date(text)
    if expected is None:
        assert parsed is None
    else:
        assert (parsed.year, parsed.month, parsed.day) == expected and parsed.fiscal_year == fiscal_year


def test_partial_date_positional_and_iso():
    assert parse_date("H26.8.29") == PartialDate(2014, 8, 29)
    assert parse_date("令和8年3月").isoformat() == "2026-03"


# ---- quantities: (printed, unit hint, value, unit, comparator, change, per) ----
QUANTITY_CASES = [
    # money and its scales
    ("4,263,148千円", None, 4263148000, "円", None, None, None),
    ("2億2千万円", None, 220000000, "円", None, None, None),
    ("50億4千7百万円", None, 5047000000, "円", None, None, None),
    ("96億円以上", None, 9600000000, "円", ">=", None, None),
    ("291億円", None, 29100000000, "円", None, None, None),
    ("40.6億円", None, 4060000000, "円", None, None, None),
    ("100万円", None, 1000000, "円", None, None, None),
    ("100百万円", None, 100000000, "円", None, None, None),
    ("5千万円", None, 50000000, "円", None, None, None),
    ("約1.2億円", None, 120000000, "円", None, None, None),
    ("1,500円", None, 1500, "円", None, None, None),
    ("▲1,234千円", None, -1234000, "円", None, None, None),
    ("45", "億円", 4500000000, "円", None, None, None),
    ("570", "千円", 570000, "円", None, None, None),
    ("100", "万円", 1000000, "円", None, None, None),
    ("150,000", "（単位：千円）", 150000000, "円", None, None, None),
    ("2,000円", "千円", 2000, "円", None, None, None),          # the cell's own unit wins
    # percent, points, 割
    ("98.60%", None, 98.6, "%", None, None, None),
    ("98.6％", None, 98.6, "%", None, None, None),
    ("９８．６％", None, 98.6, "%", None, None, None),
    ("▲18.9%", None, -18.9, "%", None, None, None),
    ("△5.2%", None, -5.2, "%", None, None, None),
    ("－3.0%", None, -3.0, "%", None, None, None),
    ("6.5%以下", None, 6.5, "%", "<=", None, None),
    ("31.8％以下", None, 31.8, "%", "<=", None, None),
    ("99%以上", None, 99, "%", ">=", None, None),
    ("３％減/取組期間", None, 3, "%", None, "decrease", "period"),
    ("実施事業3%増加", None, 3, "%", None, "increase", None),
    ("アクセス数 前年比3%増加", None, 3, "%", None, "increase", None),
    ("10％向上", None, 10, "%", None, "increase", None),
    ("20%削減", None, 20, "%", None, "decrease", None),
    ("5%縮減", None, 5, "%", None, "decrease", None),
    ("2%減少", None, 2, "%", None, "decrease", None),
    ("５年間で10％の削減", None, 10, "%", None, "decrease", "period"),
    ("2割", None, 20, "%", None, None, None),
    ("3割以上", None, 30, "%", ">=", None, None),
    ("10ポイント", None, 10, "pt", None, None, None),
    ("1.5pt", None, 1.5, "pt", None, None, None),
    ("28.5", "%", 28.5, "%", None, None, None),
    ("23.8", "（％）", 23.8, "%", None, None, None),
    # counters
    ("110,000件", None, 110000, "件", None, None, None),
    ("7社", None, 7, "社", None, None, None),
    ("2回", None, 2, "回", None, None, None),
    ("3団体", None, 3, "団体", None, None, None),
    ("14施設", None, 14, "施設", None, None, None),
    ("61施設", None, 61, "施設", None, None, None),
    ("24時間", None, 24, "時間", None, None, None),
    ("5校", None, 5, "校", None, None, None),
    ("2箇所", None, 2, "箇所", None, None, None),
    ("2か所", None, 2, "箇所", None, None, None),
    ("3ヶ所", None, 3, "箇所", None, None, None),
    ("10橋", None, 10, "橋", None, None, None),
    ("940事業", None, 940, "事業", None, None, None),
    ("151件", None, 151, "件", None, None, None),
    ("1,000世帯", None, 1000, "世帯", None, None, None),
    ("12通", None, 12, "通", None, None, None),
    ("50手続", None, 50, "手続", None, None, None),
    ("300人日", None, 300, "人日", None, None, None),
    ("1業務", None, 1, "業務", None, None, None),
    ("7,063人", None, 7063, "人", None, None, None),
    ("二千五百人", None, 2500, "人", None, None, None),
    ("三十件以上", None, 30, "件", ">=", None, None),
    ("五人", None, 5, "人", None, None, None),
    ("1.2万人", None, 12000, "人", None, None, None),
    ("1.5千人", None, 1500, "人", None, None, None),
    ("約80団体", None, 80, "団体", None, None, None),
    ("100人未満", None, 100, "人", "<", None, None),
    ("1,000人超", None, 1000, "人", ">", None, None),
    ("500万円を超える", None, 5000000, "円", ">", None, None),
    ("10件以内", None, 10, "件", "<=", None, None),
    ("28,635", "（世帯）", 28635, "世帯", None, None, None),
    ("3", "件", 3, "件", None, None, None),
    # per year / per period
    ("０件/年", None, 0, "件", None, None, "year"),
    ("0件／年", None, 0, "件", None, None, "year"),
    ("2件／年程度", None, 2, "件", None, None, "year"),
    ("34施設/取組期間", None, 34, "施設", None, None, "period"),
    ("300人（R7〜R11累計）", None, 300, "人", None, None, "period"),
    ("50件（５年間の累計）", None, 50, "件", None, None, "period"),
    ("年間2回", None, 2, "回", None, None, "year"),
    ("年間延べ400回以上", None, 400, "回", ">=", None, "year"),
    ("年2回", None, 2, "回", None, None, "year"),
    ("毎年1回", None, 1, "回", None, None, "year"),
    # figures inside words
    ("（基準）平成30年：7,063人", None, 7063, "人", None, None, None),
    ("令和２年度：14施設", None, 14, "施設", None, None, None),
    # a number inside the name of what is counted is not the figure
    ("・職員１人当たり月平均時間外勤務時間：12.6時間以下", None, 12.6, "時間", "<=", None, None),
    ("時間外勤務が月45時間を超える職員数：２９人", None, 29, "人", None, None, None),
    ("70%（H27:54.3%）", None, 70, "%", None, None, None),
    ("（参考）令和元年度：9施設", None, 9, "施設", None, None, None),
    ("未利用財産数：18件（R7年現在）", None, 18, "件", None, None, None),
    ("24（15）", None, 24, None, None, None, None),
    ("1,360,000kWh", None, 1360000, "kWh", None, None, None),
    ("3,000㎡", None, 3000, "m2", None, None, None),
    ("12ha", None, 12, "ha", None, None, None),
    ("1.5倍", None, 1.5, "倍", None, None, None),
    ("6,000", None, 6000, None, None, None, None),
    ("0", None, 0, None, None, None, None),
    ("<b>98.6%</b>", None, 98.6, "%", None, None, None),
    ("98.6<br>%", None, 98.6, "%", None, None, None),
]
NO_NUMBER = ["研究・検討", "検討・導入判断", "—", "―", "-", "－", "→", "⇒", "実施", "調整中", "", None, "△", "○",
             "◎", "×", "A", "一部実施", "一部", "一時休止", "一人ひとり", "一人当たり", "千曲市", "三位一体", "4～7社", "4-7社", "R4現状値", "令和8年度"]


@pytest.mark.parametrize("text,hint,value,unit,comparator,change,per", QUANTITY_CASES)
def test_parse_quantity(text, hint, value, unit, comparator, change, per):
    parsed = parse_quantity(text, unit_hint=hint)
    assert parsed.value == pytest.approx(value, rel=1e-9)
    assert (parsed.unit, parsed.comparator, parsed.change, parsed.per) == (unit, comparator, change, per)


FIGURES_IN_CASES = [
    ("・職員１人当たり月平均時間外勤務時間：\n13.8時間\n・時間外勤務が月45時間を超える職員数：２９人",
     [("", "13.8時間"), ("時間外勤務が月45時間を超える職員数", "29人")]),
    ("・実質公債費比率 3.7% ・将来負担比率 ▲18.9%", [("実質公債費比率", "3.7%"), ("将来負担比率", "▲18.9%")]),
    ("1人当たり10万円", [("1人当たり", "10万円")]),
    ("目標 5件: 達成", [("目標", "5件")]),
]


@pytest.mark.parametrize("text, expected", FIGURES_IN_CASES)
def test_figures_in(text, expected):
    assert [(figure.label, figure.text) for figure in figures_in(text)] == expected


@pytest.mark.parametrize("text", NO_NUMBER)
def test_no_figure(text):
    assert parse_quantity(text) == Quantity(value=None, unit=None)


def test_quantity_positional_form():
    assert parse_quantity("▲18.9%") == Quantity(-18.9, "%")


# ---- units from an indicator's label ----
LABEL_UNIT_CASES = [
    ("寄附金額（億円）", ("円", 1e8)),
    ("協働支援テーマ型活動助成事業に申請認可された事業の数(件)", ("件", 1)),
    ("区への加入世帯数（世帯）", ("世帯", 1)),
    ("市ホームページ・SNS の満足度（％）", ("%", 1)),
    ("LINEからの登録者数", ("人", 1)),
    ("地区公民館の人権学習会の参加者数", ("人", 1)),
    ("新規マイナンバーカード活用業務", ("業務", 1)),
    ("市民活動サポートセンター登録団体数", ("団体", 1)),
    ("市税収納率", ("%", 1)),
    ("自治会に加入している世帯の割合", ("%", 1)),
    ("合計特殊出生率", None),                # births per woman, not a percentage
    ("有効求人倍率", None),
    ("新規生成AIツールの展開", None),
    ("対象年度に寄附を行った企業の数(法人単位)", None),
    ("", None),
]


@pytest.mark.parametrize("label,expected", LABEL_UNIT_CASES)
def test_unit_from_label(label, expected):
    assert unit_from_label(label) == expected


# ---- text clean-up ----
TEXT_CASES = [
    ("市税\n収納率", "市税収納率"),
    ("徴収率は全体として一定水準を維持しているが、高額\n困難案件", "徴収率は全体として一定水準を維持しているが、高額困難案件"),
    ("OJT\nTraining", "OJT Training"),
    ("外部研修やOJT\nの活用", "外部研修やOJTの活用"),
    ("<p>取組<br>内容</p>", "取組内容"),
    ("a&amp;b", "a&b"),
    ("  前後の  空白  ", "前後の 空白"),
    ("全角\u3000空白", "全角 空白"),
    ("①税収確保", "①税収確保"),                 # printed form keeps the circled number
    ("", ""),
    (None, ""),
]


@pytest.mark.parametrize("text,expected", TEXT_CASES)
def test_clean_text(text, expected):
    assert clean_text(text) == expected


MATCH_CASES = [("①税収確保", "1税収確保"), ("Ⅱ　方針", "ii方針"), ("ＫＰＩ", "kpi"), ("令和　８年度", "令和8年度"),
               ("（単位：千円）", "(単位:千円)")]


@pytest.mark.parametrize("text,expected", MATCH_CASES)
def test_match_key(text, expected):
    assert match_key(text) == expected


WITHOUT_YEAR_CASES = [("目標（R11）", "目標"), ("R4現状値", "現状値"), ("令和8年度", ""), ("2026年度(見込)", "(見込)")]


@pytest.mark.parametrize("text,expected", WITHOUT_YEAR_CASES)
def test_without_years(text, expected):
    assert without_years(text) == expected


def test_case_count():
    """Issue 3 asks for at least 200 cases across the rule tables."""
    total = sum(map(len, (YEAR_CASES, NOT_YEARS, PERIOD_CASES, NOT_PERIODS, DATE_CASES, QUANTITY_CASES, NO_NUMBER,
                          LABEL_UNIT_CASES, TEXT_CASES, MATCH_CASES, WITHOUT_YEAR_CASES)))
    assert total >= 200
