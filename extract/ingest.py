"""Stage 1: find the files under the corpus folder and turn each into a `Document`.

`discover` lists the files, `ingest` reads one: it checks the format, decodes
the bytes (UTF-8 first, then BOMs, then a charset detector with a guard for
short Korean CP949 text), extracts the main text of HTML pages, and normalises
the text (NFC, `\\n` newlines, odd spaces to plain spaces, invisible characters
dropped) while keeping a map back to the decoded source. Nothing raises for a
bad file: the result carries a status and a reason a person can act on.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import stat
import unicodedata
import warnings
from functools import lru_cache
from pathlib import Path

from . import formats
from .limits import MAX_HTML_DEPTH, flat_html_text, html_depth
from .models import ERROR, UNSUPPORTED, Document, IngestResult, SourceFile
from .safepath import inside, link_problem, printable_name, real_root

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# Extension -> Document.fmt. Anything else is reported as unsupported.
SUPPORTED_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    **formats.EXTENSIONS,  # .hwp .hwpx .pdf .docx: extract/formats/
}
_SUPPORTED_LIST = ", ".join(SUPPORTED_EXTENSIONS)

# Placeholder / OS metadata files and version-control folders. They are not
# articles, so discover() leaves them out, but it logs each one and reports it
# through its `skipped` argument: nothing disappears without a trace.
IGNORED_FILE_NAMES = frozenset({".gitkeep", ".keep", ".DS_Store", "Thumbs.db", "desktop.ini"})
IGNORED_DIR_NAMES = frozenset({".git", ".hg", ".svn", "__MACOSX"})

# File signatures of common binary formats that people save with a text extension.
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE/HWP/legacy Office"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x1f\x8b", "gzip"),
)

# BOMs, longest first (the UTF-32 LE BOM starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# The charsets charset-normalizer chooses among when a file is not UTF-8: those
# Korean and English news actually come in, plus the CJK/Cyrillic ones of
# quoted foreign sources. Letting it try all ~100 codepages makes it pick
# exotic ones (mac_latin2 for a cp1252 "café ... €30 million") on short text.
CANDIDATE_CHARSETS = (
    "cp949", "euc_kr", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be", "cp1252",
    "iso8859_15", "shift_jis", "euc_jp", "gb18030", "big5", "cp1251",
)  # fmt: skip

_KOREAN_CODECS = {"cp949", "euc_kr", "johab", "iso2022_kr"}
_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Control characters other than tab/newline/carriage return/form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# ---------------------------------------------------------------------------
# discovery


def discover(
    corpus: Path,
    skipped: list[tuple[str, str]] | None = None,
    exclude: tuple[Path, ...] = (),
    output_marks: tuple[str, ...] = (),
) -> list[SourceFile]:
    """Every file under `corpus`, recursively, sorted by relative POSIX path.

    Folders in `exclude` (the run's outputs folder when it lies inside the corpus:
    `run --corpus .` with the default `--out outputs`) and any folder holding all the
    files named in `output_marks` (the pipeline's store and records: an earlier run's
    `--out`) are skipped with the reason, so a run never reads a report back as an
    article.

    Symlinked files and folders are followed while they stay inside the corpus
    folder; a link that resolves outside it, or loops, is skipped with the reason
    (nothing outside the corpus is ever read). A folder already visited (two
    links to one folder) is not walked twice. File names that are not UTF-8 get
    `\\xNN` escapes in `SourceFile.doc` (the path on disk is kept). Sockets,
    FIFOs and devices are not files to read and are skipped. Files named in
    IGNORED_FILE_NAMES (`.gitkeep`, `.DS_Store`, ...) and folders in
    IGNORED_DIR_NAMES (`.git`, ...) are skipped too. Every skip is logged and,
    when `skipped` is a list, appended to it as (relative path, reason). Other
    hidden files are ordinary inputs. A folder that cannot be listed
    (permissions) is returned as an entry of its own, so `ingest` reports it
    with a reason instead of it vanishing. A broken symlink is returned too
    (`ingest` reports it).

    Raises FileNotFoundError / NotADirectoryError / PermissionError when
    `corpus` itself is missing, not a folder or unreadable, so the caller can
    say so plainly.
    """
    root = Path(corpus)
    if not root.exists():
        raise FileNotFoundError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise NotADirectoryError(f"corpus is not a folder: {root}")
    root_abs = os.path.abspath(root)
    root_real = real_root(root_abs)
    found: list[SourceFile] = []

    def skip(rel: str, reason: str) -> None:
        log.info("skipping %s: %s", rel, reason)
        if skipped is not None:
            skipped.append((rel, reason))

    excluded = {os.path.realpath(p) for p in exclude}
    visited: set[tuple[int, int]] = set()
    pending = [root_abs]
    while pending:
        folder = pending.pop()
        rel_folder = os.path.relpath(folder, root_abs)
        try:
            st = os.stat(folder)
            key = (st.st_dev, st.st_ino)
            if key in visited:
                skip(_posix(rel_folder), "folder already visited (symlink loop or duplicate link)")
                continue
            visited.add(key)
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            if folder == root_abs:
                raise PermissionError(f"cannot read corpus folder {root}: {exc.strerror}") from exc
            found.append(_source_for_unlistable(folder, root_abs, exc))
            continue
        for entry in entries:
            rel = printable_name(_posix(os.path.relpath(entry.path, root_abs)))
            if entry.is_symlink():
                problem = link_problem(root_real, entry.path)
                if problem:
                    skip(rel, problem)
                    continue
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name in IGNORED_DIR_NAMES:
                    skip(rel + "/", "version-control or metadata folder")
                elif excluded and os.path.realpath(entry.path) in excluded:
                    skip(rel + "/", "the outputs folder of this run (--out)")
                elif output_marks and all(
                    os.path.isfile(os.path.join(entry.path, n)) for n in output_marks
                ):
                    skip(rel + "/", "an outputs folder of an earlier run")
                else:
                    pending.append(entry.path)
                continue
            if entry.name in IGNORED_FILE_NAMES:
                skip(rel, "placeholder or OS metadata file")
                continue
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError:
                try:  # broken symlink: keep it, ingest explains
                    st = entry.stat(follow_symlinks=False)
                except OSError as exc:
                    skip(rel, f"cannot stat: {exc.strerror}")
                    continue
            if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
                skip(rel, "not a regular file")
                continue
            found.append(
                SourceFile(rel, os.path.abspath(entry.path), st.st_size, st.st_mtime_ns, root_real)
            )
    found.sort(key=lambda s: s.doc)
    return found


def _posix(rel: str) -> str:
    return Path(rel).as_posix()


def _source_for_unlistable(folder: str, root_abs: str, exc: OSError) -> SourceFile:
    rel = _posix(os.path.relpath(folder, root_abs))
    log.warning("cannot list folder %s: %s", rel, exc.strerror)
    try:
        mtime = os.lstat(folder).st_mtime_ns
    except OSError:
        mtime = 0
    return SourceFile(rel + "/", folder, 0, mtime)


# ---------------------------------------------------------------------------
# ingest


def ingest(source: SourceFile, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestResult:
    """Read, decode and normalise one file; never raises for a bad file.

    status is "ok" with a Document, or UNSUPPORTED / ERROR with a reason. A file
    is read (and hashed) only when it is a supported format no larger than
    `max_bytes`; a larger file is rejected from its size on disk without being
    read. For .txt/.md, Document.source_offsets maps each character of the text
    back to the decoded file. For HTML the text is extracted from the markup,
    and there is no exact mapping back to the markup: source_offsets is empty
    and offsets refer to Document.text only.
    """
    path = source.path
    if os.path.isdir(path):
        return _fail(source, ERROR, "cannot read folder: permission denied or unreadable")
    ext = os.path.splitext(source.doc)[1].lower()
    fmt = SUPPORTED_EXTENSIONS.get(ext)
    if fmt is None:
        shown = ext if ext else "(no extension)"
        return _fail(
            source, UNSUPPORTED, f"unsupported format {shown} (supported: {_SUPPORTED_LIST})"
        )
    if os.path.islink(path) and not os.path.exists(path):
        return _fail(source, ERROR, "cannot read: broken symbolic link")
    if source.root and not inside(source.root, path):  # a link changed since discover
        return _fail(source, ERROR, "symbolic link to a place outside the corpus folder: not read")
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        return _fail(source, ERROR, _os_reason(exc))
    if size > max_bytes:
        return _fail(source, ERROR, f"file too large: {_human(size)} (limit {_human(max_bytes)})")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        return _fail(source, ERROR, _os_reason(exc))
    if len(raw) > max_bytes:
        return _fail(source, ERROR, f"file too large: over {_human(max_bytes)} (limit)")
    digest = hashlib.sha256(raw).hexdigest()
    if not raw:
        return _fail(source, ERROR, "empty file", digest)
    if fmt in formats.EXTENSIONS.values():
        return _ingest_binary(source, fmt, raw, digest)
    try:
        decoded, encoding = decode_bytes(raw, html=fmt == "html")
    except DecodeFailure as exc:
        return _fail(source, ERROR, str(exc), digest)
    if fmt == "html":
        text, offsets = normalize_text(html_main_text(decoded))
        offsets = []  # offsets into extracted text are not offsets into the markup
    else:
        if encoding == "utf-8-sig":
            # Offsets count the BOM as the file's first character, as a plain UTF-8
            # reader sees it (normalize_text removes it again).
            decoded = "\ufeff" + decoded
        text, offsets = normalize_text(decoded)
    if not text.strip():
        reason = "no text (the page has no body text)" if fmt == "html" else "no text"
        return _fail(source, ERROR, reason, digest)
    doc = Document(source.doc, text, digest, fmt, encoding, offsets)
    if offsets:
        doc.source_text = decoded
    return IngestResult(source, "ok", document=doc, sha256=digest)


def _ingest_binary(source: SourceFile, fmt: str, raw: bytes, digest: str) -> IngestResult:
    """A HWP/HWPX/PDF/DOCX file through its reader (extract/formats), then normalize_text.

    Document.locations are moved from the reader's text to the normalised text;
    source_offsets map back to the reader's text (there is no character map
    into the binary file). A reader's refusal or any library crash is an ERROR
    with a reason, never an exception.
    """
    try:
        extracted, locations = formats.read(fmt, raw)
    except formats.FormatError as exc:
        return _fail(source, ERROR, str(exc), digest)
    except RecursionError:
        reason = f"cannot read {fmt.upper()}: structure nested too deeply"
        return _fail(source, ERROR, reason, digest)
    except Exception as exc:  # third-party parsers raise anything on damaged files
        log.warning("%s: %s reader failed: %r", source.doc, fmt, exc)
        reason = f"cannot read {fmt.upper()}: damaged or unsupported file ({type(exc).__name__})"
        return _fail(source, ERROR, reason, digest)
    text, offsets = normalize_text(extracted)
    if not text.strip():
        return _fail(source, ERROR, f"no text in the {fmt.upper()} file", digest)
    doc = Document(source.doc, text, digest, fmt, "binary", offsets)
    doc.locations = _moved_locations(locations, offsets, len(text))
    return IngestResult(source, "ok", document=doc, sha256=digest)


def _moved_locations(
    locations: list[tuple[int, str]], offsets: list[int], size: int
) -> list[tuple[int, str]]:
    """Locations re-anchored from offsets in the raw text to offsets in the normalised text."""
    import bisect

    if not offsets:
        return list(locations)
    out: list[tuple[int, str]] = []
    for start, label in locations:
        at = min(bisect.bisect_left(offsets, start), size)
        if out and out[-1][0] == at:
            out[-1] = (at, label)
        else:
            out.append((at, label))
    return out


def _fail(source: SourceFile, status: str, reason: str, digest: str = "") -> IngestResult:
    return IngestResult(source, status, reason=reason, sha256=digest)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "cannot read: permission denied"
    if isinstance(exc, FileNotFoundError):
        return "cannot read: file disappeared"
    return f"cannot read: {exc.strerror or exc}"


def _human(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)  # unreachable


# ---------------------------------------------------------------------------
# decoding


class DecodeFailure(ValueError):
    """Bytes that are not text, or not text in any charset we can tell."""


def decode_bytes(raw: bytes, html: bool = False) -> tuple[str, str]:
    """Decode file bytes; return (text, normalised encoding name).

    Order: a BOM; strict UTF-8 (most files); for HTML the charset the page
    declares (EUC-KR pages are decoded as CP949, its superset, since Korean
    sites that declare EUC-KR routinely use CP949 characters); then
    charset-normalizer over CANDIDATE_CHARSETS, with a guard for short Korean
    CP949 text, where the detector guesses poorly. A file that is valid UTF-8 but for a few bytes is
    reported as undecodable rather than guessed into mojibake.
    """
    for magic, name in _MAGIC:
        if raw.startswith(magic):
            raise DecodeFailure(f"binary content, not text (looks like {name})")
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return _check_text(raw.decode(name)), name
            except UnicodeDecodeError as exc:
                raise DecodeFailure(f"cannot decode: invalid {name} ({exc.reason})") from exc
    if b"\x00" not in raw:
        try:
            return _check_text(raw.decode("utf-8")), "utf-8"
        except UnicodeDecodeError as exc:
            utf8_error = exc
        _reject_broken_utf8(raw, utf8_error)
        if html:
            declared = _declared_html_charset(raw)
            if declared:
                try:
                    return _check_text(raw.decode(declared)), _encoding_name(declared)
                except (UnicodeDecodeError, LookupError):
                    pass
    return _detect_and_decode(raw)


def _check_text(text: str) -> str:
    if "\x00" in text:
        raise DecodeFailure("binary content, not text (NUL characters)")
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > 0.05 * min(len(text), 65536):
        raise DecodeFailure("binary content, not text (control characters)")
    return text


def _reject_broken_utf8(raw: bytes, error: UnicodeDecodeError) -> None:
    """Raise if `raw` is clearly UTF-8 with some invalid bytes."""
    loose = raw.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    good = len(_NON_ASCII.findall(loose)) - bad
    if good >= 8 and good >= 4 * bad:
        raise DecodeFailure(
            f"cannot decode: invalid UTF-8 byte 0x{raw[error.start]:02x} at offset "
            f"{error.start} ({bad} invalid sequence(s) in an otherwise UTF-8 file)"
        )


def _declared_html_charset(raw: bytes) -> str | None:
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(raw[:8192], is_html=True)
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    return "cp949" if name in _KOREAN_CODECS else name


def _detect_and_decode(raw: bytes) -> tuple[str, str]:
    import charset_normalizer

    best = charset_normalizer.from_bytes(raw, cp_isolation=list(CANDIDATE_CHARSETS)).best()
    enc = codecs.lookup(best.encoding).name if best is not None else None
    if enc in _KOREAN_CODECS:
        return _decode_korean(raw, enc)
    has_nul = b"\x00" in raw
    if has_nul and not (enc or "").startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        raise DecodeFailure("binary content, not text (NUL bytes)")
    # charset-normalizer is unreliable on short input and may pick BOM-less UTF-16
    # for a few CP949 bytes; a strict CP949 decode that yields Hangul wins then.
    doubtful = enc is None or len(raw) < 400 or (not has_nul and ("16" in enc or "32" in enc))
    if doubtful and _plausible_cp949(raw):
        return _decode_korean(raw, "cp949")
    if best is None or enc is None:
        raise DecodeFailure("cannot decode: not UTF-8, UTF-16 or a charset we can recognise")
    try:
        return _check_text(raw.decode(enc)), _encoding_name(enc)
    except UnicodeDecodeError as exc:
        raise DecodeFailure(f"cannot decode: {exc.reason} as {enc}") from exc


def _plausible_cp949(raw: bytes) -> bool:
    try:
        text = raw.decode("cp949")
    except UnicodeDecodeError:
        return False
    non_ascii = len(_NON_ASCII.findall(text))
    return non_ascii > 0 and len(_HANGUL_SYLLABLE.findall(text)) >= 0.8 * non_ascii


def _decode_korean(raw: bytes, enc: str) -> tuple[str, str]:
    # Pure EUC-KR is named so; anything using CP949's extra syllables is CP949.
    for name in ("euc_kr", "cp949"):
        try:
            return _check_text(raw.decode(name)), _encoding_name(name)
        except UnicodeDecodeError:
            continue
    raise DecodeFailure(f"cannot decode: invalid bytes for Korean charset {enc}")


def _encoding_name(codec: str) -> str:
    name = codecs.lookup(codec).name
    return {"euc_kr": "euc-kr", "utf_16": "utf-16", "utf_32": "utf-32"}.get(
        name, name.replace("_", "-")
    )


# ---------------------------------------------------------------------------
# normalisation

# Characters rewritten 1:1 or deleted before NFC: CR/LF variants become "\n",
# space separators become " ", invisible format characters and stray control
# characters are dropped (they would split "3조\u200b9497억원" in two).
_NEWLINES = "\x0b\x0c\x85\u2028\u2029"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"
# Bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069) too: in
# a Korean or English article they only serve to make a sentence cell display other
# than it reads (the "Trojan Source" trick), and they would split an amount as well.
_DELETE = "\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069"
_DELETE += "\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f"
# Compatibility forms rewritten to their NFKC form: full-width ASCII and signs
# (`＄5`, `￡3m`, `ＵＳ＄`) and the Latin ligatures PDF text extraction leaves in
# (`ﬁfty`, `ﬁscal`); the money rules are written for the plain forms. Not full
# NFKC: that would also rewrite `²`, `½`, `㎡` and Hangul compatibility jamo.
_COMPAT = "\uff01-\uff5e\uffe0-\uffe6\ufb00-\ufb06"
_SPECIAL = re.compile(f"\r\n?|[{_NEWLINES}]|[{_SPACES}]|[{_DELETE}]|[{_COMPAT}]")


def normalize_text(text: str) -> tuple[str, list[int]]:
    """NFC text with `\\n` newlines, and each character's offset in `text`.

    The offset list is empty when nothing changed (the common case).
    """
    if _SPECIAL.search(text) is None and unicodedata.is_normalized("NFC", text):
        return text, []
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPECIAL.finditer(text):
        pieces.append(text[pos : m.start()])
        offsets.extend(range(pos, m.start()))
        ch = m.group()
        if ch[0] == "\r" or ch in _NEWLINES:
            pieces.append("\n")
            offsets.append(m.start())
        elif ch in _SPACES:
            pieces.append(" ")
            offsets.append(m.start())
        elif _is_compat(ch):
            plain = unicodedata.normalize("NFKC", ch)
            pieces.append(plain)
            offsets.extend([m.start()] * len(plain))
        pos = m.end()
    pieces.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    cleaned = "".join(pieces)
    if not unicodedata.is_normalized("NFC", cleaned):
        cleaned, nfc_offsets = _nfc_with_offsets(cleaned)
        offsets = [offsets[i] for i in nfc_offsets]
    if cleaned == text:
        return text, []
    return cleaned, offsets


_is_compat = re.compile(f"[{_COMPAT}]").fullmatch


def _nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC of `text` and, per output character, its index in `text`.

    NFC is applied to segments that start at a character nothing before it can
    combine with, so NFC(text) is the concatenation of the segments' NFC.
    Inside a segment whose length changes, output characters are aligned to
    the segment start (the first) and to its end (the rest).
    """
    out: list[str] = []
    offsets: list[int] = []
    starts = [i for i, ch in enumerate(text) if i == 0 or _segment_starter(ch)]
    starts.append(len(text))
    for a, b in zip(starts, starts[1:], strict=False):
        seg = text[a:b]
        norm = unicodedata.normalize("NFC", seg)
        out.append(norm)
        m, n = len(seg), len(norm)
        if m == n:
            offsets.extend(range(a, b))
        else:
            offsets.extend(a + (0 if k == 0 else max(0, min(m - 1, m - n + k))) for k in range(n))
    return "".join(out), offsets


@lru_cache(maxsize=4096)
def _segment_starter(ch: str) -> bool:
    first = unicodedata.normalize("NFD", ch)[0]
    return (
        unicodedata.combining(first) == 0
        and first not in _composes_backward()
        and ch not in _composes_backward()
    )


@lru_cache(maxsize=1)
def _composes_backward() -> frozenset[str]:
    """Characters that canonical composition can merge into the character before."""
    found = {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}
    for cp in range(0x110000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                found.add(chr(int(parts[1], 16)))
    return frozenset(found)


# ---------------------------------------------------------------------------
# HTML main text

# Never content.
_ALWAYS_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "canvas", "object")
_ALWAYS_DROP += ("embed", "head")
# Page furniture; dropped unless it holds the article (see _droppable).
_LAYOUT_TAGS = {"nav", "header", "footer", "aside", "form", "button", "select", "textarea"}
_LAYOUT_TAGS |= {"dialog", "menu"}
_LAYOUT_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu"}
_LAYOUT_ROLES |= {"menubar", "dialog", "alert", "toolbar"}
# Words in class/id (split at non-alphanumerics) that mark page furniture.
_LAYOUT_WORDS = {
    "nav", "navbar", "navigation", "menu", "gnb", "lnb", "snb", "breadcrumb", "breadcrumbs",
    "footer", "sidebar", "comment", "comments", "reply", "replies", "share", "sharing", "sns",
    "social", "ad", "ads", "advert", "advertisement", "banner", "sponsor", "sponsored", "promo",
    "related", "recommend", "recommended", "popular", "ranking", "subscribe", "newsletter",
    "cookie", "cookies", "popup", "skip", "copyright", "toolbar", "pagination",
}  # fmt: skip
_ARTICLE_WORDS = {"article", "news", "post", "entry", "content", "title", "view", "story"}
_ROOT_HINTS = (
    "articlebody", "article_body", "article-body", "newsbody", "news_body", "news-body",
    "article_txt", "article-txt", "news_content", "entry-content", "post-content", "story-body",
    "article_view", "article-view", "newsct_article",
)  # fmt: skip
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody",
    "tfoot", "tr", "caption", "figure", "figcaption", "address", "hr", "details", "summary",
    "center", "nav", "aside", "form", "fieldset", "legend",
}  # fmt: skip
_CELL_TAGS = {"td", "th"}
_WS = re.compile(r"\s+")


def html_main_text(markup: str) -> str:
    """The article text of an HTML page, one line per block, cells tab-separated.

    Picks the article root (itemprop=articleBody, the largest <article>,
    <main>/role=main, a well-known article-body class/id, else <body>), drops
    scripts and page furniture (nav, header/footer outside the article, ads,
    share and comment boxes, by tag, ARIA role or class/id words) without ever
    dropping the element that holds the article, and keeps a headline <h1>
    that sits outside the chosen root. Markup nested deeper than
    limits.MAX_HTML_DEPTH is read as flat text instead (linear time).
    """
    from bs4 import BeautifulSoup

    if html_depth(markup) > MAX_HTML_DEPTH:  # no layout to read: linear fallback
        return flat_html_text(markup)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(_ALWAYS_DROP):
        tag.decompose()
    body = soup.body or soup
    root = _article_root(body)
    root_len = len(root.get_text(" ", strip=True))
    for tag in body.find_all(True):
        if tag.decomposed or tag is root:
            continue
        kind = _layout_kind(tag, inside_root=_within(tag, root))
        if kind and _droppable(tag, root, kind, root_len):
            tag.decompose()
    parts: list[str] = []
    if root is not body and root.find(["h1", "h2"]) is None:
        headline = body.find("h1")
        if headline is not None and not _within(headline, root):
            parts.append(_block_text(headline))
    parts.append(_block_text(root))
    return "\n".join(p for p in parts if p)


def _article_root(body):
    def text_len(tag) -> int:
        return len(tag.get_text(" ", strip=True))

    total = max(text_len(body), 1)
    candidates = body.find_all(attrs={"itemprop": "articleBody"})
    if not candidates:
        candidates = body.find_all("article")
    if not candidates:
        candidates = body.find_all("main") + body.find_all(attrs={"role": "main"})
    if not candidates:
        candidates = [
            tag
            for tag in body.find_all(True)
            if any(h in _attr_words(tag, raw=True) for h in _ROOT_HINTS)
        ]
    if not candidates:
        return body
    best = max(candidates, key=text_len)
    # A teaser or an empty shell is not the article.
    if text_len(best) < 200 and text_len(best) < 0.2 * total:
        return body
    return best


def _attr_words(tag, raw: bool = False) -> list[str]:
    values = []
    for attr in ("class", "id"):
        v = tag.get(attr)
        if isinstance(v, list):
            values.extend(v)
        elif v:
            values.append(v)
    lowered = [v.lower() for v in values]
    if raw:
        return lowered
    return [w for v in lowered for w in re.split(r"[^a-z0-9]+", v) if w]


def _layout_kind(tag, inside_root: bool) -> str:
    """Page furniture: "sure" by tag or ARIA role, "guess" by class/id words, else ""."""
    if tag.name in _LAYOUT_TAGS:
        if tag.name == "header" and inside_root:
            return ""  # an article's own <header> holds its headline and byline
        # Some CMSs wrap the whole page in one <form>: only a guess.
        return "guess" if tag.name == "form" else "sure"
    if (tag.get("role") or "").lower() in _LAYOUT_ROLES:
        return "sure"
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return "guess"
    words = set(_attr_words(tag))
    if words & _LAYOUT_WORDS or ("header" in words and not words & _ARTICLE_WORDS):
        return "guess"
    return ""


def _droppable(tag, root, kind: str, root_len: int) -> bool:
    """Whether removing `tag` leaves the article intact."""
    if _within(root, tag):
        return False
    if kind == "sure":
        return True
    # A guess never removes half the article ("content with-sidebar" wrappers).
    return len(tag.get_text(" ", strip=True)) <= 0.5 * root_len


def _within(tag, ancestor) -> bool:
    """Whether `ancestor` is a proper ancestor of `tag` (by identity, not equality)."""
    return any(p is ancestor for p in tag.parents)


def _block_text(root) -> str:
    from bs4 import CData, NavigableString, Tag

    out: list[str] = []
    stack: list = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            out.append(node)  # a separator pushed below
        elif isinstance(node, Tag):
            name = node.name
            if name == "br":
                out.append("\n")
                continue
            if name in _BLOCK_TAGS:
                out.append("\n")
                stack.append("\n")
            elif name in _CELL_TAGS:
                stack.append("\t")
            pre = name == "pre"
            children = list(node.children)
            if pre:
                children = [_Pre(c) if type(c) is NavigableString else c for c in children]
            stack.extend(reversed(children))
        elif isinstance(node, _Pre):
            out.append(str(node.s))
        elif type(node) in (NavigableString, CData):
            out.append(_WS.sub(" ", str(node)))
    lines = []
    for line in "".join(out).split("\n"):
        cells = [" ".join(c.split()) for c in line.split("\t")]
        line = "\t".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(lines)


class _Pre:
    """Text inside <pre>: whitespace kept."""

    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s
