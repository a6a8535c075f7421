"""Stand-ins for keikaku.parallel's worker function, importable by spawned workers: they
crash or hang on files whose name says so, and otherwise return the file's name."""
from __future__ import annotations

import os
import time
from pathlib import Path

from keikaku.parallel import Outcome


def misbehave(path: str, password, triage, limits) -> Outcome:
    name = Path(path).stem
    if "crash" in name:
        os._exit(3)             # as a segfault in a PDF library would end the worker
    if "hang" in name:
        time.sleep(120)
    return Outcome(skipped=0, raw=name)
