"""records.csv, documents.csv and records.xlsx, read back as a reviewer's tools would."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import rec
from openpyxl import load_workbook

from extract import export as export_mod
from extract.export import GOLD_COLUMNS, RECORD_COLUMNS, excel_number, export_all, text_width
from extract.fmt import display_amount, display_range, plain
from extract.models import (
    DUPLICATE,
    ERROR,
    EXTRACTED,
    NO_MONEY,
    UNSUPPORTED,
    DocResult,
    Record,
)
from extract.store import Store

KO = '광주 국비 3조9497억원 확보.\n인공지능 전략사업 예산 153억원, "기금" 1조 3,675억 원.'
EN = (
    "Gwangju won 3.9497 trillion won ($2.9 billion), "
    'with 61.7 billion won for the "AI, mobility" city.'
)


def sample(corpus: Path) -> list[DocResult]:
    ko, en = "ko/광주 예산.txt", "en/budget news.txt"
    files = {ko: KO, en: EN, "notes.txt": "No money here.", "copy.txt": "No money here."}
    for name, text in files.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\x00")

    def doc(name: str, status: str, **kw) -> DocResult:
        return DocResult(name, "0" * 64, 10, 1, status, fmt=kw.pop("fmt", "txt"), **kw)

    return [
        doc(
            ko,
            EXTRACTED,
            lang="ko",
            encoding="utf-8",
            text=KO,
            records=[
                rec(ko, KO, "3조9497억원", 3949700000000, qualifier="approx"),
                rec(ko, KO, "153억원", 15300000000, project="인공지능 전략사업"),
                rec(ko, KO, "1조 3,675억 원", 1367500000000, project="기금"),
            ],
        ),
        doc(
            en,
            EXTRACTED,
            lang="en",
            encoding="utf-8",
            text=EN,
            records=[
                rec(en, EN, "3.9497 trillion won", 3949700000000, lang="en"),
                rec(en, EN, "$2.9 billion", 2900000000, lang="en", currency="USD"),
                rec(
                    en,
                    EN,
                    "61.7 billion won",
                    61700000000,
                    lang="en",
                    project="AI, mobility city",
                    project_id="인공지능 전략사업",
                ),
            ],
        ),
        doc("notes.txt", NO_MONEY, lang="en", encoding="utf-8", text="No money here."),
        doc("copy.txt", DUPLICATE, reason="same content as notes.txt"),
        doc("scan.pdf", UNSUPPORTED, fmt="", reason="unsupported format .pdf"),
        doc("bad.txt", ERROR, reason="cannot decode: not UTF-8, UTF-16 or CP949"),
    ]


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    corpus.mkdir()
    results = sample(corpus)
    with Store(out / "extract.sqlite") as store:
        store.save(results)
        paths = export_all(store, out, corpus)
    return corpus, out, paths


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_records_csv(exported) -> None:
    corpus, out, paths = exported
    assert [p.name for p in paths] == ["records.csv", "documents.csv", "records.xlsx"]
    raw = (out / "records.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    assert b"\r\n" in raw  # RFC 4180 line ends
    header = raw[3:].split(b"\r\n")[0].decode()
    assert header.split(",") == RECORD_COLUMNS
    assert RECORD_COLUMNS[:7] == GOLD_COLUMNS
    rows = read_csv(out / "records.csv")
    assert [r["amount"] for r in rows] == [
        "3949700000000",
        "2900000000",
        "61700000000",
        "3949700000000",
        "15300000000",
        "1367500000000",
    ]
    en_project = rows[2]
    assert en_project["project"] == "AI, mobility city"  # a comma survives quoting
    assert en_project["sentence"] == EN  # so do the quotes
    assert rows[3]["text"] == "3조9497억원" and rows[3]["qualifier"] == "approx"
    assert rows[3]["amount_display"] == "3조 9,497억 원"
    assert rows[0]["amount_display"] == "3.95 trillion won"
    assert rows[1]["amount_display"] == "$2.9 billion"
    assert rows[4]["start"] == str(KO.index("153억원"))
    assert rows[4]["source"] == (corpus / "ko/광주 예산.txt").resolve().as_uri()
    assert rows[4]["vague"] == ""


def test_documents_csv(exported) -> None:
    _, out, _ = exported
    rows = {r["doc"]: r for r in read_csv(out / "documents.csv")}
    assert list(read_csv(out / "documents.csv")[0])[:9] == [
        "doc",
        "status",
        "reason",
        "lang",
        "format",
        "encoding",
        "size",
        "records",
        "sha256",
    ]
    assert rows["ko/광주 예산.txt"]["status"] == "extracted"
    assert rows["ko/광주 예산.txt"]["records"] == "3"
    assert rows["notes.txt"]["status"] == "no_money" and rows["notes.txt"]["records"] == "0"
    assert rows["copy.txt"]["status"] == "duplicate"
    assert rows["copy.txt"]["reason"] == "same content as notes.txt"
    assert rows["scan.pdf"]["status"] == "unsupported"
    assert rows["bad.txt"]["status"] == "error"
    assert rows["bad.txt"]["reason"].startswith("cannot decode")


def test_records_xlsx(exported) -> None:
    corpus, out, _ = exported
    wb = load_workbook(out / "records.xlsx")
    assert wb.sheetnames == ["records", "documents", "projects"]
    ws = wb["records"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:S{ws.max_row}"
    assert [c.value for c in ws[1]] == RECORD_COLUMNS
    assert ws["A1"].font.b
    col = {name: i for i, name in enumerate(RECORD_COLUMNS)}
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 6
    ko = rows[3]
    assert ko[col["text"]].value == "3조9497억원"
    assert ko[col["amount"]].value == 3949700000000
    assert isinstance(ko[col["amount"]].value, int)
    assert ko[col["amount"]].number_format == "#,##0"
    assert ko[col["amount_max"]].value is None
    assert ko[col["amount_display"]].value == "3조 9,497억 원"
    assert ko[col["sentence"]].value == KO
    assert ko[col["sentence"]].alignment.wrap_text
    assert ko[col["vague"]].value is False
    link = ko[col["source"]].hyperlink
    assert link is not None
    assert link.target == (corpus / "ko/광주 예산.txt").resolve().as_uri()
    assert rows[1][col["currency"]].value == "USD"
    # Korean (double-width) columns are sized wider than their character count.
    assert ws.column_dimensions["B"].width >= text_width("1조 3,675억 원")

    docs = wb["documents"]
    assert docs.freeze_panes == "A2" and docs.auto_filter.ref
    statuses = {r[0].value: r[1].value for r in docs.iter_rows(min_row=2)}
    assert statuses == {
        "bad.txt": "error",
        "copy.txt": "duplicate",
        "en/budget news.txt": "extracted",
        "ko/광주 예산.txt": "extracted",
        "notes.txt": "no_money",
        "scan.pdf": "unsupported",
    }

    projects = wb["projects"]
    header = [c.value for c in projects[1]]
    table = [dict(zip(header, [c.value for c in r], strict=True)) for r in projects.iter_rows(2)]
    shared = next(t for t in table if t["project"] == "인공지능 전략사업")
    # A Korean name and an English one with the same project_id are summed together.
    assert shared["total"] == 15300000000 + 61700000000
    assert shared["mentions"] == 2 and shared["documents"] == 2
    assert shared["languages"] == "en, ko"
    assert "AI, mobility city" in shared["written_as"]
    assert table[-1]["project"] == "(no project)"
    assert {t["project"] for t in table} == {"인공지능 전략사업", "기금", "(no project)"}


def test_excel_numbers_stay_exact() -> None:
    assert excel_number(Decimal("3949700000000")) == 3949700000000
    assert excel_number(Decimal("1.5E+12")) == 1500000000000
    assert excel_number(Decimal("0.5")) == 0.5
    assert excel_number(None) is None
    big = Decimal("1234567890123456789")  # 19 digits: a double would round it
    assert excel_number(big) == "1234567890123456789"


def test_big_amount_is_text_in_xlsx(tmp_path: Path) -> None:
    records = [
        export_mod.record_row(
            Record("a.txt", "en", "s", 0, 1, "x", Decimal(10**18 + 1), None, "KRW", "", False),
            "en",
            "file:///a.txt",
        )
    ]
    export_mod.write_xlsx(tmp_path / "r.xlsx", records, [], [])
    cell = load_workbook(tmp_path / "r.xlsx")["records"]["C2"]
    assert cell.value == "1000000000000000001"
    assert cell.comment is not None


def test_failed_write_keeps_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text("previous", encoding="utf-8")

    def rows():
        yield {c: "x" for c in GOLD_COLUMNS}
        raise OSError("disk full")

    with pytest.raises(OSError):
        export_mod.write_csv(path, GOLD_COLUMNS, rows())
    assert path.read_text(encoding="utf-8") == "previous"
    assert os.listdir(tmp_path) == ["records.csv"]  # no temp file left behind


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        (3949700000000, "KRW", "ko", "3조 9,497억 원"),
        (38740000000, "KRW", "ko", "387억 4,000만 원"),
        (500000, "KRW", "ko", "50만 원"),
        (1100000000, "USD", "ko", "11억 달러"),
        (3949700000000, "KRW", "en", "3.95 trillion won"),
        (563900000000, "KRW", "en", "563.9 billion won"),
        (1100000000, "USD", "en", "$1.1 billion"),
        (30000000, "EUR", "en", "€30 million"),
        (2500, "USD", "en", "$2,500"),
        (100, "CHF", "en", "CHF 100"),
        (Decimal("0.5"), "KRW", "en", "0.5 won"),
        (None, "KRW", "ko", ""),
    ],
)
def test_display_amount(amount, currency: str, lang: str, expected: str) -> None:
    assert display_amount(amount, currency, lang) == expected


def test_display_range_and_plain() -> None:
    assert display_range(Decimal(3 * 10**9), Decimal(5 * 10**9), "KRW", "ko") == "30억 원 – 50억 원"
    assert display_range(None, None, "KRW", "ko") == ""
    assert plain(Decimal("1.5E+12")) == "1500000000000"
    assert plain(Decimal("2.50")) == "2.5"
    assert plain(Decimal("100.0")) == "100"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    _soffice() is None,
    reason="LibreOffice (soffice/libreoffice) is not on PATH: install libreoffice-calc-nogui "
    "to run the LibreOffice round-trip of records.xlsx",
)
def test_libreoffice_reads_korean_xlsx(exported, tmp_path: Path) -> None:
    _, out, _ = exported
    conv = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    # 44,34,76: comma separated, double quotes, UTF-8.
    result = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(conv),
            str(out / "records.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    text = (conv / "records.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == RECORD_COLUMNS
    ko = rows[4]
    assert ko[1] == "3조9497억원"
    assert ko[2].replace(",", "") == "3949700000000"  # a real number, shown with separators
    assert ko[RECORD_COLUMNS.index("amount_display")] == "3조 9,497억 원"
