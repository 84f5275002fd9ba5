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


def test_a_bidi_override_in_the_text_is_shown_not_obeyed() -> None:
    # an unclosed U+202E would draw the rest of the paragraph reversed (tester16)
    text = "예산 \u202e153억원이 반영됐다. \u2066끝"
    doc = DocResult("bidi.txt", "3" * 64, 1, 1, EXTRACTED, lang="ko", text=text,
                    records=[rec("bidi.txt", text, "153억원", 15300000000)])  # fmt: skip
    page = render_report([doc])
    assert "\u202e" not in page and "\u2066" not in page
    assert page.count("\ufffd") == 2  # shown where they were, so the offsets hold
    assert marks(page, "money")[0].get_text().startswith("153억원")


def test_summary_and_failures() -> None:
    soup = BeautifulSoup(render_report(results()), "html.parser")
    text = soup.get_text(" ")
    assert "Documents by status" in text
    assert "unsupported format .pdf" in text
    failed = soup.select_one("#failed").get_text(" ")
    assert "scan.pdf" in failed and "bad.txt" in failed and "plain.txt" not in failed
    assert "plain.txt" in soup.select_one("#no-money").get_text()
    lc = soup.find("h3", string="Records by language and currency").find_next("table")
    assert "ko KRW 2 0 3조 9,650억 원" in lc.get_text(" ")  # in the reader's units


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


def test_chart_units_score_location_and_relative_links(tmp_path: Path) -> None:
    docs = results()
    docs[0].records[1].project_score = 0.873
    docs[0].records[1].location = "p. 2"
    corpus, out = tmp_path / "corpora", tmp_path / "outputs"
    page = render_report(docs, corpus=corpus, out=out)
    soup = BeautifulSoup(page, "html.parser")
    grid = soup.select_one("div.grid")
    chart = grid.find("figure", class_="chart")  # the first thing in the summary
    assert chart is not None and grid.find(["figure", "div"]).find("figure") is chart
    assert {f["data-currency"] for f in soup.select("figure.chart")} == {"KRW"}
    bars = chart.select("rect")
    assert len(bars) == 2  # two linked KRW projects (USD has no project)
    labels = [t.get_text() for t in chart.select("text.value")]
    assert "153억 원" in labels and "61.7 billion won" in labels
    # records tables: the score and, where any record has one, the location
    tables = soup.select("table.records")
    ko_table = tables[0].get_text(" ")
    assert "0.87" in ko_table and "p. 2" in ko_table and "location" in ko_table
    assert "location" not in tables[1].get_text(" ")
    links = [a["href"] for a in soup.select("p.meta a")]
    assert links[0] == "../corpora/ko/%EA%B4%91%EC%A3%BC%20%EC%98%88%EC%82%B0.txt"
    assert all(not h.startswith(("file:", "/")) for h in links)


# The report measures itself inside an iframe of the wanted width (headless Chromium's
# window is at least 500 px wide) and posts the page width to the harness.
_MEASURE = (
    "<script>window.addEventListener('load', function () {"
    "parent.postMessage(document.documentElement.scrollWidth + ' ' + window.innerWidth, '*');"
    "});</script>"
)
_HARNESS = (
    "<!DOCTYPE html><html><body style='margin:0'>"
    "<script>window.addEventListener('message', function (e) {"
    "document.body.setAttribute('data-measure', e.data); });</script>"
    "<iframe src='{src}' style='width:{width}px;height:{height}px;border:0'></iframe>"
    "</body></html>"
)


def harness(page: Path, width: int, height: int = 1400) -> Path:
    """An HTML page showing `page` in a `width` px wide frame (a phone's viewport)."""
    measured = page.with_name("measured.html")
    measured.write_text(
        page.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>"),
        encoding="utf-8",
    )
    path = page.with_name(f"harness-{width}.html")
    html = _HARNESS.replace("{src}", measured.name).replace("{width}", str(width))
    path.write_text(html.replace("{height}", str(height)), encoding="utf-8")
    return path


def screenshot(page: Path, png: Path, width: int, tmp_path: Path, height: int = 1400) -> None:
    """A PNG of `page` as a `width` px wide screen shows it (docs/report*.png too)."""
    shown = page if width >= 1000 else harness(page, width, height)
    result = subprocess.run(
        _chromium_args(tmp_path)
        + [
            f"--window-size={max(width, 500)},{height}",
            f"--screenshot={png}",
            shown.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.skipif(
    _chromium() is None,
    reason="no Chromium binary on PATH (apt-get install chromium): the report's layout check "
    "is skipped",
)
@pytest.mark.parametrize("width", [1280, 390])
def test_no_horizontal_page_scroll_at_desktop_and_phone_width(tmp_path: Path, width: int) -> None:
    out = tmp_path / "outputs"
    with Store(out / "extract.sqlite") as store:
        store.save(results())
        path = write_report(store, out)
    dumped = subprocess.run(
        _chromium_args(tmp_path)
        + [
            "--window-size=1400,1000",
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            "--dump-dom",
            harness(path, width, 900).resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    body = BeautifulSoup(dumped.stdout, "html.parser").body
    assert body.has_attr("data-measure"), "the report did not report its width"
    scroll, inner = (int(x) for x in body["data-measure"].split())
    assert inner == width and scroll <= inner, f"page is {scroll}px wide in a {inner}px window"
    png = tmp_path / f"report-{width}.png"
    screenshot(path, png, width, tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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


def _project_span_reference(text, record, taken, paragraphs):
    """The original scan: every occurrence in the paragraph against every marked span."""
    para = next(((s, e) for s, e in paragraphs if s <= record.start <= e), (0, len(text)))
    best = None
    for m in re.finditer(re.escape(record.project.strip()), text[: para[1]], re.IGNORECASE):
        if m.start() < para[0] or any(m.start() < e and m.end() > s for s, e in taken):
            continue
        distance = min(abs(m.start() - record.end), abs(record.start - m.end()))
        if best is None or distance < best[0]:
            best = (distance, m.start(), m.end())
    return (best[1], best[2]) if best else None


def test_project_marks_are_the_nearest_free_occurrence_as_before() -> None:
    """The indexed search (linear in a document of 20,000 amounts) marks the same
    project spans as a scan of every occurrence against every mark: random documents."""
    import random
    from dataclasses import replace

    from extract.report import _paragraphs, _project_span, _Taken

    rng = random.Random(11)
    words = ["park", "Park", "road", "5억원", " ", " ", "\n", "park road", "x"]
    for _ in range(300):
        text = "".join(rng.choice(words) for _ in range(rng.randint(5, 60)))
        spans = sorted({(m.start(), m.end()) for m in re.finditer("5억원", text)})
        if not spans:
            continue
        paragraphs = _paragraphs(text)
        base = rec("d", text, "5억원", 500000000)
        mine, ref = _Taken(spans), list(spans)
        found: dict = {}
        for s, e in spans:
            r = replace(base, start=s, end=e, project=rng.choice(["park", "road", "park road"]))
            got = _project_span(text, r, mine, paragraphs, found)
            assert got == _project_span_reference(text, r, ref, paragraphs), (text, s)
            if got and got not in ref:
                mine.add(got)
                ref.append(got)
