"""The per-language gold files of the linker's training set and the fresh blind set
(tests/train/gold_{ko,en}.csv, tests/blind2/gold_{ko,en}.csv) are consistent labeled
sets in the ../shared/LABELED_SET.md format, checked the way test_labeled_sets.py checks
the single-file sets. These checks read the files only: nothing here runs the pipeline,
so they are safe on the blind set."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from extract.evaluate import read_doc_text

TESTS = Path(__file__).parent
COLUMNS = ["doc", "text", "amount", "amount_max", "currency", "project", "qualifier"]
FILES = [
    (name, lang)
    for name in ("train", "blind2")
    for lang in ("ko", "en")
    if (TESTS / name / f"gold_{lang}.csv").exists()
]
_QUALIFIER_EDGE = re.compile(
    r"^(약|최대|최소|about|approximately|nearly|some|around|roughly|up to|at least|more than)\s"
    r"|\s?(이상|이하|미만|초과|가량|안팎|정도|넘는)$",
    re.IGNORECASE,
)


@cache
def _rows(name: str, lang: str) -> tuple[dict[str, str], ...]:
    with open(TESTS / name / f"gold_{lang}.csv", encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _doc_text(name: str, doc: str) -> str:
    return read_doc_text(TESTS / name / "corpus" / doc)


def test_both_sets_have_both_languages() -> None:
    assert {("train", "ko"), ("train", "en"), ("blind2", "ko"), ("blind2", "en")} <= set(FILES)


@pytest.mark.parametrize(("name", "lang"), FILES)
def test_columns_and_plain_values(name: str, lang: str) -> None:
    with open(TESTS / name / f"gold_{lang}.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == COLUMNS
    for n, r in enumerate(_rows(name, lang), start=2):
        assert r["amount"].isdigit() and int(r["amount"]) > 0, f"row {n}: {r['amount']!r}"
        assert not r["amount_max"] or int(r["amount_max"]) > int(r["amount"]), f"row {n}"
        assert re.fullmatch(r"[A-Z]{3}", r["currency"]), f"row {n}: {r['currency']!r}"
        assert r["qualifier"] in ("", "approx", "max", "min"), f"row {n}"
        assert r["text"] and r["text"] == r["text"].strip(), f"row {n}"
        assert r["project"] == r["project"].strip(), f"row {n}"
        assert not _QUALIFIER_EDGE.search(r["text"]), f"row {n}: {r['text']!r}"


@pytest.mark.parametrize(("name", "lang"), FILES)
def test_docs_exist_and_belong_to_the_language(name: str, lang: str) -> None:
    docs = {r["doc"] for r in _rows(name, lang)}
    corpus = {p.name for p in (TESTS / name / "corpus").iterdir()}
    assert docs <= corpus
    assert all(d.startswith(f"{lang}_") for d in docs)
    # every article of this language in the corpus has rows
    assert docs == {d for d in corpus if d.startswith(f"{lang}_")}


@pytest.mark.parametrize(("name", "lang"), FILES)
def test_texts_occur_as_often_as_rows_and_in_document_order(name: str, lang: str) -> None:
    rows = _rows(name, lang)
    need = Counter((r["doc"], r["text"]) for r in rows)
    short = [
        f"{doc}: {text!r} written {_doc_text(name, doc).count(text)}x, {k} rows"
        for (doc, text), k in need.items()
        if _doc_text(name, doc).count(text) < k
    ]
    assert not short, "\n".join(short)
    pos: dict[str, int] = {}
    out_of_order = []
    for n, r in enumerate(rows, start=2):
        at = _doc_text(name, r["doc"]).find(r["text"], pos.get(r["doc"], 0))
        if at < 0:
            out_of_order.append(f"row {n}: {r['doc']}: {r['text']!r}")
        else:
            pos[r["doc"]] = at + 1
    assert not out_of_order, "\n".join(out_of_order)


@pytest.mark.parametrize(("name", "lang"), FILES)
def test_every_project_is_written_in_its_doc(name: str, lang: str) -> None:
    missing = [
        f"{r['doc']}: {r['project']!r}"
        for r in _rows(name, lang)
        if r["project"] and r["project"] not in _doc_text(name, r["doc"])
    ]
    assert not missing, "\n".join(missing)
