"""The labeled dev set in tests/labeled: its gold table is consistent with its corpus,
and the full pipeline scores at or above the floors below on it."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from extract.evaluate import load_gold, read_doc_text

SET_DIR = Path(__file__).parent / "labeled"
CORPUS = SET_DIR / "corpus"

ISO_4217 = {"KRW", "USD", "EUR", "JPY", "CNY", "GBP", "PLN", "HKD", "SGD", "AUD", "CAD", "CHF"}


def _gold_dicts() -> list[dict[str, str]]:
    with open(SET_DIR / "gold.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _doc_text(doc: str) -> str:
    return read_doc_text(CORPUS / doc)


# ------------------------------------------------------------ set consistency


def test_gold_loads_and_validates():
    rows = load_gold(SET_DIR)
    assert len(rows) >= 300
    assert {r.doc for r in rows} <= {p.name for p in CORPUS.iterdir()}


def test_gold_csv_is_plain_digits_and_iso():
    for n, r in enumerate(_gold_dicts(), start=2):
        assert r["amount"].isdigit(), f"row {n}: {r['amount']!r}"
        assert not r["amount_max"] or r["amount_max"].isdigit(), f"row {n}"
        assert r["currency"] in ISO_4217, f"row {n}: {r['currency']!r}"
        assert r["qualifier"] in ("", "approx", "max", "min"), f"row {n}"
        assert r["text"] == r["text"].strip() and r["text"], f"row {n}: text not trimmed"


def test_every_gold_text_occurs_as_often_as_it_has_rows():
    need = Counter((r["doc"], r["text"]) for r in _gold_dicts())
    short = []
    for (doc, text), n in need.items():
        have = _doc_text(doc).count(text)
        if have < n:
            short.append(f"{doc}: {text!r} written {have}x, {n} rows")
    assert not short, "\n".join(short)


def test_every_gold_project_is_written_in_its_doc():
    missing = [
        f"{r['doc']}: {r['project']!r}"
        for r in _gold_dicts()
        if r["project"] and r["project"] not in _doc_text(r["doc"])
    ]
    assert not missing, "\n".join(missing)


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
