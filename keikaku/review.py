"""A review report: one self-contained HTML file per document, to check its figures against the page.

Each PDF page is drawn as an image (pypdfium2, inline as a data URI) with a box over every place
that gave a record, coloured by kind, and the page's records in a table beside it; clicking a
record scrolls to its box. A text document shows its lines, with the records of each line on it.
Everything the document printed is HTML-escaped, and a Content-Security-Policy lets only the
report's own script run and nothing be fetched: a page can neither run script nor call out.
"""
from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from keikaku.extract.errors import InputError
from keikaku.extract.text import decode_text

KINDS = ("target", "actual", "baseline", "grade", "measure", "stage")
RENDER_SCALE = 1.5          # pixels per PDF point: 108 dpi, small digits stay readable
JPEG_QUALITY = 80


@dataclass
class Mark:
    """One record as the report shows it: a box (PDF) or a place on a line (text)."""
    record_id: str
    attribute: str              # "observation" for observations, "record" for the others
    kind: str
    page: int | None
    box: tuple[float, float, float, float] | None
    line: int | None
    what: str                   # indicator or measure
    year: str
    value: str
    text: str

    def tip(self) -> str:
        return " ".join(part for part in (self.kind, self.year, self.what, "—", self.text,
                                          f"= {self.value}" if self.value else "") if part)


@dataclass
class Review:
    """What a report of one document shows, read from the database."""
    document: str
    source_path: str
    sha256: str
    title: str
    pages: int
    marks: list[Mark] = field(default_factory=list)
    unparsed: list[tuple[int, int, tuple | None, str]] = field(default_factory=list)  # page, index, box, cells
    warnings: list[str] = field(default_factory=list)
    figures_not_loaded: int = 0


def _box(row: dict) -> tuple[float, float, float, float] | None:
    return (row["x0"], row["top"], row["x1"], row["bottom"]) if row.get("x0") is not None else None


def _value(row: dict) -> str:
    """An observation's typed value as the database holds it: "≥ 98.6 %", "3 % increase", "0 件 per year"."""
    value = row["value"]
    if value is None:
        return ""
    shown = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    parts = (row.get("comparator"), shown, row.get("unit"), row.get("change"),
             f"per {row['per']}" if row.get("per") else None)
    return " ".join(part for part in parts if part)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, document: str) -> list[dict]:
    cursor = con.execute(sql, [document])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def marks_of(con: duckdb.DuckDBPyConnection, document: str) -> list[Mark]:
    """Every record of the document: observations, measures, grades and schedule stages."""
    marks = [Mark(r["observation_id"], "observation", r["kind"], r["page"], _box(r), r["line"],
                  r["indicator"] or r["measure"] or "", str(r["fiscal_year"]), _value(r), r["text"])
             for r in _rows(con, "SELECT * FROM observations WHERE document = ? ORDER BY page, top, x0, line, "
                                 "observation_id", document)]
    marks += [Mark(r["measure_id"], "record", "measure", r["page"], _box(r), r["line"], r["title"], "", "",
                   " ".join(filter(None, (r["number"], r["title"]))))
              for r in _rows(con, "SELECT * FROM measures WHERE document = ? ORDER BY measure_id", document)]
    marks += [Mark(f"{r['measure_id']}@{r['fiscal_year']}", "record", "grade", r["page"], _box(r), r["line"],
                   r["measure"] or "", str(r["fiscal_year"]), "", r["grade"])
              for r in _rows(con, "SELECT * FROM evaluations WHERE document = ? ORDER BY ALL", document)]
    marks += [Mark(f"{r['measure_id']}@{r['fiscal_year']}:stage", "record", "stage", r["page"], _box(r), r["line"],
                   r["measure"] or "", str(r["fiscal_year"]), "", r["stage"])
              for r in _rows(con, "SELECT * FROM schedule WHERE document = ? ORDER BY ALL", document)]
    return marks


def read_review(con: duckdb.DuckDBPyConnection, document: str) -> Review:
    """The document's records, unparsed tables and the warnings of its last ingest."""
    found = _rows(con, "SELECT * FROM documents WHERE document = ?", document)
    if not found:
        raise LookupError(f"{document}: no such document in the database (see `keikaku documents`)")
    head = found[0]
    review = Review(document, head["source_path"], head["sha256"], head["title"] or "", head["pages"] or 0,
                    marks=marks_of(con, document))
    review.unparsed = [(r["page"], r["table_index"], _box(r), r["cells"])
                       for r in _rows(con, "SELECT * FROM unparsed_tables WHERE document = ? ORDER BY ALL", document)]
    log = _rows(con, "SELECT warnings, figures_not_loaded FROM ingest_log WHERE document = ? AND status = 'ok' "
                     "ORDER BY started_at DESC LIMIT 1", document)
    if log:
        review.warnings = json.loads(log[0]["warnings"] or "[]")
        review.figures_not_loaded = log[0]["figures_not_loaded"] or 0
    return review


def document_of(con: duckdb.DuckDBPyConnection, record_id: str) -> str:
    """The document an observation id (or a measure id, or a grade's id) belongs to."""
    for sql in ("SELECT document FROM observations WHERE observation_id = ?",
                "SELECT document FROM measures WHERE measure_id = split_part(?, '@', 1)"):
        found = con.execute(sql, [record_id]).fetchone()
        if found:
            return found[0]
    raise LookupError(f"{record_id}: no observation or measure with this id in the database")


# ---- rendering ----

def page_images(path: Path, scale: float = RENDER_SCALE) -> list[tuple[str, float, float, int]]:
    """Each page as (data URI, width, height in PDF points, rotation), drawn over its MediaBox:
    the area pdfplumber measured the boxes in."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    out = []
    try:
        for page in pdf:
            x0, y0, x1, y1 = page.get_mediabox()
            page.set_cropbox(x0, y0, x1, y1)
            image = page.render(scale=scale, grayscale=False).to_pil().convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
            out.append(("data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"),
                        x1 - x0, y1 - y0, page.get_rotation()))
            page.close()
    finally:
        pdf.close()
    return out


def esc(text: object) -> str:
    """Document text in HTML, in element content or in a double-quoted attribute."""
    return html.escape("" if text is None else str(text), quote=True)


def box_html(mark: Mark, width: float, height: float) -> str:
    x0, top, x1, bottom = mark.box
    style = (f"left:{100 * x0 / width:.3f}%;top:{100 * top / height:.3f}%;"
             f"width:{100 * (x1 - x0) / width:.3f}%;height:{100 * (bottom - top) / height:.3f}%")
    return (f'<div class="box k-{esc(mark.kind)}" data-{mark.attribute}="{esc(mark.record_id)}" '
            f'title="{esc(mark.tip())}" style="{style}"></div>')


def unparsed_html(index: int, box: tuple, cells: str, width: float, height: float) -> str:
    x0, top, x1, bottom = box
    rows = json.loads(cells or "[]")
    preview = "\n".join(" | ".join(row) for row in rows[:6])
    style = (f"left:{100 * x0 / width:.3f}%;top:{100 * top / height:.3f}%;"
             f"width:{100 * (x1 - x0) / width:.3f}%;height:{100 * (bottom - top) / height:.3f}%")
    return (f'<div class="unparsed" data-unparsed="{index}" title="{esc("unparsed table: " + preview)}" '
            f'style="{style}"></div>')


def table_html(marks: list[Mark]) -> str:
    if not marks:
        return '<p class="none">no records on this page</p>'
    rows = []
    for mark in marks:
        placed = "" if mark.box or mark.line else ' class="nobox" title="no position recorded"'
        rows.append(f'<tr data-target="{esc(mark.record_id)}" data-attr="{mark.attribute}"{placed}>'
                    f'<td><span class="chip k-{esc(mark.kind)}">{esc(mark.kind)}</span></td>'
                    f'<td>{esc(mark.what)}</td><td>{esc(mark.year)}</td><td class="num">{esc(mark.value)}</td>'
                    f'<td>{esc(mark.text)}</td></tr>')
    return ('<table class="records"><thead><tr><th>kind</th><th>indicator / measure</th><th>year</th>'
            '<th>value</th><th>as printed</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def pdf_pages_html(review: Review, path: Path, warnings: list[str]) -> str:
    sections = []
    for number, (uri, width, height, rotation) in enumerate(page_images(path), start=1):
        if rotation:
            warnings.append(f"page {number} is rotated {rotation}°: its boxes may not line up")
        marks = [mark for mark in review.marks if mark.page == number]
        boxes = "".join(box_html(mark, width, height) for mark in marks if mark.box)
        outlines = "".join(unparsed_html(index, box, cells, width, height)
                           for page, index, box, cells in review.unparsed if page == number and box)
        sections.append(
            f'<section class="page" id="page-{number}"><h2>page {number}</h2><div class="pair">'
            f'<div class="sheet"><img alt="page {number}" src="{uri}">{outlines}{boxes}</div>'
            f'<div class="side">{table_html(marks)}</div></div></section>')
    return "".join(sections)


def text_pages_html(review: Review, path: Path) -> str:
    """The text file's lines, numbered as the file is (1-based), the records of a line on it."""
    lines = decode_text(path.read_bytes(), str(path)).split("\n")
    by_line: dict[int, list[Mark]] = {}
    for mark in review.marks:
        if mark.line:
            by_line.setdefault(mark.line, []).append(mark)
    sections, page, rows = [], 1, []

    def flush() -> None:
        marks = [mark for mark in review.marks if mark.page == page]
        sections.append(f'<section class="page" id="page-{page}"><h2>page {page}</h2><div class="pair">'
                        f'<div class="sheet text">{"".join(rows)}</div><div class="side">{table_html(marks)}</div>'
                        '</div></section>')
        rows.clear()

    for number, text in enumerate(lines, start=1):
        for _ in range(text.count("\f")):      # a form feed starts a page, as the text reader reads it
            flush()
            page += 1
        text = text.replace("\f", "").rstrip("\r")
        marks = by_line.get(number, [])
        badges = "".join(f'<span class="box k-{esc(m.kind)}" data-{m.attribute}="{esc(m.record_id)}" '
                         f'title="{esc(m.tip())}">{esc(m.year)} {esc(m.value or m.text)}</span>' for m in marks)
        rows.append(f'<div class="line{" hit" if marks else ""}" id="line-{number}"><span class="no">{number}</span>'
                    f'<span class="tx">{esc(text.replace(chr(9), "  "))}</span>{badges}</div>')
    flush()
    return "".join(sections)


SCRIPT = """
(function () {
  function focusOn(id, attr) {
    document.querySelectorAll('.hl').forEach(function (el) { el.classList.remove('hl'); });
    var key = CSS.escape(id);
    var row = document.querySelector('tr[data-target="' + key + '"]');
    var box = document.querySelector('.box[data-' + attr + '="' + key + '"]');
    if (row) row.classList.add('hl');
    if (box) { box.classList.add('hl'); box.scrollIntoView({block: 'center', inline: 'center'}); }
    else if (row) { row.scrollIntoView({block: 'center'}); }
  }
  document.addEventListener('click', function (event) {
    var row = event.target.closest('tr[data-target]');
    if (row) { focusOn(row.dataset.target, row.dataset.attr); return; }
    var box = event.target.closest('.box');
    if (box) {
      var attr = box.dataset.observation !== undefined ? 'observation' : 'record';
      focusOn(box.dataset[attr], attr);
    }
  });
  var start = document.body.dataset.focus;
  if (start) focusOn(start, document.body.dataset.focusAttr || 'observation');
})();
"""

STYLE = """
body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;margin:0;color:#222;background:#f4f4f2}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #ccc}
header h1{font-size:18px;margin:0 0 4px} header p{margin:2px 0;font-size:13px;color:#555}
.warnings{background:#fff8e1;border:1px solid #e0c060;margin:8px 0;padding:6px 12px;font-size:13px}
.warnings summary{cursor:pointer;font-weight:bold} .warnings li{margin:2px 0}
.legend span{margin-right:10px}
.pages{font-size:12px;margin:4px 0} .pages a{margin-right:6px;color:#999;text-decoration:none}
.pages a.has{color:#0b57d0;font-weight:bold} .pages sup{font-size:9px;margin-left:1px}
.page{padding:10px 20px} .page h2{font-size:15px;margin:6px 0}
.pair{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:14px;align-items:start}
.sheet{position:relative;background:#fff;box-shadow:0 1px 4px #0003}
.sheet img{display:block;width:100%}
.side{position:sticky;top:0;max-height:100vh;overflow:auto;background:#fff;box-shadow:0 1px 4px #0003}
.box{position:absolute;box-sizing:border-box;border:2px solid var(--c);cursor:pointer;
 background:color-mix(in srgb,var(--c) 14%,transparent)}
.box:hover{border-width:3px;z-index:5}
.box.hl{outline:4px solid #ffd600;outline-offset:2px;box-shadow:0 0 0 8px #0008;z-index:6}
.unparsed{position:absolute;box-sizing:border-box;border:2px dashed #777;background:#7771;pointer-events:none}
.k-target{--c:#d81b60} .k-actual{--c:#2e7d32} .k-baseline{--c:#ef6c00}
.k-grade{--c:#7b1fa2} .k-measure{--c:#00838f} .k-stage{--c:#6d4c41}
.chip{display:inline-block;border:2px solid var(--c,#777);border-radius:3px;padding:0 4px;font-size:11px;color:var(--c)}
table.records{border-collapse:collapse;font-size:12px;width:100%}
.records th,.records td{border-bottom:1px solid #ddd;padding:3px 5px;text-align:left;vertical-align:top}
.records th{position:sticky;top:0;background:#eee}
.records tr[data-target]{cursor:pointer} .records tr:hover{background:#f0f6ff}
.records tr.hl{background:#ffd6f0} .records tr.nobox td{color:#999}
.num{text-align:right;white-space:nowrap}
.none{color:#888;font-size:13px;padding:8px}
.sheet.text{font-family:monospace;font-size:12px;padding:6px}
.line{white-space:pre-wrap;padding:1px 0} .line .no{display:inline-block;width:4em;color:#aaa;user-select:none}
.line.hit{background:#fff3c4}
.line .box{position:static;display:inline-block;margin-left:8px;padding:0 4px;font-size:11px;border-radius:3px}
"""


def pages_nav(review: Review) -> str:
    """Links to every page, with its count of records: a plain anchor, no script needed."""
    last = max([review.pages, *(mark.page or 0 for mark in review.marks)])
    counts = {number: sum(mark.page == number for mark in review.marks) for number in range(1, last + 1)}
    links = "".join(f'<a href="#page-{n}"{" class=has" if c else ""}>{n}<sup>{c or ""}</sup></a>'
                    for n, c in counts.items())
    return f'<nav class="pages">pages {links}</nav>'


def script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def render(review: Review, focus: tuple[str, str] | None = None) -> str:
    """The report of one document, as a self-contained HTML string."""
    warnings = list(review.warnings)
    path = Path(review.source_path)
    if not path.is_file():
        body = f'<p class="none">the source file {esc(path)} is not there any more: no page to show</p>'
        warnings.insert(0, f"source file missing: {path}")
    else:
        if hashlib.sha256(path.read_bytes()).hexdigest() != review.sha256:
            warnings.insert(0, f"{path} has changed since it was ingested: boxes may not match; ingest it again")
        try:
            body = pdf_pages_html(review, path, warnings) if path.suffix.lower() == ".pdf" \
                else text_pages_html(review, path)
        except InputError as error:
            body, warnings = "", [*warnings, str(error)]
    if review.figures_not_loaded:
        warnings.insert(0, f"{review.figures_not_loaded} figures seen but not loaded")
    counted = {kind: sum(mark.kind == kind for mark in review.marks) for kind in KINDS}
    unplaced = sum(not (mark.box or mark.line) for mark in review.marks)
    legend = "".join(f'<span><span class="chip k-{kind}">{kind}</span> {counted[kind]}</span>'
                     for kind in KINDS if counted[kind])
    legend += f'<span><span class="chip" style="border-style:dashed">unparsed table</span> {len(review.unparsed)}</span>'
    warn_html = ""
    if warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
        warn_html = (f'<details class="warnings"{" open" if len(warnings) <= 20 else ""}>'
                     f"<summary>{len(warnings)} warnings</summary><ul>{items}</ul></details>")
    shown = {mark.page for mark in review.marks if mark.page} & set(range(1, body.count('<section class="page"') + 1))
    astray = [mark for mark in review.marks if mark.page not in shown]
    if astray:
        body += (f'<section class="page" id="page-none"><h2>records on no page shown</h2>'
                 f'<div class="side">{table_html(astray)}</div></section>')
    focus_attrs = f' data-focus="{esc(focus[0])}" data-focus-attr="{esc(focus[1])}"' if focus else ""
    csp = f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{script_hash(SCRIPT)}'"
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f'<title>review: {esc(review.document)}</title><style>{STYLE}</style></head>'
        f'<body{focus_attrs}><header><h1>{esc(review.title or review.document)}</h1>'
        f'<p>document <code>{esc(review.document)}</code> · {esc(review.source_path)} · {review.pages} pages · '
        f'{len(review.marks)} records, {unplaced} without a position</p>'
        f'<p class="legend">{legend}</p>{pages_nav(review)}{warn_html}</header>{body}'
        f'<script>{SCRIPT}</script></body></html>')


def write_review(con: duckdb.DuckDBPyConnection, out: str | Path, document: str | None = None,
                 record_id: str | None = None) -> Path:
    """Write the report of `document`, or of the document holding `record_id`, opened at that record."""
    focus = None
    if record_id:
        document = document_of(con, record_id)
        attribute = "observation" if con.execute("SELECT 1 FROM observations WHERE observation_id = ?",
                                                 [record_id]).fetchone() else "record"
        focus = (record_id, attribute)
    if not document:
        raise ValueError("give a DOCUMENT or --observation ID")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(read_review(con, document), focus), encoding="utf-8")
    return out
