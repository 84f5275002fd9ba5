"""Time the exports of an existing store and sample their memory.

Runs `export_all` (records.csv, records.parquet, documents.csv, records.xlsx,
corrections.csv) and `write_report` (report.html) on the store STORE, writing
under OUT, in this one process, and prints wall and CPU seconds of each, the
peak PSS (sampled from /proc/self/smaps_rollup every 0.2 s) and the peak RSS
(`ru_maxrss`). With `--trace N`, tracemalloc snapshots the Python heap when the
N-th document streams past (and at the end of the export) and prints the largest
allocation sites: where the memory that grows with the corpus is held.

    python scripts/export_memory.py STORE OUT [--corpus DIR] [--trace N]

The exports write into the store (what the workbook showed, for reading a
reviewer's edits back), so point STORE at a copy you may change.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pss() -> int:
    """This process's proportional set size in bytes (the bench's reader)."""
    from extract.bench import _memory_bytes

    return _memory_bytes(os.getpid())


class Sampler(threading.Thread):
    """Peak PSS, sampled every `every` seconds until stopped; `marks` notes the PSS
    at labelled moments."""

    def __init__(self, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.every, self.peak, self.done = every, pss(), threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.peak = max(self.peak, pss())


def _top(snapshot: tracemalloc.Snapshot, label: str, n: int = 12) -> None:
    stats = snapshot.statistics("lineno")
    total = sum(s.size for s in stats)
    print(f"-- tracemalloc at {label}: {total / 2**20:.1f} MiB in Python objects")
    for s in stats[:n]:
        frame = s.traceback[0]
        print(f"   {s.size / 2**20:7.1f} MiB {s.count:>9,}  {frame.filename}:{frame.lineno}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=None, help="default: the store's own")
    parser.add_argument("--trace", type=int, default=0, help="tracemalloc snapshot at doc N")
    parser.add_argument("--no-report", action="store_true")
    args = parser.parse_args()

    import extract.review as review
    from extract.export import export_all
    from extract.report import write_report
    from extract.store import Store

    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "extract.sqlite"
    if args.store.resolve() != target.resolve():
        shutil.copyfile(args.store, target)
    if args.trace:
        tracemalloc.start(1)
        original = review.reviewed_documents

        def traced(store, with_text=True):  # type: ignore[no-untyped-def]
            stream = original(store, with_text)
            inner = stream.__iter__

            def each():  # type: ignore[no-untyped-def]
                for i, item in enumerate(inner(), start=1):
                    if i == args.trace:
                        _top(tracemalloc.take_snapshot(), f"document {i:,}")
                    yield item

            stream.__iter__ = each  # type: ignore[method-assign]
            return _Wrapped(stream, each)

        review.reviewed_documents = traced  # type: ignore[assignment]

    sampler = Sampler()
    sampler.start()
    store = Store(target)
    corpus = args.corpus or Path(store.get_meta("corpus") or ".")
    notes: list[str] = []
    base = pss()
    timings = []
    for name, step in (
        ("exports", lambda: export_all(store, args.out, corpus, notes)),
        ("report", None if args.no_report else lambda: write_report(store, args.out, corpus)),
    ):
        if step is None:
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        step()
        timings.append((name, time.perf_counter() - wall, time.process_time() - cpu, pss()))
        if args.trace:
            _top(tracemalloc.take_snapshot(), f"end of {name}")
    store.close()
    sampler.done.set()
    sampler.join()
    records = sum(1 for _ in open(args.out / "records.csv", encoding="utf-8-sig")) - 1
    print(f"store {args.store} ({records:,} records), start PSS {base / 2**20:.0f} MiB")
    for name, wall, cpu, after in timings:
        print(f"{name}: {wall:.1f} s wall, {cpu:.1f} s CPU, PSS after {after / 2**20:.0f} MiB")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak PSS {sampler.peak / 2**20:.0f} MiB, peak RSS {maxrss:.0f} MiB")
    for note in notes:
        print(f"note: {note}")
    return 0


class _Wrapped:
    """A reviewed stream whose iteration is traced; `unmatched` read through."""

    def __init__(self, stream, each) -> None:  # type: ignore[no-untyped-def]
        self._stream, self._each = stream, each

    def __iter__(self):  # type: ignore[no-untyped-def]
        return self._each()

    @property
    def unmatched(self):  # type: ignore[no-untyped-def]
        return self._stream.unmatched


if __name__ == "__main__":
    sys.exit(main())
