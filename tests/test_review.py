"""The review report: a box per positioned record over the page image, a table of the page's
records, clicking one highlights its box; nothing the document printed can run as script, and
nothing is fetched. The browser tests drive Debian's chromium through chromedriver (selenium),
and skip with the reason when they are not installed (`make test` installs them as root)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import sample

from keikaku import api
from keikaku.cli import main
from keikaku.review import SCRIPT, script_hash

SCRIPT_CELL = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
PAGE = 8            # a page of 003 with two measure forms and a year grid each


def one(db: Path, sql: str, params: list | None = None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def positioned_on(db: Path, document: str, page: int) -> int:
    """Records of a page that carry a box: what the report must draw."""
    return sum(one(db, f"SELECT count(*) FROM {relation} WHERE document = ? AND page = ? AND x0 IS NOT NULL",
                   [document, page])[0][0] for relation in ("observations", "measures", "evaluations", "schedule"))


@pytest.fixture(scope="module")
def pdf_report(tmp_path_factory):
    """The 003 PDF loaded, one figure's text replaced by markup, and its report written."""
    folder = tmp_path_factory.mktemp("review")
    db = folder / "k.duckdb"
    assert api.ingest([sample("003", "pdf")], db=db)[0].ok
    document = sample("003", "pdf").stem
    con = duckdb.connect(str(db))
    target = con.execute("SELECT observation_id FROM observations WHERE document = ? AND page = ? "
                         "ORDER BY top, x0 LIMIT 1", [document, PAGE]).fetchone()[0]
    con.execute("UPDATE observations SET text = ? WHERE observation_id = ?", [SCRIPT_CELL, target])
    con.close()
    out = api.review(document, out=folder / "report.html", db=db)
    return {"db": db, "document": document, "path": out, "html": out.read_text(encoding="utf-8"), "marked": target}


def test_report_draws_one_box_per_positioned_record_and_fetches_nothing(pdf_report):
    html, db = pdf_report["html"], pdf_report["db"]
    boxed = one(db, "SELECT count(x0) FROM observations")[0][0]
    assert boxed >= 150 and html.count(' data-observation="') == boxed
    assert len(re.findall(r'<section class="page"', html)) == 22
    sources = re.findall(r'\bsrc="([^"]*)"', html)
    assert len(sources) == 22 and all(source.startswith("data:image/jpeg;base64,") for source in sources)
    assert "http://" not in html and "https://" not in html
    assert f"script-src '{script_hash(SCRIPT)}'" in html and "default-src 'none'" in html
    assert html.count("<script") == 1                      # the report's own; the cell's is text
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;&lt;img src=x onerror=&quot;" in html


def test_review_cli_opens_at_one_observation_and_refuses_unknown_ids(pdf_report, tmp_path, capsys):
    db, marked = str(pdf_report["db"]), pdf_report["marked"]
    out = tmp_path / "one.html"
    assert main(["review", "--observation", marked, "--out", str(out), "--db", db]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}")
    assert f'<body data-focus="{marked}" data-focus-attr="observation">' in out.read_text(encoding="utf-8")
    assert main(["review", "--observation", "0000000000000000", "--db", db]) == 1
    assert "0000000000000000: no observation or measure with this id" in capsys.readouterr().err
    assert main(["review", "no_such_document", "--db", db]) == 1
    assert "no_such_document: no such document" in capsys.readouterr().err
    assert main(["review", "--db", db]) == 2


def test_text_report_marks_the_lines_records_came_from(tmp_path):
    db = tmp_path / "k.duckdb"
    path = sample("003", "text")
    assert api.ingest([path], db=db)[0].ok
    lines = path.read_text(encoding="utf-8").split("\n")
    con = duckdb.connect(str(db))
    # the text reader numbers lines now; to check the marks against one known line, clear them
    # and place each "1件" figure on the first line printing it
    line = next(number for number, text in enumerate(lines, start=1) if "1件" in text)
    for table in ("measures", "observations", "schedule", "evaluations"):
        con.execute(f"UPDATE {table} SET line = NULL")
    con.execute("UPDATE observations SET line = ? WHERE text = '1件'", [line])
    placed = con.execute("SELECT count(*) FROM observations WHERE line IS NOT NULL").fetchone()[0]
    con.close()
    html = api.review(path.stem, out=tmp_path / "text.html", db=db).read_text(encoding="utf-8")
    assert placed == one(db, "SELECT count(*) FROM observations WHERE text = '1件'")[0][0] > 0
    assert html.count(' data-observation="') == placed
    assert html.count('class="line hit"') == 1 and f'id="line-{line}"' in html
    assert html.count('class="line') == len(lines)


def test_report_of_a_moved_file_says_so(tmp_path):
    db = tmp_path / "k.duckdb"
    moved = tmp_path / "plan.txt"
    shutil.copy(sample("002", "text"), moved)
    assert api.ingest([moved], db=db)[0].ok
    moved.unlink()
    html = api.review("plan", out=tmp_path / "r.html", db=db).read_text(encoding="utf-8")
    assert f"source file missing: {moved.resolve()}" in html
    records = one(db, "SELECT (SELECT count(*) FROM observations) + (SELECT count(*) FROM measures)")[0][0]
    assert records > 0 and html.count("<tr data-target=") == records      # all still listed, under no page


# ---- in a browser ----

@pytest.fixture(scope="module")
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed (make install puts it in .venv)")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.skip("no headless browser: install Debian's chromium and chromium-driver "
                    "(make test does with apt-get when run as root)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    yield driver
    driver.quit()


def open_report(browser, path: Path) -> None:
    browser.get(path.resolve().as_uri())
    browser.get_log("browser")          # start each report with an empty console


def test_browser_boxes_match_records_and_a_click_highlights_its_box(browser, pdf_report):
    from selenium.webdriver.common.by import By

    open_report(browser, pdf_report["path"])
    db, document = pdf_report["db"], pdf_report["document"]
    boxes = browser.find_elements(By.CSS_SELECTOR, f"#page-{PAGE} .box")
    assert len(boxes) == positioned_on(db, document, PAGE)
    assert all(box.get_attribute("data-observation") or box.get_attribute("data-record") for box in boxes)
    observed = one(db, "SELECT count(*) FROM observations WHERE document = ? AND page = ? AND x0 IS NOT NULL",
                   [document, PAGE])[0][0]
    assert observed >= 5 and sum(bool(box.get_attribute("data-observation")) for box in boxes) == observed
    rows = browser.find_elements(By.CSS_SELECTOR, f"#page-{PAGE} tr[data-target]")
    records = sum(one(db, f"SELECT count(*) FROM {relation} WHERE document = ? AND page = ?", [document, PAGE])[0][0]
                  for relation in ("observations", "measures", "evaluations", "schedule"))
    assert len(rows) == records

    row = browser.find_elements(By.CSS_SELECTOR, f"#page-{PAGE} tr[data-attr='observation']")[-1]
    wanted = row.get_attribute("data-target")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    row.click()
    box = browser.find_element(By.CSS_SELECTOR, f".box[data-observation='{wanted}']")
    assert "hl" in box.get_attribute("class").split()
    assert len(browser.find_elements(By.CSS_SELECTOR, ".box.hl")) == 1
    top, bottom, height = browser.execute_script(
        "var r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]", box)
    assert 0 <= top and bottom <= height                  # scrolled into view
    assert browser.execute_script("return performance.getEntriesByType('resource')"
                                  ".filter(e => !e.name.startsWith('data:')).length") == 0
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []


def test_browser_shows_a_script_cell_as_text_and_runs_nothing_of_it(browser, pdf_report):
    from selenium.webdriver.common.by import By

    open_report(browser, pdf_report["path"])
    marked = pdf_report["marked"]
    cell = browser.find_element(By.CSS_SELECTOR, f"tr[data-target='{marked}'] td:last-child")
    assert cell.get_attribute("textContent") == SCRIPT_CELL
    box = browser.find_element(By.CSS_SELECTOR, f".box[data-observation='{marked}']")
    assert SCRIPT_CELL in box.get_attribute("title")
    assert browser.execute_script("return window.pwned === undefined && document.scripts.length === 1")
    assert [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []


def test_browser_opens_a_report_at_one_observation(browser, pdf_report, tmp_path):
    from selenium.webdriver.common.by import By

    marked = pdf_report["marked"]
    path = api.review(observation=marked, out=tmp_path / "focus.html", db=pdf_report["db"])
    open_report(browser, path)
    highlighted = browser.find_elements(By.CSS_SELECTOR, ".box.hl")
    assert [box.get_attribute("data-observation") for box in highlighted] == [marked]
    assert browser.execute_script("return arguments[0].getBoundingClientRect().top", highlighted[0]) >= 0
    assert browser.execute_script("return window.scrollY") > 1000     # page 8, not the cover


def test_browser_text_report_click_highlights_the_line_badge(browser, tmp_path):
    from selenium.webdriver.common.by import By

    db = tmp_path / "k.duckdb"
    path = sample("002", "text")
    assert api.ingest([path], db=db)[0].ok
    con = duckdb.connect(str(db))
    wanted, text = con.execute("SELECT observation_id, text FROM observations ORDER BY observation_id LIMIT 1").fetchone()
    line = next(number for number, printed in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
                if text in printed)
    for table in ("measures", "observations", "schedule", "evaluations"):   # one known line only (the reader numbers all)
        con.execute(f"UPDATE {table} SET line = NULL")
    con.execute("UPDATE observations SET line = ? WHERE observation_id = ?", [line, wanted])
    con.close()
    open_report(browser, api.review(path.stem, out=tmp_path / "text.html", db=db))
    badges = browser.find_elements(By.CSS_SELECTOR, ".line .box")
    assert [badge.get_attribute("data-observation") for badge in badges] == [wanted]
    row = browser.find_element(By.CSS_SELECTOR, f"tr[data-target='{wanted}']")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
    row.click()
    assert "hl" in badges[0].get_attribute("class").split()
    assert browser.find_element(By.ID, f"line-{line}").get_attribute("class") == "line hit"
    assert [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"] == []
