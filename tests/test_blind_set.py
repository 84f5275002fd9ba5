"""The second blind labeled set in tests/blind keeps its documented shape and hard cases
(generic consistency: test_labeled_sets.py; accuracy floors: test_accuracy.py).

The set was labeled without looking at the extractor, its rules or its output (see
tests/blind/README.md). The pipeline's accuracy floors on it are in tests/test_accuracy.py."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

SET_DIR = Path(__file__).parent / "blind"
CORPUS = SET_DIR / "corpus"
EUC_KR_DOC = "blind_ko_nongmin_direct_payment.txt"
_BARE_CELL = re.compile(r"[0-9][0-9,]*")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")


def _gold() -> list[dict[str, str]]:
    with open(SET_DIR / "gold.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@cache
def _doc_text(doc: str) -> str:
    raw = (CORPUS / doc).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("euc-kr")


def _files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir())


def test_every_gold_doc_exists_and_every_doc_has_rows():
    docs = {r["doc"] for r in _gold()}
    assert docs == set(_files())


def test_bare_table_cells_are_the_documented_ones():
    # README: 45 bare cells under unit headers are labeled, 15 per table.
    cells = Counter(r["doc"] for r in _gold() if _BARE_CELL.fullmatch(r["text"]))
    assert cells == {
        "blind_ko_city_gukbi_secured.txt": 15,
        "blind_ko_nabo_policy_finance.md": 15,
        "blind_en_msit_rnd_release.txt": 15,
    }


def test_corpus_shape_and_encodings():
    files = _files()
    assert len(files) == 16
    assert sum(f.startswith("blind_ko_") for f in files) == 9
    assert sum(f.startswith("blind_en_") for f in files) == 7
    assert [f for f in files if f.endswith(".md")] == ["blind_ko_nabo_policy_finance.md"]
    not_utf8 = []
    for f in files:
        try:
            (CORPUS / f).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            not_utf8.append(f)
    assert not_utf8 == [EUC_KR_DOC]
    assert "직불" in (CORPUS / EUC_KR_DOC).read_bytes().decode("euc-kr")


def test_articles_are_news_length_and_in_their_language():
    for f in _files():
        text = _doc_text(f)
        assert 200 <= len(text.split()) <= 600, f
        hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
        if f.startswith("blind_ko_"):
            assert hangul > 3 * latin, f
        else:
            assert latin > 10 * hangul, f


def test_the_set_keeps_its_hard_cases():
    texts = {r["text"] for r in _gold()}
    for must in (
        "1조 2,345억 원",
        "1조1800여억원",
        "3만~4만 달러",
        "a trillion won",
        "Half a billion dollars",
        "10 trillion yen",
        "₩1,052,000",
        "KRW300 billion",
        "$1.35 bn",
        "10.1 tln won",
        "이십오만 원",
    ):
        assert must in texts, must
    quals = Counter(r["qualifier"] for r in _gold())
    assert min(quals["approx"], quals["max"], quals["min"]) >= 10, quals
    assert sum(1 for r in _gold() if r["amount_max"]) >= 2
