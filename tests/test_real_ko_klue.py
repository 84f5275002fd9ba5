"""Real Korean text nobody here wrote: the KLUE NER dev set (../shared/real-ko-klue).

Every quantity span the KLUE annotators tagged is marked money or not
(spans.csv); gold.csv has the values. One extraction run over the 250 files
(module fixture) holds the product to:

- money recall >= 0.99 over the money spans (exchange rates such as
  `1달러당 1000원` included: they are reported with no project), banknote
  denominations (`5만원권`) aside, which the pipeline skips on purpose;
- no record on a non-money quantity span (`6경기`, `220파운드(약 99kg)`,
  `준결승 1조`, `46억년 전`) and none on text with no quantity at all (records
  over vague money KLUE left untagged, untagged_money.csv, are allowed);
- every gold amount that is found has the right value (amount, amount_max,
  currency).

Scoring follows the folder's score.py (a record overlapping a span finds it).
"""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from helpers import shared_dir

from extract.ingest import discover
from extract.pipeline import process_source

KLUE = shared_dir() / "real-ko-klue"
SKIPPED_KINDS = {"banknote"}


def _rows(name: str) -> list[dict]:
    with open(KLUE / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def run():
    if not (KLUE / "corpus").is_dir():
        pytest.skip(f"real-ko-klue not found at {KLUE} (../shared beside the repo)")
    records: dict[str, list] = {}
    texts: dict[str, str] = {}
    for source in discover(KLUE / "corpus"):
        result = process_source(source)
        assert result.status in ("extracted", "no_money"), (source.doc, result.reason)
        records[source.doc] = result.records
        with open(source.path, encoding="utf-8", newline="") as fh:
            texts[source.doc] = fh.read()
    return records, texts, _rows("spans.csv"), _rows("gold.csv"), _rows("untagged_money.csv")


def _overlaps(r, row) -> bool:
    return r.start < int(row["end"]) and int(row["start"]) < r.end


def test_records_sit_at_their_offsets(run):
    records, texts, *_ = run
    bad = [
        (d, r.text) for d, rs in records.items() for r in rs if texts[d][r.start : r.end] != r.text
    ]
    assert not bad


def test_money_recall(run):
    records, _, spans, _, _ = run
    money = [s for s in spans if s["money"] == "1" and s["kind"] not in SKIPPED_KINDS]
    missed = [s["text"] for s in money if not any(_overlaps(r, s) for r in records[s["doc"]])]
    recall = 1 - len(missed) / len(money)
    assert recall >= 0.99, (recall, missed)


def test_no_record_on_non_money(run):
    records, _, spans, _, untagged = run
    by_doc: dict[str, list[dict]] = {}
    for row in spans + untagged:
        by_doc.setdefault(row["doc"], []).append(row)
    serious, untagged_fp = [], []
    for doc, rs in records.items():
        for r in rs:
            hits = [row for row in by_doc.get(doc, []) if _overlaps(r, row)]
            if any(row.get("money") == "1" for row in hits):
                continue
            if any("money" not in row for row in hits):
                continue  # vague money KLUE did not tag (몇 천원, 수십억원): not an error
            (serious if hits else untagged_fp).append((doc, r.text, r.sentence[:60]))
    assert not serious, f"records on non-money quantity spans: {serious}"
    assert not untagged_fp, f"records on text with no quantity: {untagged_fp}"


def test_found_gold_amounts_have_the_right_value(run):
    records, _, _, gold, _ = run
    wrong, found = [], 0
    for g in gold:
        over = [r for r in records[g["doc"]] if _overlaps(r, g)]
        if not over:
            continue
        found += 1
        want = (
            Decimal(g["amount"]),
            Decimal(g["amount_max"]) if g["amount_max"] else None,
            g["currency"],
        )
        if not any((r.amount, r.amount_max, r.currency) == want for r in over):
            wrong.append((g["text"], want, [(r.text, r.amount, r.currency) for r in over]))
    assert found >= 0.99 * len(gold)
    assert not wrong, wrong
