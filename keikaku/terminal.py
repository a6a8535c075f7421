"""What keikaku prints to a terminal: text from files and file names is shown, never obeyed.
A newline in a file name cannot forge an `ok:` line, an escape code in a cell cannot move the
cursor or recolour the screen, and an undecodable byte of a file name prints as \\xNN."""
from __future__ import annotations

import re

# C0 and C1 controls, DEL, bidirectional overrides and isolates, and lone surrogates
# (the bytes of a non-UTF-8 file name, surrogate-escaped by the OS layer).
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    code = ord(char)
    if char in NAMED:
        return NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"   # the original byte
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(text: str) -> str:
    """`text` with every control character written as an escape: one printable line."""
    return UNPRINTABLE.sub(lambda match: _escape(match.group()), text)
