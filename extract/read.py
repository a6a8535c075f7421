"""Pick the reader by file type: .pdf -> pdf reader; .txt/.tsv/.csv -> text reader."""
from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

from .errors import InputError
from .ir import Document
from .limits import PdfWatch

SUFFIXES = {".pdf": "pdf", ".txt": "text", ".tsv": "text", ".csv": "text", ".text": "text"}


def read_document(path: str | Path, password: str | None = None,
                  progress: Callable[[int, int], None] | None = None, triage: bool = True,
                  watch: PdfWatch | None = None) -> Document:
    """Read a file into the IR, or raise InputError with one line of reason. `triage` lets the
    PDF reader skip pages with no year and no plan label (extract/triage.py); a PDF is read under
    `watch` (its limits and record of unreadable pages) when given."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file")
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        with path.open("rb") as handle:
            kind = "pdf" if b"%PDF" in handle.read(1024) else None
    if kind is None:
        raise InputError(str(path), f"unsupported file type {path.suffix or '(none)'}: give a .pdf, .txt, .tsv or .csv")
    if kind == "pdf":
        from .pdf import read_pdf   # pdfplumber, imported by whoever reads a PDF

        return read_pdf(path, password=password, progress=progress, triage=triage, watch=watch)
    from .text import read_text

    return read_text(path)
