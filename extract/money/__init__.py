"""Money extraction: find monetary expressions in a text and normalise them.

`find_money` is the stage's one entry point. The language-specific extractors
live in `korean.py` and `english.py`; their rules are data under
`rules/ko/` and `rules/en/`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import localcontext

from ..models import MoneyMention, Token
from .exact import EXACT, too_large

# What the secondary extractor needs to find anything at all (a cheap test that
# spares running it on most sentences): English money is written with Latin
# letters or a currency symbol, Korean money with Hangul.
_MAY_HOLD = {
    "en": re.compile(r"[A-Za-z$€£¥₩￦\u00a2-\u00a5\u20a0-\u20cf]"),
    "ko": re.compile(r"[\uac00-\ud7a3]"),
}


def find_money(text: str, lang: str, tokens: Sequence[Token] | None = None) -> list[MoneyMention]:
    """Every money expression in `text`, in order, offsets relative to `text`.

    `lang` picks the extractor tried first; the other language's extractor also
    runs and its mentions are kept where they do not overlap (a Korean sentence
    quoting `$1.1 billion`, an English one quoting `3조원`). `tokens` are the
    sentence's morphemes/words with offsets relative to `text`, when the caller
    has them (the Korean extractor uses Kiwi tags to reject names like 조원태);
    without them the extractor analyses the text itself. Exchange rates and unit
    headers are dropped (guards.py); an amount in parentheses restating a qualified
    one takes its qualifier (parens.py).
    """
    from . import english, korean
    from .countries import find_country_money, resolve_country_words
    from .guards import apply_guards
    from .parens import inherit_parenthetical
    from .signs import attach_signs

    primary, secondary = (korean, english) if lang == "ko" else (english, korean)
    with localcontext(EXACT):
        found = _safely(primary.find_money, text, tokens)
        if _MAY_HOLD["en" if lang == "ko" else "ko"].search(text):
            found += _safely(secondary.find_money, text, None)
        if lang == "ko" or _MAY_HOLD["ko"].search(text):
            # `베트남 정부는 3조 동을`: a currency word read from the country named (countries.py)
            found += _safely(lambda t, _tokens: find_country_money(t), text, None)
        found = [_refuse_too_large(m) for m in found if not _ZEROS_ONLY.fullmatch(m.text)]
        found = resolve_country_words(text, merge_mentions(found))
        # a sign written before an amount (`△12조`, `-$3.2 million`): kept in `text`
        return attach_signs(text, inherit_parenthetical(text, apply_guards(text, found)))


# `$000`, `(€'000)`: a thousands caption of a table, never an amount of 0 (a real zero
# is written `$0`, `0원`, `$0.00`).
_ZEROS_ONLY = re.compile(r"[^\d.,]*0{2,}[^\d.,]*")


def _safely(extract, text: str, tokens) -> list[MoneyMention]:
    # A computation that would round raises under EXACT (see exact.py): the grammar
    # has no exact reading of this text, so that extractor reports nothing for it.
    try:
        return extract(text, tokens)
    except ArithmeticError:
        return []


def _refuse_too_large(m: MoneyMention) -> MoneyMention:
    """An amount beyond MAX_VALUE becomes a vague mention saying why (exact.py)."""
    if not too_large(m.amount, m.amount_max):
        return m
    return replace(m, amount=None, amount_max=None, vague=True, rule=f"{m.lang}.refused.too_large")


def may_hold_money(text: str, start: int = 0, end: int | None = None) -> bool:
    """Can `find_money` find anything in text[start:end] read as a non-Korean text?

    False only when neither extractor could match: no English number trigger (a
    digit, a number or scale word) and no Hangul. The pipeline splits such
    paragraphs into sentences without spaCy."""
    from .english import english_rules

    chunk = text[start:end]
    return english_rules().numbers.triggered(chunk) or bool(_MAY_HOLD["ko"].search(chunk))


def may_open_money(text: str) -> bool:
    """For a part of a text `may_hold_money` said False for (a sentence of such a
    paragraph): can `find_money(part, lang)` (lang not "ko") still find anything?

    Only when the English number trigger matches at the part's very start. The
    trigger's alternatives consume no more than the part and look only behind
    (`(?<![\\p{L}])`, no lookahead, no anchor), so a match inside the part at any later
    position is a match in the whole text too, and the whole text has none; only at the
    start can the part differ, where the whole text may have a letter before it. The
    part has no Hangul either, so the Korean extractor does not run on it."""
    from .english import english_rules

    return english_rules().numbers.trigger.match(text) is not None


def merge_mentions(mentions: list[MoneyMention]) -> list[MoneyMention]:
    """Drop mentions that overlap an earlier-listed one; return them in text order."""
    kept: list[MoneyMention] = []
    for m in mentions:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))
