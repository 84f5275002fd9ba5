"""Documents processed in worker processes under a per-document time budget.

`run_in_workers` hands one document at a time to each of `jobs` worker
processes (forked from a parent that has loaded the models, so they share its
read-only pages) and yields each result as it arrives. A document that takes
longer than `timeout` seconds gets an `error` result `timed out after N s`: its
worker is killed and a new one forked, and the run goes on. A worker that dies
(out of memory, a crash in a C library) costs only its document, which gets an
`error` result naming the signal.

Workers die with their parent: on Linux the kernel sends them SIGKILL when the
parent dies (prctl PR_SET_PDEATHSIG), elsewhere a thread in each worker polls
its parent id. So a killed run never leaves ~600 MB workers behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait

from . import models
from .models import DocResult, SourceFile

DEFAULT_DOC_TIMEOUT = 60.0
TIMED_OUT = "timed out after"  # the reason of a document that ran out of time starts so

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Make this (child) process die when `parent_pid` does; call first thing in a child.

    Linux: prctl(PR_SET_PDEATHSIG, SIGKILL), then a check that the parent did not
    die before the call. Elsewhere: a daemon thread that exits the process once
    the parent id changes (polled every 0.5 s).
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent_pid:
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass  # fall back to polling

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_main(conn: Connection, parent_pid: int, work: Callable, args: tuple) -> None:
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            source = conn.recv()
        except (EOFError, OSError):
            return
        if source is None:
            return
        conn.send(work(source, *args))


class _Worker:
    def __init__(self, ctx: multiprocessing.context.BaseContext, work: Callable, args: tuple):
        ours, theirs = ctx.Pipe()
        self.proc = ctx.Process(
            target=_worker_main, args=(theirs, os.getpid(), work, args), daemon=True
        )
        self.proc.start()
        theirs.close()
        self.conn = ours
        self.source: SourceFile | None = None
        self.deadline = 0.0

    def give(self, source: SourceFile, timeout: float | None) -> None:
        self.source = source
        self.deadline = time.monotonic() + timeout if timeout else float("inf")
        self.conn.send(source)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(1)
        self.kill()


def failed(source: SourceFile, reason: str) -> DocResult:
    """An `error` result for a document that produced none itself (timeout, dead worker)."""
    from .pipeline import _file_sha256

    return DocResult(
        doc=source.doc,
        sha256=_file_sha256(source.path),
        size=source.size,
        mtime_ns=source.mtime_ns,
        status=models.ERROR,
        reason=reason,
    )


def run_in_workers(
    work: Callable[..., DocResult],
    sources: list[SourceFile],
    jobs: int,
    timeout: float | None,
    args: tuple = (),
) -> Iterator[DocResult]:
    """`work(source, *args)` for every source in `jobs` worker processes, results in
    completion order; a document over `timeout` seconds (None or 0: no limit) or whose
    worker dies gets an `error` result instead. Workers are killed when the caller
    stops iterating, on any error, and when this process dies."""
    ctx = _context()
    pending = deque(sources)
    workers = [_Worker(ctx, work, args) for _ in range(max(1, min(jobs, len(sources))))]
    try:
        while pending or any(w.source for w in workers):
            for w in workers:
                if w.source is None and pending:
                    w.give(pending.popleft(), timeout)
            busy = [w for w in workers if w.source is not None]
            soonest = min(w.deadline for w in busy)
            wait_for = None if soonest == float("inf") else max(0.0, soonest - time.monotonic())
            ready = wait([w.conn for w in busy], wait_for)
            for i, w in enumerate(workers):
                if w.source is None:
                    continue
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        w.proc.join(5)
                        code = w.proc.exitcode
                        why = f"signal {-code}" if code and code < 0 else f"exit code {code}"
                        result = failed(w.source, f"worker process died ({why})")
                        workers[i] = _restart(w, ctx, work, args)
                        yield result
                        continue
                    w.source = None
                    yield result
                elif time.monotonic() >= w.deadline:
                    result = failed(w.source, f"{TIMED_OUT} {timeout:g} s")
                    workers[i] = _restart(w, ctx, work, args)
                    yield result
    finally:
        for w in workers:
            w.stop() if w.source is None else w.kill()


def _restart(
    w: _Worker, ctx: multiprocessing.context.BaseContext, work: Callable, args: tuple
) -> _Worker:
    w.kill()
    return _Worker(ctx, work, args)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
