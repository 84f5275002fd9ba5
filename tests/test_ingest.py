"""Ingest: discovery, bad input, encodings, HTML main text, normalisation and offsets."""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path

import pytest

from extract import ingest as ingest_mod
from extract.ingest import decode_bytes, discover, html_main_text, ingest, normalize_text
from extract.models import ERROR, UNSUPPORTED, SourceFile

KO = (
    "광주시가 정부에 요청한 인공지능(AI) 사업 추가경정예산이 25억원에서 153억원으로 증액돼 "
    "국회 문턱을 넘어 관련 사업을 지속할 수 있을 것으로 보인다.\n"
    "2일 광주시에 따르면 올해 국비는 3조9497억원으로, 387억 4000만 원이 늘었다.\n"
)


def _source(path: Path, corpus: Path | None = None) -> SourceFile:
    st = path.lstat()
    doc = path.relative_to(corpus).as_posix() if corpus else path.name
    return SourceFile(doc, str(path), st.st_size, st.st_mtime_ns)


def _ingest_bytes(tmp_path: Path, name: str, data: bytes, **kw):
    path = tmp_path / name
    path.write_bytes(data)
    return ingest(_source(path), **kw)


# --------------------------------------------------------------------------- discover


def test_discover_recursive_sorted_with_odd_names(tmp_path: Path) -> None:
    (tmp_path / "하위 폴더").mkdir()
    (tmp_path / "b").mkdir()
    files = ["z.txt", "a file.txt", "하위 폴더/광주 예산 기사.txt", "b/x.html", ".hidden.md"]
    for name in files:
        (tmp_path / name).write_text("본문", encoding="utf-8")
    found = discover(tmp_path)
    assert [s.doc for s in found] == sorted(files)
    by_doc = {s.doc: s for s in found}
    assert Path(by_doc["하위 폴더/광주 예산 기사.txt"].path).read_text(encoding="utf-8") == "본문"
    assert all(os.path.isabs(s.path) and s.size == 6 for s in found)
    result = ingest(by_doc["하위 폴더/광주 예산 기사.txt"])
    assert result.status == "ok" and result.document.doc == "하위 폴더/광주 예산 기사.txt"


def test_discover_reports_ignored_placeholders(tmp_path: Path) -> None:
    (tmp_path / ".gitkeep").write_bytes(b"")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x")
    (tmp_path / "a.txt").write_text("text")
    skipped: list[tuple[str, str]] = []
    found = discover(tmp_path, skipped)
    assert [s.doc for s in found] == ["a.txt"]
    assert sorted(p for p, _ in skipped) == [".DS_Store", ".git/", ".gitkeep"]
    assert all(reason for _, reason in skipped)


def test_discover_follows_symlinks_without_looping(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text("text")
    (real / "loop").symlink_to(tmp_path)  # a cycle back to the corpus root
    (tmp_path / "link.txt").symlink_to(real / "a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    found = {s.doc: s for s in discover(tmp_path)}
    assert set(found) == {"real/a.txt", "link.txt", "dangling.txt"}
    assert ingest(found["link.txt"]).status == "ok"
    broken = ingest(found["dangling.txt"])
    assert broken.status == ERROR and "broken symbolic link" in broken.reason


def test_discover_unlistable_folder_is_reported_not_fatal(tmp_path, monkeypatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("x")
    (tmp_path / "ok.txt").write_text("x")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(ingest_mod.os, "scandir", scandir)
    found = discover(tmp_path)
    assert [s.doc for s in found] == ["locked/", "ok.txt"]
    result = ingest(found[0])
    assert result.status == ERROR and "cannot read folder" in result.reason


def test_discover_missing_corpus(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="corpus folder not found"):
        discover(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(NotADirectoryError):
        discover(tmp_path / "file.txt")
    assert discover(tmp_path / "file.txt".replace("file.txt", "")) != []


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("name", ["c.doc", "f.xlsx", "g.png", "h.odt"])
def test_unsupported_extensions(tmp_path: Path, name: str) -> None:
    result = _ingest_bytes(tmp_path, name, b"%PDF-1.4 whatever")
    ext = name[name.index(".") :]
    assert result.status == UNSUPPORTED
    assert result.reason.startswith(f"unsupported format {ext} (supported: .txt")
    assert result.document is None


@pytest.mark.parametrize("name", ["a.pdf", "b.docx", "d.hwp", "e.hwpx"])
def test_damaged_binary_formats_are_errors_with_a_reason(tmp_path: Path, name: str) -> None:
    result = _ingest_bytes(tmp_path, name, b"%PDF-1.4 whatever")
    assert result.status == ERROR
    fmt = name.rsplit(".", 1)[1].upper()
    assert fmt in result.reason and ("damaged" in result.reason or "not a" in result.reason)
    assert result.document is None and len(result.sha256) == 64


def test_no_extension_is_unsupported(tmp_path: Path) -> None:
    result = _ingest_bytes(tmp_path, "README", b"hello")
    assert result.status == UNSUPPORTED and "(no extension)" in result.reason


def test_uppercase_extension_is_supported(tmp_path: Path) -> None:
    assert _ingest_bytes(tmp_path, "A.TXT", "본문입니다".encode()).status == "ok"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\r\n \xe3\x80\x80\n", "no text"),  # includes an ideographic space
        (bytes(range(256)) * 8, "binary content, not text"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "binary content, not text (looks like PNG)"),
        (b"%PDF-1.7\n" + b"x" * 100, "binary content, not text (looks like PDF)"),
        (b"text \x01\x02\x03\x04\x05\x06\x07\x08 more \x0e\x0f\x10\x11\x12" * 20, "binary content"),
        (
            ("정상적인 한국어 문장입니다. " * 4).encode() + b"\xff\xfe" + "끝".encode(),
            "cannot decode",
        ),
    ],
    ids=["empty", "whitespace", "binary", "png", "pdf-in-txt", "control-chars", "broken-utf8"],
)
def test_bad_input_reasons(tmp_path: Path, data: bytes, reason: str) -> None:
    result = _ingest_bytes(tmp_path, "bad.txt", data)
    assert result.status == ERROR
    assert result.reason.startswith(reason), result.reason
    assert result.document is None
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_undecodable_reason_names_the_byte(tmp_path: Path) -> None:
    data = ("본문 " * 10).encode() + b"\xc3\x28"
    result = _ingest_bytes(tmp_path, "bad.md", data)
    assert result.status == ERROR and "0xc3 at offset 70" in result.reason


def test_too_large_uses_limit(tmp_path: Path) -> None:
    result = _ingest_bytes(tmp_path, "big.txt", b"a" * 2000, max_bytes=1000)
    assert result.status == ERROR
    assert result.reason == "file too large: 2.0 KB (limit 1000 bytes)"
    assert result.sha256 == ""  # not read at all
    assert _ingest_bytes(tmp_path, "ok.txt", b"a" * 1000, max_bytes=1000).status == "ok"


def test_too_large_file_is_not_read(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)
    opened: list[str] = []
    monkeypatch.setattr(ingest_mod, "open", lambda p, *a, **k: opened.append(p), raising=False)
    result = ingest(_source(path))
    assert result.status == ERROR
    assert result.reason == "file too large: 50.0 MB (limit 20.0 MB)"
    assert opened == []


def test_file_growing_past_limit_is_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "grows.txt"
    path.write_bytes(b"a" * 10)
    source = _source(path)
    path.write_bytes(b"a" * 5000)  # bigger than when discovered, and than the limit
    result = ingest(source, max_bytes=4000)
    assert result.status == ERROR and result.reason.startswith("file too large")


def test_permission_denied(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("본문")
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root reads anything: simulate the refusal at open()

        def refuse(p, *a, **k):
            raise PermissionError(13, "Permission denied", p)

        monkeypatch.setattr(ingest_mod, "open", refuse, raising=False)
    try:
        result = ingest(_source(path))
    finally:
        path.chmod(0o644)
    assert result.status == ERROR and result.reason == "cannot read: permission denied"


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-be-bom", "utf-16"),
        ("cp949", "cp949"),
        ("euc-kr", "euc-kr"),
    ],
)
def test_encodings_decode_korean(tmp_path: Path, codec: str, expected: str) -> None:
    text = KO + ("똠방각하 펲시 3억원.\n" if codec == "cp949" else "")  # CP949-only syllables
    if codec == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(codec)
    result = _ingest_bytes(tmp_path, "k.txt", data)
    assert result.status == "ok", result.reason
    assert result.document.text == text
    assert result.document.encoding == expected
    assert result.document.sha256 == hashlib.sha256(data).hexdigest() == result.sha256


@pytest.mark.parametrize("codec", ["cp949", "euc-kr"])
def test_short_korean_legacy_text(tmp_path: Path, codec: str) -> None:
    # charset-normalizer alone guesses UTF-16 for these few bytes.
    result = _ingest_bytes(tmp_path, "s.txt", "예산 3억원".encode(codec))
    assert result.status == "ok" and result.document.text == "예산 3억원"


def test_cp949_with_windows_newlines_maps_offsets(tmp_path: Path) -> None:
    source_text = KO.replace("\n", "\r\n")
    result = _ingest_bytes(tmp_path, "w.txt", source_text.encode("cp949"))
    doc = result.document
    assert doc.text == KO
    i = doc.text.index("3조9497억원")
    j = doc.source_offset(i)
    assert source_text[j : j + len("3조9497억원")] == "3조9497억원"


def test_latin1_english(tmp_path: Path) -> None:
    text = "The café's budget rose to €30 million – a record. " * 5
    result = _ingest_bytes(tmp_path, "e.txt", text.encode("cp1252"))
    assert result.status == "ok" and result.document.text == text


def test_bom_less_utf16_is_text_not_binary() -> None:
    text, encoding = decode_bytes(("정부 예산 3조원 " * 20).encode("utf-16-le"))
    assert text == "정부 예산 3조원 " * 20 and encoding.startswith("utf-16")


# --------------------------------------------------------------------------- normalisation


def test_plain_utf8_nfc_has_no_offset_map(tmp_path: Path) -> None:
    result = _ingest_bytes(tmp_path, "p.txt", KO.encode())
    assert result.document.source_offsets == [] and result.document.fmt == "txt"


def test_decomposed_hangul_is_composed_and_maps_back(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", KO)
    assert len(nfd) > len(KO)
    result = _ingest_bytes(tmp_path, "nfd.txt", nfd.encode())
    doc = result.document
    assert doc.text == KO
    offsets = doc.source_offsets + [len(nfd)]
    for i, ch in enumerate(doc.text):
        assert unicodedata.normalize("NFC", nfd[offsets[i] : offsets[i + 1]]) == ch
    i = doc.text.index("153억원")
    assert unicodedata.normalize("NFC", nfd[doc.source_offset(i) :]).startswith("153억원")


def test_invisible_and_odd_spaces() -> None:
    source = "3조\u200b9497억원\u00a0규모\ufeff 예산\r\n끝\r마지막"
    text, offsets = normalize_text(source)
    assert text == "3조9497억원 규모 예산\n끝\n마지막"
    assert len(offsets) == len(text)
    for i, ch in enumerate(text):
        src = source[offsets[i]]
        assert src == ch or (ch == " " and src == "\u00a0") or (ch == "\n" and src == "\r")


def test_bidi_overrides_are_dropped_so_a_cell_shows_what_it_reads() -> None:
    source = "예산\u202e 원억01\u202c 3조\u20669497억원\u2069"
    text, offsets = normalize_text(source)
    assert text == "예산 원억01 3조9497억원"
    assert [source[o] for o in offsets] == list(text)


def test_compatibility_forms_become_plain_with_offsets() -> None:
    source = "ﬁfty ＄５ and ￦3, not ²½㎡ or ㄱ"
    text, offsets = normalize_text(source)
    assert text == "fifty $5 and ₩3, not ²½㎡ or ㄱ"
    assert len(offsets) == len(text)
    assert offsets[:3] == [0, 0, 1]  # both letters of the ligature map to it


def test_markdown_kept_as_is(tmp_path: Path) -> None:
    md = "# 광주 예산\n\n- **AI 사업**: 153억원\n- [링크](http://x) 25억원\n"
    result = _ingest_bytes(tmp_path, "a.md", md.encode())
    assert result.document.text == md and result.document.fmt == "md"


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>광주 예산 - 신문</title>
<style>p {{ color: red }}</style><script>var budget = "999억원";</script></head>
<body>
<header id="header"><h1 class="logo">오늘신문</h1>
<ul class="gnb"><li>정치</li><li>경제</li></ul></header>
<nav><a href="/">홈</a> <a href="/news">뉴스</a></nav>
<div class="article-head"><h1>광주 국비 3조9497억원 확보</h1></div>
<div class="layout with-sidebar">
 <article>
  <p>광주시는 올해 국비 3조9497억원을 확보했다고 밝혔다 &amp; 전했다.</p>
  <p>주요 사업은 다음과 같다.<br>세부 내역은 표와 같다.</p>
  <table><tr><th>사업</th><th>금액</th></tr>
   <tr><td>AI 모빌리티 실증도시</td><td>61억7000만원</td></tr>
   <tr><td>하수도 정비</td><td>3억원</td></tr></table>
  <ul><li>첫째 항목 1억원</li><li>둘째 항목 2억원</li></ul>
  <div class="share-box">페이스북 공유 트위터 공유</div>
  <div class="ad">광고 9999억원 대출</div>
  <noscript>자바스크립트를 켜세요</noscript>
  <!-- 주석 777억원 -->
 </article>
 <aside><h3>많이 본 뉴스</h3><p>다른 기사 888억원</p></aside>
</div>
<div id="comments"><p>댓글: 너무 적다 1억원</p></div>
<footer><p>ⓒ 오늘신문. 무단전재 금지</p></footer>
</body></html>
"""


def test_html_main_text_keeps_article_drops_furniture() -> None:
    text = html_main_text(PAGE.format(charset="utf-8"))
    lines = text.split("\n")
    assert lines[0] == "광주 국비 3조9497억원 확보"  # headline outside <article>
    assert "광주시는 올해 국비 3조9497억원을 확보했다고 밝혔다 & 전했다." in lines
    assert "주요 사업은 다음과 같다." in lines and "세부 내역은 표와 같다." in lines
    assert "사업\t금액" in lines
    assert "AI 모빌리티 실증도시\t61억7000만원" in lines
    assert "하수도 정비\t3억원" in lines
    assert "첫째 항목 1억원" in lines and "둘째 항목 2억원" in lines
    for junk in ("999억원", "오늘신문", "정치", "홈", "공유", "9999억원", "777억원", "888억원"):
        assert junk not in text, junk
    assert "댓글" not in text and "자바스크립트" not in text and "무단전재" not in text


def test_html_euc_kr_page(tmp_path: Path) -> None:
    data = PAGE.format(charset="euc-kr").encode("cp949")
    result = _ingest_bytes(tmp_path, "page.html", data)
    assert result.status == "ok", result.reason
    doc = result.document
    assert doc.fmt == "html" and doc.encoding == "cp949"
    assert "AI 모빌리티 실증도시\t61억7000만원" in doc.text
    assert doc.source_offsets == []


def test_html_whole_page_form_does_not_drop_article() -> None:
    # ASP.NET-style pages wrap everything in one <form>; no <article> or <main>.
    page = (
        "<html><body><form id='form1'><div id='gnb'>메뉴</div><div id='contents'>"
        "<p>올해 예산은 5000만원이다.</p><p>다음 해 예산은 7천26억원이다.</p></div>"
        "<div class='footer'>주소</div></form></body></html>"
    )
    assert html_main_text(page) == "올해 예산은 5000만원이다.\n다음 해 예산은 7천26억원이다."


def test_html_without_body_text(tmp_path: Path) -> None:
    page = b"<html><head><title>x</title><script>1</script></head><body><nav>a</nav></body></html>"
    result = _ingest_bytes(tmp_path, "empty.htm", page)
    assert result.status == ERROR and result.reason.startswith("no text")


def test_html_main_element_and_pre() -> None:
    page = (
        "<html><body><div class='sidebar'>옆 1억원</div><main><h2>제목</h2>"
        "<pre>항목   금액\n도로   5억원</pre><p>본문   여러   칸</p></main></body></html>"
    )
    assert html_main_text(page) == "제목\n항목 금액\n도로 5억원\n본문 여러 칸"


def test_html_article_body_hint_and_related_box() -> None:
    page = (
        "<html><body><div id='top'><span>로그인</span></div>"
        "<div class='view_wrap'><h2 class='headline'>예산 153억원 증액</h2>"
        "<div id='articleBody'><p>인공지능 사업 예산이 25억원에서 153억원으로 늘었다.</p>"
        "<p>시는 관련 사업을 지속한다.</p>"
        "<div class='related-news'><a>다른 기사 50억원</a></div></div></div>"
        "<div class='popular'><p>많이 본 뉴스 70억원</p></div></body></html>"
    )
    assert html_main_text(page) == (
        "인공지능 사업 예산이 25억원에서 153억원으로 늘었다.\n시는 관련 사업을 지속한다."
    )
    itemprop = page.replace("id='articleBody'", "itemprop='articleBody'")
    assert html_main_text(itemprop) == html_main_text(page)
