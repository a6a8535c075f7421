from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLD = ROOT / "tests" / "gold"
RECOGNIZED = ("000", "002", "003")  # samples read exactly (every gold record) in both forms
ALL_SAMPLES = ("000", "001", "002", "003", "004")
SHARED_REALPDF = ROOT.parent / "shared" / "realpdf"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def gold(stem_prefix: str) -> dict:
    path = next(GOLD.glob(f"{stem_prefix}*.gold.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def sample(stem_prefix: str, form: str) -> Path:
    folder, suffix = ("pdf", ".pdf") if form == "pdf" else ("text", ".txt")
    return next((SAMPLES / folder).glob(f"{stem_prefix}*{suffix}"))


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """One database per input form with the samples whose layouts are recognized."""
    from keikaku import api

    made: dict[str, Path] = {}

    def build(form: str) -> Path:
        if form not in made:
            db = tmp_path_factory.mktemp(f"db_{form}") / "keikaku.duckdb"
            results = api.ingest([sample(stem, form) for stem in ALL_SAMPLES], db=db)
            assert all(result.ok for result in results), [result.error for result in results]
            made[form] = db
        return made[form]

    return build
