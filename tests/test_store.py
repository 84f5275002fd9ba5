"""The SQLite store: replace/remove per document, transactions, exact decimals."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import rec

from extract.models import EXTRACTED, NO_MONEY, Block, DocResult, Record
from extract.store import SCHEMA_VERSION, Store


def record(doc: str, text: str, full: str, amount: Decimal | None, **kw) -> Record:
    return rec(doc, full, text, amount, **kw)


KO = "광주 국비 3조9497억원 확보. 인공지능 예산 153억원, 수수료 0.5원."


def ko_doc(doc: str = "ko/광주 예산.txt", n: int = 3) -> DocResult:
    records = [
        record(doc, "3조9497억원", KO, Decimal("3949700000000")),
        record(doc, "153억원", KO, Decimal("15300000000"), project="인공지능", rule="ko.money"),
        record(doc, "0.5원", KO, Decimal("0.5"), qualifier="approx"),
    ][:n]
    return DocResult(
        doc=doc,
        sha256="a" * 64,
        size=len(KO.encode()),
        mtime_ns=123,
        status=EXTRACTED if records else NO_MONEY,
        lang="ko",
        fmt="txt",
        encoding="utf-8",
        text=KO,
        records=records,
        blocks=[Block(0, len(KO), "ko")],
    )


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "out" / "extract.sqlite") as s:
        yield s


def test_meta_and_schema_version(store: Store) -> None:
    assert store.get_meta("fingerprint") is None
    store.set_meta("fingerprint", "abc")
    assert store.get_meta("fingerprint") == "abc"
    assert store.get_meta("schema_version") == SCHEMA_VERSION


def test_save_replace_remove(store: Store) -> None:
    other = DocResult("b.txt", "b" * 64, 10, 5, NO_MONEY, lang="en", fmt="txt", encoding="utf-8")
    store.save([ko_doc(), other])
    docs = store.documents()
    assert sorted(docs) == ["b.txt", "ko/광주 예산.txt"]
    light = docs["ko/광주 예산.txt"]
    assert (light.sha256, light.size, light.mtime_ns, light.status) == (
        "a" * 64,
        len(KO.encode()),
        123,
        EXTRACTED,
    )
    assert (light.lang, light.fmt, light.encoding) == ("ko", "txt", "utf-8")
    assert light.records == [] and light.text == ""
    assert len(store.records()) == 3

    store.save([ko_doc(n=1)])  # the document changed: its old records go
    assert [r.text for r in store.records()] == ["3조9497억원"]

    store.remove(["ko/광주 예산.txt"])
    assert list(store.documents()) == ["b.txt"]
    assert store.records() == []


def test_records_round_trip_exactly(store: Store) -> None:
    original = ko_doc()
    original.records[0].amount_max = Decimal("5E+12")
    store.save([original])
    back = store.records()
    assert back == original.records  # every field, including Decimal values
    assert back[0].amount == Decimal("3949700000000")
    assert str(back[0].amount) == "3949700000000"
    assert back[0].amount_max == Decimal("5000000000000")
    assert back[2].amount == Decimal("0.5") and str(back[2].amount) == "0.5"
    raw = sqlite3.connect(store.path).execute("SELECT typeof(amount), amount FROM records")
    assert sorted(raw.fetchall()) == [
        ("text", "0.5"),
        ("text", "15300000000"),
        ("text", "3949700000000"),
    ]


def test_document_results_with_text_and_order(store: Store) -> None:
    second = ko_doc("a/first.txt", n=2)
    store.save([ko_doc(), second])
    results = store.document_results()
    assert [r.doc for r in results] == ["a/first.txt", "ko/광주 예산.txt"]
    assert [len(r.records) for r in results] == [2, 3]
    assert results[0].text == ""
    full = store.document_results(with_text=True)
    assert full[1].text == KO
    assert full[1].blocks == [Block(0, len(KO), "ko")]
    starts = [r.start for r in full[1].records]
    assert starts == sorted(starts)


def test_failure_inside_save_rolls_back(store: Store) -> None:
    store.save([ko_doc()])

    def batch():
        yield ko_doc(n=1)  # would replace 3 records by 1 ...
        yield DocResult("new.txt", "c" * 64, 1, 1, NO_MONEY)
        raise RuntimeError("worker died")  # ... but the batch never finishes

    with pytest.raises(RuntimeError):
        store.save(batch())
    assert list(store.documents()) == ["ko/광주 예산.txt"]
    assert len(store.records()) == 3
    store.save([DocResult("later.txt", "d" * 64, 1, 1, NO_MONEY)])  # store still usable
    assert "later.txt" in store.documents()


def test_failure_writing_a_record_rolls_back(store: Store) -> None:
    store.save([ko_doc()])
    bad = ko_doc(n=2)
    bad.records[1].currency = None  # type: ignore[assignment]  # NOT NULL constraint fails
    with pytest.raises(sqlite3.IntegrityError):
        store.save([DocResult("x.txt", "e" * 64, 1, 1, NO_MONEY), bad])
    assert list(store.documents()) == ["ko/광주 예산.txt"]
    assert len(store.records()) == 3


def test_persists_and_rebuilds_on_schema_change(tmp_path: Path) -> None:
    path = tmp_path / "extract.sqlite"
    with Store(path) as s:
        s.save([ko_doc()])
    with Store(path) as s:
        assert len(s.records()) == 3
        s.set_meta("schema_version", "0")  # as if written by an older version
    with Store(path) as s:
        assert s.documents() == {}
        assert s.get_meta("schema_version") == SCHEMA_VERSION
