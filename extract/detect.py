"""Stage 2: split a document into paragraph blocks and give each a language.

Each non-blank line is a block (news text puts one paragraph per line; HTML
ingest emits one line per block element), or several when its sentences are in
two scripts (below). Lines are not merged: a headline without final punctuation
must not run into the next paragraph's first sentence when segmented. A block's
language is decided in this order, cheapest first:

1. no letters at all (`2,107`, `▲`) -> "und";
2. Hangul syllables/jamo are at least HANGUL_KO_SHARE of the letters -> "ko"
   (Hangul is unambiguous, and langdetect is unreliable on Korean with Latin
   brand names or short lines);
3. Latin-script text with English function words (`of`, `the`, ...) and few
   function words of other Latin-script languages -> "en" (langdetect
   costs 2-7 ms a paragraph, too slow for large corpora, and adds nothing here);
4. a table row (`| cell | cell |`, as the format readers and Markdown write tables)
   -> "und": its cells are labels, numbers, names and codes, not prose, and
   langdetect reads such a row as a language of its own (a row of file names,
   hashes and a Korean title -> et, Estonian);
5. too few letters for langdetect: under MIN_LATIN_LETTERS for Latin script
   (`Samsung`, `$2.5 million`, a headline), under MIN_LETTERS for other scripts
   (a CJK sentence is short) -> "und": langdetect guesses wildly on such strings
   (`Samsung` -> tl, `Release Date 2019.01.30` -> ro);
6. otherwise langdetect, with a private factory seeded with 0, so the answer
   is the same in every run and process and other code using langdetect's
   global factory is not affected. Its codes are kept as they are ("ja",
   "zh-cn", "fr", ...).

A line whose sentences are in two scripts (a Korean press release with its English
version in the same paragraph, Korean news quoting an English sentence) is read in
parts: the line is cut at sentence ends (SENTENCE_END: final punctuation and a space, not
between the numbers of a date, `2025. 3. 14.`), each piece is "ko" when Hangul is
at least HANGUL_KO_SHARE of its letters and "en" when it is Latin script with English
function words (rules 2 and 3), and when the line has pieces of both, each maximal run
of pieces in one language is a block of its own (a span of the line; pieces of neither,
`Samsung Inc.`, `2,107.`, join the run before them, or the first run). The sub-blocks of
one line are still one paragraph to everything that looks for paragraphs (the linker,
totals and table rules look at line breaks, not blocks; segment.py analyses each
sub-block with its own language's tools). A Korean sentence quoting an English name or
`$5 million`, or an English sentence with a Korean name in brackets, keeps its language
(its Hangul share decides it); a table row (`|` cells or tabs) is never cut.

Then each "und" block inherits a language from its neighbours: the language of
the nearest decided block before and after when they agree, the only one when
there is one, and the document language when they disagree. A document with no
decidable block is decided as a whole (a heading over a table of short cells), and
stays "und" only when that is undecidable too.
"""

from __future__ import annotations

import re
import threading
from collections import Counter

from .models import Block

HANGUL_KO_SHARE = 0.3
MIN_LETTERS = 10
MIN_LATIN_LETTERS = 60
LATIN_SCRIPT_SHARE = 0.9  # of letters that are ASCII letters, for "Latin script"
LANGDETECT_MAX_CHARS = 1000  # a paragraph's first 1000 characters decide its language
LANGDETECT_MIN_PROB = 0.5

_LINE = re.compile(r"[^\n]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\ud7b0-\ud7ff]")
_NON_LETTER_BYTES = bytes(b for b in range(128) if not chr(b).isalpha())
_WORD = re.compile(r"[A-Za-z]+")
_TABLE_ROW = re.compile(r"\|[^\n]*\|\Z")
# A sentence end inside a line: final punctuation, optional closing quotes or brackets,
# then whitespace; not a number's period before another number (`2025. 3. 14.`, a date).
SENTENCE_END = re.compile(r"[.!?。！？…]+[\"'”’」』)\]]*\s+")
_DATE_DOT = re.compile(r"\d\.\s+\d")

# Frequent English words that are rarely words of other Latin-script languages
# (strong), short ones that are words elsewhere too (weak: they count, but
# cannot decide alone), and function words of other Latin-script languages
# (a block rich in those goes to langdetect).
ENGLISH_STRONG_WORDS = frozenset(
    "the and of is are was were for with that this from by will would has have had which "
    "said been their its they it be not than into about after".split()
)
ENGLISH_WEAK_WORDS = frozenset("in on at to as an a".split())
OTHER_LATIN_FUNCTION_WORDS = frozenset(
    "le la les des du de est une et pour avec dans sur qui que au aux der die das und ist "
    "nicht mit von zu den dem ein eine auf el los las del por con para es y una il di che "
    "della per non het een van voor niet em os não uma do da".split()
)
_EN_MIN_WORDS = 4
_EN_MIN_SHARE = 0.05
_EN_OVER_FOREIGN = 3


def detect_blocks(text: str) -> list[Block]:
    """The text's non-blank lines as blocks (whitespace trimmed), each with a language."""
    blocks: list[Block] = []
    for m in _LINE.finditer(text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        parts = _script_parts(stripped)
        if parts is None:
            blocks.append(Block(start, start + len(stripped), block_language(stripped)))
        else:
            blocks += [Block(start + a, start + b, lang) for a, b, lang in parts]
    if blocks and all(b.lang == "und" for b in blocks):
        # every line too short to decide (a heading and a table): decide on them together
        whole = block_language("\n".join(text[b.start : b.end] for b in blocks))
        for b in blocks:
            b.lang = whole
    _inherit(blocks)
    return blocks


def block_language(text: str) -> str:
    """The language of one paragraph, or "und" (see the module docstring)."""
    letters = sum(map(str.isalpha, text))
    if letters == 0:
        return "und"
    hangul = len(_HANGUL.findall(text))
    if hangul >= HANGUL_KO_SHARE * letters:
        return "ko"
    ascii_letters = len(text.encode("ascii", "ignore").translate(None, _NON_LETTER_BYTES))
    latin_script = ascii_letters >= LATIN_SCRIPT_SHARE * letters
    if latin_script and _looks_english(text):
        return "en"
    if letters < (MIN_LATIN_LETTERS if latin_script else MIN_LETTERS) or _TABLE_ROW.match(text):
        return "und"
    return _langdetect(text[:LANGDETECT_MAX_CHARS])


def document_language(blocks: list[Block]) -> str:
    """The language covering most characters among the decided blocks, else "und"."""
    weight: Counter[str] = Counter()
    for b in blocks:
        if b.lang != "und":
            weight[b.lang] += b.end - b.start
    if not weight:
        return "und"
    # Ties go to the language seen first, so the answer does not depend on hashing.
    order = {lang: i for i, lang in reversed(list(enumerate(b.lang for b in blocks)))}
    return max(weight, key=lambda lang: (weight[lang], -order[lang]))


def _script_parts(line: str) -> list[tuple[int, int, str]] | None:
    """The (start, end, lang) runs of a line whose sentences are Korean and English, as
    offsets into `line`; None when the line is in one language (see the module
    docstring)."""
    if "\t" in line or _TABLE_ROW.match(line) or not _HANGUL.search(line):
        return None
    if len(_WORD.findall(line)) < _EN_MIN_WORDS:
        return None  # no English sentence in it
    cuts = [
        m.end()
        for m in SENTENCE_END.finditer(line)
        if not (m.start() and _DATE_DOT.match(line, m.start() - 1))
    ]
    if not cuts:
        return None
    pieces: list[tuple[int, int, str | None]] = []
    prev = 0
    for cut in [*cuts, len(line)]:
        piece = line[prev:cut]
        pieces.append((prev, prev + len(piece.rstrip()), _piece_language(piece)))
        prev = cut
    if not {"ko", "en"} <= {lang for _, _, lang in pieces}:
        return None
    runs: list[list] = []
    for a, b, lang in pieces:
        if runs and (lang is None or lang == runs[-1][2]):
            runs[-1][1] = b
        elif runs and runs[-1][2] is None:  # leading pieces of neither language
            runs[-1][1:] = [b, lang]
        else:
            runs.append([a, b, lang])
    return [(a, b, lang) for a, b, lang in runs]


def _piece_language(text: str) -> str | None:
    """The piece's language by the cheap rules of block_language: "ko" (Hangul share),
    "en" (Latin script with English function words), else None."""
    letters = sum(map(str.isalpha, text))
    if letters == 0:
        return None
    if len(_HANGUL.findall(text)) >= HANGUL_KO_SHARE * letters:
        return "ko"
    ascii_letters = len(text.encode("ascii", "ignore").translate(None, _NON_LETTER_BYTES))
    if ascii_letters >= LATIN_SCRIPT_SHARE * letters and _looks_english(text):
        return "en"
    return None


def _looks_english(text: str) -> bool:
    words = _WORD.findall(text.lower())
    if len(words) < _EN_MIN_WORDS:
        return False
    strong = weak = foreign = 0
    for w in words:
        if w in ENGLISH_STRONG_WORDS:
            strong += 1
        elif w in ENGLISH_WEAK_WORDS:
            weak += 1
        elif w in OTHER_LATIN_FUNCTION_WORDS:
            foreign += 1
    english = strong + weak
    return (
        strong > 0
        and english >= _EN_MIN_SHARE * len(words)
        and english >= _EN_OVER_FOREIGN * foreign
    )


def _inherit(blocks: list[Block]) -> None:
    decided = [i for i, b in enumerate(blocks) if b.lang != "und"]
    if not decided or len(decided) == len(blocks):
        return
    doc_lang = document_language(blocks)
    prev_lang: str | None = None
    next_idx = 0
    for i, b in enumerate(blocks):
        while next_idx < len(decided) and decided[next_idx] <= i:
            next_idx += 1
        if b.lang != "und":
            prev_lang = b.lang
            continue
        next_lang = blocks[decided[next_idx]].lang if next_idx < len(decided) else None
        if prev_lang and next_lang:
            b.lang = prev_lang if prev_lang == next_lang else doc_lang
        else:
            b.lang = prev_lang or next_lang or doc_lang


_factory = None
_factory_lock = threading.Lock()


def _detector_factory():
    """A private langdetect factory, loaded once per process, seeded with 0."""
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.seed = 0
                _factory = factory
    return _factory


def load_profiles() -> None:
    """Load langdetect's profiles now (worker start-up) rather than on first use."""
    _detector_factory()


def _langdetect(text: str) -> str:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector_factory().create()
    detector.append(text)
    try:
        probabilities = detector.get_probabilities()
    except LangDetectException:
        return "und"
    if not probabilities or probabilities[0].prob < LANGDETECT_MIN_PROB:
        return "und"
    return probabilities[0].lang
