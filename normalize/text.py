"""Text clean-up: the printed form is kept; these make forms for display and for matching.

- `clean_text` joins the lines of one cell (a Japanese line break inside a cell is a wrap,
  not a space), strips HTML tags some cities leave in cells, and folds runs of spaces.
- `match_key` is the form used to compare labels: NFKC (full-width digits, ①→1, Ⅱ→II),
  no spaces, lower case. It is never stored as a value.
"""
from __future__ import annotations

import re
import unicodedata

HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
HTML_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}
SPACES = re.compile(r"[ \t\u3000\u00a0]+")
ASCII_WORD_END = re.compile(r"[A-Za-z0-9.,%)\]]$")
ASCII_WORD_START = re.compile(r"^[A-Za-z0-9(\[]")


def strip_html(text: str) -> str:
    """Remove HTML tags and the common entities found inside table cells."""
    text = HTML_BREAK.sub("\n", text)
    text = HTML_TAG.sub("", text)
    for entity, char in HTML_ENTITIES.items():
        text = text.replace(entity, char)
    return text


def join_wrapped_lines(lines: list[str]) -> str:
    """Join the lines of a wrapped cell: no space between Japanese characters,
    one space where both sides are Latin letters or digits ("OJT" / "の" stays "OJT の")."""
    out = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if out and ASCII_WORD_END.search(out) and ASCII_WORD_START.search(line):
            out += " "
        out += line
    return out


def clean_text(text: str | None) -> str:
    """The display form of a printed cell: HTML removed, wrapped lines joined, spaces folded."""
    if not text:
        return ""
    text = strip_html(text)
    text = join_wrapped_lines(text.replace("\r", "\n").split("\n"))
    return SPACES.sub(" ", text).strip()


def nfkc(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "")


def match_key(text: str | None) -> str:
    """The form used only for matching labels: NFKC, no white space, lower case."""
    return "".join(nfkc(text).split()).lower()


MAX_TOKENIZED_BYTES = 4_096   # SudachiPy refuses input over 49,149 bytes; names and labels are far shorter


def tokenizable(text: str) -> str:
    """`text` cut to what a SudachiPy tokenizer takes: a longer cell is matched on its head."""
    return text.encode("utf-8")[:MAX_TOKENIZED_BYTES].decode("utf-8", "ignore")
