"""Compare two outputs folders: are the exports the same in content?

CSV files and report.html byte for byte, records.parquet as Arrow tables (schema
and values), records.xlsx sheet by sheet and cell by cell (values, via openpyxl),
plus the workbook's source links with `--links` (slower: the workbook is loaded
whole). Prints each difference; exit status 1 if there is any.

    python scripts/compare_outputs.py BEFORE_DIR AFTER_DIR [--links]
"""

from __future__ import annotations

import argparse
import sys
from itertools import zip_longest
from pathlib import Path

BYTES = ("records.csv", "documents.csv", "corrections.csv", "report.html")


def _xlsx(a: Path, b: Path, links: bool) -> list[str]:
    from openpyxl import load_workbook

    problems: list[str] = []
    wa, wb = load_workbook(a, read_only=True), load_workbook(b, read_only=True)
    if wa.sheetnames != wb.sheetnames:
        return [f"records.xlsx: sheets {wa.sheetnames} != {wb.sheetnames}"]
    for name in wa.sheetnames:
        rows = zip_longest(
            wa[name].iter_rows(values_only=True), wb[name].iter_rows(values_only=True)
        )
        for n, (ra, rb) in enumerate(rows, start=1):
            if ra != rb:
                problems.append(f"records.xlsx {name} row {n}: {ra!r} != {rb!r}")
                if len(problems) > 20:
                    return problems
    if links:
        wa, wb = load_workbook(a), load_workbook(b)
        for name in wa.sheetnames:
            la = [(c.coordinate, c.target) for c in wa[name]._hyperlinks]
            lb = [(c.coordinate, c.target) for c in wb[name]._hyperlinks]
            if la != lb:
                problems.append(f"records.xlsx {name}: links differ ({len(la)} vs {len(lb)})")
    return problems


def compare(before: Path, after: Path, links: bool = False) -> list[str]:
    """Every difference between the exports in `before` and `after`."""
    problems: list[str] = []
    for name in BYTES:
        a, b = before / name, after / name
        if a.exists() != b.exists():
            problems.append(f"{name}: present in only one folder")
        elif a.exists() and a.read_bytes() != b.read_bytes():
            problems.append(f"{name}: bytes differ")
    if (before / "records.parquet").exists():
        import pyarrow.parquet as pq

        ta, tb = pq.read_table(before / "records.parquet"), pq.read_table(after / "records.parquet")
        if not ta.schema.equals(tb.schema) or not ta.equals(tb):
            problems.append("records.parquet: tables differ")
    if (before / "records.xlsx").exists():
        problems += _xlsx(before / "records.xlsx", after / "records.xlsx", links)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--links", action="store_true", help="also compare the workbook's links")
    args = parser.parse_args()
    problems = compare(args.before, args.after, args.links)
    for p in problems:
        print(p)
    print(f"{args.before} vs {args.after}: " + ("same" if not problems else "DIFFERENT"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
