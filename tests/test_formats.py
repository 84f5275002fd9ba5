"""HWP, HWPX, PDF and DOCX ingest (extract/formats).

Unit tests read small documents made here (python-docx writes a .docx, an
HWPX is zipped from section XML written here, python-hwpx saves an .hwp, a PDF
is written by hand). The tests over the twenty real documents read them from
../shared/formats (or $EXTRACT_SHARED/formats) and skip with a message where
the folder is absent: the files stay out of the repository.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import zipfile
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest

from extract import formats
from extract.evaluate import evaluate_set
from extract.formats.layout import Cell, TextBuilder
from extract.ingest import ingest
from extract.models import ERROR, SourceFile
from extract.pipeline import run

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXTRACT_SHARED", ROOT.parent / "shared")) / "formats"
GOLD = ROOT / "tests" / "formats" / "gold.csv"

# The files of ../shared/formats that are refused, and why (everything else is read).
REFUSED = {"gangnam_bid_notice_distribution.hwp": "distribution-locked HWP (배포용)"}
# The same document in an editable format and as the PDF Hancom exported from it.
TWINS = [
    ("moef_fiscal_stats_2010-01.hwp", "moef_fiscal_stats_2010-01_hancom.pdf"),
    ("moef_fdi_2025q2_press.hwpx", "moef_fdi_2025q2_press_hancom.pdf"),
    ("moel_work_report_2025.hwpx", "moel_work_report_2025_hancom.pdf"),
]
# Mention F1 measured on the four-document labeled set (README "Formats"): 0.955
# after arrow change pairs (`3,800→5,400만원`); most misses left are bare `5400만`
# pairs on lines without any 원 amount, which the grammar leaves unread on purpose.
F1_FLOOR = 0.95


def _ingest(tmp_path: Path, name: str, raw: bytes, max_bytes: int = 20 * 1024 * 1024):
    path = tmp_path / name
    path.write_bytes(raw)
    st = path.stat()
    return ingest(SourceFile(name, str(path), st.st_size, st.st_mtime_ns), max_bytes)


# --------------------------------------------------------------------- layout


def test_table_rows_keep_columns_and_write_merged_cells_once() -> None:
    b = TextBuilder()
    b.paragraph("예산 현황\x07", "section 1, para 1")
    b.paragraph("(단위: 억원)", "section 1, para 2")
    cells = [
        Cell(0, 0, "구분", rowspan=2),
        Cell(0, 1, "2025년", colspan=2),
        Cell(1, 1, "예산"),
        Cell(1, 2, "정부안"),
        Cell(2, 0, "도로"),
        Cell(2, 1, "1,200"),
        Cell(2, 2, "△12"),
    ]
    b.table(cells, "section 1, table 1")
    text = b.text()
    assert text.splitlines() == [
        "예산 현황",
        "(단위: 억원)",
        "| 구분 | 2025년 예산 | 2025년 정부안 |",
        "| 도로 | 1,200 | △12 |",
        "",
    ]
    at = text.index("△12")
    labels = dict(b.locations)
    assert labels[at] == "section 1, table 1, row '도로', col '2025년 정부안'"
    assert labels[text.index("1,200")] == "section 1, table 1, row '도로', col '2025년 예산'"


@pytest.mark.parametrize(
    "rows",
    [
        [("Program", "2026", "2027"), ("Rural Roads Fund", "$120 million", "$135 million"),
         ("Island Ferry Subsidy", "$8 million", "$9 million")],
        [("사업명", "2026년", "2027년"), ("농어민 공익수당", "1,200억원", "1,350억원"),
         ("청년 월세 지원", "85억원", "90억원")],
    ],
)  # fmt: skip
def test_cells_with_their_own_unit_are_data_rows(rows: list[tuple[str, ...]]) -> None:
    """Only the year row is a header: a row whose cells carry their unit was merged into
    the header line (`| Program Rural Roads Fund ... | 2026 $120 million ...`), and
    `2026 $120 million` was read as $2026."""
    b = TextBuilder()
    cells = [Cell(i, j, v) for i, row in enumerate(rows) for j, v in enumerate(row)]
    b.table(cells, "table 1")
    lines = b.text().splitlines()
    assert lines[0] == "| " + " | ".join(rows[0]) + " |"
    assert lines[1] == "| " + " | ".join(rows[1]) + " |"


def test_control_characters_and_pipes_in_cells_are_cleaned() -> None:
    b = TextBuilder()
    b.table([Cell(0, 0, "a|b\x0bc"), Cell(0, 1, "1\x00")], "table 1")
    assert b.text().splitlines()[0] == "| a/b c | 1 |"


# ----------------------------------------------------------------------- DOCX


def _docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "머리말 - 1 -"
    d.add_paragraph("시는 내년 도로 예산을 늘린다.")
    d.add_paragraph("(단위: 억원)")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).text = "구분"
    t.cell(0, 1).text = "2024 예산"
    t.cell(0, 2).text = "2025 정부안"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "도로"
    t.cell(1, 1).text = "1,200"
    t.cell(1, 2).text = "1,300"
    t.cell(2, 1).text = "△40"
    t.cell(2, 2).text = "-"
    d.add_paragraph("총 사업비는 3조원이다.")
    out = BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_reads_tables_in_order_once_and_no_header(tmp_path: Path) -> None:
    result = _ingest(tmp_path, "a.docx", _docx_bytes())
    doc = result.document
    assert result.status == "ok" and doc is not None and doc.fmt == "docx"
    assert "머리말" not in doc.text
    lines = doc.text.splitlines()
    assert lines[:2] == ["시는 내년 도로 예산을 늘린다.", "(단위: 억원)"]
    assert "| 도로 | 1,200 | 1,300 |" in lines
    assert "|  | △40 | - |" in lines  # the merged label once, its place kept
    assert lines[-1] == "총 사업비는 3조원이다."
    assert doc.location_at(doc.text.index("1,300")) == ("table 1, row '도로', col '2025 정부안'")
    assert doc.location_at(doc.text.index("3조원")) == "para 3"  # the 3rd body paragraph
    assert doc.sha256 == hashlib.sha256((tmp_path / "a.docx").read_bytes()).hexdigest()


def test_docx_amounts_through_the_pipeline(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.docx").write_bytes(_docx_bytes())
    run(corpus, tmp_path / "out", progress=False)
    with open(tmp_path / "out" / "records.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    got = sorted((r["text"], r["amount"], r["location"]) for r in rows)
    assert got == [
        ("1,200", "120000000000", "table 1, row '도로', col '2024 예산'"),
        ("1,300", "130000000000", "table 1, row '도로', col '2025 정부안'"),
        ("3조원", "3000000000000", "para 3"),
        ("△40", "4000000000", "table 1, row '도로', col '2024 예산'"),
    ]


# ----------------------------------------------------------------------- HWPX

_NS = (
    'xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" '
    'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph"'
)


def _p(*runs: str) -> str:
    return "<hp:p>" + "".join(f"<hp:run>{r}</hp:run>" for r in runs) + "</hp:p>"


def _tc(row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> str:
    return (
        f"<hp:tc><hp:subList>{_p(f'<hp:t>{text}</hp:t>')}</hp:subList>"
        f'<hp:cellAddr colAddr="{col}" rowAddr="{row}"/>'
        f'<hp:cellSpan colSpan="{colspan}" rowSpan="{rowspan}"/></hp:tc>'
    )


def _hwpx_bytes(section: str) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/hwp+zip")
        z.writestr("Contents/section0.xml", section)
    return out.getvalue()


def _section() -> str:
    header = (
        "<hp:ctrl><hp:header><hp:subList>"
        + _p("<hp:t>머리말</hp:t>")
        + "</hp:subList></hp:header></hp:ctrl>"
    )
    page = '<hp:ctrl><hp:pageNum pos="BOTTOM_CENTER"/></hp:ctrl>'
    box = (
        "<hp:rect><hp:drawText><hp:subList>"
        + _p("<hp:t>상자 안 50억원</hp:t>")
        + "</hp:subList></hp:drawText></hp:rect>"
    )
    table = (
        '<hp:tbl rowCnt="3" colCnt="2"><hp:caption><hp:subList>'
        + _p("<hp:t>(단위: 억원)</hp:t>")
        + "</hp:subList></hp:caption>"
        + "<hp:tr>" + _tc(0, 0, "구분") + _tc(0, 1, "2025 정부안") + "</hp:tr>"
        + "<hp:tr>" + _tc(1, 0, "합계") + _tc(1, 1, "320") + "</hp:tr>"
        + "<hp:tr>" + _tc(2, 0, "증감") + _tc(2, 1, "△12") + "</hp:tr>"
        + "</hp:tbl>"
    )  # fmt: skip
    return (
        f"<hs:sec {_NS}>"
        + _p(header + page + "<hp:t>제목<hp:tab/>보도자료</hp:t>")
        + _p("<hp:t>예산은<hp:lineBreak/>늘었다.\u200b</hp:t>", box)
        + _p(table)
        + "</hs:sec>"
    )


def test_hwpx_paragraphs_boxes_captions_tables(tmp_path: Path) -> None:
    result = _ingest(tmp_path, "a.hwpx", _hwpx_bytes(_section()))
    doc = result.document
    assert result.status == "ok" and doc is not None and doc.fmt == "hwpx"
    assert doc.text.splitlines() == [
        "제목\t보도자료",
        "예산은 늘었다.",
        "상자 안 50억원",
        "",
        "(단위: 억원)",
        "| 구분 | 2025 정부안 |",
        "| 합계 | 320 |",
        "| 증감 | △12 |",
        "",
    ]
    assert doc.location_at(doc.text.index("상자")) == "section 1, para 2"
    assert doc.location_at(doc.text.index("△12")) == (
        "section 1, table 1, row '증감', col '2025 정부안'"
    )


def test_hwpx_damaged_and_hostile(tmp_path: Path) -> None:
    assert _ingest(tmp_path, "a.hwpx", b"PK\x03\x04 not a zip").reason.startswith("not an HWPX")
    bad = _ingest(tmp_path, "b.hwpx", _hwpx_bytes("<hs:sec><unclosed>"))
    assert bad.status == ERROR and "damaged section 1 XML" in bad.reason
    bomb = "<!DOCTYPE x [<!ENTITY a 'AAAA'>]>" + f"<hs:sec {_NS}>" + _p("<hp:t>&a;</hp:t>")
    safe = _ingest(tmp_path, "c.hwpx", _hwpx_bytes(bomb + "</hs:sec>"))
    assert safe.document is None or "AAAA" not in safe.document.text  # entities not expanded


# ------------------------------------------------------------------------ HWP


def test_hwp_written_by_python_hwpx_reads_back(tmp_path: Path) -> None:
    from hwpx import HwpxDocument

    doc = HwpxDocument.new()
    doc.add_paragraph("국비 153억원을 확보했다.")
    path = tmp_path / "a.hwp"
    doc.save_to_path(str(path))
    result = _ingest(tmp_path, "a.hwp", path.read_bytes())
    assert result.status == "ok" and result.document is not None
    assert "국비 153억원을 확보했다." in result.document.text
    assert result.document.fmt == "hwp"


def test_hwp_that_is_not_ole_is_an_error(tmp_path: Path) -> None:
    result = _ingest(tmp_path, "a.hwp", b"HWP Document File V3.00 \x1a\x01\x02")
    assert result.status == ERROR and "not an HWP 5.0 file" in result.reason


# ------------------------------------------------------------------------ PDF


def _pdf(pages: list[str]) -> bytes:
    """A PDF with one content stream per page (Helvetica), offsets computed."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for content in pages:
        n = len(objs) + 1
        kids.append(f"{n} 0 R")
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {n + 1} 0 R "
            "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"  # noqa: E501
        )
        data = content.encode("latin-1")
        objs.append(f"<< /Length {len(data)} >>\nstream\n{content}\nendstream")
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
    out = BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _text(x: int, y: int, s: str) -> str:
    return f"BT /F1 11 Tf {x} {y} Td ({s}) Tj ET\n"


def _ruled_table() -> str:
    # 3 rows x 2 columns of ruled cells between y=500 and y=440, x=72..372
    lines = "".join(f"72 {y} m 372 {y} l S\n" for y in (500, 480, 460, 440))
    lines += "".join(f"{x} 500 m {x} 440 l S\n" for x in (72, 222, 372))
    cells = _text(80, 486, "Item") + _text(230, 486, "2025 budget")
    cells += _text(80, 466, "Roads") + _text(230, 466, "1,200")
    cells += _text(80, 446, "Rail") + _text(230, 446, "800")
    return lines + cells


def test_pdf_pages_tables_and_running_furniture(tmp_path: Path) -> None:
    pages = []
    for n in (1, 2, 3):
        body = _text(72, 760, "City Report") + _text(300, 30, f"- {n} -")
        body += _text(72, 700, f"Page {n} says the city spends $5 million on parks.")
        if n == 2:
            body += _text(72, 520, "(in million won)") + _ruled_table()
        pages.append(body)
    result = _ingest(tmp_path, "a.pdf", _pdf(pages))
    doc = result.document
    assert result.status == "ok" and doc is not None and doc.fmt == "pdf"
    assert "City Report" not in doc.text and "- 2 -" not in doc.text
    assert "| Roads | 1,200 |" in doc.text
    assert doc.text.index("(in million won)") < doc.text.index("| Item | 2025 budget |")
    assert doc.location_at(doc.text.index("Page 3")) == "p. 3"
    assert doc.location_at(doc.text.index("1,200")).startswith("p. 2, table 1, row 'Roads'")


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    result = _ingest(tmp_path, "scan.pdf", _pdf(["0 0 m 100 100 l S\n"]))
    assert result.status == ERROR
    assert result.reason == "PDF has no text layer: scanned? (OCR is out of scope)"


def test_damaged_pdf_and_size_limit(tmp_path: Path) -> None:
    assert "damaged PDF" in _ingest(tmp_path, "a.pdf", b"%PDF-1.4\n garbage").reason
    big = _ingest(tmp_path, "b.pdf", _pdf([_text(72, 700, "x")]), max_bytes=100)
    assert big.status == ERROR and big.reason.startswith("file too large")


# ----------------------------------------------- the twenty real documents


def _shared() -> Path:
    if not (SHARED / "MANIFEST.md").is_file():
        pytest.skip(f"real documents not found at {SHARED} (../shared/formats beside the repo)")
    return SHARED


@pytest.fixture(scope="module")
def shared_run(tmp_path_factory) -> tuple[dict[str, dict], list[dict]]:
    folder = _shared()
    tmp = tmp_path_factory.mktemp("formats")
    corpus = tmp / "corpus"
    corpus.mkdir()
    for f in folder.iterdir():
        if f.suffix.lower() in formats.EXTENSIONS:
            shutil.copyfile(f, corpus / f.name)
    run(corpus, tmp / "out", progress=False)
    with open(tmp / "out" / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        docs = {r["doc"]: r for r in csv.DictReader(fh)}
    with open(tmp / "out" / "records.csv", encoding="utf-8-sig", newline="") as fh:
        records = list(csv.DictReader(fh))
    return docs, records


def test_every_shared_document_is_read_or_refused_with_its_reason(shared_run) -> None:
    docs, records = shared_run
    assert len(docs) == 20
    for name, row in docs.items():
        if name in REFUSED:
            assert row["status"] == ERROR and REFUSED[name] in row["reason"], name
        else:
            assert row["status"] in ("extracted", "no_money"), (name, row["reason"])
            assert row["format"] == formats.EXTENSIONS[Path(name).suffix.lower()]
    located = [r for r in records if r["location"]]
    assert len(located) == len(records) > 900  # every record points back into its file
    assert any("col '" in r["location"] for r in records)


def test_twin_files_give_the_same_amounts(shared_run) -> None:
    _, records = shared_run
    for editable, pdf in TWINS:
        a = Counter((r["amount"], r["currency"]) for r in records if r["doc"] == editable)
        b = Counter((r["amount"], r["currency"]) for r in records if r["doc"] == pdf)
        assert a and a == b, (editable, pdf, a - b, b - a)


def test_labeled_formats_set(tmp_path: Path) -> None:
    folder = _shared()
    with open(GOLD, encoding="utf-8", newline="") as fh:
        docs = {r["doc"] for r in csv.DictReader(fh)}
    (tmp_path / "corpus").mkdir()
    for d in docs:
        shutil.copyfile(folder / d, tmp_path / "corpus" / d)
    shutil.copyfile(GOLD, tmp_path / "gold.csv")
    report = evaluate_set(tmp_path)
    assert report.metrics["mention_f1"] >= F1_FLOOR, report.metrics
    assert report.metrics["mention_precision"] >= 0.97, report.metrics


def test_pdf_digit_groups_cut_at_a_kerning_gap_are_mended() -> None:
    from extract.formats.pdf import _mend_groups

    assert _mend_groups("△12,03 6") == "△12,036"
    assert _mend_groups("1,200 1,300") == "1,200 1,300"  # two numbers stay two
    assert _mend_groups("19,124 35") == "19,124 35"
