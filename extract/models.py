"""Plain data passed between pipeline stages.

Every stage takes and returns these dataclasses (no open files, no models), so a
stage can be tested alone and its inputs and outputs pickled to a worker process.
Offsets (`start`, `end`) are always Python string indices into `Document.text`
unless a docstring says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Document statuses, as written to documents.csv and the store.
EXTRACTED = "extracted"
NO_MONEY = "no_money"
DUPLICATE = "duplicate"
UNSUPPORTED = "unsupported"
ERROR = "error"


# Characters ingest.normalize_text deletes or folds away (soft hyphen, zero-width
# space, word joiner, BOM, C0/C1 controls, the CR of CRLF): a source span never ends
# on one of them.
REMOVED_CHARS = frozenset(
    "\u00ad\u200b\u2060\ufeff\r"
    + "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
    + "".join(chr(c) for c in [*range(0x80, 0x85), *range(0x86, 0xA0)])
)


@dataclass(frozen=True)
class SourceFile:
    """A file found under the corpus folder, before it is read."""

    doc: str  # path relative to the corpus folder, POSIX separators
    path: str  # absolute path on disk
    size: int
    mtime_ns: int
    root: str = ""  # the corpus folder, symlinks resolved: ingest reads nothing outside it


@dataclass
class Document:
    """A decoded, normalised article: the text every later stage works on."""

    doc: str
    text: str  # NFC-normalised main text
    sha256: str  # of the raw bytes on disk
    fmt: str  # "txt", "md", "html"
    encoding: str  # the charset the bytes were decoded with
    # source_offsets[i] is the offset in the decoded source text of text[i];
    # empty when the two are identical (plain UTF-8 text already in NFC).
    source_offsets: list[int] = field(default_factory=list)
    # Where parts of the text came from in a paged or sectioned source (PDF page,
    # HWP/HWPX section and paragraph, DOCX table): (start offset in `text`, label),
    # sorted by offset; empty for plain text and HTML.
    locations: list[tuple[int, str]] = field(default_factory=list)
    # The decoded source that source_offsets point into, when it differs from `text`
    # (soft hyphens, zero-width characters, a BOM or CRs removed, NFC composed);
    # "" when source_offsets is empty.
    source_text: str = ""

    def location_at(self, i: int) -> str:
        """Label of the source location holding character `i` ("" when unknown)."""
        label = ""
        for start, name in self.locations:
            if start > i:
                break
            label = name
        return label

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the decoded source that `text[start:end]` was made from.

        Exact: `source_text[s:e]` holds the same characters as written, including a
        soft hyphen or zero-width character inside the span, never one just outside
        it, and all the code points an NFC-composed character came from.
        """
        if not self.source_offsets or not self.source_text:
            return start, end
        s = self.source_offset(start)
        e = self.source_offset(end) if end < len(self.text) else len(self.source_text)
        while e > s + 1 and self.source_text[e - 1] in REMOVED_CHARS:
            e -= 1
        return s, e

    def source_offset(self, i: int) -> int:
        """Offset in the decoded source file of character `i` of `text`."""
        if not self.source_offsets:
            return i
        if i >= len(self.source_offsets):
            return self.source_offsets[-1] + 1 if self.source_offsets else i
        return self.source_offsets[i]


@dataclass
class IngestResult:
    """What ingest made of one file: a document, or a status with a reason."""

    source: SourceFile
    status: str  # "ok", UNSUPPORTED or ERROR
    reason: str = ""
    document: Document | None = None
    sha256: str = ""


@dataclass
class Block:
    """A paragraph-like span with one language."""

    start: int
    end: int
    lang: str  # "ko", "en", another ISO 639-1 code, or "und" when undecidable


@dataclass
class Token:
    """A morpheme (Korean, with its Kiwi tag) or a word (English, tag empty)."""

    text: str  # surface form (for Kiwi: the morpheme's form)
    start: int  # offset in Document.text
    end: int
    tag: str = ""  # Kiwi POS tag (NNG, NNP, SN, NR, NNB, JKO, ...) or spaCy tag if any


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    lang: str
    tokens: list[Token] = field(default_factory=list)


EXCHANGE_RATE = "exchange_rate"  # link rule of an exchange rate: money, but no project
# link rule of the base of a rate per amount of money (`10억원당 일자리 12개`, `4 jobs per
# $100,000 spent`): money written, but the unit of a rate, not an amount allocated
RATE_BASE = "rate_base"
NO_PROJECT_RULES = frozenset({EXCHANGE_RATE, RATE_BASE})  # never in a project total


@dataclass
class MoneyMention:
    """One monetary expression as found in a text (offsets relative to that text)."""

    start: int
    end: int
    text: str  # exactly as written
    amount: Decimal | None  # whole currency units; None for vague amounts
    currency: str  # ISO 4217 code
    amount_max: Decimal | None = None  # high end of a range
    qualifier: str = ""  # "", "approx", "max", "min"
    vague: bool = False  # "수백억원", "tens of billions of won": no definite value
    lang: str = ""  # the extractor that found it: "ko" or "en"
    rule: str = ""  # id of the rule that produced it
    exchange_rate: bool = False  # the price of a currency (`달러당 1,380원`): no project
    rate_base: bool = False  # what a rate is counted per (`10억원당 일자리 12개`): no project


@dataclass
class ProjectLink:
    """The project a mention is linked to ("" when it names none)."""

    project: str = ""  # as written in the article, the shortest span naming it
    project_id: str = ""  # canonical id from the gazetteer, "" when not in it
    rule: str = ""  # id of the link rule that decided
    score: float | None = None  # confidence 0-1 that `project` is right (None: not scored)


@dataclass
class Record:
    """A money mention placed in its document, ready to store and export."""

    doc: str
    lang: str
    sentence: str
    start: int  # offsets in the decoded source file (= Document.text offsets unless normalised)
    end: int
    text: str
    amount: Decimal | None
    amount_max: Decimal | None
    currency: str
    qualifier: str
    vague: bool
    project: str = ""
    project_id: str = ""
    rule: str = ""
    link_rule: str = ""
    project_score: float | None = None  # the linker's confidence 0-1 (ProjectLink.score)
    location: str = ""  # page / section of the source file (Document.locations), "" if none


@dataclass
class DocResult:
    """Everything the pipeline learned about one input file."""

    doc: str
    sha256: str
    size: int
    mtime_ns: int
    status: str  # EXTRACTED, NO_MONEY, DUPLICATE, UNSUPPORTED, ERROR
    reason: str = ""
    lang: str = ""
    fmt: str = ""
    encoding: str = ""
    text: str = ""  # kept for the HTML report
    records: list[Record] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
