"""`run --engine ray`: the extraction step of a run on a Ray cluster, with Ray Data.

The driver (this process) lists the corpus and plans the run against the store
exactly as a local run does, so unchanged files are skipped by content hash and
duplicates are found before anything is sent. The files left to process become a
Ray dataset of (doc, path, size, mtime_ns) rows; a pool of `ExtractActor`s (each
loads Kiwi, spaCy and the rules once, in its constructor) reads and extracts them
in batches with `pipeline.process_source`, the same function the local engine
runs. With a per-document time budget (`--doc-timeout`, as in a local run) an actor
hands each document of its batch to a worker process forked from it
(`timeouts.run_in_workers`, the local engine's machinery): a document over budget
gets an `error` result "timed out after N s", its worker is killed and re-forked,
and the batch goes on. Ray Data streams: only a bounded number of batches is in flight, whatever
the corpus size. Results are written as a Parquet dataset (`rows.RESULT_SCHEMA`)
under `<out>/ray-results/`, which the driver then reads back batch by batch and
merges into the same store; exports follow as in a local run.

On a cluster, every node must see the corpus and the output folder at the same
paths (a shared filesystem) and have this package installed at the same version.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

from ..models import DocResult, SourceFile

RESULTS_DIR = "ray-results"
BATCH_SIZE = 16  # files per actor call
BLOCK_FILES = 64  # files per block of the input dataset (the unit Ray schedules)


class ExtractActor:
    """One Ray actor: models loaded once, then batches of files extracted."""

    def __init__(self, max_bytes: int, doc_timeout: float | None = None) -> None:
        from ..pipeline import warm_up

        warm_up()
        self.max_bytes = max_bytes
        self.doc_timeout = doc_timeout

    def __call__(self, batch):  # pyarrow.Table of rows.SOURCE_SCHEMA -> RESULT_SCHEMA
        from ..pipeline import process_source
        from ..timeouts import run_in_workers
        from .rows import results_table, source_from_row

        sources = [source_from_row(row) for row in batch.to_pylist()]
        if not self.doc_timeout:
            return results_table(process_source(s, self.max_bytes) for s in sources)
        # One forked worker for the batch (it shares the actor's loaded models);
        # killed and re-forked only when a document runs out of time.
        return results_table(
            run_in_workers(process_source, sources, 1, self.doc_timeout, (self.max_bytes,))
        )


def _check_reachable(address: str | None, error: type[Exception], seconds: float = 5) -> None:
    """A `host:port` head address must accept a TCP connection within `seconds`: Ray
    itself retries an unreachable GCS for many minutes. Raises `error` if not."""
    if address is None or address == "auto" or "://" in address:
        return
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
    except (OSError, ValueError) as exc:
        raise error(f"cannot reach Ray at {address!r}: {exc}") from exc


def _init(address: str | None) -> bool:
    """Connect to (or start) Ray; True when this call started it (so we stop it)."""
    import ray

    from ..pipeline import EngineError

    _check_reachable(address, EngineError)  # before reusing a Ray this process holds
    if ray.is_initialized():
        return False
    package_root = str(Path(__file__).resolve().parents[2])
    kwargs: dict = {"include_dashboard": False, "logging_level": "WARNING"}
    if address is None:
        # A local instance: its workers must import this checkout's code.
        path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
        kwargs["runtime_env"] = {"env_vars": {"PYTHONPATH": path}}
    try:
        ray.init(address=address, **kwargs)
    except (ConnectionError, ValueError, RuntimeError, TimeoutError) as exc:
        where = "start Ray on this machine" if address is None else f"reach Ray at {address!r}"
        raise EngineError(f"cannot {where}: {exc}") from exc
    return True


def run_ray(
    todo: list[SourceFile],
    out: Path,
    jobs: int | None,
    max_bytes: int,
    address: str | None = None,
    progress: bool = False,
    doc_timeout: float | None = None,
) -> Iterator[DocResult]:
    """Extract `todo` on Ray (`address`: None starts a local instance, "auto" joins
    the local cluster, "ray://host:10001" a remote one) with `jobs` actors (default:
    one per CPU of the cluster); yield the results read back from the Parquet dataset.
    A document over `doc_timeout` seconds (None or 0: no limit) gets an `error` result.

    Raises whatever Ray raises when it cannot start or connect, or when a task fails
    for a reason other than the file (files' own failures are `error` results)."""
    if not todo:
        return
    import pyarrow.dataset as pads
    import ray

    from .rows import RESULT_SCHEMA, iter_results, sources_table

    target = Path(out) / RESULTS_DIR
    started = _init(address)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = progress
        actors = jobs or max(1, int(ray.cluster_resources().get("CPU", 1)))
        table = sources_table(todo)
        # At least two blocks per actor (while blocks keep a few files), so all work.
        per_block = max(1, min(BLOCK_FILES, len(todo) // (2 * actors)))
        blocks = [table.slice(i, per_block) for i in range(0, len(todo), per_block)]
        dataset = ray.data.from_arrow(blocks).map_batches(
            ExtractActor,
            fn_constructor_kwargs={"max_bytes": max_bytes, "doc_timeout": doc_timeout},
            batch_format="pyarrow",
            batch_size=min(BATCH_SIZE, per_block),
            compute=ray.data.ActorPoolStrategy(size=min(actors, len(blocks))),
            num_cpus=1,
        )
        shutil.rmtree(target, ignore_errors=True)
        # The writes take no CPU slot: with one actor per CPU they would otherwise
        # wait for the pool to finish, and the results pile up in the object store.
        dataset.write_parquet(str(target), ray_remote_args={"num_cpus": 0})
    finally:
        if started:
            ray.shutdown()
    files = sorted(str(p) for p in target.rglob("*.parquet"))
    results = pads.dataset(files, format="parquet", schema=RESULT_SCHEMA)
    yield from iter_results(results.to_batches(batch_size=BATCH_SIZE))
