"""Bounds that keep every stage close to linear in its input.

Tokenisers and sentence splitters are fast on prose but can be quadratic on
what is not prose: spaCy's tokenizer on 100,000 `$` in a row (it strips one
affix at a time from a single "word"), Kiwi on a megabyte with no space. Two
bounds keep such input cheap without changing any offset:

- `split_long_runs` cuts a stretch of text around every run of more than
  LONG_RUN_CHARS non-space characters; such a run is no word of any language
  (URLs and hashes included) and becomes plain sentences of at most
  MAX_SENTENCE_CHARS characters, without tokens;
- `cap_sentences` splits any sentence longer than MAX_SENTENCE_CHARS at the
  last space before the cap (or at the cap), tokens going with their text.

Money is still found in both (the extractors work without tokens), so a real
amount next to garbage is not lost.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from .models import Sentence

LONG_RUN_CHARS = 300
MAX_SENTENCE_CHARS = 2_000
MONEY_WINDOW = 80  # characters either side of a cut checked for an amount across it

_LONG_RUN = re.compile(rf"\S{{{LONG_RUN_CHARS + 1},}}")


def split_long_runs(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_long_run) pieces covering text[start:end] in order."""
    pos = start
    for m in _LONG_RUN.finditer(text, start, end):
        if m.start() > pos:
            yield pos, m.start(), False
        yield m.start(), m.end(), True
        pos = m.end()
    if pos < end:
        yield pos, end, False


def plain_sentences(text: str, start: int, end: int, lang: str) -> Iterator[Sentence]:
    """text[start:end] as untokenised sentences of at most MAX_SENTENCE_CHARS."""
    for s in range(start, end, MAX_SENTENCE_CHARS):
        e = min(s + MAX_SENTENCE_CHARS, end)
        yield Sentence(s, e, text[s:e], lang)


def cap_sentences(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences with every one longer than MAX_SENTENCE_CHARS split (see module doc)."""
    if all(s.end - s.start <= MAX_SENTENCE_CHARS for s in sentences):
        return sentences
    out: list[Sentence] = []
    for sentence in sentences:
        if sentence.end - sentence.start <= MAX_SENTENCE_CHARS:
            out.append(sentence)
        else:
            out.extend(_split(text, sentence))
    return out


def _split(text: str, sentence: Sentence) -> Iterator[Sentence]:
    tokens = sorted(sentence.tokens, key=lambda t: t.start)
    starts = [t.start for t in tokens]
    s = sentence.start
    while s < sentence.end:
        e = min(s + MAX_SENTENCE_CHARS, sentence.end)
        if e < sentence.end:
            space = text.rfind(" ", s + MAX_SENTENCE_CHARS // 2, e)
            if space > s:
                e = space + 1
            i = bisect_right(starts, e - 1) - 1  # the last token starting before the cut
            if i >= 0 and s < tokens[i].start and e < tokens[i].end:
                e = tokens[i].start  # never cut through a token
            e = _outside_money(text, s, e, sentence.lang)
        lo, hi = bisect_left(starts, s), bisect_left(starts, e)
        yield Sentence(s, e, text[s:e], sentence.lang, tokens[lo:hi])
        s = e


def _outside_money(text: str, start: int, cut: int, lang: str) -> int:
    """`cut`, moved back to the start of an amount written across it (`12 billion | won`
    would otherwise lose the amount); the money grammar runs on a small window only."""
    from .money import find_money

    lo, hi = max(start, cut - MONEY_WINDOW), min(len(text), cut + MONEY_WINDOW)
    for m in find_money(text[lo:hi], lang if lang in ("ko", "en") else "en"):
        if lo + m.start < cut < lo + m.end and lo + m.start > start:
            return lo + m.start
    return cut


# -- HTML --------------------------------------------------------------------

# Deeper nesting than this is no article layout (real pages stay under ~60): such
# markup is read as flat text, because walking a 100,000-deep tree costs
# O(depth^2) in the article-root search.
MAX_HTML_DEPTH = 512

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
# Elements without a closing tag, or whose closing tag may be left out.
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li td th tr dt dd option thead tbody tfoot colgroup rt rp".split()
)
_BLOCK = frozenset(
    "address article aside blockquote body br dd div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul".split()
)
_SKIP_CONTENT = ("script", "style", "template", "noscript")


def html_depth(markup: str, stop_at: int = MAX_HTML_DEPTH) -> int:
    """Nesting depth of the markup's elements (stops counting above `stop_at`); linear."""
    depth = deepest = 0
    for m in _TAG.finditer(markup):
        name = m.group(2).lower()
        if name in _NOT_NESTING or m.group(3):
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_at:
                    break
    return deepest


def flat_html_text(markup: str) -> str:
    """The text of markup without building a tree: script/style content dropped, block
    tags as line breaks, entities decoded. Linear in the input."""
    import html

    kept: list[str] = []
    pos = 0
    lower = markup.lower()
    upcoming = {t: lower.find(f"<{t}") for t in _SKIP_CONTENT}  # -1: none left
    while True:
        for t, i in upcoming.items():
            if 0 <= i < pos:  # each tag's next place is looked up again only when passed
                upcoming[t] = lower.find(f"<{t}", pos)
        starts = [(i, t) for t, i in upcoming.items() if i >= 0]
        if not starts:
            kept.append(markup[pos:])
            break
        i, tag = min(starts)
        kept.append(markup[pos:i])
        close = lower.find(f"</{tag}", i)
        if close < 0:
            break
        end = lower.find(">", close)
        pos = len(markup) if end < 0 else end + 1
    text = "".join(kept)

    def tag(m: re.Match) -> str:
        return "\n" if m.group(2).lower() in _BLOCK else ""

    text = html.unescape(_TAG.sub(tag, text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
