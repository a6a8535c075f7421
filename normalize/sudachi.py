"""The one SudachiPy core dictionary of a process.

Each `Dictionary(dict="core")` maps and indexes the whole dictionary again (about 100 MB of
resident memory apiece); the indicator matcher and the search index share this one.
"""
from __future__ import annotations

from functools import cache


@cache
def core_dictionary():
    """SudachiPy's core dictionary, loaded once per process."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")
