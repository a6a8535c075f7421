"""A stand-in worker for keikaku.isolate, run as `python -m parallel_work` by tests of crashes
and hangs: it crashes or hangs on files whose name says so, and otherwise answers with the
file's name in place of the raw document."""
from __future__ import annotations

import os
import time
from pathlib import Path

from keikaku.isolate import Extracted, main


def misbehave(path: Path, password, limits, labels, gazetteer, progress=None, triage=True) -> Extracted:
    name = path.stem
    if "crash" in name:
        os._exit(3)             # as a segfault in a PDF library would end the worker
    if "hang" in name:
        time.sleep(120)
    return Extracted(raw=name, pages=1)


if __name__ == "__main__":
    main(read=misbehave)
