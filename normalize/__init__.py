"""normalize: pure functions from printed strings to typed values. No I/O, no layouts.

Public API (stable): parse_year, parse_period, parse_date, parse_quantity, and the models
Year, PartialDate, Quantity. Text helpers: clean_text, match_key.
"""
from .dates import PartialDate, parse_date
from .eras import (Year, YearMention, YearSpan, blank_years, find_years, parse_period, parse_year, read_years,
                   without_years, year_spans)
from .quantity import Figure, Quantity, figures_in, parse_quantity, unit_from_label, unit_of
from .text import clean_text, match_key, nfkc, tokenizable

__all__ = [
    # the stable public API
    "parse_year", "parse_period", "parse_date", "parse_quantity", "Year", "PartialDate", "Quantity",
    # helpers the recognizers use, so that years and numbers are read here only
    "Figure", "YearMention", "YearSpan", "blank_years", "clean_text", "figures_in", "find_years", "match_key",
    "nfkc", "read_years", "tokenizable", "unit_from_label", "unit_of", "without_years", "year_spans",
]
