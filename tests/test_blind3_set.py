"""The third blind labeled set in tests/blind3 is consistent and keeps its documented shape
(generic checks shared with the other sets: test_labeled_sets.py).

The set was written and labeled before any pipeline run on it, without reading the
linking code, the rules or the other blind sets (tests/blind3/README.md). These checks look
only at the corpus and the gold, never at pipeline output: each gold `text` is written in
its document, as a whole number expression, exactly as often as it has rows and in row
order; every document has rows; values, currencies and qualifiers are well formed."""

from __future__ import annotations

import csv
import re
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path

SET_DIR = Path(__file__).parent / "blind3"
CORPUS = SET_DIR / "corpus"
# ISO 4217 codes the set uses; a new currency is added here deliberately.
CURRENCIES = {"KRW", "USD", "GBP", "EUR", "AUD", "CAD", "INR"}
# README: bare cells under a unit header are labeled (value = cell x unit).
TABLE_UNITS = {
    "ko_02_jeonnam_edu_budget_release.txt": Decimal(10) ** 8,  # (단위: 억원)
    "en_01_thornbury_council_budget_papers.txt": Decimal(1000),  # (£000s)
    "en_15_msit_rnd_request_table.txt": Decimal(10) ** 9,  # (in billion won)
}
_BARE_CELL = re.compile(r"[0-9][0-9,]*")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
# A number expression does not start inside another number (`3,000억원` in `3조3,000억원`)
_NUMBER_BEFORE = "0-9,.조억만천여A-Za-z$£€₩"


@cache
def _gold() -> tuple[dict[str, str], ...]:
    with open(SET_DIR / "gold.csv", encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def _doc_text(doc: str) -> str:
    return (CORPUS / doc).read_text(encoding="utf-8")


def _files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir())


def _occurrences(doc: str, text: str) -> list[int]:
    """Start offsets of `text` in `doc` where it stands as a whole expression."""
    after = r"(?![0-9원])" if text[-1] in "조억만천" else r"(?![0-9])"
    pattern = rf"(?<![{_NUMBER_BEFORE}]){re.escape(text)}{after}"
    return [m.start() for m in re.finditer(pattern, _doc_text(doc))]


def test_corpus_shape_and_languages() -> None:
    files = _files()
    assert len(files) == 30
    assert sum(f.startswith("ko_") for f in files) == 15
    assert sum(f.startswith("en_") for f in files) == 15
    for f in files:
        text = _doc_text(f)  # every file is UTF-8
        hangul, latin = len(_HANGUL.findall(text)), len(_LATIN.findall(text))
        assert hangul > 3 * latin if f.startswith("ko_") else latin > 10 * hangul, f


def test_every_doc_has_rows_and_every_row_a_doc() -> None:
    per_doc = Counter(r["doc"] for r in _gold())
    assert set(per_doc) == set(_files())
    assert all(6 <= n <= 25 for n in per_doc.values()), per_doc


def test_each_text_is_written_exactly_as_often_as_it_has_rows_and_in_order() -> None:
    need = Counter((r["doc"], r["text"]) for r in _gold())
    wrong = [
        f"{doc}: {text!r} written {len(_occurrences(doc, text))}x, {n} rows"
        for (doc, text), n in need.items()
        if len(_occurrences(doc, text)) != n
    ]
    assert not wrong, "\n".join(wrong)
    last: dict[str, int] = {}
    for n, r in enumerate(_gold(), start=2):
        later = [p for p in _occurrences(r["doc"], r["text"]) if p > last.get(r["doc"], -1)]
        assert later, f"row {n}: {r['doc']}: {r['text']!r} out of document order"
        last[r["doc"]] = later[0]


def test_values_currencies_and_qualifiers_are_well_formed() -> None:
    for n, r in enumerate(_gold(), start=2):
        amount = Decimal(r["amount"])
        # digits; a point only for a sub-unit value, written without trailing zeros
        assert "." not in r["amount"] or (amount % 1 and not r["amount"].endswith("0")), n
        assert r["currency"] in CURRENCIES, f"row {n}: {r['currency']!r}"
        assert r["qualifier"] in ("", "approx", "max", "min"), f"row {n}"
        if r["amount_max"]:
            assert Decimal(r["amount_max"]) > amount, f"row {n}"
        if "여" in r["text"]:  # `40여만원`, `1억여원`: the 여 stays in the text, approx
            assert r["qualifier"] == "approx", f"row {n}"


def test_bare_table_cells_carry_their_unit() -> None:
    cells = [r for r in _gold() if _BARE_CELL.fullmatch(r["text"])]
    assert Counter(r["doc"] for r in cells) == {
        "ko_02_jeonnam_edu_budget_release.txt": 9,
        "en_01_thornbury_council_budget_papers.txt": 6,
        "en_15_msit_rnd_request_table.txt": 6,
    }
    for r in cells:
        unit = TABLE_UNITS[r["doc"]]
        assert Decimal(r["amount"]) == Decimal(r["text"].replace(",", "")) * unit, r
        assert r["project"], r  # every money cell sits in a named row


def test_the_set_keeps_its_mix_of_linked_and_empty_rows() -> None:
    rows = _gold()
    for lang in ("ko_", "en_"):
        part = [r for r in rows if r["doc"].startswith(lang)]
        empty = sum(1 for r in part if not r["project"])
        assert len(part) >= 150 and 0.15 <= empty / len(part) <= 0.35, (lang, empty, len(part))
    assert sum(1 for r in rows if r["amount_max"]) >= 5
    quals = Counter(r["qualifier"] for r in rows)
    assert min(quals["approx"], quals["max"], quals["min"]) >= 5, quals
