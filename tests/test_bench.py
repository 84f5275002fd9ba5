"""The benchmark's synthetic corpus is deterministic and realistic enough to measure.

(Speed itself is measured by `make bench`, never asserted in a test.)"""

from __future__ import annotations

from pathlib import Path

from extract.bench import PeakMemory, generate_corpus
from extract.pipeline import extract_corpus


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_corpus_other_seed_other_corpus(tmp_path: Path) -> None:
    size = generate_corpus(tmp_path / "a", 12, seed=3)
    generate_corpus(tmp_path / "b", 12, seed=3)
    generate_corpus(tmp_path / "c", 12, seed=4)
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")
    assert _contents(tmp_path / "a") != _contents(tmp_path / "c")
    assert 12 * 3000 < size < 12 * 5000  # about 4 KB an article
    names = list(_contents(tmp_path / "a"))
    assert any(n.endswith("_ko.txt") for n in names) and any(n.endswith("_en.txt") for n in names)


def test_generated_articles_hold_money_in_both_languages(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "corpus", 6, seed=1)
    with PeakMemory() as memory:
        records, langs = extract_corpus(tmp_path / "corpus", tmp_path / "out")
    assert {r.doc for r in records} == set(langs)
    assert {r.currency for r in records} >= {"KRW"}
    assert memory.peak > 0


def test_cpu_seconds_count_reaped_worker_processes() -> None:
    import multiprocessing

    from extract.bench import cpu_seconds

    before = cpu_seconds()
    worker = multiprocessing.get_context("fork").Process(target=_spin, args=(0.3,))
    worker.start()
    worker.join()
    assert cpu_seconds() - before >= 0.2  # the child's CPU, not only this process's


def _spin(seconds: float) -> None:
    import time

    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_bench_reads_a_frozen_copy_of_the_rules(tmp_path: Path, monkeypatch) -> None:
    """An edit under rules/ during a long bench must not reach it (fingerprint, rules)."""
    from extract.bench import freeze_rules
    from extract.rules import clear_cache, rule_files, rules_dir

    original = rules_dir()
    monkeypatch.setenv("EXTRACT_RULES", str(original))
    try:
        snapshot = freeze_rules(tmp_path / "rules")
        assert rules_dir() == snapshot.resolve()
        assert len(rule_files()) == len(list(original.rglob("*.toml")))
        assert all(snapshot.resolve() in p.parents for p in rule_files())
    finally:
        clear_cache()
