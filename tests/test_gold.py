"""A reviewed records sheet becomes a labeled set (shared/LABELED_SET.md format)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import rec
from openpyxl import load_workbook

from extract.export import GOLD_COLUMNS, RECORD_COLUMNS, export_all
from extract.gold import GoldSheetError, parse_amount, sheet_to_labeled_set
from extract.models import DUPLICATE, EXTRACTED, NO_MONEY, UNSUPPORTED, DocResult
from extract.store import Store

KO = "인공지능 전략사업 예산 153억원과 수백억원대 사업, 도시철도 11억원."
EN = "It gets 61.7 billion won for the AI city and $2.5 million more."


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, Path]:
    """A corpus and the outputs of a run over it, as a reviewer finds them."""
    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    ko, en = "국내/광주 예산.txt", "en news.txt"
    for name, text in {ko: KO, en: EN, "quiet.txt": "No money.", "dup.txt": "No money."}.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "scan.pdf").write_bytes(b"%PDF")
    results = [
        DocResult(
            ko,
            "0" * 64,
            1,
            1,
            EXTRACTED,
            lang="ko",
            records=[
                rec(ko, KO, "153억원", 15300000000, project="인공지능 전략사업 예산"),
                rec(ko, KO, "수백억원", None, vague=True),
                rec(ko, KO, "11억원", 1100000000, amount_max=Decimal(1500000000)),
            ],
        ),
        DocResult(
            en,
            "1" * 64,
            1,
            1,
            EXTRACTED,
            lang="en",
            records=[
                rec(en, EN, "61.7 billion won", 61700000000, lang="en", project="the AI"),
                rec(en, EN, "$2.5 million", 2500000, lang="en", currency="USD", qualifier="min"),
            ],
        ),
        DocResult("quiet.txt", "2" * 64, 1, 1, NO_MONEY, lang="en"),
        DocResult("dup.txt", "2" * 64, 1, 1, DUPLICATE, reason="same content as quiet.txt"),
        DocResult("scan.pdf", "", 1, 1, UNSUPPORTED, reason="unsupported format .pdf"),
    ]
    with Store(out / "extract.sqlite") as store:
        store.save(results)
        export_all(store, out, corpus)
    return corpus, out


def read_gold(set_dir: Path) -> list[dict[str, str]]:
    raw = (set_dir / "gold.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with open(set_dir / "gold.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == GOLD_COLUMNS
        return list(reader)


def test_reviewed_xlsx_becomes_labeled_set(reviewed, tmp_path: Path) -> None:
    corpus, out = reviewed
    sheet = out / "records.xlsx"
    wb = load_workbook(sheet)
    ws = wb["records"]
    col = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, col["text"]).value: r for r in range(2, ws.max_row + 1)}
    # fix a project, delete a false positive, add a missed amount (typed as text with commas)
    ws.cell(rows["61.7 billion won"], col["project"]).value = "AI city"
    ws.delete_rows(rows["$2.5 million"])
    added = ["en news.txt", "$2.5 million more", "2,500,000", None, "usd", None, "approx"]
    ws.append(added + [None] * (len(RECORD_COLUMNS) - len(added)))
    wb.save(sheet)

    set_dir = tmp_path / "set"
    count = sheet_to_labeled_set(sheet, set_dir, corpus)
    gold = read_gold(set_dir)
    assert count == len(gold) == 4  # the vague 수백억원 gets no gold row
    assert gold == [
        {
            "doc": "en news.txt",
            "text": "61.7 billion won",
            "amount": "61700000000",
            "amount_max": "",
            "currency": "KRW",
            "project": "AI city",
            "qualifier": "",
        },
        {
            "doc": "국내/광주 예산.txt",
            "text": "153억원",
            "amount": "15300000000",
            "amount_max": "",
            "currency": "KRW",
            "project": "인공지능 전략사업 예산",
            "qualifier": "",
        },
        {
            "doc": "국내/광주 예산.txt",
            "text": "11억원",
            "amount": "1100000000",
            "amount_max": "1500000000",
            "currency": "KRW",
            "project": "",
            "qualifier": "",
        },
        {
            "doc": "en news.txt",
            "text": "$2.5 million more",
            "amount": "2500000",
            "amount_max": "",
            "currency": "USD",
            "project": "",
            "qualifier": "approx",
        },
    ]
    files = (set_dir / "corpus").rglob("*")
    copied = sorted(p.relative_to(set_dir / "corpus").as_posix() for p in files if p.is_file())
    # the no-money article is part of the set; the duplicate and the PDF are not
    assert copied == ["en news.txt", "quiet.txt", "국내/광주 예산.txt"]
    assert (set_dir / "corpus/국내/광주 예산.txt").read_text(encoding="utf-8") == KO

    # Running it again over the same folder (a second review pass) works.
    assert sheet_to_labeled_set(sheet, set_dir, corpus) == 4


def test_reviewed_csv_becomes_labeled_set(reviewed, tmp_path: Path) -> None:
    corpus, out = reviewed
    count = sheet_to_labeled_set(out / "records.csv", tmp_path / "set", corpus)
    gold = read_gold(tmp_path / "set")
    assert count == 4
    assert [g["amount"] for g in gold] == ["61700000000", "2500000", "15300000000", "1100000000"]
    assert (tmp_path / "set/corpus/quiet.txt").exists()  # from documents.csv beside it


def _edit(sheet: Path, row: int, **values: object) -> None:
    wb = load_workbook(sheet)
    ws = wb["records"]
    col = {c.value: c.column for c in ws[1]}
    for name, value in values.items():
        ws.cell(row, col[name]).value = value
    wb.save(sheet)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"doc": None}, "records.xlsx row 3: missing doc"),
        ({"amount": "12억"}, "records.xlsx row 3: amount '12억' is not an amount in digits"),
        ({"amount": -2.5}, "records.xlsx row 3: amount -2.5 is not a non-negative amount"),
        ({"doc": "gone.txt"}, "records.xlsx row 3: doc 'gone.txt' is not a file in"),
        ({"doc": "../outputs/records.csv"}, "row 3: doc '../outputs/records.csv' must be a path"),
        ({"currency": "원"}, "row 3: currency '원' is not an ISO 4217 code"),
        ({"qualifier": "roughly"}, "row 3: qualifier 'roughly' is not one of"),
        ({"amount": None, "vague": False}, "row 3: missing amount"),
        ({"amount_max": 5}, "row 3: amount_max 5 < amount"),
    ],
)
def test_bad_rows_are_named(reviewed, tmp_path: Path, values: dict, message: str) -> None:
    corpus, out = reviewed
    _edit(out / "records.xlsx", 3, **values)
    with pytest.raises(GoldSheetError) as err:
        sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", corpus)
    assert message in str(err.value)
    assert not (tmp_path / "set" / "gold.csv").exists()


def test_missing_columns_and_stray_files(reviewed, tmp_path: Path) -> None:
    corpus, out = reviewed
    bad = tmp_path / "bad.csv"
    bad.write_text("doc,text\na.txt,3억원\n", encoding="utf-8")
    with pytest.raises(GoldSheetError, match="no column amount, currency"):
        sheet_to_labeled_set(bad, tmp_path / "set", corpus)
    stray = tmp_path / "set2" / "corpus" / "old article.txt"
    stray.parent.mkdir(parents=True)
    stray.write_text("old", encoding="utf-8")
    with pytest.raises(GoldSheetError, match="old article.txt"):
        sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set2", corpus)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (3949700000000, Decimal("3949700000000")),
        (3949700000000.0, Decimal("3949700000000")),
        ("3949700000000", Decimal("3949700000000")),
        ("3,949,700,000,000", Decimal("3949700000000")),
        (" 500 ", Decimal(500)),
        ("12.0", Decimal(12)),
        (Decimal("1.5E+12"), Decimal("1500000000000")),
        (None, None),
        ("", None),
        # sub-unit values, as LABELED_SET.md and the exports write them ($5.50, $7.31)
        (5.5, Decimal("5.5")),
        (7.31, Decimal("7.31")),
        ("7.31", Decimal("7.31")),
        ("123,456,789,012,345.67", Decimal("123456789012345.67")),
    ],
)
def test_parse_amount(cell: object, expected: Decimal | None) -> None:
    assert parse_amount(cell) == expected


@pytest.mark.parametrize(
    "cell",
    ["1e12", "-5", -5, -2.5, "3억", True, "12 000 원", float("nan"), 1234567890123.4567],
)
def test_parse_amount_rejects(cell: object) -> None:
    with pytest.raises(ValueError):
        parse_amount(cell)


def test_sub_unit_amounts_round_trip(tmp_path: Path) -> None:
    """The pipeline's own `$5.50` comes back from its workbook (it was refused as not
    whole, so a reviewed corpus with any cents amount could not be imported)."""
    from extract.pipeline import run

    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    corpus.mkdir()
    (corpus / "coffee.txt").write_text(
        "A cup of coffee now costs $5.50 in the city centre, and the city set aside $2 million "
        "for new benches.",
        encoding="utf-8",
    )
    summary = run(corpus, out, jobs=1, progress=False)
    assert not [n for n in summary.notes if "not imported" in n]
    assert sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", corpus) == 2
    gold = (tmp_path / "set" / "gold.csv").read_text(encoding="utf-8")
    assert ",5.5," in gold and ",2000000," in gold


def _run_read(out: Path, corpus: Path) -> None:
    """What `run` records: the corpus folder it read, in the store beside the sheet."""
    with Store(out / "extract.sqlite") as store:
        store.set_meta("corpus", str(corpus.resolve()))


def test_a_doc_missing_from_the_corpus_names_the_folder_to_pass(reviewed, tmp_path: Path) -> None:
    # tester20 E6: `gold` without --corpus on a run over another folder says what to do
    corpus, out = reviewed
    other = tmp_path / "corpora-elsewhere"
    other.mkdir()
    with pytest.raises(GoldSheetError) as err:
        sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", other)
    assert "is not a file in" in str(err.value)
    assert "pass the folder the run read, --corpus DIR" in str(err.value)
    _run_read(out, corpus)
    with pytest.raises(GoldSheetError) as err:
        sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", other)
    assert f"the run that wrote records.xlsx read {corpus.resolve()}" in str(err.value)
    assert str(err.value).endswith(f"pass --corpus {corpus.resolve()}")
    # a backup in review-backups/ finds the store one folder up
    backup = out / "review-backups" / "records-1.xlsx"
    backup.parent.mkdir()
    backup.write_bytes((out / "records.xlsx").read_bytes())
    with pytest.raises(GoldSheetError, match="pass --corpus"):
        sheet_to_labeled_set(backup, tmp_path / "set", other)
    assert sheet_to_labeled_set(backup, tmp_path / "set", corpus) == 4


def test_a_missing_default_corpus_says_to_pass_one(reviewed, tmp_path: Path, monkeypatch) -> None:
    corpus, out = reviewed
    monkeypatch.chdir(tmp_path / "outputs")
    with pytest.raises(GoldSheetError, match="pass the folder the run read, --corpus DIR"):
        sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", Path("corpora"))
    _run_read(out, corpus)
    with pytest.raises(GoldSheetError, match=f"--corpus {corpus.resolve()}$"):
        sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", Path("corpora"))


def test_a_row_left_with_only_a_link_is_no_row(reviewed, tmp_path: Path) -> None:
    # tester20 E5: deleting a row in a spreadsheet program can leave its `source` link behind
    corpus, out = reviewed
    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    col = {c.value: c.column for c in ws[1]}
    ws.cell(ws.max_row + 1, col["source"]).value = "..\\corpora\\en news.txt"
    wb.save(out / "records.xlsx")
    assert sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", corpus) == 4


def test_an_empty_currency_is_named_as_missing(reviewed, tmp_path: Path) -> None:
    corpus, out = reviewed
    _edit(out / "records.xlsx", 3, currency=None)
    with pytest.raises(GoldSheetError, match=r"row 3: missing currency \(an ISO 4217 code"):
        sheet_to_labeled_set(out / "records.xlsx", tmp_path / "set", corpus)
