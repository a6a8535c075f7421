"""Documents of our own making, in layouts unlike the samples, with the records they must give.
They exercise the generic recognizers: year grids, KPI headers with years in brackets, unit
columns and captions, grade rows, borderless grids, arrows, and a grid continued on a page
without its header."""
from __future__ import annotations

import duckdb
import pytest
from fixtures import (borderless_plan, records, kpi_variants_text, merged_kind_plan, ruled_kpi_plan, text_plan_cp932,
                      transposed_text)

from keikaku import api


@pytest.fixture(scope="module")
def own_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own")
    files = [ruled_kpi_plan(folder / "ruled.pdf"), borderless_plan(folder / "borderless.pdf"),
             text_plan_cp932(folder / "cp932.txt"), kpi_variants_text(folder / "kpi.txt"),
             transposed_text(folder / "transposed.txt"), merged_kind_plan(folder / "merged.pdf")]
    db = folder / "k.duckdb"
    results = api.ingest(files, db=db)
    assert all(result.ok for result in results), [result.error for result in results]
    return db


def test_ruled_kpi_table_caption_unit_and_grades(own_db):
    measure = "窓口サービスの向上"
    assert records(own_db, "ruled") == {
        (measure, "電子申請件数", 2023, "baseline", 1200.0, "件"), (measure, "電子申請件数", 2026, "target", 3000.0, "件"),
        (measure, "窓口待ち時間", 2023, "baseline", 15.0, "分"), (measure, "窓口待ち時間", 2026, "target", 10.0, "分"),
        (measure, None, 2024, "target", 1200000.0, "円"), (measure, None, 2025, "target", 1300000.0, "円"),
        (measure, None, 2026, "target", 1400000.0, "円"), (measure, None, 2024, "actual", 1150000.0, "円"),
    }
    con = duckdb.connect(str(own_db), read_only=True)
    assert con.execute("SELECT measure, fiscal_year, grade FROM evaluations WHERE document = 'ruled'").fetchall() == [
        (measure, 2024, "○")]
    assert con.execute("SELECT municipality, plan_kind, period_start, period_end, published FROM documents "
                       "WHERE document = 'ruled'").fetchone() == ("架空市", "implementation_plan", 2024, 2026, "2024-03")


def test_borderless_grid_and_arrow(own_db):
    grid, arrow = "公共施設の適正管理", "職員の働き方改革"
    assert records(own_db, "borderless") == {
        (grid, "施設削減数", 2024, "target", 2.0, "施設"), (grid, "施設削減数", 2025, "target", 3.0, "施設"),
        (grid, "施設削減数", 2026, "target", 4.0, "施設"), (grid, "点検実施率", 2024, "target", 90.0, "%"),
        (grid, "点検実施率", 2025, "target", 95.0, "%"), (grid, "点検実施率", 2026, "target", 100.0, "%"),
        (arrow, "時間外勤務時間", 2023, "baseline", 1234.0, "時間"), (arrow, "時間外勤務時間", 2026, "target", 1000.0, "時間"),
    }


def test_cp932_grid_continued_without_header_and_arrow(own_db):
    grid, arrow = "ごみ減量化の推進", "子育て支援の充実"
    assert records(own_db, "cp932") == {
        (grid, "リサイクル率（％）", 2024, "target", 24.0, "%"), (grid, "リサイクル率（％）", 2025, "target", 25.0, "%"),
        (grid, "リサイクル率（％）", 2026, "target", 26.0, "%"), (grid, "リサイクル率（％）", 2024, "actual", 25.1, "%"),
        (arrow, "保育所待機児童数", 2023, "baseline", 12.0, "人"), (arrow, "保育所待機児童数", 2029, "target", 0.0, "人"),
    }


def test_kpi_cards_two_row_headers_and_colon_lines(own_db):
    card, grid, lines = "市民協働の推進", "健康づくりの推進", "交流の推進"
    assert records(own_db, "kpi") == {
        (card, "市民活動団体数", 2022, "baseline", 184.0, "団体"), (card, "市民活動団体数", 2027, "target", 220.0, "団体"),
        (grid, "特定健診受診率（％）", 2023, "baseline", 45.2, "%"), (grid, "特定健診受診率（％）", 2029, "target", 60.0, "%"),
        (lines, "農家民宿受入人数", 2022, "baseline", 0.0, "人"), (lines, "農家民宿受入人数", 2027, "target", 1300.0, "人"),
    }


def test_transposed_grid_and_cover_era(own_db):
    books, parks = "図書館の利用促進", "公園の維持管理"
    indicator = "図書館の年間貸出冊数（冊）"
    assert records(own_db, "transposed") == {
        (books, indicator, 2022, "target", 120000.0, "冊"), (books, indicator, 2022, "actual", 118500.0, "冊"),
        (books, indicator, 2023, "target", 125000.0, "冊"), (books, indicator, 2023, "actual", 126200.0, "冊"),
        (books, indicator, 2024, "target", 130000.0, "冊"),
        (parks, "改修する公園", 2024, "target", 10.0, "箇所"), (parks, "改修する公園", 2025, "target", 12.0, "箇所"),
        (parks, "改修する公園", 2026, "target", 14.0, "箇所"),
    }


def test_kind_column_merged_down_rows(own_db):
    measure = "収納対策の強化"
    assert records(own_db, "merged") == {
        (measure, "市税収納率", 2024, "target", 98.5, "%"), (measure, "市税収納率", 2025, "target", 98.6, "%"),
        (measure, "口座振替率", 2024, "target", 40.0, "%"), (measure, "口座振替率", 2025, "target", 42.0, "%"),
        (measure, "市税収納率", 2024, "actual", 98.4, "%"),
    }
    con = duckdb.connect(str(own_db), read_only=True)
    assert con.execute("SELECT municipality, prefecture FROM documents WHERE document = 'merged'").fetchone()[0] == "架空町"
