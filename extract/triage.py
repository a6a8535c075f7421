"""Page triage: which pages of a PDF pdfplumber need not parse at all.

pypdfium2 reads a page's text about 30x faster than pdfplumber lays it out. A page is
skipped when that text, though there is enough of it to judge, holds no year and no
plan label: such a page can give no observation (a figure needs its year) and opens
no measure (a measure needs a label naming it). Budget books, minutes and annexes are
mostly such pages, so a 612-page budget book is refused in seconds instead of a minute.

What the rules keep, and why (see TriageRules):
- a page with too little text, glyphs with no Unicode mapping, or a page-sized image is kept:
  the reader judges it (no text layer, (cid:…), scanned), as it would without triage;
- a page with any year is kept, and the page after it: a year grid may go on, headerless,
  over the next page (extract/interpret.py reads such continuations);
- a page with a label of a field that can carry plan content (labels.py's table, less
  the fields whose words are everyday prose in any document: 区分, 内容, 単位, 番号) is kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .labels import LABELS, LabelTable


@dataclass(frozen=True)
class TriageRules:
    """When a page is worth parsing: the rules as data."""
    min_chars: int = 10                   # fewer non-space characters: the reader judges the page
    weak_fields: tuple[str, ...] = ("year", "note", "unit", "number")  # labels too common to mean a plan
    pages_after_year: int = 1             # pages kept after a page with a year (table continuations)
    scan_image_share: float = 0.85        # an image this big makes a scanned page (as ReadLimits says)
    unmapped_probes: int = 64             # characters checked for a missing Unicode mapping per page

    def strong_fields(self) -> list[str]:
        return [name for name in LABELS if name not in self.weak_fields]


@dataclass
class Triage:
    """The outcome for one document: pages (1-based) the reader may skip."""
    total: int
    skipped: set[int] = field(default_factory=set)

    def skips(self, number: int) -> bool:
        return number in self.skipped


def has_year(text: str) -> bool:
    from keikaku.normalize import year_spans

    return bool(year_spans(text))


def has_unmapped_glyphs(textpage, rules: TriageRules) -> bool:
    """Characters with no Unicode mapping (what pdfplumber prints as (cid:…)), probed at every
    k-th character: the reader's own threshold is a share of the page (30 %)."""
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    return any(pdfium_c.FPDFText_HasUnicodeMapError(textpage.raw, index)
               for index in range(0, count, max(1, count // rules.unmapped_probes)))


def has_page_image(page, rules: TriageRules) -> bool:
    """One image over most of the page: a scan, which the reader must see to refuse."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    area = page.get_width() * page.get_height()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        item = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if pdfium_c.FPDFPageObj_GetType(item) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        pdfium_c.FPDFPageObj_GetBounds(item, left, bottom, right, top)
        if (right.value - left.value) * (top.value - bottom.value) >= rules.scan_image_share * area:
            return True
    return False


def too_thin(text: str, rules: TriageRules) -> bool:
    """Too little text to judge: the reader decides whether the page is scanned or blank."""
    return sum(1 for char in text if not char.isspace()) < rules.min_chars


def triage_pages(pages, labels: LabelTable, rules: TriageRules) -> Triage:
    """The pages (pypdfium2 pages, page 1 first) that need no parsing."""
    keep: set[int] = set()
    strong = rules.strong_fields()
    total = 0
    for number, page in enumerate(pages, start=1):
        total = number
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        if has_year(text):
            keep.update(range(number, number + rules.pages_after_year + 1))
        elif (too_thin(text, rules) or labels.fields_in(text, strong) or has_unmapped_glyphs(textpage, rules)
              or has_page_image(page, rules)):
            keep.add(number)   # plan labels, or a page the reader must judge (cid glyphs, a scan)
        textpage.close()
        page.close()
    return Triage(total=total, skipped={n for n in range(1, total + 1) if n not in keep})


@cache
def default_labels() -> LabelTable:
    """The label table triage uses when given none, made once per process (0.03 s each)."""
    return LabelTable()


def triage_pdf(path: str | Path, password: str | None = None, labels: LabelTable | None = None,
               rules: TriageRules | None = None) -> Triage | None:
    """The triage of a PDF, or None (read every page) when pypdfium2 cannot read it: the
    reader then reads every page and reports what is wrong in its own words."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path), password=password or None)
    except (pdfium.PdfiumError, OSError):
        return None
    try:
        return triage_pages((pdf[index] for index in range(len(pdf))), labels or default_labels(), rules or TriageRules())
    except pdfium.PdfiumError:
        return None
    finally:
        pdf.close()
