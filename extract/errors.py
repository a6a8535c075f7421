"""Errors a reader raises for input it cannot read. The message is one line a user can act on."""
from __future__ import annotations


class InputError(Exception):
    """The file cannot be read as a plan document; `reason` says why and what to do."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
