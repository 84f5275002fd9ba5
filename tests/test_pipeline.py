"""End to end: corpus folder -> store -> exports, incremental re-runs, bad input."""

from __future__ import annotations

import csv
import os
from decimal import Decimal
from pathlib import Path

import pytest

from extract import models
from extract.cli import main
from extract.pipeline import CorpusError, extract_corpus, run

KO = "광주시는 인공지능 전략사업 예산 153억원을 확보했다고 밝혔다.\n"
EN = "The ministry set aside 61.7 billion won for the creation of an AI mobility pilot city.\n"


def _documents(out: Path) -> dict[str, dict]:
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        return {row["doc"]: row for row in csv.DictReader(fh)}


def _records(out: Path) -> list[dict]:
    with open(out / "records.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "ko.txt").write_text(KO, encoding="utf-8")
    (folder / "en.txt").write_text(EN, encoding="utf-8")
    return folder


def test_run_extracts_both_languages(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = run(corpus, out, progress=False)
    assert summary.by_status[models.EXTRACTED] == 2
    rows = {(r["doc"], r["text"]): r for r in _records(out)}
    assert rows[("ko.txt", "153억원")]["amount"] == "15300000000"
    assert rows[("ko.txt", "153억원")]["currency"] == "KRW"
    assert rows[("en.txt", "61.7 billion won")]["amount"] == "61700000000"
    for name in ("records.csv", "records.xlsx", "documents.csv", "report.html"):
        assert (out / name).is_file()


def test_rerun_is_incremental_and_idempotent(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(corpus, out, progress=False)
    first = _records(out)
    again = run(corpus, out, progress=False)
    assert again.unchanged == 2 and again.processed == 0
    assert _records(out) == first

    (corpus / "new.txt").write_text("예산 5000만원이 편성됐다.\n", encoding="utf-8")
    (corpus / "en.txt").write_text("It costs $2.5 million.\n", encoding="utf-8")
    (corpus / "ko.txt").unlink()
    summary = run(corpus, out, progress=False)
    assert (summary.processed, summary.unchanged, summary.removed) == (2, 0, 1)
    texts = {(r["doc"], r["text"]) for r in _records(out)}
    assert texts == {("new.txt", "5000만원"), ("en.txt", "$2.5 million")}
    assert set(_documents(out)) == {"new.txt", "en.txt"}


def test_duplicate_content_is_processed_once(corpus: Path, tmp_path: Path) -> None:
    (corpus / "ko_copy.txt").write_text(KO, encoding="utf-8")
    out = tmp_path / "out"
    run(corpus, out, progress=False)
    docs = _documents(out)
    assert docs["ko.txt"]["status"] == models.EXTRACTED
    assert docs["ko_copy.txt"]["status"] == models.DUPLICATE
    assert "ko.txt" in docs["ko_copy.txt"]["reason"]
    assert {r["doc"] for r in _records(out)} == {"ko.txt", "en.txt"}
    # Deleting the original makes the copy the one that is extracted.
    (corpus / "ko.txt").unlink()
    run(corpus, out, progress=False)
    assert _documents(out)["ko_copy.txt"]["status"] == models.EXTRACTED


def test_bad_input_is_listed_and_the_run_goes_on(corpus: Path, tmp_path: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (corpus / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (corpus / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    (corpus / "한글 이름.txt").write_text(KO.replace("153", "27"), encoding="utf-8")
    (corpus / "cp949.txt").write_bytes(("국비 3조9497억원이 확정됐다. " * 3 + "\n").encode("cp949"))
    (corpus / "big.txt").write_text("x" * 3000, encoding="utf-8")
    out = tmp_path / "out"
    summary = run(corpus, out, progress=False, max_bytes=2000)
    docs = _documents(out)
    assert docs["empty.txt"]["status"] == models.ERROR
    assert docs["binary.txt"]["status"] == models.ERROR
    assert docs["report.pdf"]["status"] == models.ERROR  # a PDF with nothing in it
    assert "PDF" in docs["report.pdf"]["reason"]
    assert docs["sheet.xlsx"]["status"] == models.UNSUPPORTED
    assert docs["big.txt"]["status"] == models.ERROR and docs["big.txt"]["reason"]
    assert docs["한글 이름.txt"]["status"] == models.EXTRACTED
    assert docs["cp949.txt"]["status"] == models.EXTRACTED
    assert all(d["reason"] for d in docs.values() if d["status"] in ("error", "unsupported"))
    assert summary.seen == len(docs) == 9
    amounts = {r["amount"] for r in _records(out) if r["doc"] == "cp949.txt"}
    assert amounts == {"3949700000000"}


def test_cli_strict_and_missing_corpus(corpus: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(corpus), "--out", str(out), "--quiet"]) == 0
    (corpus / "empty.txt").write_bytes(b"")
    assert main(["run", "--corpus", str(corpus), "--out", str(out), "--quiet"]) == 0
    assert main(["run", "--corpus", str(corpus), "--out", str(out), "--quiet", "--strict"]) == 1
    assert main(["run", "--corpus", str(tmp_path / "nope"), "--out", str(out)]) == 2
    assert "does not exist" in capsys.readouterr().err
    empty = tmp_path / "empty_corpus"
    empty.mkdir()
    assert main(["run", "--corpus", str(empty), "--out", str(tmp_path / "o2"), "--quiet"]) == 0
    assert "empty" in capsys.readouterr().err


def test_missing_corpus_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        run(tmp_path / "missing", tmp_path / "out", progress=False)


def test_worker_processes_give_the_same_records(corpus: Path, tmp_path: Path) -> None:
    for i in range(4):
        (corpus / f"extra{i}.txt").write_text(f"사업비 {i + 1}억원을 투입한다.\n", encoding="utf-8")
    one, _ = extract_corpus(corpus, tmp_path / "one", jobs=1)
    two, _ = extract_corpus(corpus, tmp_path / "two", jobs=2)
    assert [(r.doc, r.start, r.amount) for r in one] == [(r.doc, r.start, r.amount) for r in two]
    assert Decimal("400000000") in {r.amount for r in two}


def test_outputs_are_replaced_atomically(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(corpus, out, progress=False)
    leftovers = [p for p in os.listdir(out) if p.endswith((".tmp", ".part")) or p.startswith(".")]
    assert leftovers == []


def test_warm_up_leaves_no_rule_file_to_parse(monkeypatch) -> None:
    """After `warm_up` (which runs before workers are forked, after `validate_rules` has
    emptied the rule caches) listing the rule files of any kind parses nothing again:
    a forked worker must not re-read every rule file on its first re-list."""
    from extract import rules
    from extract.pipeline import warm_up

    warm_up()
    rules.clear_cache()  # as validate_rules does at the start of every run
    warm_up()

    def parse(*_args, **_kwargs):
        raise AssertionError("a rule file was parsed after warm_up")

    monkeypatch.setattr(rules.tomllib, "load", parse)
    for kind in sorted(rules.KINDS):
        for lang in (None, "ko", "en"):
            for path in rules.rule_files(kind, lang):
                rules.load_rule_file(path)


def test_rules_folder_is_read_once_per_document(tmp_path: Path, monkeypatch) -> None:
    """`pinned_rules` (around each process_document) keeps the folder read on entry;
    a change of $EXTRACT_RULES takes effect for the next document."""
    from extract import rules

    monkeypatch.delenv("EXTRACT_RULES", raising=False)
    default = rules.rules_dir()
    with rules.pinned_rules() as folder:
        assert folder == default
        monkeypatch.setenv("EXTRACT_RULES", str(tmp_path))
        assert rules.rules_dir() == default
    assert rules.rules_dir() == tmp_path
    with rules.pinned_rules() as folder:
        assert folder == tmp_path == rules.rules_dir()
    seen = []
    monkeypatch.setattr(
        "extract.pipeline._process_document", lambda *a: seen.append(rules.rules_dir())
    )
    from extract.pipeline import process_document

    process_document(models.Document("a.txt", "text", "0" * 64, "txt", "utf-8"))
    assert seen == [tmp_path]


def test_an_outputs_folder_inside_the_corpus_is_never_read_back(tmp_path: Path) -> None:
    # `run --corpus .` with the default `--out outputs`: the report must not become an
    # article on the next run (the records grew 1 -> 7 -> 33 before)
    (tmp_path / "a.txt").write_text("The Harbour Fund gets $5 million.\n", encoding="utf-8")
    out = tmp_path / "outputs"
    for _ in range(3):
        run(tmp_path, out, progress=False)
        with open(out / "records.csv", encoding="utf-8-sig", newline="") as f:
            assert [r["doc"] for r in csv.DictReader(f)] == ["a.txt"]
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as f:
        docs = {r["doc"]: r for r in csv.DictReader(f)}
    assert "--out" in docs["outputs/"]["reason"]


def test_an_earlier_runs_outputs_inside_the_corpus_are_not_articles(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The Harbour Fund gets $5 million.\n", encoding="utf-8")
    run(tmp_path, tmp_path / "old-out", progress=False)
    out = tmp_path / "new-out"
    run(tmp_path, out, progress=False)
    with open(out / "records.csv", encoding="utf-8-sig", newline="") as f:
        assert [r["doc"] for r in csv.DictReader(f)] == ["a.txt"]
