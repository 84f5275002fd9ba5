"""The labeled dev set in tests/labeled covers the variety the issue asks for
(generic consistency: test_labeled_sets.py; accuracy floors: test_accuracy.py)."""

from __future__ import annotations

import csv
from pathlib import Path

from extract.evaluate import read_doc_text

SET_DIR = Path(__file__).parent / "labeled"
CORPUS = SET_DIR / "corpus"


def _gold_dicts() -> list[dict[str, str]]:
    with open(SET_DIR / "gold.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _doc_text(doc: str) -> str:
    return read_doc_text(CORPUS / doc)


# ------------------------------------------------------------ set consistency


def test_corpus_has_the_required_variety():
    files = sorted(p.name for p in CORPUS.iterdir())
    assert len(files) >= 37
    assert sum(f.endswith(".html") for f in files) == 1
    assert sum(f.endswith(".md") for f in files) >= 1
    not_utf8 = []
    for f in files:
        try:
            (CORPUS / f).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(f)
    assert not_utf8 == ["ko_cp949_jeonnam_fisheries.txt"]
    assert "전남도" in _doc_text(not_utf8[0])
    ko = sum(f.startswith("ko_") for f in files)
    en = sum(f.startswith("en_") for f in files)
    assert ko >= 18 and en >= 12
    every_doc_labeled = {r["doc"] for r in _gold_dicts()}
    assert every_doc_labeled == set(files)
