"""Command line: `python -m extract run|evaluate|conform|gold|bench`.

Every subcommand has `--help` with a one-line description and an example.
Invalid option values are refused by argparse with a clear message (exit 2);
problems a user can fix (missing corpus, broken rule file, unwritable output)
are one line on stderr, never a traceback. Output piped into a command that
stops reading early (`| head`) ends quietly.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from pathlib import Path

from . import __version__, models

EXAMPLES = {
    "run": "python -m extract run --corpus corpora --out outputs --jobs 2",
    "evaluate": "python -m extract evaluate --set tests/labeled --json | head",
    "conform": "python -m extract conform ../shared/peer-suites --show 5",
    "gold": "python -m extract gold outputs/records.xlsx --set my-set --corpus corpora",
    "fit-linker": "python -m extract fit-linker --set tests/labeled --set tests/heldout "
    "--set tests/train",
    "bench": "python -m extract bench --docs 2000 --jobs 2",
}


def _whole_number(text: str, least: int, why: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"{why}, got {value}")
    return value


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1."""
    return _whole_number(text, 1, "must be at least 1")


def non_negative_int(text: str) -> int:
    """argparse type: an integer >= 0."""
    return _whole_number(text, 0, "must be 0 or more")


def positive_number(text: str) -> float:
    """argparse type: a finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number above 0, got {text}")
    return value


def seconds_or_off(text: str) -> float:
    """argparse type: seconds > 0, or 0 / "off" / "none" for no limit."""
    if text.strip().lower() in ("0", "off", "none"):
        return 0.0
    try:
        return positive_number(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time budget: give seconds above 0 (60, 2.5), "
            "or 0, off or none for no limit"
        ) from None


_RAY_ADDRESS = re.compile(r"auto|ray://[\w.\-\[\]:]+|[\w.\-]+:\d{1,5}")


def ray_address(text: str) -> str | None:
    """argparse type for --address: "none"/"local" (any case) or empty start Ray on this
    machine (None); "auto", "ray://host:10001" (Ray Client) or "host:6379" (a head node's
    GCS) are passed to ray.init; anything else is refused (exit 2)."""
    value = text.strip()
    if value.lower() in ("", "none", "local"):
        return None
    if not _RAY_ADDRESS.fullmatch(value):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a Ray address (auto, ray://host:10001, host:6379 or none)"
        )
    return value


_FORMATS = ".txt, .md, .html/.htm, .hwp, .hwpx, .pdf or .docx"


def _run(args: argparse.Namespace) -> int:
    from .pipeline import CorpusError, EngineError, format_summary, run

    if args.address is not None and args.engine != "ray":
        print("error: --address is for --engine ray (a Ray cluster)", file=sys.stderr)
        return 2
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
            doc_timeout=args.doc_timeout or None,
        )
    except CorpusError as exc:
        print(
            f"error: {exc}. Put article files ({_FORMATS}) in it and run again.",
            file=sys.stderr,
        )
        return 2
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if summary.seen == 0:
        print(
            f"{args.corpus.absolute()} is empty: no files to process. Drop {_FORMATS} "
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


def _fit_linker(args: argparse.Namespace) -> int:
    from .linking.fit import main_fit

    return main_fit(args.sets, args.out, cv=not args.no_cv)


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


def _subparser(sub, name: str, summary: str, details: str = "") -> argparse.ArgumentParser:
    return sub.add_parser(
        name,
        help=summary,
        description=summary + (f"\n\n{details}" if details else ""),
        epilog=f"example:\n  {EXAMPLES[name]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m extract",
        description="Find money amounts and the projects they fund in Korean and English news.",
        epilog="examples:\n  "
        + "\n  ".join(EXAMPLES.values())
        + "\n\n`python -m extract COMMAND --help` explains each command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"extract {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _subparser(
        sub,
        "run",
        "Process the corpus folder into outputs/ (incremental: only new or changed files).",
        "Writes records.csv, records.parquet, records.xlsx, documents.csv, corrections.csv and\n"
        "report.html under --out, and keeps its cache in OUT/extract.sqlite. Every file gets\n"
        "a documents.csv line.",
    )
    p.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpora"),
        help="folder of articles (.txt .md .html .hwp .hwpx .pdf .docx), read recursively "
        "(default: corpora)",
    )
    p.add_argument(
        "--out", type=Path, default=Path("outputs"), help="outputs folder (default: outputs)"
    )
    p.add_argument(
        "--jobs",
        type=positive_int,
        default=None,
        help="worker processes that extract documents in parallel (default 1); "
        "with --engine ray, Ray actors (default: one per CPU of the cluster)",
    )
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local: worker processes on this machine (default); ray: a Ray cluster",
    )
    p.add_argument(
        "--address",
        type=ray_address,
        default=None,
        help="with --engine ray: auto (the cluster of `ray start`), ray://host:10001, "
        "or none to start Ray on this machine",
    )
    p.add_argument("--strict", action="store_true", help="exit with status 1 if any file failed")
    p.add_argument(
        "--full",
        action="store_true",
        help="reprocess every file, ignoring what the store already holds",
    )
    p.add_argument(
        "--max-mb",
        type=positive_number,
        default=20.0,
        help="files larger than this many MB are reported, not read (default 20)",
    )
    p.add_argument(
        "--doc-timeout",
        type=seconds_or_off,
        default=60.0,
        metavar="SECONDS",
        help="time budget per document: one that takes longer is marked "
        "'error: timed out after N s' and the run goes on (default 60; 0, off or none = no limit)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)

    p = _subparser(
        sub,
        "evaluate",
        "Score extraction against a labeled set (precision, recall, F1 per field).",
        "The set is a folder with corpus/ and gold.csv or gold.xlsx (../shared/LABELED_SET.md).",
    )
    p.add_argument(
        "--set", type=Path, required=True, help="folder with corpus/ and gold.csv (or gold.xlsx)"
    )
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument(
        "--errors",
        type=Path,
        help="write the errors (missed and false amounts, wrong links and "
        "qualifiers) to this CSV file",
    )
    p.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1)")
    p.set_defaults(func=_evaluate)

    p = _subparser(
        sub,
        "conform",
        "Run the money extractor on peer projects' test suites (.jsonl files).",
    )
    p.add_argument("dir", type=Path, help="folder of peer-suite .jsonl files")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    p.add_argument(
        "--show",
        type=non_negative_int,
        default=20,
        help="failures listed per file (default 20; 0 lists none)",
    )
    p.set_defaults(func=_conform)

    p = _subparser(
        sub,
        "gold",
        "Turn a reviewed records.xlsx (or records.csv) into a labeled set.",
        "Writes SET/gold.csv and copies the documents into SET/corpus/.",
    )
    p.add_argument("sheet", type=Path, help="reviewed outputs/records.xlsx or records.csv")
    p.add_argument("--set", type=Path, required=True, help="labeled-set folder to write")
    p.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpora"),
        help="folder the sheet's documents are copied from: the folder the run read "
        "(default: corpora)",
    )
    p.set_defaults(func=_gold)

    p = _subparser(
        sub,
        "fit-linker",
        "Fit the project-link scorer's weights (rules/link_weights.toml) on labeled sets.",
        "A softmax over each amount's choices (scipy L-BFGS), C chosen by 5-fold\n"
        "cross-validation by document; prints the figures and where the choice goes\n"
        "wrong. Never fit on a blind set.",
    )
    p.add_argument(
        "--set", type=Path, action="append", required=True, dest="sets",
        help="labeled set to fit on (repeat); never a blind set",
    )  # fmt: skip
    p.add_argument(
        "--out", type=Path, help="weights file to write (default: rules/link_weights.toml)"
    )
    p.add_argument(
        "--no-cv", action="store_true", help="skip cross-validation; keep the committed C"
    )
    p.set_defaults(func=_fit_linker)

    p = _subparser(
        sub,
        "bench",
        "Time a full run over a generated synthetic corpus, beside a naive reference.",
        "Generates --docs articles under WORKDIR/corpus (same corpus for the same seed),\n"
        "runs the pipeline and a naive reference (langdetect + Kiwi + spaCy over all the\n"
        "text) and prints times, the ratio, docs/s, MB/s and peak memory.",
    )
    p.add_argument(
        "--docs", type=positive_int, default=10_000, help="articles to generate (default 10000)"
    )
    p.add_argument("--jobs", type=positive_int, default=2, help="worker processes (default 2)")
    p.add_argument("--seed", type=int, default=7, help="random seed of the generator (default 7)")
    p.add_argument(
        "--workdir",
        type=Path,
        default=Path(".bench"),
        help="folder for the generated corpus and outputs (default: .bench)",
    )
    p.add_argument(
        "--no-naive", action="store_true", help="skip the naive reference (no ratio printed)"
    )
    p.add_argument(
        "--samples",
        type=Path,
        default=Path("corpora"),
        help="sample articles also benchmarked x --copies (default: corpora)",
    )
    p.add_argument(
        "--copies",
        type=non_negative_int,
        default=400,
        help="copies of each sample article (default 400); 0 skips the sample corpus",
    )
    p.set_defaults(func=_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .errors import OutputError
    from .rules import RuleFileError

    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Point stdout at devnull
        # so the interpreter's final flush does not raise again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as `yes | head` reports it
    except RuleFileError as exc:
        print(f"error: broken rule file: {exc}. Nothing was changed.", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(
            f"error: {exc}. The previous outputs are left as they were.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
