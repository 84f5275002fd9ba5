"""Snapshot every record the pipeline makes on the labeled sets, then compare.

A speed change must not change a single record. `snapshot` runs the pipeline
over tests/labeled, tests/heldout, tests/train, tests/dev_en2 (records and evaluate figures),
the sample articles in corpora/ and a small generated bench corpus, and writes
them as JSON; `compare` runs again and prints every difference (exit 1 if any).

    python scripts/records_check.py snapshot /tmp/before.json
    python scripts/records_check.py compare /tmp/before.json [--jobs 2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ("tests/labeled", "tests/heldout", "tests/train", "tests/dev_en2")
BENCH_DOCS = 150


def _records(corpus: Path, jobs: int) -> list[dict]:
    from extract.pipeline import extract_corpus

    with tempfile.TemporaryDirectory(prefix="records-check-") as tmp:
        records, _ = extract_corpus(corpus, Path(tmp), jobs=jobs)
    return [
        {
            k: (str(v) if v is not None and not isinstance(v, (str, int, bool)) else v)
            for k, v in dataclasses.asdict(r).items()
        }
        for r in records
    ]


def take(jobs: int) -> dict:
    from extract.bench import generate_corpus
    from extract.evaluate import evaluate_set, to_json

    out: dict = {}
    for name in SETS:
        out[name] = {
            "records": _records(ROOT / name / "corpus", jobs),
            "figures": to_json(evaluate_set(ROOT / name, jobs=jobs)),
        }
    out["corpora"] = {"records": _records(ROOT / "corpora", jobs)}
    with tempfile.TemporaryDirectory(prefix="records-check-bench-") as tmp:
        generate_corpus(Path(tmp) / "c", BENCH_DOCS, seed=11)
        out["bench"] = {"records": _records(Path(tmp) / "c", jobs)}
    return out


def diff(before: dict, after: dict) -> list[str]:
    problems = []
    for name, b in before.items():
        a = after.get(name, {})
        if b.get("figures") != a.get("figures"):
            problems.append(f"{name}: evaluate figures differ")
        rb, ra = b["records"], a.get("records", [])
        if rb != ra:
            problems.append(f"{name}: {len(rb)} records before, {len(ra)} after")
            key = lambda r: (r["doc"], r["start"], r["end"])  # noqa: E731
            kb, ka = {key(r): r for r in rb}, {key(r): r for r in ra}
            for k in sorted(set(kb) | set(ka)):
                if kb.get(k) != ka.get(k):
                    problems.append(f"  {k}: {kb.get(k)} -> {ka.get(k)}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("snapshot", "compare"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    now = take(args.jobs)
    if args.mode == "snapshot":
        args.file.write_text(json.dumps(now, ensure_ascii=False, indent=1), encoding="utf-8")
        print({k: len(v["records"]) for k, v in now.items()})
        return 0
    problems = diff(json.loads(args.file.read_text(encoding="utf-8")), now)
    print(
        "\n".join(problems[:200])
        or "identical: " + str({k: len(v["records"]) for k, v in now.items()})
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
