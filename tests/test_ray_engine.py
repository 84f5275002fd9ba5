"""`run --engine ray`: a local Ray instance on 2 CPUs gives the records of a local run.

(The speed of either engine is measured by `make bench`, never asserted here.)"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from helpers import rec

from extract import models
from extract.models import Block, DocResult
from extract.pipeline import STORE_NAME, run
from extract.store import Store

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "blind" / "corpus"  # the smallest labeled set


def _stored(out: Path) -> tuple[dict, list]:
    with Store(out / STORE_NAME) as store:
        docs = {d.doc: (d.sha256, d.status, d.reason, d.lang) for d in store.documents().values()}
        return docs, store.records()


def test_rows_round_trip_exactly() -> None:
    pytest.importorskip("pyarrow", reason="pyarrow is not installed")
    from extract.engines.rows import result_from_row, results_table

    text = "예산 3조9497억원, 수수료 0.5원."
    result = DocResult(
        doc="a/b.txt",
        sha256="f" * 64,
        size=40,
        mtime_ns=1,
        status=models.EXTRACTED,
        lang="ko",
        fmt="txt",
        encoding="utf-8",
        text=text,
        records=[
            rec("a/b.txt", text, "3조9497억원", Decimal("3949700000000"), project_score=0.75),
            rec("a/b.txt", text, "0.5원", Decimal("0.5"), qualifier="approx"),
        ],
        blocks=[Block(0, len(text), "ko")],
    )
    empty = DocResult(doc="c.txt", sha256="", size=0, mtime_ns=0, status=models.ERROR, reason="x")
    rows = results_table([result, empty]).to_pylist()
    assert [result_from_row(r) for r in rows] == [result, empty]


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip(
        "ray", reason="ray is not installed (pip install -r requirements.lock)"
    )
    try:
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            logging_level="WARNING",
            runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}},
        )
    except Exception as exc:  # no shared memory, no sockets, ...
        pytest.skip(f"a local Ray instance cannot start here: {type(exc).__name__}: {exc}")
    yield ray
    ray.shutdown()


def test_ray_engine_equals_local_run_and_is_incremental(local_ray, tmp_path: Path) -> None:
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    run(SET, local, progress=False, export=False)
    summary = run(SET, on_ray, jobs=2, progress=False, export=False, engine="ray")
    assert summary.processed == len(list(SET.iterdir()))
    assert _stored(on_ray) == _stored(local)
    assert (on_ray / "ray-results").is_dir()
    # Unchanged files are skipped by content hash, without starting any actor.
    again = run(SET, on_ray, jobs=2, progress=False, export=False, engine="ray")
    assert (again.processed, again.unchanged) == (0, summary.processed)


def test_ray_engine_keeps_the_per_document_time_budget(local_ray, tmp_path: Path) -> None:
    """--doc-timeout holds on Ray as in a local run: no document is read and extracted
    in a millisecond, so each one is marked timed out and the run still finishes."""
    summary = run(
        SET, tmp_path / "out", jobs=2, progress=False, export=False, engine="ray", doc_timeout=0.001
    )
    docs, records = _stored(tmp_path / "out")
    assert summary.processed == len(docs) == len(list(SET.iterdir()))
    assert {(status, reason) for _, status, reason, _ in docs.values()} == {
        (models.ERROR, "timed out after 0.001 s")
    }
    assert records == []


def test_an_unreachable_cluster_is_one_line_and_exit_2(tmp_path: Path, capsys, monkeypatch):
    """`--address auto` with no `ray start` running: a plain error, not Ray's traceback.
    ray.init is made to fail as it does then (ConnectionError), whatever Ray this test
    process may already hold."""
    ray = pytest.importorskip("ray", reason="ray is not installed")
    from extract.cli import main

    def unreachable(*args, **kwargs):
        raise ConnectionError("Could not find any running Ray instance.")

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", unreachable)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("예산 10억원", encoding="utf-8")
    argv = ["run", "--corpus", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main([*argv, "--engine", "ray", "--address", "auto", "--quiet"]) == 2
    assert "cannot reach Ray at 'auto': Could not find" in capsys.readouterr().err


def test_a_closed_head_port_is_one_line_not_minutes_of_retries(tmp_path: Path, capsys):
    """`--address host:port` where nothing listens: refused after one TCP try (Ray
    itself retries the GCS for many minutes)."""
    import socket

    from extract.cli import main

    with socket.socket() as s:  # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("예산 10억원", encoding="utf-8")
    argv = ["run", "--corpus", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    assert main([*argv, "--engine", "ray", "--address", f"127.0.0.1:{port}", "--quiet"]) == 2
    assert f"cannot reach Ray at '127.0.0.1:{port}'" in capsys.readouterr().err
