"""The held-out labeled set in tests/heldout: its gold table is consistent with its corpus,
and the full pipeline scores at or above the floors below on it.

Nobody tunes on this set (see tests/heldout/README.md); the floors only catch regressions
on text the extractors were not written around."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup

from extract.evaluate import load_gold

SET_DIR = Path(__file__).parent / "heldout"
CORPUS = SET_DIR / "corpus"
COLUMNS = ["doc", "text", "amount", "amount_max", "currency", "project", "qualifier"]

ISO_4217 = {"KRW", "USD", "EUR", "JPY", "CNY", "GBP"}
_BARE_CELL = re.compile(r"[0-9][0-9,]*")


def _gold_dicts() -> list[dict[str, str]]:
    with open(SET_DIR / "gold.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _doc_text(doc: str) -> str:
    return (CORPUS / doc).read_text(encoding="utf-8")


# ------------------------------------------------------------ set consistency


def test_gold_loads_and_validates():
    rows = load_gold(SET_DIR)
    assert len(rows) >= 300
    assert {r.doc for r in rows} <= {p.name for p in CORPUS.iterdir()}


def test_gold_csv_has_exact_columns_and_plain_values():
    with open(SET_DIR / "gold.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS
    for n, r in enumerate(_gold_dicts(), start=2):
        assert r["amount"].isdigit(), f"row {n}: {r['amount']!r}"
        assert not r["amount_max"] or r["amount_max"].isdigit(), f"row {n}"
        assert not r["amount_max"] or int(r["amount_max"]) > int(r["amount"]), f"row {n}"
        assert r["currency"] in ISO_4217, f"row {n}: {r['currency']!r}"
        assert r["qualifier"] in ("", "approx", "max", "min"), f"row {n}"
        assert r["text"] == r["text"].strip() and r["text"], f"row {n}: text not trimmed"
        assert r["project"] == r["project"].strip(), f"row {n}: project not trimmed"


def test_every_gold_text_occurs_as_often_as_it_has_rows():
    need = Counter((r["doc"], r["text"]) for r in _gold_dicts())
    short = []
    for (doc, text), n in need.items():
        have = _doc_text(doc).count(text)
        if have < n:
            short.append(f"{doc}: {text!r} written {have}x, {n} rows")
    assert not short, "\n".join(short)


def test_gold_rows_are_in_document_order():
    # Greedy earliest match finds an ordered placement whenever one exists.
    out_of_order = []
    pos: dict[str, int] = {}
    for n, r in enumerate(_gold_dicts(), start=2):
        at = _doc_text(r["doc"]).find(r["text"], pos.get(r["doc"], 0))
        if at < 0:
            out_of_order.append(f"row {n}: {r['doc']}: {r['text']!r}")
        else:
            pos[r["doc"]] = at + 1
    assert not out_of_order, "\n".join(out_of_order)


def test_every_gold_project_is_written_in_its_doc():
    missing = [
        f"{r['doc']}: {r['project']!r}"
        for r in _gold_dicts()
        if r["project"] and r["project"] not in _doc_text(r["doc"])
    ]
    assert not missing, "\n".join(missing)


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
