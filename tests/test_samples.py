"""Samples 002 and 003, from their text and from their PDF: the records must be the gold ones."""
from __future__ import annotations

import duckdb
import pytest
from conftest import RECOGNIZED, gold
from goldmatch import dice, match_all, norm, scores

FORMS = ("text", "pdf")


def rows(db, sql: str, params: list) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("stem", RECOGNIZED)
def test_every_required_gold_observation_is_extracted_exactly(sample_db, form, stem):
    expected = gold(stem)
    got = rows(sample_db(form), "SELECT * FROM observations WHERE document = ?", [expected["document"]])
    required = [row for row in expected["observations"] if not row.get("optional")]
    missed, extra = match_all(required, got)
    assert missed == []
    # nothing beyond the gold table figures: no figure invented (optional prose figures aside)
    _, unexplained = match_all(expected["observations"], extra)
    assert unexplained == []


@pytest.mark.parametrize("form", FORMS)
def test_003_first_measure_figures_exactly(sample_db, form):
    got = rows(sample_db(form), "SELECT fiscal_year, kind, value, unit, text, indicator, measure FROM observations "
               "WHERE document = ? AND measure = ? ORDER BY fiscal_year", ["003_83b83b3c34cf7f73", "きめ細かな納税相談・滞納処分の適正な執行"])
    assert [(r["fiscal_year"], r["kind"], r["value"], r["unit"], r["text"]) for r in got] == [
        (2026, "target", 98.6, "%", "98.60%"), (2027, "target", 98.65, "%", "98.65%"),
        (2028, "target", 98.7, "%", "98.70%"), (2029, "target", 98.75, "%", "98.75%"),
        (2030, "target", 98.8, "%", "98.80%")]
    assert {r["indicator"] for r in got} == {"市税収納率(現年度分+過年度分)"}


@pytest.mark.parametrize("form", FORMS)
def test_003_money_column_in_oku_yen(sample_db, form):
    got = rows(sample_db(form), "SELECT fiscal_year, value, unit, text FROM observations WHERE document = ? "
               "AND indicator LIKE '寄附金額%' ORDER BY fiscal_year", ["003_83b83b3c34cf7f73"])
    assert [(r["fiscal_year"], r["value"], r["unit"], r["text"]) for r in got] == [
        (2026, 4.5e9, "円", "45"), (2027, 4.6e9, "円", "46"), (2028, 4.7e9, "円", "47"),
        (2029, 4.8e9, "円", "48"), (2030, 4.9e9, "円", "49")]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("stem", RECOGNIZED)
def test_all_gold_measures_found_with_departments(sample_db, form, stem):
    expected = gold(stem)
    got = rows(sample_db(form), "SELECT * FROM measures WHERE document = ?", [expected["document"]])
    assert len(got) == len(expected["measures"])
    by_title = {norm(row["title"]): row for row in got}
    for measure in expected["measures"]:
        row = by_title[norm(measure["title"])]
        assert row["departments"] == measure["departments"]
        assert norm(row["policy"]) == norm(measure["policy"])
        assert (row["period_start"], row["period_end"]) == tuple(measure["period"] or (None, None))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("stem", RECOGNIZED)
def test_document_facts(sample_db, form, stem):
    expected = gold(stem)
    [got] = rows(sample_db(form), "SELECT * FROM documents WHERE document = ?", [expected["document"]])
    assert got["municipality"] == expected["municipality"]
    assert got["prefecture"] == expected["prefecture"]
    period = expected["period"] or [None, None]
    assert (got["period_start"], got["period_end"]) == tuple(period)
    assert got["published"] == expected["published"]
    if stem == "003":
        assert got["plan_kind"] == expected["plan_kind"]
        assert norm(got["title"]) == norm(expected["title"])


def test_002_kpi_years_and_kinds(sample_db):
    got = rows(sample_db("text"), "SELECT fiscal_year, kind, value, unit FROM observations WHERE document = ? "
               "AND indicator LIKE '区への加入世帯数%' ORDER BY fiscal_year", ["002_b844f136f78e5eb9"])
    assert [(r["fiscal_year"], r["kind"], r["value"], r["unit"]) for r in got] == [
        (2022, "baseline", 28635.0, "世帯"), (2027, "target", 28785.0, "世帯")]


@pytest.mark.parametrize("form", FORMS)
def test_000_phrase_targets_expand_over_the_measure_period(sample_db, form):
    got = rows(sample_db(form), "SELECT fiscal_year, kind, value, unit, per, change FROM observations "
               "WHERE document = ? AND measure = ? ORDER BY kind DESC, fiscal_year", ["000_0284db81323c91fb", "e-Tax及びeLTAXによる自主申告の推進"])
    assert [(r["fiscal_year"], r["kind"], r["value"], r["unit"], r["per"], r["change"]) for r in got] == [
        (2024, "target", 3.0, "%", "period", "decrease"), (2018, "baseline", 7063.0, "人", None, None)]
    yearly = rows(sample_db(form), "SELECT fiscal_year FROM observations WHERE document = ? AND indicator = ? ORDER BY 1",
                  ["000_0284db81323c91fb", "公園施設の更新数"])
    assert [r["fiscal_year"] for r in yearly] == [2020, 2021, 2022, 2023]   # ５施設/年 over 令和２年度～※令和５年度


# Issue 4's bar for each sample and form: observation F1 (eval/GOLD_FORMAT.md), from our own matcher.
THRESHOLDS = {("000", "text"): 0.90, ("000", "pdf"): 0.90, ("001", "text"): 0.60, ("001", "pdf"): 0.90,
              ("002", "text"): 0.95, ("002", "pdf"): 0.95, ("003", "text"): 0.95, ("003", "pdf"): 0.95,
              ("004", "text"): 0.95, ("004", "pdf"): 0.95}


@pytest.mark.parametrize("stem,form", sorted(THRESHOLDS))
def test_sample_scores_reach_the_bar(sample_db, stem, form):
    expected = gold(stem)
    got = rows(sample_db(form), "SELECT * FROM observations WHERE document = ?", [expected["document"]])
    precision, recall, f1 = scores(expected, got)
    assert f1 >= THRESHOLDS[(stem, form)], (precision, recall, f1)


@pytest.mark.parametrize("form", FORMS)
def test_004_every_grade_right(sample_db, form):
    expected = gold("004")
    got = rows(sample_db(form), "SELECT measure, fiscal_year, grade FROM evaluations WHERE document = ?", [expected["document"]])
    for evaluation in expected["evaluations"]:
        assert any(row["grade"] == evaluation["grade"] and row["fiscal_year"] == evaluation["fiscal_year"]
                   and dice(row["measure"], evaluation["measure"]) >= 0.6 for row in got), evaluation


def test_001_schedule_from_pdf(sample_db):
    expected = gold("001")
    got = rows(sample_db("pdf"), "SELECT measure, fiscal_year, stage FROM schedule WHERE document = ?", [expected["document"]])
    assert len(got) == len(expected["schedule"])
    wanted = {(norm(s["measure"]), s["fiscal_year"], norm(s["stage"])) for s in expected["schedule"]}
    have = {(norm(s["measure"]), s["fiscal_year"], norm(s["stage"])) for s in got}
    assert len(wanted & have) >= 0.9 * len(wanted)


def test_uncertain_placements_are_flagged(sample_db):
    got = rows(sample_db("text"), "SELECT count(*) AS n, count(*) FILTER (WHERE uncertain) AS flagged "
               "FROM observations WHERE document = ?", ["001_bb74d7eeddc3e045"])
    assert got[0]["n"] > 0 and got[0]["flagged"] == got[0]["n"]
