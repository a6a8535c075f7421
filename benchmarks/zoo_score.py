"""How well keikaku reads plan documents nobody tuned it for: generate a sample of the layout
zoo (../shared/zoo), ingest every document, score it with ../shared/eval/score.py, and print
observation P/R/F1, measures and evaluations found, per family and form.

    .venv/bin/python benchmarks/zoo_score.py --seed 100 --count 60
    .venv/bin/python benchmarks/zoo_score.py --seed 200 --count 60 --forms pdf,txt,tsv
    .venv/bin/python benchmarks/zoo_score.py --seed 7 --count 30 --families grid --show-misses 5

F1 is the mean of the documents' F1 (each document counts once, whatever its size); the
"overall" line adds the micro P/R/F1 over all observations. Use fresh seeds: a seed you
developed on says little about the next town's PDF.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ZOO = SHARED / "zoo" / "zoo.py"
SCORE = SHARED / "eval" / "score.py"
FORM_SUFFIX = {"_layout": "txt", "_tab": "tsv"}
STEM = re.compile(r"^z\d+_\d+_(?P<family>[a-z_]+?)(?P<suffix>_layout|_tab)?$")


@dataclass
class Group:
    """Scores of the documents of one family (or form)."""
    f1: list[float] = field(default_factory=list)
    measures: list[int] = field(default_factory=lambda: [0, 0])
    evaluations: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, result: dict) -> None:
        self.f1.append(result["observations"]["f1"])
        self.measures[0] += result["measures"]["found"]
        self.measures[1] += result["measures"]["gold"]
        self.evaluations[0] += result["evaluations"]["right"]
        self.evaluations[1] += result["evaluations"]["gold"]

    @property
    def mean_f1(self) -> float:
        return sum(self.f1) / len(self.f1) if self.f1 else 0.0

    @staticmethod
    def share(pair: list[int]) -> float:
        return pair[0] / pair[1] if pair[1] else 1.0


def generate(seed: int, count: int, out: Path, forms: str, families: str | None) -> None:
    command = [sys.executable, str(ZOO), "--seed", str(seed), "--count", str(count), "--out", str(out),
               "--forms", forms]
    if families:
        command += ["--families", families]
    subprocess.run(command, check=True, capture_output=True)


def score(db: Path, gold_dir: Path, show_misses: int = 0) -> dict:
    command = [sys.executable, str(SCORE), str(db), str(gold_dir), "--json"]
    if show_misses:
        command += ["--show-misses", str(show_misses)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def family_and_form(stem: str) -> tuple[str, str]:
    match = STEM.match(stem)
    if not match:
        return stem, "pdf"
    return match.group("family"), FORM_SUFFIX.get(match.group("suffix") or "", "pdf")


def run_zoo(seed: int, count: int, forms: str = "pdf", families: str | None = None,
            work: Path | None = None, show_misses: int = 0) -> dict:
    """Generate, ingest and score one zoo sample. Returns {"families": {name: Group},
    "forms": {form: Group}, "all": Group, "overall": {precision, recall, f1}, "documents": [...],
    "failed": [error lines]}."""
    from keikaku import api

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(work or temporary)
        docs = folder / f"zoo_{seed}_{count}"
        if not any(docs.glob("*.gold.json")):
            generate(seed, count, docs, forms, families)
        db = folder / f"zoo_{seed}_{count}.duckdb"
        db.unlink(missing_ok=True)
        results = api.ingest([docs], db=db)
        scored = score(db, docs, show_misses)
    by_family: dict[str, Group] = defaultdict(Group)
    by_form: dict[str, Group] = defaultdict(Group)
    everything = Group()
    for result in scored["documents"]:
        family, form = family_and_form(result["document"])
        for group in (by_family[family], by_form[form], everything):
            group.add(result)
    return {"families": dict(by_family), "forms": dict(by_form), "all": everything,
            "overall": scored["overall"], "documents": scored["documents"],
            "failed": [result.line() for result in results if not result.ok]}


def table(groups: dict[str, Group]) -> list[str]:
    lines = [f"{'':16} {'docs':>4} {'F1':>6} {'measures':>9} {'evaluations':>11}"]
    for name, group in sorted(groups.items()):
        lines.append(f"{name:16} {len(group.f1):>4} {group.mean_f1:>6.3f} {Group.share(group.measures):>9.1%} "
                     f"{Group.share(group.evaluations):>11.1%}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--forms", default="pdf", help="pdf, txt, tsv, comma-separated (default pdf)")
    parser.add_argument("--families", help="only these families, comma-separated")
    parser.add_argument("--keep", type=Path, help="keep the documents and the database in this folder")
    parser.add_argument("--show-misses", type=int, default=0, help="print N missed and N unmatched per document")
    args = parser.parse_args(argv)
    if not ZOO.exists() or not SCORE.exists():
        print(f"error: {ZOO} or {SCORE} not found (../shared is not beside the project)", file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    run = run_zoo(args.seed, args.count, args.forms, args.families, args.keep, args.show_misses)
    print(f"zoo seed {args.seed}, {args.count} documents per form ({args.forms})")
    print("\n".join(table(run["families"])))
    if len(run["forms"]) > 1:
        print()
        print("\n".join(table(run["forms"])))
    overall, everything = run["overall"], run["all"]
    print(f"\nmean observation F1 {everything.mean_f1:.3f}; overall P={overall['precision']:.3f} "
          f"R={overall['recall']:.3f} F1={overall['f1']:.3f}; measures found {Group.share(everything.measures):.1%}; "
          f"evaluations found {Group.share(everything.evaluations):.1%}")
    for line in run["failed"]:
        print(line)
    for result in run["documents"] if args.show_misses else []:
        for kind in ("missed", "unmatched_extracted"):
            for row in result.get(kind, []):
                print(f"{result['document']} {kind}: {json.dumps(row, ensure_ascii=False, default=str)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
