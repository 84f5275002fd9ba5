"""Stage 3: split blocks into sentences, with morphemes (Korean) or words (others).

Korean blocks go to kiwipiepy (`split_into_sents(..., return_tokens=True)`:
sentences and morphemes with offsets in one pass); every other block goes to
spaCy (`spacy.blank("en")` + the rule-based sentencizer; no model download).
Offsets of sentences and tokens are offsets into the whole document text.

Kiwi is the slowest stage (about 0.2 MB/s per core), so only Korean blocks
that hold money get morphemes: the caller passes `needs_morphemes` (the
pipeline asks the money extractor); without it, MONEY_HINT decides. Other
Korean blocks are split at sentence-final punctuation by a regex and their
sentences carry no tokens. Kiwi and spaCy are built lazily, once per
process; `load_models()` builds them up front (worker initialiser).
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from collections.abc import Callable, Iterator

from .limits import cap_sentences, plain_sentences, split_long_runs
from .models import Block, Sentence, Token

# A Korean block needs morphemes only if it may hold a money expression: a digit,
# or a word for a currency (원, 달러, 엔, 위안, 유로, 파운드) or a big number unit
# (억, 조, 만) - Hangul numerals like 삼천만 원 / 일억 carry one of those too.
# Blocks without any are segmented by SENTENCE_END alone.
MONEY_HINT = re.compile(r"\d|원|달러|엔|위안|유로|파운드|억|조|만")

# Cheap sentence split: a run of final punctuation, optional closing quotes or
# brackets, then whitespace or the end of the block.
SENTENCE_END = re.compile(r"[.!?。！？…]+[\"'”’」』)\]]*(?=\s|$)")

# A year and a period in a Korean sentence (`예산은 2030. 양자컴퓨팅 사업에 30억원이다.`):
# Kiwi never ends a sentence after a number and a period (right for a date, `2030. 12.
# 31.까지`), so the rest of the sentence was read as one with the year and the project
# came out as `2030. 양자컴퓨팅 사업`. A Kiwi sentence is also cut after a year (19xx/20xx,
# not part of a longer number or a date, not the sentence's first word) and its period
# where the next word does not start with a digit, as the regex splitter already cuts.
_YEAR_DOT = re.compile(r"(?<![\d.,])(?:19|20)\d\d\.(?=\s+[^\d\s])")

# Blocks longer than this are cut (at a sentence end or space) before analysis,
# keeping spaCy under its max_length and Kiwi's memory bounded.
MAX_CHUNK_CHARS = 100_000

# Kiwi's thread pool size per process. The pipeline runs documents in worker
# processes, so more threads rarely help (1 measured as fast as 0), and no pool
# means no threads when workers are forked from a process that loaded Kiwi.
KIWI_THREADS = int(os.environ.get("EXTRACT_KIWI_THREADS", "0"))

_lock = threading.Lock()
_kiwi = None
_nlp = None


def get_kiwi():
    """The process's Kiwi instance (built on first use)."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                with warnings.catch_warnings():  # num_workers=0 warns about a 0.21 change
                    warnings.simplefilter("ignore", DeprecationWarning)
                    kiwi = Kiwi(num_workers=KIWI_THREADS)
                kiwi.tokenize("")  # Kiwi finishes initialising on first use
                _kiwi = kiwi
    return _kiwi


def sentence_abbreviations() -> list[str]:
    """Abbreviations with a period that never end a sentence (rules/en/abbreviations.toml,
    `[sentence_abbreviations] forms`), each also in lower, title and upper case."""
    from .rules import load_kind

    out: set[str] = set()
    for data in load_kind("money", "en"):
        for form in data.get("sentence_abbreviations", {}).get("forms", []):
            out.update({form, form.lower(), form[:1].upper() + form[1:], form.upper()})
    return sorted(out)


def get_nlp():
    """The process's spaCy pipeline: blank English + sentencizer (built on first use)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy
                from spacy.symbols import ORTH

                nlp = spacy.blank("en")
                for form in sentence_abbreviations():
                    # one token, so the sentencizer never ends a sentence at its period
                    nlp.tokenizer.add_special_case(form, [{ORTH: form}])
                nlp.add_pipe("sentencizer")
                nlp.max_length = max(nlp.max_length, MAX_CHUNK_CHARS + 1)
                _nlp = nlp
    return _nlp


def load_models() -> None:
    """Build Kiwi, spaCy and the langdetect profiles now (worker initialiser)."""
    from .detect import load_profiles

    get_kiwi()
    get_nlp()
    load_profiles()


def segment(
    text: str,
    blocks: list[Block],
    needs_morphemes: Callable[[Block], bool] | None = None,
    needs_words: Callable[[Block], bool] | None = None,
) -> list[Sentence]:
    """Sentences of every block, in text order, offsets into `text`.

    A sentence's lang is its block's. Korean sentences analysed by Kiwi carry
    morphemes (Token.text = morpheme form, tag = Kiwi tag; a span covers the
    surface characters, so a contracted 했 gives 하/XSV and 었/EP both over
    했, and an elided morpheme may have an empty span). Korean blocks for which
    `needs_morphemes(block)` is false (default: no MONEY_HINT in the block) are
    split by a regex and have no tokens. Other sentences carry spaCy words, except
    in blocks for which `needs_words(block)` is false (default: every block needs
    them): those are split by the same regex and have no tokens.
    """

    def wants_kiwi(block: Block) -> bool:
        if needs_morphemes is not None:
            return needs_morphemes(block)
        return MONEY_HINT.search(text, block.start, block.end) is not None

    kiwi_jobs: list[tuple[int, str, str]] = []  # (offset, chunk, lang)
    spacy_jobs: list[tuple[int, str, str]] = []
    sentences: list[Sentence] = []
    for block in blocks:
        kiwi = block.lang == "ko" and wants_kiwi(block)
        for start, chunk in _pieces(text, block, sentences):
            if block.lang == "ko":
                if kiwi:
                    kiwi_jobs.append((start, chunk, block.lang))
                else:
                    sentences.extend(_regex_sentences(text, start, chunk, block.lang))
            elif needs_words is None or needs_words(block):
                spacy_jobs.append((start, chunk, block.lang))
            else:
                sentences.extend(_regex_sentences(text, start, chunk, block.lang))
    if kiwi_jobs:
        sentences.extend(_kiwi_sentences(text, kiwi_jobs))
    if spacy_jobs:
        sentences.extend(_spacy_sentences(text, spacy_jobs))
    sentences.sort(key=lambda s: s.start)
    return cap_sentences(text, sentences)


def _pieces(text: str, block: Block, sentences: list[Sentence]) -> Iterator[tuple[int, str]]:
    """The block's chunks for the analysers; runs of non-space too long to be words go
    straight to `sentences` as plain sentences (limits.split_long_runs)."""
    for start, end, long_run in split_long_runs(text, block.start, block.end):
        if long_run:
            sentences.extend(plain_sentences(text, start, end, block.lang))
        else:
            yield from _chunks(text, start, end)


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    while end - start > MAX_CHUNK_CHARS:
        window = text[start : start + MAX_CHUNK_CHARS]
        cut = max((m.end() for m in SENTENCE_END.finditer(window)), default=0)
        if cut < MAX_CHUNK_CHARS // 2:
            cut = window.rfind(" ") + 1
        if cut < MAX_CHUNK_CHARS // 2:
            cut = MAX_CHUNK_CHARS
        yield start, text[start : start + cut]
        start += cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield start, text[start:end]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _regex_sentences(text: str, offset: int, chunk: str, lang: str) -> Iterator[Sentence]:
    cuts = [m.end() for m in SENTENCE_END.finditer(chunk)] + [len(chunk)]
    prev = 0
    for cut in cuts:
        s, e = _trimmed(text, offset + prev, offset + cut)
        if s < e:
            yield Sentence(s, e, text[s:e], lang)
        prev = cut


def _kiwi_sentences(text: str, jobs: list[tuple[int, str, str]]) -> Iterator[Sentence]:
    kiwi = get_kiwi()
    options = {"return_tokens": True, "return_sub_sents": False}
    if len(jobs) == 1 or KIWI_THREADS == 0:  # a list needs Kiwi's thread pool
        results = (kiwi.split_into_sents(chunk, **options) for _, chunk, _ in jobs)
    else:
        results = kiwi.split_into_sents([chunk for _, chunk, _ in jobs], **options)
    for (offset, chunk, lang), sents in zip(jobs, results, strict=True):
        for ks in sents:
            tokens = [
                Token(t.form, offset + t.start, offset + t.start + t.len, t.tag) for t in ks.tokens
            ]
            cuts = [
                offset + m.end()
                for m in _YEAR_DOT.finditer(chunk, ks.start, ks.end)
                if not chunk[ks.start : m.start()].isspace() and m.start() > ks.start
            ]
            bounds = [offset + ks.start, *cuts, offset + ks.end]
            for a, b in zip(bounds, bounds[1:], strict=False):
                s, e = _trimmed(text, a, b)
                if s < e:
                    part = [t for t in tokens if a <= t.start < b] if cuts else tokens
                    yield Sentence(s, e, text[s:e], lang, part)


def _spacy_sentences(text: str, jobs: list[tuple[int, str, str]]) -> Iterator[Sentence]:
    from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START

    nlp = get_nlp()
    docs = nlp.pipe((chunk for _, chunk, _ in jobs), batch_size=64)
    for (offset, _, lang), doc in zip(jobs, docs, strict=True):
        # Token attributes as one array: creating a spaCy Token object per word
        # (iterating a Doc or Span) costs more than the sentencizer itself.
        rows = doc.to_array([IDX, LENGTH, IS_SPACE, SENT_START]).tolist() if len(doc) else []
        starts = [i for i, row in enumerate(rows) if i == 0 or row[3] == 1]
        for a, b in zip(starts, starts[1:] + [len(rows)], strict=True):
            first, last = rows[a], rows[b - 1]
            s, e = _trimmed(text, offset + first[0], offset + last[0] + last[1])
            if s >= e:
                continue
            tokens = [
                Token(text[offset + i : offset + i + n], offset + i, offset + i + n)
                for i, n, space, _ in rows[a:b]
                if not space
            ]
            yield Sentence(s, e, text[s:e], lang, tokens)
