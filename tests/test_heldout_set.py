"""The held-out labeled set in tests/heldout keeps its documented shape: 20 news-length
articles and exactly the documented table cells (generic consistency:
test_labeled_sets.py; accuracy floors: test_accuracy.py). See tests/heldout/README.md."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup

SET_DIR = Path(__file__).parent / "heldout"
CORPUS = SET_DIR / "corpus"

_BARE_CELL = re.compile(r"[0-9][0-9,]*")


def _gold_dicts() -> list[dict[str, str]]:
    with open(SET_DIR / "gold.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _doc_text(doc: str) -> str:
    return (CORPUS / doc).read_text(encoding="utf-8")


# ------------------------------------------------------------ set consistency


def test_bare_table_cells_are_the_documented_ones():
    # README: 34 cells under unit headers are labeled; a new bare number must be deliberate.
    cells = Counter(r["doc"] for r in _gold_dicts() if _BARE_CELL.fullmatch(r["text"]))
    assert cells == {
        "ko_press_mafra_direct_payment.txt": 15,
        "ko_press_mss_smallbiz_2026.txt": 7,
        "en_herald_rail_feasibility.txt": 12,
    }


def _words(name: str) -> int:
    text = _doc_text(name)
    if name.endswith(".html"):
        article = BeautifulSoup(text, "lxml").find("article")
        assert article is not None, name
        text = article.get_text(" ")
    return len(text.split())


def test_corpus_is_20_articles_of_news_length():
    files = sorted(p.name for p in CORPUS.iterdir())
    assert len(files) == 20
    assert sum(f.startswith("ko_") for f in files) == 12
    assert sum(f.startswith("en_") for f in files) == 8
    assert sum(f.endswith(".html") for f in files) == 1
    lengths = {f: _words(f) for f in files}
    wrong = {f: n for f, n in lengths.items() if not 200 <= n <= 700}
    assert not wrong, wrong
    assert {r["doc"] for r in _gold_dicts()} == set(files)
