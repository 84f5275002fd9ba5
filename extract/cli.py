"""Command line: `python -m extract run|evaluate|conform|gold|bench`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import models


def _run(args: argparse.Namespace) -> int:
    from .pipeline import CorpusError, format_summary, run

    try:
        summary = run(
            args.corpus,
            args.out,
            jobs=args.jobs,
            max_bytes=int(args.max_mb * 1024 * 1024),
            full=args.full,
            progress=False if args.quiet else None,
            engine=args.engine,
            address=args.address,
        )
    except CorpusError as exc:
        print(
            f"error: {exc}. Put article files (.txt, .md, .html) in it and run again.",
            file=sys.stderr,
        )
        return 2
    if summary.seen == 0:
        print(
            f"{args.corpus} is empty: no files to process. Drop .txt, .md or .html "
            "articles there and run again.",
            file=sys.stderr,
        )
    print(format_summary(summary))
    failed = summary.by_status[models.ERROR]
    return 1 if args.strict and failed else 0


def _evaluate(args: argparse.Namespace) -> int:
    from .evaluate import main_evaluate

    return main_evaluate(args.set, args.json, args.errors, args.jobs)


def _conform(args: argparse.Namespace) -> int:
    from .conform import main_conform

    return main_conform(args.dir, as_json=args.json, show=args.show)


def _gold(args: argparse.Namespace) -> int:
    from .gold import GoldSheetError, sheet_to_labeled_set

    try:
        rows = sheet_to_labeled_set(args.sheet, args.set, args.corpus)
    except GoldSheetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"wrote {rows} gold rows to {args.set / 'gold.csv'} and the documents to "
        f"{args.set / 'corpus'}"
    )
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .bench import main_bench

    return main_bench(
        docs=args.docs,
        jobs=args.jobs,
        workdir=args.workdir,
        seed=args.seed,
        naive=not args.no_naive,
        samples=args.samples,
        copies=args.copies,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m extract",
        description="Find money amounts and the projects they fund in Korean and English news.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("run", help="process the corpus folder into outputs/ (incremental)")
    p.add_argument("--corpus", type=Path, default=Path("corpora"), help="default: corpora")
    p.add_argument("--out", type=Path, default=Path("outputs"), help="default: outputs")
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes (default 1); with --engine ray, actors (default: one per CPU)",
    )
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local: worker processes here (default); ray: a Ray cluster (pip install ray)",
    )
    p.add_argument(
        "--address",
        default=None,
        help="with --engine ray: auto (the cluster of `ray start`), ray://host:10001, "
        "or none to start Ray on this machine",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 if any file failed")
    p.add_argument("--full", action="store_true", help="reprocess every file, ignore the store")
    p.add_argument(
        "--max-mb",
        type=float,
        default=20.0,
        help="files larger than this are reported, not read (default 20)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)

    p = sub.add_parser("evaluate", help="score extraction against a labeled set")
    p.add_argument("--set", type=Path, required=True, help="folder with corpus/ and gold.csv")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument("--errors", type=Path, help="write false positives/negatives here (CSV)")
    p.add_argument("--jobs", type=int, default=1)
    p.set_defaults(func=_evaluate)

    p = sub.add_parser("conform", help="run the money extractor on peer projects' test suites")
    p.add_argument("dir", type=Path, help="folder of peer-suite .jsonl files")
    p.add_argument("--json", action="store_true")
    p.add_argument("--show", type=int, default=20, help="failures listed per file (default 20)")
    p.set_defaults(func=_conform)

    p = sub.add_parser("gold", help="turn a reviewed records.xlsx/csv into a labeled set")
    p.add_argument("sheet", type=Path, help="reviewed outputs/records.xlsx or records.csv")
    p.add_argument("--set", type=Path, required=True, help="labeled-set folder to write")
    p.add_argument("--corpus", type=Path, default=Path("corpora"), help="default: corpora")
    p.set_defaults(func=_gold)

    p = sub.add_parser("bench", help="time a full run over a generated synthetic corpus")
    p.add_argument("--docs", type=int, default=10_000)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workdir", type=Path, default=Path(".bench"))
    p.add_argument(
        "--no-naive", action="store_true", help="skip the naive reference (no ratio printed)"
    )
    p.add_argument(
        "--samples",
        type=Path,
        default=Path("corpora"),
        help="sample articles also benchmarked x --copies (default: corpora)",
    )
    p.add_argument("--copies", type=int, default=400, help="0 skips the sample corpus")
    p.set_defaults(func=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
