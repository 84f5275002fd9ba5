"""The five seed articles (copied from tests/labeled into a temporary corpus, so the
user's corpora/ folder can hold anything): every amount and link right.

Their expected records are the seed rows of the labeled dev set (tests/labeled).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extract.evaluate import load_gold, score
from extract.pipeline import extract_corpus

ROOT = Path(__file__).resolve().parents[1]
LABELED = ROOT / "tests" / "labeled"
# The seed articles are the labeled set's files named by their number and hash.
SEEDS = sorted(p.name for p in (LABELED / "corpus").glob("00[0-4]_*.txt"))


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("seeds")
    for name in SEEDS:
        shutil.copyfile(LABELED / "corpus" / name, corpus / name)
    gold = [g for g in load_gold(LABELED) if g.doc in SEEDS]
    assert len(SEEDS) == 5 and len(gold) == 38 and {g.doc for g in gold} == set(SEEDS)
    records, langs = extract_corpus(corpus, tmp_path_factory.mktemp("samples"))
    return score(gold, records, langs)


def test_every_sample_amount_is_found_exactly(figures) -> None:
    assert figures["mention_precision"] == 1.0
    assert figures["mention_recall"] == 1.0
    assert figures["span_exact"] == 1.0


def test_every_sample_amount_is_linked_to_its_project(figures) -> None:
    # The seed gold follows the clarified LABELED_SET.md rules (a city's total links
    # to `national funding for Gwangju`, and so does its `increase of 563.9 billion won`).
    assert figures["project_strict_f1"] == 1.0


def test_samples_do_not_depend_on_the_users_corpus() -> None:
    # The seeds are byte-identical to the ones shipped in corpora/ (when it still has them).
    for name in SEEDS:
        shipped = ROOT / "corpora" / name
        if shipped.exists():
            assert shipped.read_bytes() == (LABELED / "corpus" / name).read_bytes()
