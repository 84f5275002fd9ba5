"""report.html: highlighted evidence, summary, failures; checked as HTML and in Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import rec

from extract.models import ERROR, EXTRACTED, NO_MONEY, UNSUPPORTED, DocResult
from extract.report import excerpts, render_report, write_report
from extract.store import Store

KO = "광주시는 국비 3조9497억원을 확보했다.\n인공지능 전략사업 예산 153억원이 반영됐다."
EN = (
    "Gwangju secured 3.9497 trillion won ($2.9 billion).\n"
    "It includes 61.7 billion won for the AI mobility pilot city <b>and</b> more."
)


def results() -> list[DocResult]:
    ko, en = "ko/광주 예산.txt", "en/<script>alert(1)</script>.txt"
    return [
        DocResult(
            ko,
            "0" * 64,
            1,
            1,
            EXTRACTED,
            lang="ko",
            fmt="txt",
            encoding="cp949",
            text=KO,
            records=[
                rec(ko, KO, "3조9497억원", 3949700000000, qualifier="approx"),
                rec(ko, KO, "153억원", 15300000000, project="인공지능 전략사업"),
            ],
        ),
        DocResult(
            en,
            "1" * 64,
            1,
            1,
            EXTRACTED,
            lang="en",
            fmt="txt",
            encoding="utf-8",
            text=EN,
            records=[
                rec(en, EN, "3.9497 trillion won", 3949700000000, lang="en"),
                rec(en, EN, "$2.9 billion", 2900000000, lang="en", currency="USD"),
                rec(en, EN, "61.7 billion won", 61700000000, lang="en", project="AI mobility"),
            ],
        ),
        DocResult("plain.txt", "2" * 64, 1, 1, NO_MONEY, lang="en", text="Nothing."),
        DocResult("scan.pdf", "", 1, 1, UNSUPPORTED, reason="unsupported format .pdf"),
        DocResult("bad.txt", "", 1, 1, ERROR, reason="cannot decode <bytes> & more"),
    ]


def marks(page: str, cls: str) -> list:
    return BeautifulSoup(page, "html.parser").select(f"mark.{cls}")


def test_amounts_and_projects_highlighted() -> None:
    page = render_report(results())
    money = marks(page, "money")
    shown = [m.contents[0].strip() for m in money]
    expected = ["3조9497억원", "153억원", "3.9497 trillion won", "$2.9 billion", "61.7 billion won"]
    assert sorted(shown) == sorted(expected)
    by_text = {m.contents[0].strip(): m for m in money}
    assert by_text["3조9497억원"]["data-amount"] == "3949700000000"
    assert by_text["$2.9 billion"]["data-currency"] == "USD"
    assert "approx" in by_text["3조9497억원"]["title"]
    assert "project: AI mobility" in by_text["61.7 billion won"]["title"]
    # colour by currency: KRW and USD differ, same currency same colour
    style = {t: m["style"] for t, m in by_text.items()}
    assert style["3조9497억원"] == style["61.7 billion won"] != style["$2.9 billion"]
    projects = [m.contents[0].strip() for m in marks(page, "project")]
    assert sorted(projects) == ["AI mobility", "인공지능 전략사업"]


def test_everything_is_escaped_and_self_contained() -> None:
    page = render_report(results())
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>and</b>" not in page and "&lt;b&gt;and&lt;/b&gt;" in page
    assert "cannot decode &lt;bytes&gt; &amp; more" in page
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", page)
    assert "@import" not in page and "<link" not in page


def test_summary_and_failures() -> None:
    soup = BeautifulSoup(render_report(results()), "html.parser")
    text = soup.get_text(" ")
    assert "Documents by status" in text
    assert "unsupported format .pdf" in text
    failed = soup.select_one("#failed").get_text(" ")
    assert "scan.pdf" in failed and "bad.txt" in failed and "plain.txt" not in failed
    assert "plain.txt" in soup.select_one("#no-money").get_text()
    lc = soup.find("h3", string="Records by language and currency").find_next("table")
    assert "ko KRW 2 0 3,965,000,000,000" in lc.get_text(" ")


def test_overlapping_records_do_not_garble_the_text() -> None:
    text = "총 3조9497억원 확보"
    doc = DocResult(
        "o.txt",
        "4" * 64,
        1,
        1,
        EXTRACTED,
        lang="ko",
        text=text,
        records=[
            rec("o.txt", text, "3조9497억원", 3949700000000),
            rec("o.txt", text, "9497억원", 1),
        ],
    )
    page = render_report([doc])
    assert len(marks(page, "money")) == 1
    assert page.count("9497억원") == 3  # highlighted once, plus the two rows of the table


def test_long_documents_show_only_paragraphs_with_money() -> None:
    filler = "\n".join(f"Paragraph {i} talks about the weather." for i in range(80))
    text = filler + "\nThe city got 5 billion won for parks.\n" + filler
    ranges = excerpts(text, [(text.index("5 billion won"), text.index(" for parks"))])
    assert len(ranges) == 1
    assert text[slice(*ranges[0])] == "The city got 5 billion won for parks."
    doc = DocResult(
        "long.txt",
        "3" * 64,
        1,
        1,
        EXTRACTED,
        lang="en",
        text=text,
        records=[rec("long.txt", text, "5 billion won", 5000000000, lang="en")],
    )
    page = render_report([doc])
    assert "Paragraph 3 talks" not in page
    assert "80 paragraph(s) without money omitted" in page
    assert len(marks(page, "money")) == 1


def test_one_huge_paragraph_is_cut_to_windows() -> None:
    text = "x " * 5000 + "3억원 " + "y " * 5000
    start = text.index("3억원")
    (lo, hi), *rest = excerpts(text, [(start, start + 3)])
    assert not rest and lo < start < hi and hi - lo < 1000


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


def _chromium_args(tmp_path: Path) -> list[str]:
    return [
        _chromium() or "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]


@pytest.mark.skipif(
    _chromium() is None,
    reason="no Chromium binary on PATH (apt-get install chromium): the report's browser check "
    "is skipped",
)
def test_report_in_headless_chromium(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    with Store(out / "extract.sqlite") as store:
        store.save(results())
        path = write_report(store, out)
    assert path == out / "report.html"
    dumped = subprocess.run(
        _chromium_args(tmp_path) + ["--dump-dom", path.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    soup = BeautifulSoup(dumped.stdout, "html.parser")
    money = soup.select("mark.money")
    assert {m["data-amount"] for m in money} == {
        "3949700000000",
        "15300000000",
        "2900000000",
        "61700000000",
    }
    assert "3조9497억원" in [m.contents[0].strip() for m in money]
    assert {m.select_one(".label").get_text() for m in money} == {"KRW", "USD"}
    assert soup.select("mark.project")
    assert soup.select_one("script") is None  # the browser saw no injected script element


def test_location_column_for_paged_sources() -> None:
    text = "(단위: 억원)\n| 구분 | 2025 정부안 |\n| 도로 | 120 |\n"
    loc = "p. 2, table 1, row '도로', col '2025 정부안'"
    pdf = DocResult(
        "budget.pdf", "3" * 64, 1, 1, EXTRACTED, lang="ko", fmt="pdf", encoding="binary",
        text=text, records=[rec("budget.pdf", text, "120", 12000000000, location=loc)],
    )  # fmt: skip
    soup = BeautifulSoup(render_report([pdf, *results()]), "html.parser")
    tables = soup.select("table.records")
    located = [t for t in tables if "location" in [th.get_text() for th in t.select("th")]]
    assert len(located) == 1  # plain-text documents keep their table without the column
    assert located[0].select_one("td.loc").get_text() == loc
