"""Every labeled set (tests/labeled, heldout, blind, train, blind2, blind3, blind4, blind5,
dev_en2, dev_ko2, dev_en3) is a consistent
labeled set in the ../shared/LABELED_SET.md format: the checks a set must pass
before its scores mean anything. Each set's own checks (its variety, its
documented table cells) are in test_labeled_set.py, test_heldout_set.py and
test_blind_set.py; the accuracy floors in test_accuracy.py."""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from extract.evaluate import load_gold, read_doc_text

TESTS = Path(__file__).parent
SETS = [
    "labeled",
    "heldout",
    "blind",
    "train",
    "blind2",
    "blind3",
    "blind4",
    "dev_en2",
    "dev_ko2",
    "dev_en3",
    "blind5",
]
COLUMNS = ["doc", "text", "amount", "amount_max", "currency", "project", "qualifier"]
_ISO_CODE = re.compile(r"[A-Z]{3}")
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# Qualifier words belong in the qualifier column, never at the edge of the text.
_QUALIFIER_EDGE = re.compile(
    r"^(약|최대|최소|about|approximately|nearly|some|around|roughly|up to|at least|more than)\s"
    r"|\s?(이상|이하|미만|초과|가량|안팎|정도|넘는)$",
    re.IGNORECASE,
)


@cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with open(TESTS / name / "gold.csv", encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _doc_text(name: str, doc: str) -> str:
    return read_doc_text(TESTS / name / "corpus" / doc)


@pytest.mark.parametrize("name", SETS)
def test_gold_has_exact_columns_and_plain_values(name: str) -> None:
    with open(TESTS / name / "gold.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS
    for n, r in enumerate(_rows(name), start=2):
        # digits, a point only for sub-unit values (LABELED_SET.md: `7.31` for `$7.31`)
        assert _PLAIN.fullmatch(r["amount"]) and Decimal(r["amount"]) > 0, f"row {n}"
        assert not r["amount_max"] or _PLAIN.fullmatch(r["amount_max"]), f"row {n}"
        assert not r["amount_max"] or Decimal(r["amount_max"]) > Decimal(r["amount"]), f"row {n}"
        assert _ISO_CODE.fullmatch(r["currency"]), f"row {n}: {r['currency']!r}"
        assert r["qualifier"] in ("", "approx", "max", "min"), f"row {n}"
        assert r["text"] and r["text"] == r["text"].strip(), f"row {n}: text not trimmed"
        assert r["project"] == r["project"].strip(), f"row {n}: project not trimmed"


@pytest.mark.parametrize("name", SETS)
def test_gold_loads_with_the_evaluator(name: str) -> None:
    rows = load_gold(TESTS / name)
    assert len(rows) == len(_rows(name)) >= 250
    assert {r.doc for r in rows} <= {p.name for p in (TESTS / name / "corpus").iterdir()}


@pytest.mark.parametrize("name", SETS)
def test_every_gold_text_occurs_as_often_as_it_has_rows(name: str) -> None:
    need = Counter((r["doc"], r["text"]) for r in _rows(name))
    short = [
        f"{doc}: {text!r} written {_doc_text(name, doc).count(text)}x, {n} rows"
        for (doc, text), n in need.items()
        if _doc_text(name, doc).count(text) < n
    ]
    assert not short, "\n".join(short)


@pytest.mark.parametrize("name", SETS)
def test_gold_rows_are_in_document_order(name: str) -> None:
    # The scorer pairs the nth prediction of a value with the nth gold row of it.
    pos: dict[str, int] = {}
    out_of_order = []
    for n, r in enumerate(_rows(name), start=2):
        at = _doc_text(name, r["doc"]).find(r["text"], pos.get(r["doc"], 0))
        if at < 0:
            out_of_order.append(f"row {n}: {r['doc']}: {r['text']!r}")
        else:
            pos[r["doc"]] = at + 1
    assert not out_of_order, "\n".join(out_of_order)


@pytest.mark.parametrize("name", SETS)
def test_every_gold_project_is_written_in_its_doc(name: str) -> None:
    missing = [
        f"{r['doc']}: {r['project']!r}"
        for r in _rows(name)
        if r["project"] and r["project"] not in _doc_text(name, r["doc"])
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("name", SETS)
def test_text_carries_no_qualifier_words(name: str) -> None:
    bad = [f"{r['doc']}: {r['text']!r}" for r in _rows(name) if _QUALIFIER_EDGE.search(r["text"])]
    assert not bad, "\n".join(bad)
